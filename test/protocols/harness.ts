// Protocol conformance harness: runs one case of botocore's protocol test suites
// (test/vendor/conformance/protocols, format in its README) through a Protocol module.
//
// Schemas come from codegen/schema.ts (SchemaBuilder, serviceSchema) exactly as the
// generator builds them, and modeled errors are real `errorClass` classes. Case params are
// turned into runtime values by walking the input shape (UTF-8 strings -> Uint8Array
// blobs, epoch seconds -> Date, "NaN"/"Infinity" -> numbers); outputs are normalised back
// the other way (Date -> epoch seconds, bytes and streams -> UTF-8 text, non-finite
// numbers -> their names, event streams -> arrays of events, `$unknown` union members ->
// botocore's SDK_UNKNOWN_MEMBER form) and deep-compared. Output cases whose operation has an
// event stream decode their base64 body as event-stream frames, as the client does
// (protocol.parse, then runtime/eventstream.ts readEventStreamOutput). Request comparison: method; path exactly
// (after the endpoint's own path); query parameters as a multiset in which the order of
// repeated keys matters; headers by case-insensitive name; forbid/require headers; host
// with host prefix; bodies by format (parsed JSON, canonical XML without inter-element
// whitespace, form pairs, decoded CBOR, else bytes).
import { prepareBody } from "../../runtime/request-body.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import { SchemaBuilder, serviceSchema } from "../../codegen/schema.js";
import type { BotoMemberRef, BotoMetadata, BotoOperation, BotoShape } from "../../codegen/model.js";
import { errorClass } from "../../runtime/errors.js";
import { fromBase64, fromUtf8, utf8, concatBytes } from "../../runtime/encoding.js";
import type { RequestBody, ResponseBody } from "../../runtime/http/types.js";
import type {
  ErrorClassLike,
  ListShape,
  MapShape,
  Member,
  OperationSchema,
  ScalarShape,
  ServiceSchema,
  Shape,
  StructureShape,
} from "../../runtime/schema.js";
import { kind, scalarTraits, target } from "../../runtime/schema.js";
import type { Protocol, ReceivedResponse, SerializedRequest } from "../../runtime/protocols/types.js";
import { PROTOCOL_MODULES } from "./modules.js";
import { eventStreamMember, readEventStreamOutput } from "../../runtime/eventstream.js";
import { loadXmlParser } from "../../runtime/protocols/xml.js";

// The XML parser is imported on first use (xml.ts loadXmlParser); the client awaits it, these tests call parsers directly.
await loadXmlParser();

export const PROTOCOLS_DIR = new URL("../vendor/conformance/protocols/", import.meta.url);

export const STUB_UUID = "00000000-0000-4000-8000-000000000000";

// ---------------------------------------------------------------------------------------
// Suite data

export interface Serialized {
  method?: string;
  uri: string;
  body?: string;
  headers?: Record<string, string>;
  forbidHeaders?: string[];
  requireHeaders?: string[];
  host?: string;
}

export interface InputCase {
  id?: string;
  description?: string;
  given: BotoOperation;
  params?: Record<string, unknown>;
  serialized: Serialized;
}

export interface OutputCase {
  id?: string;
  description?: string;
  given: BotoOperation;
  response: { status_code: number; headers?: Record<string, string>; body?: string };
  result?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
  error?: Record<string, unknown>;
}

export interface Suite<C = InputCase | OutputCase> {
  description: string;
  metadata: BotoMetadata;
  shapes: Record<string, BotoShape>;
  clientEndpoint?: string;
  cases: C[];
}

export type Direction = "input" | "output";

/** One case of a suite file, with its stable key (`file:id`, or `file:suite:case` for legacy files). */
export interface CaseRef {
  /** Path relative to the protocols folder, e.g. `input/rest-json.json` or `legacy/output/json.json`. */
  file: string;
  direction: Direction;
  key: string;
  /** The case `id`, or `suite:case` positions when there is none. */
  name: string;
  suite: Suite;
  suiteIndex: number;
  caseIndex: number;
  case: InputCase | OutputCase;
}

export function loadSuites(file: string): Suite[] {
  const path = new URL(file, PROTOCOLS_DIR);
  if (!existsSync(path)) throw new Error(`conformance suite ${file} is missing`);
  return JSON.parse(readFileSync(path, "utf8")) as Suite[];
}

export function listCases(file: string): CaseRef[] {
  const direction: Direction = /(^|\/)input\//.test(file) ? "input" : "output";
  const out: CaseRef[] = [];
  loadSuites(file).forEach((suite, suiteIndex) => {
    suite.cases.forEach((c, caseIndex) => {
      const name = c.id ?? `${suiteIndex}:${caseIndex}`;
      out.push({ file, direction, key: `${file}:${name}`, name, suite, suiteIndex, caseIndex, case: c });
    });
  });
  return out;
}

/** The protocol a suite runs through, chosen as botocore chooses (`metadata.protocols` priority). */
export function protocolOf(suite: Suite): string {
  return serviceSchema({ metadata: suite.metadata }).p;
}

const protocolCache = new Map<string, Promise<Protocol>>();

export function loadProtocol(name: string): Promise<Protocol> {
  let p = protocolCache.get(name);
  if (!p) {
    const path = PROTOCOL_MODULES[name];
    if (!path) return Promise.reject(new Error(`no protocol module is registered for ${name}`));
    p = import(new URL(path.replace(/\.js$/, ".ts"), import.meta.url).href).then((m: { protocol?: Protocol }) => {
      if (!m.protocol) throw new Error(`${path} does not export \`protocol\``);
      return m.protocol;
    });
    protocolCache.set(name, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------
// Schemas

interface SuiteSchemas {
  builder: SchemaBuilder;
  service: ServiceSchema;
}

const schemaCache = new WeakMap<Suite, SuiteSchemas>();

function suiteSchemas(suite: Suite): SuiteSchemas {
  let s = schemaCache.get(suite);
  if (!s) {
    const base = serviceSchema({ metadata: suite.metadata });
    const builder = new SchemaBuilder(suite.shapes, { protocol: base.p });
    // Every exception shape of the suite registers its class, as a generated module does.
    const ex: Record<string, ErrorClassLike> = Object.create(null) as Record<string, ErrorClassLike>;
    for (const [name, shape] of Object.entries(suite.shapes)) {
      if (shape.exception) errorClass(name, builder.shape(name) as StructureShape, ex);
    }
    s = { builder, service: { ...base, ex } };
    schemaCache.set(suite, s);
  }
  return s;
}

export interface BuiltCase {
  service: ServiceSchema;
  op: OperationSchema;
  errors: ErrorClassLike[];
}

/** Service and operation schemas for a case, with modeled errors as `errorClass` classes. */
export function buildCase(ref: CaseRef): BuiltCase {
  const { builder, service } = suiteSchemas(ref.suite);
  const given = ref.case.given;
  // Output cases of the legacy files carry no `http`; the operation still needs one.
  const op = builder.operation(given.http ? given : { ...given, http: { method: "POST", requestUri: "/" } });
  const errors = (given.errors ?? []).map(
    (e: BotoMemberRef) => service.ex?.[e.shape] ?? (errorClass(e.shape, builder.shape(e.shape) as StructureShape) as unknown as ErrorClassLike),
  );
  return { service, op: errors.length ? { ...op, e: errors } : op, errors };
}

// ---------------------------------------------------------------------------------------
// Values

/** Case params -> runtime input values, by walking the shape. */
export function toRuntimeValue(member: Member, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const shape = target(member);
  switch (kind(shape)) {
    case 4:
      return typeof value === "string" ? utf8(value) : value;
    case 5:
      return typeof value === "number" ? new Date(Math.round(value * 1000)) : value;
    case 3:
      if (value === "NaN") return NaN;
      if (value === "Infinity") return Infinity;
      if (value === "-Infinity") return -Infinity;
      return value;
    case 8:
      return toRuntimeStructure(shape as StructureShape, value as Record<string, unknown>);
    case 9:
      return (value as unknown[]).map((v) => toRuntimeValue((shape as ListShape).m, v));
    case 10: {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        out[k] = toRuntimeValue((shape as MapShape).v, v);
      return out;
    }
    default:
      return value;
  }
}

export function toRuntimeStructure(
  shape: StructureShape | undefined,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const member = shape?.m[k];
    out[k] = member === undefined ? v : toRuntimeValue(member, v);
  }
  return out;
}

function isResponseBody(v: unknown): v is ResponseBody {
  return typeof v === "object" && v !== null && typeof (v as ResponseBody).transformToByteArray === "function";
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

/**
 * Runtime output values -> the suites' JSON forms (Date -> epoch seconds, bytes -> UTF-8,
 * NaN -> "NaN", an event stream -> the array of its events).
 *
 * Unknown union members: tsaws (as AWS SDK v3) reads a union member it does not know as
 * `{ $unknown: [name, value] }`; botocore reads it as `{ SDK_UNKNOWN_MEMBER: { name } }` and
 * drops the value. The two say the same thing, so `$unknown` is mapped to botocore's form
 * here (a representation mapping only: the name is compared, the raw value is not).
 */
export async function normalize(value: unknown): Promise<unknown> {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return fromUtf8(value);
  if (isResponseBody(value)) return fromUtf8(await value.transformToByteArray());
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return Promise.all(value.map(normalize));
  if (isAsyncIterable(value)) {
    const events: unknown[] = [];
    for await (const e of value) events.push(await normalize(e));
    return events;
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (k === "$unknown" && Array.isArray(v) && typeof v[0] === "string") out.SDK_UNKNOWN_MEMBER = { name: v[0] };
      else out[k] = await normalize(v);
    }
    return out;
  }
  return value;
}

/** A ResponseBody over bytes already in memory. */
export function bytesResponseBody(bytes: Uint8Array): ResponseBody {
  let used = false;
  const take = () => {
    if (used) throw new Error("response body already read");
    used = true;
    return bytes;
  };
  return {
    async transformToByteArray() {
      return take();
    },
    async transformToString() {
      return fromUtf8(take());
    },
    transformToWebStream() {
      const b = take();
      return new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(b);
          c.close();
        },
      });
    },
    async cancel() {
      used = true;
    },
    async *[Symbol.asyncIterator]() {
      yield take();
    },
  };
}

export async function requestBodyBytes(body: RequestBody | undefined): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array(0);
  if (typeof body === "string") return utf8(body);
  if (body instanceof Uint8Array) return body;
  if (typeof Blob !== "undefined" && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  const parts: Uint8Array[] = [];
  if (typeof ReadableStream !== "undefined" && body instanceof ReadableStream) {
    const reader = body.getReader();
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      parts.push(r.value);
    }
    return concatBytes(parts);
  }
  for await (const chunk of body as AsyncIterable<Uint8Array>) parts.push(chunk);
  return concatBytes(parts);
}

// ---------------------------------------------------------------------------------------
// Comparisons

/** Upper-cases the hex digits of percent escapes (`%2f` and `%2F` are the same octet). */
function normalizeEscapes(s: string): string {
  return s.replace(/%[0-9a-fA-F]{2}/g, (m) => m.toUpperCase());
}

/** Pairs of an encoded query/form string; a bare `name` is `[name, ""]`. */
export function parsePairs(text: string): [string, string][] {
  if (text === "") return [];
  return text.split("&").map((part) => {
    const eq = part.indexOf("=");
    const pair: [string, string] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    return [normalizeEscapes(pair[0]), normalizeEscapes(pair[1])];
  });
}

/** Pairs grouped by key (keys sorted, values in their original order): order of different keys does not matter. */
export function groupPairs(pairs: readonly (readonly [string, string])[]): [string, string[]][] {
  const map = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    const list = map.get(k);
    if (list) list.push(v);
    else map.set(k, [v]);
  }
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const xmlParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: true,
});

type XmlNode = Record<string, unknown>;

function canonicalXmlNodes(nodes: XmlNode[]): unknown[] {
  const hasElements = nodes.some((n) => !("#text" in n));
  const out: unknown[] = [];
  for (const node of nodes) {
    if ("#text" in node) {
      const text = String(node["#text"]);
      if (hasElements && text.trim() === "") continue; // whitespace between elements
      out.push({ "#text": text });
      continue;
    }
    const name = Object.keys(node).find((k) => k !== ":@")!;
    const attrs = (node[":@"] ?? {}) as Record<string, unknown>;
    const sortedAttrs = Object.fromEntries(Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : 1)));
    out.push({ name, attrs: sortedAttrs, children: canonicalXmlNodes((node[name] ?? []) as XmlNode[]) });
  }
  return out;
}

/** XML as a comparable tree: element order kept, attributes sorted, whitespace between elements dropped. */
export function canonicalXml(text: string): unknown {
  return canonicalXmlNodes(xmlParser.parse(text) as XmlNode[]);
}

let cborDecoder: Promise<((bytes: Uint8Array) => unknown) | undefined> | undefined;

function loadCborDecoder(): Promise<((bytes: Uint8Array) => unknown) | undefined> {
  const url = new URL("../../runtime/protocols/cbor.ts", import.meta.url);
  cborDecoder ??= existsSync(url)
    ? import(url.href).then((m: { decodeCbor?: (b: Uint8Array) => unknown }) => m.decodeCbor)
    : Promise.resolve(undefined);
  return cborDecoder;
}

async function compareBody(
  protocol: string,
  expected: string,
  actualBytes: Uint8Array,
  contentType: string,
): Promise<void> {
  if (expected === "") {
    assert.equal(fromUtf8(actualBytes), "", "body should be empty");
    return;
  }
  if (protocol === "smithy-rpc-v2-cbor" || contentType.includes("cbor")) {
    const decode = await loadCborDecoder();
    if (!decode) throw new Error("runtime/protocols/cbor.ts (decodeCbor) is not available yet");
    assert.deepEqual(decode(actualBytes), decode(fromBase64(expected)), "CBOR body");
    return;
  }
  const actual = fromUtf8(actualBytes);
  if (contentType.includes("json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(actual);
    } catch {
      assert.fail(`body is not JSON: ${actual.slice(0, 200)}`);
    }
    assert.deepEqual(parsed, JSON.parse(expected), "JSON body");
    return;
  }
  if (contentType.includes("xml") || (expected.trimStart().startsWith("<") && actual.trimStart().startsWith("<"))) {
    assert.deepEqual(
      canonicalXml(actual),
      canonicalXml(expected),
      `XML body\nactual:   ${actual}\nexpected: ${expected}`,
    );
    return;
  }
  if (contentType.includes("x-www-form-urlencoded")) {
    assert.deepEqual(
      groupPairs(parsePairs(actual)),
      groupPairs(parsePairs(expected)),
      `form body\nactual:   ${actual}\nexpected: ${expected}`,
    );
    return;
  }
  assert.equal(actual, expected, "body");
}

function headerLookup(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Running cases

/** Serializes an input case and compares the request with `serialized`. Throws on a mismatch. */
export async function runInputCase(protocol: Protocol, ref: CaseRef): Promise<SerializedRequest> {
  const c = ref.case as InputCase;
  const { service, op } = buildCase(ref);
  const input = toRuntimeStructure(op.i, c.params ?? {});
  const request = protocol.serialize(service, op, input, { uuid: () => STUB_UUID });
  // The client's body stage (compression, Content-MD5/checksums) runs as in a real call; the
  // Smithy compression cases use tiny bodies, so the minimum size is 0 here.
  const body = await prepareBody(op, { requestMinCompressionSizeBytes: 0 }, request.headers, request.body, input);
  if (body === undefined) delete request.body;
  else request.body = body;
  const expected = c.serialized;

  for (const name of Object.keys(request.headers)) {
    assert.equal(name, name.toLowerCase(), `header names must be lower case (${name})`);
  }
  if (expected.method !== undefined) assert.equal(request.method, expected.method, "method");

  const endpoint = new URL(ref.suite.clientEndpoint ?? "https://example.com");
  const basePath = endpoint.pathname.replace(/\/+$/, "");
  const q = expected.uri.indexOf("?");
  const expectedPath = q < 0 ? expected.uri : expected.uri.slice(0, q);
  const expectedQuery = q < 0 ? "" : expected.uri.slice(q + 1);
  assert.equal(normalizeEscapes(basePath + request.path), normalizeEscapes(expectedPath), "path");
  const actualPairs = request.query.map(([k, v]) => [normalizeEscapes(k), normalizeEscapes(v)] as [string, string]);
  assert.deepEqual(groupPairs(actualPairs), groupPairs(parsePairs(expectedQuery)), "query parameters");

  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    let actual = headerLookup(request.headers, name);
    // The current query/ec2 suites expect `application/x-www-form-urlencoded` while the legacy
    // ones expect `...; charset=utf-8` (what botocore sends): when the expected Content-Type
    // has no parameters, only the media type is compared.
    if (name.toLowerCase() === "content-type" && !value.includes(";") && actual !== undefined) {
      actual = actual.split(";")[0]!.trim();
    }
    assert.equal(actual, value, `header ${name}`);
  }
  for (const name of expected.forbidHeaders ?? []) {
    assert.equal(headerLookup(request.headers, name), undefined, `header ${name} must be absent`);
  }
  for (const name of expected.requireHeaders ?? []) {
    assert.notEqual(headerLookup(request.headers, name), undefined, `header ${name} must be present`);
  }
  if (expected.host !== undefined) {
    assert.equal((request.hostPrefix ?? "") + endpoint.host + basePath, expected.host, "host");
  }
  if (expected.body !== undefined) {
    const bytes = await requestBodyBytes(request.body);
    await compareBody(service.p, expected.body, bytes, request.headers["content-type"] ?? "");
  }
  return request;
}

function streamingPayload(shape: StructureShape | undefined): boolean {
  if (eventStreamMember(shape) !== undefined) return true;
  if (!shape?.p) return false;
  const member = shape.m[shape.p];
  return member !== undefined && !!(scalarTraits(target(member)) as ScalarShape).st;
}

/** Builds the ReceivedResponse of an output case (headers lower-cased; CBOR bodies are base64). */
export function receivedResponse(ref: CaseRef, service: ServiceSchema, op: OperationSchema): ReceivedResponse {
  const c = ref.case as OutputCase;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.response.headers ?? {})) headers[k.toLowerCase()] = v;
  const text = c.response.body ?? "";
  const isError = c.errorCode !== undefined;
  // CBOR bodies and event-stream bodies (binary frames) are base64 in the suites.
  const binary = service.p === "smithy-rpc-v2-cbor" || (!isError && eventStreamMember(op.o) !== undefined);
  const bytes = binary ? fromBase64(text) : utf8(text);
  if (!isError && streamingPayload(op.o)) {
    return { statusCode: c.response.status_code, headers, body: new Uint8Array(0), stream: bytesResponseBody(bytes) };
  }
  return { statusCode: c.response.status_code, headers, body: bytes };
}

/** Parses an output case's response and compares with `result` or the expected error. Throws on a mismatch. */
export async function runOutputCase(protocol: Protocol, ref: CaseRef): Promise<void> {
  const c = ref.case as OutputCase;
  const { service, op, errors } = buildCase(ref);
  const response = receivedResponse(ref, service, op);
  if (c.errorCode !== undefined) {
    const parsed = protocol.parseError(service, op, response);
    assert.equal(parsed.code, c.errorCode, "error code");
    if (c.errorMessage !== undefined) assert.equal(parsed.message, c.errorMessage, "error message");
    const modeled = errors.find((e) => e.$s.er?.[0] === c.errorCode) ?? errors.find((e) => e.$s.n === c.errorCode);
    if (modeled) assert.equal(parsed.errorClass, modeled, "modeled error class");
    if (c.error !== undefined) assert.deepEqual(await normalize(parsed.fields), c.error, "error members");
    return;
  }
  const output = protocol.parse(service, op, response);
  if (response.stream && eventStreamMember(op.o) !== undefined) {
    await readEventStreamOutput(protocol, service, op, response, output, () => ({
      httpStatusCode: response.statusCode,
      attempts: 1,
      totalRetryDelay: 0,
    }));
  }
  assert.deepEqual(await normalize(output), c.result ?? {}, "parsed output");
}

/** Cases the botocore test runner does not run (informational only: they still run here). */
export function botocoreIgnored(): (ref: CaseRef) => boolean {
  const list = JSON.parse(readFileSync(new URL("botocore-ignore-list.json", PROTOCOLS_DIR), "utf8")) as {
    general: { input: { suites: string[] } };
    protocols: Record<string, { input?: { cases: string[] }; output?: { cases: string[] } }>;
  };
  return (ref) => {
    if (ref.direction === "input" && list.general.input.suites.includes(ref.suite.description)) return true;
    const base = ref.file.replace(/^.*\//, "").replace(/\.json$/, "");
    const ids = list.protocols[base]?.[ref.direction]?.cases ?? [];
    return !ref.file.startsWith("legacy/") && ref.case.id !== undefined && ids.includes(ref.case.id);
  };
}

export type { Shape };
