// The REST HTTP binding shared by rest-json and rest-xml (Smithy's HTTP binding traits,
// botocore's BaseRestSerializer/BaseRestParser). It moves members between the typed
// input/output and the HTTP message: URI labels ({Label}, greedy {Label+}), query
// string, headers, prefix headers, the status code, the host prefix and the payload
// member. Everything left over (members with no HTTP location) is the body, which a
// BodyCodec (JSON or XML) writes and reads: this module knows nothing about either format.
//
// Scalars are converted through per-kind tables (`Record<ScalarKind, ...>`), so a new
// kind cannot be forgotten; xml.ts converts XML text through the same tables in their strict
// XML mode (`scalarText`, `scalarFromText` with `xml`). Timestamps default to HTTP-date in headers and ISO-8601 in
// labels and query strings. Missing URI or host labels throw RequestFormError before
// anything is sent. Response header values are lenient: list headers are split on
// commas outside quotes, HTTP-date lists are paired back up.
//
// Hot path: what a shape's members are bound to (labels, query, headers, body members;
// header names lower-cased; indexes by member and header name) and an operation's parsed
// requestUri (path parts, literal query pairs) are worked out once per shape / URI and kept
// (WeakMap / Map), so a call only visits its bound members.
import { RequestFormError } from "../errors.js";
import { fromBase64, fromUtf8, toBase64, toBytes, utf8 } from "../encoding.js";
import type { RequestBody } from "../http/types.js";
import type {
  ListShape,
  MapShape,
  Member,
  MemberTraits,
  OperationSchema,
  ScalarKind,
  ScalarShape,
  StructureShape,
  TimestampFormat,
} from "../schema.js";
import { kind, scalarTraits, target, traits } from "../schema.js";
import { utf8Length } from "../http/body.js";
import {
  fillIdempotencyTokens,
  formatTimestamp,
  joinHeaderList,
  numberText,
  readBoolean,
  readFloat,
  readInteger,
  readTimestamp,
  splitHeaderList,
  splitHttpDateList,
  uriEncode,
} from "./shared.js";
import type { ReceivedResponse, SerializeContext, SerializedRequest } from "./types.js";

/** The body format plugged into the REST binding (JSON for rest-json, XML for rest-xml). */
export interface BodyCodec {
  /** Content-Type of a structured body (a body of members, or a structure/union/document payload). */
  readonly contentType: string;
  /**
   * Writes the body from the input members not bound to HTTP (`members`, in model order;
   * never empty). Returns undefined for "no body".
   */
  writeBody(
    input: StructureShape,
    value: Record<string, unknown>,
    members: readonly string[],
  ): string | Uint8Array | undefined;
  /**
   * Writes a structure, union or document payload member (`value` undefined when unset).
   * Returns undefined for "no body".
   */
  writePayload(member: Member, name: string, value: unknown): string | Uint8Array | undefined;
  /** Reads the body members (`members`) of an output or error structure from a non-empty body. */
  readBody(
    shape: StructureShape,
    body: Uint8Array,
    members: readonly string[],
    statusCode: number,
  ): Record<string, unknown>;
  /** Reads a structure, union or document payload from a non-empty body. */
  readPayload(member: Member, name: string, body: Uint8Array, statusCode: number): unknown;
}

/** Throws RequestFormError: the input cannot be sent as given (nothing has been sent). */
export function formError(message: string): never {
  throw new RequestFormError(message);
}

/** Bytes of any binary form (Uint8Array and other views, ArrayBuffer). */
function isBinary(value: unknown): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/** Is the value absent (undefined or null)? */
export function absent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

function timestampFormat(member: Member, fallback: TimestampFormat): TimestampFormat {
  const shape = target(member);
  return traits(member).tf ?? (scalarTraits(shape) as ScalarShape).tf ?? fallback;
}

function isJsonValue(member: Member): boolean {
  return !!(traits(member).j || (scalarTraits(target(member)) as ScalarShape).j);
}

// ---------------------------------------------------------------------------------------
// Per-shape plans

/** A member bound to the HTTP message. */
interface Bound {
  readonly name: string;
  readonly member: Member;
  readonly l: MemberTraits["l"];
  /** The wire name: the query key, or the header name (prefix for `headers`) in lower case. */
  readonly wire: string;
}

interface ShapePlan {
  /** URI labels by wire name. */
  readonly labels: ReadonlyMap<string, readonly [string, Member]>;
  /** Query, header and prefix-header members (request), status-code, header and prefix-header members (response), model order. */
  readonly input: readonly Bound[];
  readonly output: readonly Bound[];
  /** Whether a query member is a map (its keys yield to explicitly named query members). */
  readonly queryMap: boolean;
  /** Request body members: no location, not the payload. */
  readonly requestBody: readonly string[];
  /** Response body members: no location (or uri / querystring, meaningless there), not the payload. */
  readonly responseBody: readonly string[];
  /** Member name -> its index in `input`. */
  readonly inputIndex: ReadonlyMap<string, readonly number[]>;
  /** Header name -> indexes in `output` of the members read from it. */
  readonly headerIndex: ReadonlyMap<string, readonly number[]>;
  /** Indexes in `output` read whatever headers arrive: status code and prefix headers. */
  readonly outputAlways: readonly number[];
}

/**
 * The bound members to visit, in model order: all of them, or, when fewer names than bound
 * members are at hand (an S3 call sets a few of its dozens of header members, a response
 * carries a dozen headers), only those found by name.
 */
function present(
  bound: readonly Bound[],
  names: readonly string[],
  index: ReadonlyMap<string, readonly number[]>,
  always: readonly number[],
): readonly Bound[] {
  if (names.length >= bound.length) return bound;
  const picked = always.slice();
  for (const name of names) {
    const found = index.get(name);
    if (found !== undefined) for (const i of found) insertSorted(picked, i);
  }
  return picked.map((i) => bound[i]!);
}

/** Inserts into a short ascending list (a handful of indexes: no sort call, no comparator). */
function insertSorted(list: number[], v: number): void {
  let k = list.length;
  list.push(v);
  while (k > 0 && list[k - 1]! > v) {
    list[k] = list[k - 1]!;
    k--;
  }
  list[k] = v;
}

function addIndex(index: Map<string, number[]>, key: string, i: number): void {
  const list = index.get(key);
  if (list) list.push(i);
  else index.set(key, [i]);
}

const plans = new WeakMap<StructureShape, ShapePlan>();

function planOf(shape: StructureShape): ShapePlan {
  let plan = plans.get(shape);
  if (plan !== undefined) return plan;
  const labels = new Map<string, readonly [string, Member]>();
  const input: Bound[] = [];
  const output: Bound[] = [];
  const requestBody: string[] = [];
  const responseBody: string[] = [];
  const inputIndex = new Map<string, number[]>();
  const headerIndex = new Map<string, number[]>();
  const outputAlways: number[] = [];
  let queryMap = false;
  for (const name of Object.keys(shape.m)) {
    const member = shape.m[name]!;
    const t = traits(member);
    const l = t.l;
    if (l === "uri") labels.set(t.n ?? name, [name, member]);
    else if (l !== undefined) {
      // Query keys keep their case; header names and prefixes are lower-cased.
      const wire = l === "querystring" ? (t.n ?? name) : (t.n ?? (l === "header" ? name : "")).toLowerCase();
      const b: Bound = { name, member, l, wire };
      if (l !== "statusCode") addIndex(inputIndex, name, input.push(b) - 1); // query, header, prefix headers
      if (l === "header") addIndex(headerIndex, wire, output.push(b) - 1);
      else if (l !== "querystring") outputAlways.push(output.push(b) - 1); // prefix headers, status code
      if (l === "querystring" && kind(target(member)) === 10) queryMap = true;
    }
    if (name !== shape.p) {
      if (l === undefined) requestBody.push(name);
      if (l === undefined || l === "uri" || l === "querystring") responseBody.push(name);
    }
  }
  plan = { labels, input, output, queryMap, requestBody, responseBody, inputIndex, headerIndex, outputAlways };
  plans.set(shape, plan);
  return plan;
}

// ---------------------------------------------------------------------------------------
// Scalars to text (labels, query strings, headers; and XML bodies, for xml.ts)

/**
 * Converts one scalar kind to text. `xml` is set for XML bodies and query forms (xml.ts
 * `scalarText`), which are strict: strings only for strings, bytes only for blobs, no documents.
 */
type ToText = (value: unknown, member: Member, defaultTimestamp: TimestampFormat, xml: boolean) => string;

function stringText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  throw new RequestFormError(`expected a string, got ${typeof value}`);
}

const SCALAR_TEXT: Record<ScalarKind, ToText> = {
  0: (v, m, _, xml) => {
    if (typeof v === "string") return v;
    if (xml) formError(`expected a string, got ${typeof v}`);
    return isJsonValue(m) ? JSON.stringify(v) : stringText(v);
  },
  1: (v) => (typeof v === "boolean" || v === "true" || v === "false" ? String(v) : formError(`expected a boolean, got ${typeof v}`)),
  2: numberText,
  3: numberText,
  4: (v, _m, _d, xml) => {
    if (xml && typeof v !== "string" && !isBinary(v)) formError(`expected bytes or a string for a blob, got ${typeof v}`);
    return toBase64(toBytes(v as Uint8Array | string));
  },
  5: (v, m, def) => formatTimestamp(v, timestampFormat(m, def)),
  6: (v, _m, _d, xml) => {
    if (xml) formError("documents cannot be sent in XML or query protocols");
    return JSON.stringify(v);
  },
  7: numberText,
};

/** The text of a scalar member's value; timestamps in `defaultTimestamp` unless the model says otherwise. */
export function scalarText(value: unknown, member: Member, defaultTimestamp: TimestampFormat, xml = false): string {
  const k = kind(target(member));
  if (k > 7) {
    formError(xml ? "a structure or collection is not a scalar" : `a ${k === 8 ? "structure" : "collection"} cannot be bound here`);
  }
  return SCALAR_TEXT[k as ScalarKind](value, member, defaultTimestamp, xml);
}

// ---------------------------------------------------------------------------------------
// Request

/** The host prefix with `{label}`s filled from hostLabel members; throws when one is missing or invalid. */
export function expandHostPrefix(op: OperationSchema, input: Record<string, unknown>): string | undefined {
  const template = op.hp;
  if (template === undefined) return undefined;
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = input[name];
    if (absent(value) || value === "") throw new RequestFormError(`host label ${name} is missing or empty`);
    const text = stringText(value);
    // Each dot-separated part must be a valid DNS label, so input cannot redirect the request.
    if (!text.split(".").every((p) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(p))) {
      throw new RequestFormError(`host label ${name} is not a valid host name part`);
    }
    return text;
  });
}

/**
 * An operation's requestUri, parsed once: the path as literal text and `{Label}` / `{Label+}`
 * parts, and the literal query pairs (`/{Key+}?x-id=GetObject&tagging`), already encoded.
 */
interface UriPlan {
  readonly path: readonly (string | readonly [label: string, greedy: boolean])[];
  readonly query: readonly (readonly [string, string])[];
}
const uriPlans = new Map<string, UriPlan>();

function uriPlan(requestUri: string): UriPlan {
  let plan = uriPlans.get(requestUri);
  if (plan !== undefined) return plan;
  const q = requestUri.indexOf("?");
  const template = q < 0 ? requestUri : requestUri.slice(0, q);
  // Split on `{...}`: odd indexes are labels (`Key+` is greedy), even ones literal text.
  const path = template.split(/\{([^}+]+\+?)\}/).map((p, i) => (i % 2 === 0 ? p : ([p.replace(/\+$/, ""), p.endsWith("+")] as const)));
  const query: [string, string][] = [];
  for (const part of q < 0 ? [] : requestUri.slice(q + 1).split("&")) {
    if (part === "") continue;
    // Literal parts are already URI text in the model; normalise them to our encoding.
    const [name = "", ...value] = part.split("=");
    query.push([uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value.join("=")))]);
  }
  if (uriPlans.size >= 1024) uriPlans.clear();
  uriPlans.set(requestUri, (plan = { path, query }));
  return plan;
}

/** Expands the path's `{Label}` / `{Label+}` parts from the input's `uri` members; a missing or empty one throws. */
function expandPath(plan: UriPlan, labels: ReadonlyMap<string, readonly [string, Member]> | undefined, input: Record<string, unknown>): string {
  let out = "";
  for (const part of plan.path) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const bound = labels?.get(part[0]);
    if (!bound) formError(`URI label ${part[0]} has no input member`);
    const value = input[bound[0]];
    if (absent(value)) formError(`URI label ${bound[0]} is missing`);
    const text = scalarText(value, bound[1], "iso8601");
    if (text === "") formError(`URI label ${bound[0]} is empty`);
    out += uriEncode(text, part[1]);
  }
  return out;
}

/**
 * The texts of a query or header value: one for a scalar, one per present item for a list.
 * `queryName` names a query parameter in errors (else it is a header).
 */
function boundTexts(value: unknown, member: Member, defaultTimestamp: TimestampFormat, queryName?: string): string[] {
  const shape = target(member);
  if (kind(shape) !== 9) return [scalarText(value, member, defaultTimestamp)];
  if (!Array.isArray(value)) {
    formError(queryName === undefined ? "expected a list for a list header" : `expected a list for query parameter ${queryName}`);
  }
  const item = (shape as ListShape).m;
  const texts: string[] = [];
  for (const v of value) if (!absent(v)) texts.push(scalarText(v, item, defaultTimestamp));
  return texts;
}

/** The text of a header member (a list's items joined). */
function headerValue(value: unknown, member: Member): string {
  const shape = target(member);
  // List items are quoted when they are strings holding commas or quotes; timestamps never are (HTTP-dates hold commas).
  if (kind(shape) === 9) return joinHeaderList(boundTexts(value, member, "rfc822"), kind(target((shape as ListShape).m)) === 0);
  const text = scalarText(value, member, "rfc822");
  return isJsonValue(member) ? toBase64(utf8(text)) : text;
}

/**
 * Adds a query-bound member: scalars, lists (repeated keys), maps of string or list (keys
 * from the map: explicitly named query members, `named`, take precedence over the same key).
 */
function queryMember(query: [string, string][], named: ReadonlySet<string>, name: string, value: unknown, member: Member): void {
  const shape = target(member);
  if (kind(shape) !== 10) return addQuery(query, name, boundTexts(value, member, "iso8601", name));
  const valueMember = (shape as MapShape).v;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!absent(v) && !named.has(key)) addQuery(query, key, boundTexts(v, valueMember, "iso8601", key));
  }
}

function addQuery(query: [string, string][], name: string, texts: readonly string[]): void {
  const key = uriEncode(name);
  for (const text of texts) query.push([key, uriEncode(text)]);
}

/** Sets content-length for bodies whose size is known now (bytes and text). */
export function setContentLength(headers: Record<string, string>, body: RequestBody | undefined): void {
  if (typeof body === "string") headers["content-length"] = String(utf8Length(body));
  else if (body instanceof Uint8Array) headers["content-length"] = String(body.length);
}

/** The payload member of a structure (its `p`). */
function payloadMember(shape: StructureShape, name: string): Member {
  const member = shape.m[name];
  if (member === undefined) throw new Error(`payload member ${name} is not a member`);
  return member;
}

/** Writes the payload member: blobs and strings raw, structures/unions/documents through the codec. */
function writePayloadMember(
  codec: BodyCodec,
  name: string,
  member: Member,
  value: unknown,
  headers: Record<string, string>,
): RequestBody | undefined {
  const shape = target(member);
  const k = kind(shape);
  let type: string | undefined;
  let body: RequestBody | undefined;
  if (k === 4) {
    // botocore labels an unset non-streaming blob payload as octet-stream too; a streaming
    // one (S3 PutObject without Body) gets no type, so the service applies its own default.
    if (!absent(value) || !(scalarTraits(shape) as ScalarShape).st) type = "application/octet-stream";
    // Streaming (and plain) blobs pass through untouched: streams, Blobs and iterables included.
    if (!absent(value)) body = isBinary(value) ? toBytes(value) : (value as RequestBody);
  } else if (k === 0) {
    // A string payload is text (a streaming one may be a stream).
    if (!absent(value)) {
      type = "text/plain";
      body = value as RequestBody;
    }
  } else if (k === 8 && (shape as StructureShape).es && !absent(value)) {
    // An input event stream (Bedrock InvokeModelWithBidirectionalStream, Lex V2 StartConversation,
    // Q Business Chat...) is a stream of signed event messages, which this runtime does not write:
    // refused before sending instead of sending the async iterable as an empty structure.
    formError(`${name} is an input event stream, which tsaws cannot send yet`);
  } else if (k === 8 || k === 6) {
    body = codec.writePayload(member, name, absent(value) ? undefined : value);
    if (body !== undefined) type = codec.contentType;
  } else {
    formError(`payload member ${name} has a kind that cannot be a payload`);
  }
  if (type !== undefined) headers["content-type"] ??= type;
  return body;
}

const NO_NAMES: ReadonlySet<string> = new Set();
const NO_INDEXES: readonly number[] = [];

/** Serializes an operation's input with the REST binding and the given body codec. */
export function serializeRest(
  codec: BodyCodec,
  op: OperationSchema,
  rawInput: Record<string, unknown>,
  ctx: SerializeContext,
): SerializedRequest {
  const shape = op.i;
  const input = fillIdempotencyTokens(shape, rawInput ?? {}, () => ctx.uuid());
  const uri = uriPlan(op.h[1]);
  const plan = shape && planOf(shape);
  const query = uri.query.slice() as [string, string][];
  const headers: Record<string, string> = {};
  const request: SerializedRequest = { method: op.h[0], path: expandPath(uri, plan?.labels, input), query, headers };
  const hostPrefix = expandHostPrefix(op, input);
  if (hostPrefix !== undefined) request.hostPrefix = hostPrefix;
  if (!shape || !plan) return request;

  let namedQuery: ReadonlySet<string> = NO_NAMES;
  if (plan.queryMap) {
    const named = new Set<string>();
    for (const b of plan.input) {
      if (b.l === "querystring" && kind(target(b.member)) !== 10 && !absent(input[b.name])) named.add(b.wire);
    }
    namedQuery = named;
  }
  for (const b of present(plan.input, Object.keys(input), plan.inputIndex, NO_INDEXES)) {
    const value = input[b.name];
    if (absent(value)) continue;
    if (b.l === "querystring") queryMember(query, namedQuery, b.wire, value, b.member);
    else if (b.l === "header") headers[b.wire] = headerValue(value, b.member);
    else {
      // Prefix headers: a map whose keys complete the header names.
      const valueMember = (target(b.member) as MapShape).v;
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (!absent(v)) headers[b.wire + key.toLowerCase()] = scalarText(v, valueMember, "rfc822");
      }
    }
  }

  let body: RequestBody | undefined;
  if (shape.p !== undefined) {
    body = writePayloadMember(codec, shape.p, payloadMember(shape, shape.p), input[shape.p], headers);
  } else if (plan.requestBody.length > 0) {
    body = codec.writeBody(shape, input, plan.requestBody);
    if (body !== undefined) headers["content-type"] ??= codec.contentType;
  }
  if (body !== undefined) {
    request.body = body;
    setContentLength(headers, body);
  }
  return request;
}

// ---------------------------------------------------------------------------------------
// Response

/** Converts text to one scalar kind. `xml` is set for XML text (xml.ts), see `scalarFromText`. */
type FromText = (text: string, member: Member, xml: boolean) => unknown;

const SCALAR_FROM_TEXT: Record<ScalarKind, FromText> = {
  0: (t, m, xml) => (!xml && isJsonValue(m) ? fromUtf8(fromBase64(t)) : t),
  1: readBoolean,
  2: readInteger,
  3: (t, _m, xml) => readFloat(xml ? t.trim() : t),
  4: fromBase64,
  5: readTimestamp,
  // Documents do not exist in XML protocols; keep the text rather than guess.
  6: (t, _m, xml) => (xml ? t : (JSON.parse(t) as unknown)),
  7: (t) => t.trim(),
};

/**
 * Reads a scalar member's value from header text, or (`xml`) from XML element or attribute
 * text, where blank text is no value (undefined) for the kinds that cannot be empty.
 * Text that does not parse throws TypeError.
 */
export function scalarFromText(text: string, member: Member, xml = false): unknown {
  const k = kind(target(member));
  if (k > 7) throw new TypeError("a structure or collection cannot be read from a header");
  if (xml && k !== 0 && k !== 4 && k !== 6 && text.trim() === "") return undefined;
  return SCALAR_FROM_TEXT[k as ScalarKind](text, member, xml);
}

function readHeader(text: string, member: Member): unknown {
  const shape = target(member);
  if (kind(shape) !== 9) return scalarFromText(text, member);
  const item = (shape as ListShape).m;
  if (text.trim() === "") return [];
  // HTTP-dates hold commas: a list of them is split into pairs of parts.
  const httpDates = kind(target(item)) === 5 && timestampFormat(item, "rfc822") === "rfc822";
  return (httpDates ? splitHttpDateList(text) : splitHeaderList(text)).map((v) => scalarFromText(v, item));
}

/**
 * Reads the members bound to the status code, headers and prefix headers of a response
 * (used for outputs and for modeled errors). Values that fail to parse throw TypeError.
 */
export function readHttpBindings(shape: StructureShape, response: ReceivedResponse): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const plan = planOf(shape);
  const headers = response.headers;
  for (const b of present(plan.output, Object.keys(headers), plan.headerIndex, plan.outputAlways)) {
    if (b.l === "statusCode") out[b.name] = response.statusCode;
    else if (b.l === "header") {
      const text = headers[b.wire];
      if (text !== undefined) out[b.name] = readHeader(text, b.member);
    } else {
      // Prefix headers: always present, empty when no header has the prefix (as botocore;
      // Smithy's HttpPrefixHeadersAreNotPresent expects `{}`).
      const prefix = b.wire;
      const valueMember = (target(b.member) as MapShape).v;
      const map: Record<string, unknown> = {};
      for (const header of Object.keys(headers)) {
        if (header.startsWith(prefix)) map[header.slice(prefix.length)] = scalarFromText(headers[header]!, valueMember);
      }
      out[b.name] = map;
    }
  }
  return out;
}

/**
 * The names of the members that travel in a response body: no HTTP location, not the
 * payload. URI and query-string bindings mean nothing in a response, so such members are
 * read from the body (Smithy's IgnoreQueryParamsInResponse).
 */
export function bodyMembers(shape: StructureShape): readonly string[] {
  return planOf(shape).responseBody;
}

/**
 * Reads a REST response into the output record: HTTP-bound members, then either the
 * payload member (blobs raw, a streaming blob as the unread ResponseBody, strings as
 * text, structures through the codec) or the body members through the codec.
 */
export function parseRest(codec: BodyCodec, op: OperationSchema, response: ReceivedResponse): Record<string, unknown> {
  const shape = op.o;
  if (!shape) return {};
  const out = readHttpBindings(shape, response);
  const body = response.body;
  const p = shape.p;
  if (p !== undefined) {
    const member = payloadMember(shape, p);
    const pshape = target(member);
    const k = kind(pshape);
    if ((scalarTraits(pshape) as ScalarShape).st) {
      // A streaming payload is handed over unread (the core provides `stream`).
      out[p] = response.stream ?? body;
    } else if (body.length > 0) {
      out[p] = k === 4 ? body : k === 0 ? fromUtf8(body) : codec.readPayload(member, p, body, response.statusCode);
    }
  } else {
    const members = bodyMembers(shape);
    if (members.length > 0 && body.length > 0) Object.assign(out, codec.readBody(shape, body, members, response.statusCode));
  }
  return out;
}
