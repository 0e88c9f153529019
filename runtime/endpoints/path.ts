// The operationContextParams paths of the models: a small JMESPath subset (fields and quoted
// fields, `@`, sub-expressions, `[*]` and `[]` projections, `[n]`, multi-select lists,
// `keys()`) compiled into getters. Generated operations carry `contextPath("…")` for each path
// that is not a plain member name, so only a bundle with such an operation carries this parser;
// the client's binder (params.ts) takes member names and getters. bindEndpointParams, the
// one-off binder, compiles string paths itself.
import { EndpointError } from "../errors.js";
import { createParamBinder, isMemberName, memberGetter, type BindSources, type Getter } from "./params.js";
import type { EndpointParams, ParamDef } from "./types.js";

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*"|-?\d+|[.[\]*,()@]|\S/g;
const CURRENT: Getter = (v) => v;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `l.r`: r applied to what l reads, unless that is null. */
const sub = (l: Getter, r: Getter): Getter => (v) => {
  const x = l(v);
  return x === null || x === undefined ? null : r(x);
};

/** `l[*].r` (or `l[].r`, flattening one level first): r over l's items, dropping nulls. */
const project = (l: Getter, r: Getter, flat: boolean): Getter => (v) => {
  let items = l(v);
  if (!Array.isArray(items)) return null;
  if (flat) items = items.flatMap((x: unknown) => (Array.isArray(x) ? x : [x]));
  const out: unknown[] = [];
  for (const x of items as unknown[]) {
    const y = r(x);
    if (y !== null && y !== undefined) out.push(y);
  }
  return out;
};

/**
 * Parses a path (recursive descent over its tokens) straight into a getter: fields and quoted
 * fields, `@`, `.` sub-expressions, `[n]`, `[*]` and `[]` projections, multi-select lists
 * `[a, b]`, and `keys(x)`. Anything else throws EndpointError.
 */
function compilePath(src: string): Getter {
  const toks = src.match(TOKEN) ?? [];
  let i = 0;
  const fail = (): never => {
    throw new EndpointError(`unsupported operationContextParams path ${JSON.stringify(src)}`);
  };
  const take = (want?: string): string => {
    const t = toks[i++];
    return t === undefined || (want !== undefined && t !== want) ? fail() : t;
  };
  const field = (t: string): Getter => {
    const name = t.startsWith('"') ? (JSON.parse(t) as string) : /^[A-Za-z_]/.test(t) ? t : fail();
    return (v) => (isRecord(v) ? (v[name] ?? null) : null);
  };
  /** After "[" was taken: `a, b, c]`. */
  const multi = (): Getter => {
    const items = [expr()];
    while (toks[i] === ",") {
      i++;
      items.push(expr());
    }
    take("]");
    return (v) => (v === null || v === undefined ? null : items.map((get) => get(v)));
  };
  const primary = (): Getter => {
    const t = take();
    if (t === "@") return CURRENT;
    if (t === "[") return multi();
    if (t === "keys" && toks[i] === "(") {
      i++;
      const arg = expr();
      take(")");
      return (v) => {
        const o = arg(v);
        return isRecord(o) ? Object.keys(o) : null;
      };
    }
    return field(t);
  };
  /** The postfix chain after `left`; inside a projection, `[]` ends it (it binds looser). */
  const rest = (left: Getter, inProjection: boolean): Getter => {
    let get = left;
    for (;;) {
      const [t, next, after] = [toks[i], toks[i + 1], toks[i + 2]];
      if (t === ".") {
        // `.name` or `.[a, b]`
        i += next === "[" ? 2 : 1;
        get = sub(get, next === "[" ? multi() : field(take()));
      } else if (t !== "[") {
        return get;
      } else if (next === "*" && after === "]") {
        i += 3;
        get = project(get, rest(CURRENT, true), false);
      } else if (next === "]" && !inProjection) {
        i += 2;
        get = project(get, rest(CURRENT, true), true);
      } else if (/^-?\d+$/.test(next ?? "") && after === "]") {
        i += 3;
        const n = Number(next);
        get = sub(get, (v) => (Array.isArray(v) ? (v[n < 0 ? v.length + n : n] ?? null) : null));
      } else {
        return get;
      }
    }
  };
  const expr = (): Getter => rest(primary(), false);
  const get = expr();
  return i === toks.length ? get : fail();
}

const PATHS = new Map<string, Getter>();

/** The compiled getter of a context-param path (a member name or a path of the subset), compiled once. */
function compiled(path: string): Getter {
  if (isMemberName(path)) return memberGetter(path);
  let g = PATHS.get(path);
  if (!g) PATHS.set(path, (g = compilePath(path)));
  return g;
}

/**
 * The getter of a context-param path, as generated operations hold it: compiled on its first
 * use, not where the operation is defined, so importing a service never runs the path compiler
 * (the generator has compiled every path it emits, so none fails here).
 */
export function contextPath(path: string): Getter {
  if (isMemberName(path)) return memberGetter(path);
  let g: Getter | undefined;
  return (input) => (g ??= compiled(path))(input);
}

/** Evaluates a context-param path (a member name or a JMESPath subset expression) on the input; throws EndpointError on a path outside the subset. */
export function searchPath(path: string, input: unknown): unknown {
  return compiled(path)(input);
}

/** An operation's bindings with every path that is not a member name compiled, as the generator emits them. */
export function compileBindings(cp: Readonly<Record<string, string | Getter>>): Record<string, string | Getter> {
  const out: Record<string, string | Getter> = {};
  for (const [name, path] of Object.entries(cp)) out[name] = typeof path === "string" && !isMemberName(path) ? compiled(path) : path;
  return out;
}

/**
 * The parameter set for one call (unset parameters are absent); string paths are compiled here.
 * A client that binds on every call should use createParamBinder, which does the client-level
 * work once.
 */
export function bindEndpointParams(defs: readonly ParamDef[], sources: BindSources): EndpointParams {
  const op = sources.op;
  return createParamBinder(defs, sources)(op?.cp ? { ...op, cp: compileBindings(op.cp) } : op, sources.input);
}
