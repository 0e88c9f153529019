// Paginators, as botocore's paginate.py defines them, over the generated operation constants.
// The generator turns each paginators-1.json entry into a small spec: the input token member
// names, a function computing the output tokens of a page (its JMESPath compiled to code at
// generation time), the limit key, the result keys as member paths, and `more_results`.
// One loop (`pages`) implements botocore's semantics:
// - a page's tokens go into the next request; the run stops when every token is empty (null,
//   "", 0, false, [] or {}, as Python's falsiness), when `more_results` is false, or when the
//   tokens repeat (a guard against a service that loops; logged as a warning);
// - `maxItems` counts items of the primary result key; the page that crosses it is truncated,
//   and `resumeToken` then resumes exactly after the last item returned, with botocore's token
//   format (base64 JSON of the input tokens plus `boto_truncate_amount`, bytes as base64 listed
//   in `boto_encoded_keys`), so tokens move between tsaws and boto3; a token that is not in this
//   format is passed to the service as is (one input token only);
// - `items()` flattens the primary result key, `search(expr)` evaluates a JMESPath expression
//   per page (the interpreter is loaded on first use only) and `fullResult()` merges the pages
//   as botocore's build_full_result.
// The primary result key is the first result key holding a list (botocore takes the first one,
// whatever its type; for the few models whose first key is a scalar the list is more useful).
// A map primary key yields [key, value] entries; a string or structure yields one item a page.
import type { Operation, RuntimeClient } from "./client.js";
import type { OperationSchema } from "./schema.js";
import { AbortError, TsawsError } from "./errors.js";
import { fromBase64, fromUtf8, toBase64, utf8 } from "./encoding.js";

/** A page as the runtime sees it. */
type Data = Record<string, unknown>;
/** A member path from the output root, e.g. ["DistributionList", "Items"]. */
type Path = readonly string[];

/**
 * One generated paginator (not a public API: the shape of the constants in index.js).
 * Token and `more_results` getters are compiled JMESPath; a string is an expression the
 * generator could not compile, evaluated by the JMESPath interpreter instead.
 */
export interface PaginatorSpec {
  /** The operation. */
  readonly o: OperationSchema;
  /** Input token member names. */
  readonly i: readonly string[];
  /** Output tokens of a page, one per input token. */
  readonly t: ((page: Data) => readonly unknown[]) | readonly string[];
  /** The limit key (page size) member, if any; `ls` when its type is a string. */
  readonly l?: string;
  readonly ls?: 1;
  /** Result keys as member paths. */
  readonly r: readonly Path[];
  /** Index in `r` of the primary result key (default 0) and its kind: list, map, string, other. */
  readonly p?: number;
  readonly k?: "l" | "m" | "s" | "o";
  /** `more_results`. */
  readonly m?: ((page: Data) => unknown) | string;
  /** `non_aggregate_keys` as member paths. */
  readonly n?: readonly Path[];
}

/** Options of a paginator without a page size member. */
export interface PaginateOptions {
  /** Stop after this many items of the primary result key (the last page is cut); see `resumeToken`. */
  maxItems?: number | undefined;
  /** A `resumeToken` from an earlier run (or a raw service token) to start from. */
  startingToken?: string | undefined;
  /** Aborts the run: the iteration rejects with AbortError. */
  signal?: AbortSignal | undefined;
}

/** Options of a paginator whose operation has a page size member (the model's limit key). */
export interface PageSizeOptions extends PaginateOptions {
  /** Items per page: sets the operation's limit member (e.g. `MaxKeys`, `Limit`). */
  pageSize?: number | undefined;
}

/** What `fullResult()` returns: the result keys merged over every page, the non-aggregate keys of the first. */
export type FullResult<Page> = { -readonly [K in Exclude<keyof Page, "$metadata">]?: Page[K] } & {
  /** Set when `maxItems` stopped the run early: pass it as `startingToken` to continue. */
  NextToken?: string;
};

/** The pages of one paginated call; iterate it with `for await`. Each iteration starts a new run. */
export interface Paginator<Page, Item> extends AsyncIterable<Page> {
  /** The items of the primary result key over every page (honouring `maxItems`). */
  items(): AsyncIterableIterator<Item>;
  /** Evaluates a JMESPath expression on each page; list results are flattened (boto3's `search`). */
  search(expression: string): AsyncIterableIterator<unknown>;
  /** Every page merged into one result, as boto3's `build_full_result`. */
  fullResult(): Promise<FullResult<Page>>;
  /** After a run cut short by `maxItems`: the token that resumes after the last item; else undefined. */
  readonly resumeToken: string | undefined;
}

/** An invalid paginator option or starting token. */
export class PaginationError extends TsawsError {
  override name = "PaginationError";
}

const TRUNCATE = "boto_truncate_amount";
const ENCODED = "boto_encoded_keys";

/** Creates the paginator of one call (the generated `paginateX(client, input, options)`). */
export function paginate<Page, Item>(
  client: RuntimeClient,
  spec: PaginatorSpec,
  input: object | undefined,
  options: PageSizeOptions = {},
): Paginator<Page, Item> {
  if (options.pageSize !== undefined) {
    if (spec.l === undefined) throw new PaginationError(`${spec.o.n} has no page size parameter: pageSize is not supported`);
    if (!(Number.isInteger(options.pageSize) && options.pageSize > 0)) throw new PaginationError("pageSize must be a positive integer");
  }
  if (options.maxItems !== undefined && !(Number.isInteger(options.maxItems) && options.maxItems > 0)) {
    throw new PaginationError("maxItems must be a positive integer");
  }
  return new PageIterator(client, spec, (input ?? {}) as Data, options) as unknown as Paginator<Page, Item>;
}

/** The `paginate` object of a full client: one method per paginator of the service. */
export function bindPaginators(
  client: RuntimeClient,
  table: Readonly<Record<string, PaginatorSpec>>,
): Record<string, (input?: object, options?: PageSizeOptions) => Paginator<unknown, unknown>> {
  const out: Record<string, (input?: object, options?: PageSizeOptions) => Paginator<unknown, unknown>> = {};
  for (const name of Object.keys(table)) out[name] = (input, options) => paginate(client, table[name]!, input, options);
  return out;
}

class PageIterator {
  readonly #client: RuntimeClient;
  readonly #spec: PaginatorSpec;
  readonly #input: Data;
  readonly #options: PageSizeOptions;
  #resume: string | undefined;
  /** The non-aggregate key values of the first page of the last run. */
  #nonAggregate: Data = {};

  constructor(client: RuntimeClient, spec: PaginatorSpec, input: Data, options: PageSizeOptions) {
    this.#client = client;
    this.#spec = spec;
    this.#input = input;
    this.#options = options;
  }

  get resumeToken(): string | undefined {
    return this.#resume;
  }

  [Symbol.asyncIterator](): AsyncIterator<Data> {
    return this.#pages();
  }

  async *#pages(): AsyncGenerator<Data, void, undefined> {
    const spec = this.#spec;
    const { maxItems, signal } = this.#options;
    this.#resume = undefined;
    this.#nonAggregate = {};
    const request: Data = { ...this.#input };
    if (this.#options.pageSize !== undefined) request[spec.l!] = spec.ls ? String(this.#options.pageSize) : this.#options.pageSize;
    // The tokens sent with the current request (null: none), as botocore's `next_token`.
    let current: Data = Object.fromEntries(spec.i.map((k) => [k, null]));
    let startingTruncation = 0;
    if (this.#options.startingToken !== undefined) {
      const parsed = parseStartingToken(this.#options.startingToken, spec.i);
      current = { ...current, ...parsed.tokens };
      startingTruncation = parsed.truncate;
      inject(request, current);
    }
    const primary = spec.r[spec.p ?? 0];
    const kind = spec.k ?? "l";
    let total = 0;
    let first = true;
    let previous: string | undefined;
    for (;;) {
      if (signal?.aborted) throw new AbortError(`${spec.o.n} pagination was aborted`, { cause: signal.reason });
      const page = (await this.#client.send(spec.o as Operation<Data, Data>, request, signal ? { signal } : {})) as Data;
      if (first) {
        first = false;
        if (startingTruncation > 0) this.#dropLeading(page, startingTruncation);
        for (const path of spec.n ?? []) {
          const v = get(page, path);
          if (v !== undefined) set(this.#nonAggregate, path, v);
        }
      } else startingTruncation = 0;
      const count = primary ? size(get(page, primary), kind) : 0;
      const over = maxItems !== undefined ? total + count - maxItems : 0;
      if (over > 0 && primary) {
        const keep = count - over;
        set(page, primary, cut(get(page, primary), kind, 0, keep));
        this.#resume = encodeToken({ ...current, [TRUNCATE]: startingTruncation + keep });
        yield page;
        return;
      }
      yield page;
      total += count;
      const next = await this.#nextTokens(page);
      if (next === undefined) return;
      if (maxItems !== undefined && total === maxItems) {
        this.#resume = encodeToken(next);
        return;
      }
      const key = encodeToken(next);
      if (key === previous) {
        this.#client.config.logger?.warn?.(`${spec.o.n}: the service returned the same pagination token twice; stopping`);
        return;
      }
      previous = key;
      current = next;
      inject(request, next);
    }
  }

  /** The next request's tokens, or undefined when the run is over. */
  async #nextTokens(page: Data): Promise<Data | undefined> {
    const spec = this.#spec;
    if (spec.m !== undefined && !truthy(await evaluate(spec.m, page))) return undefined;
    const values = typeof spec.t === "function" ? spec.t(page) : await Promise.all(spec.t.map((e) => evaluate(e, page)));
    const next: Data = {};
    let any = false;
    spec.i.forEach((name, n) => {
      const v = values[n];
      next[name] = truthy(v) ? v : null;
      any ||= truthy(v);
    });
    return any ? next : undefined;
  }

  /** Resuming inside a page: drop the items already returned, and the other result keys (botocore). */
  #dropLeading(page: Data, amount: number): void {
    const spec = this.#spec;
    const primaryIndex = spec.p ?? 0;
    spec.r.forEach((path, n) => {
      const v = get(page, path);
      if (n === primaryIndex) set(page, path, cut(v, spec.k ?? "l", amount, Infinity));
      else if (v !== undefined) set(page, path, Array.isArray(v) ? [] : typeof v === "string" ? "" : typeof v === "number" ? 0 : undefined);
    });
  }

  async *items(): AsyncGenerator<unknown, void, undefined> {
    const spec = this.#spec;
    const primary = spec.r[spec.p ?? 0];
    if (!primary) return;
    for await (const page of this) {
      const v = get(page, primary);
      if (v === undefined || v === null) continue;
      switch (spec.k ?? "l") {
        case "l":
          if (Array.isArray(v)) yield* v;
          break;
        case "m":
          yield* Object.entries(v as Data);
          break;
        default:
          yield v;
      }
    }
  }

  async *search(expression: string): AsyncGenerator<unknown, void, undefined> {
    const { compile } = await import("./jmespath/index.js");
    const compiled = compile(expression);
    for await (const page of this) {
      const result = compiled.search(page);
      if (Array.isArray(result)) yield* result;
      else yield result;
    }
  }

  async fullResult(): Promise<Data> {
    const complete: Data = {};
    for await (const page of this) {
      for (const path of this.#spec.r) {
        const value = get(page, path);
        if (value === undefined || value === null) continue;
        const existing = get(complete, path);
        if (existing === undefined) set(complete, path, Array.isArray(value) ? [...value] : value);
        else if (Array.isArray(existing) && Array.isArray(value)) existing.push(...value);
        else if (typeof existing === "number" && typeof value === "number") set(complete, path, existing + value);
        else if (typeof existing === "string" && typeof value === "string") set(complete, path, existing + value);
      }
    }
    mergeInto(complete, this.#nonAggregate);
    if (this.#resume !== undefined) complete.NextToken = this.#resume;
    return complete;
  }
}

/** Resolves a getter: compiled code, or an expression for the interpreter (loaded on demand). */
async function evaluate(getter: ((page: Data) => unknown) | string, page: Data): Promise<unknown> {
  if (typeof getter === "function") return getter(page);
  const { search } = await import("./jmespath/index.js");
  return search(getter, page);
}

/** Python's truthiness, which botocore applies to tokens and `more_results`. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === "" || v === 0) return false;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (typeof v === "object" && !(v instanceof Date)) return Object.keys(v).length > 0;
  return true;
}

function inject(request: Data, tokens: Data): void {
  for (const [name, value] of Object.entries(tokens)) {
    if (value !== null && value !== undefined && value !== "None") request[name] = value;
    else delete request[name];
  }
}

function get(data: unknown, path: Path): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Data)[k];
  }
  return v;
}

function set(data: Data, path: Path, value: unknown): void {
  let o = data;
  for (let n = 0; n < path.length - 1; n++) {
    const k = path[n]!;
    let next = o[k];
    if (next === null || typeof next !== "object") o[k] = next = {};
    o = next as Data;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete o[last];
  else o[last] = value;
}

function mergeInto(target: Data, source: Data): void {
  for (const [k, v] of Object.entries(source)) {
    const t = target[k];
    if (t && v && typeof t === "object" && typeof v === "object" && !Array.isArray(t) && !Array.isArray(v)) mergeInto(t as Data, v as Data);
    else target[k] = v;
  }
}

/** How many items a primary result value holds. */
function size(v: unknown, kind: string): number {
  if (v === undefined || v === null) return 0;
  if (kind === "l" || kind === "s") return Array.isArray(v) || typeof v === "string" ? v.length : 0;
  if (kind === "m") return typeof v === "object" ? Object.keys(v).length : 0;
  return 1;
}

/** Items [from, to) of a primary result value. */
function cut(v: unknown, kind: string, from: number, to: number): unknown {
  if (v === undefined || v === null) return v;
  if (Array.isArray(v) || typeof v === "string") return v.slice(from, to);
  if (kind === "m" && typeof v === "object") return Object.fromEntries(Object.entries(v).slice(from, to));
  return from > 0 ? undefined : v;
}

// ---------------------------------------------------------------- tokens (botocore's format)

/** Encodes tokens as botocore's TokenEncoder: base64 of JSON, bytes as base64 with their paths listed. */
export function encodeToken(token: Readonly<Record<string, unknown>>): string {
  const encoded: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (v instanceof Uint8Array) {
      encoded.push(path);
      return toBase64(v);
    }
    if (Array.isArray(v)) return v.map((x, n) => walk(x, [...path, n]));
    if (v instanceof Date) return v.toISOString();
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v === undefined ? null : v;
  };
  const data = walk(token, []) as Data;
  if (encoded.length) data[ENCODED] = encoded;
  return toBase64(utf8(JSON.stringify(data)));
}

/** Decodes a token made by `encodeToken` (or boto3); undefined when it is not one. */
export function decodeToken(token: string): Data | undefined {
  let data: unknown;
  try {
    data = JSON.parse(fromUtf8(fromBase64(token), true));
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const out = data as Data;
  const paths = out[ENCODED];
  delete out[ENCODED];
  if (Array.isArray(paths)) {
    for (const path of paths) {
      if (!Array.isArray(path) || path.length === 0) continue;
      let o: unknown = out;
      for (const k of path.slice(0, -1)) o = o !== null && typeof o === "object" ? (o as Data)[k as string] : undefined;
      const last = path[path.length - 1] as string;
      if (o !== null && typeof o === "object" && typeof (o as Data)[last] === "string") (o as Data)[last] = fromBase64((o as Data)[last] as string);
    }
  }
  return out;
}

function parseStartingToken(token: string, inputTokens: readonly string[]): { tokens: Data; truncate: number } {
  const decoded = decodeToken(token);
  const ours = decoded !== undefined && Object.keys(decoded).every((k) => k === TRUNCATE || inputTokens.includes(k));
  if (decoded && ours) {
    const { [TRUNCATE]: amount, ...tokens } = decoded;
    const truncate = typeof amount === "number" && Number.isInteger(amount) && amount > 0 ? amount : 0;
    return { tokens, truncate };
  }
  if (inputTokens.length === 1) return { tokens: { [inputTokens[0]!]: token }, truncate: 0 };
  throw new PaginationError(`startingToken is not a token of this paginator (expected one for ${inputTokens.join(", ")})`);
}
