// The schema-walking JSON codec shared by awsJson 1.0/1.1 and rest-json (botocore's
// JSONSerializer/BaseJSONParser). Writing produces compact JSON text directly (so
// bigInteger/bigDecimal strings become exact number literals); reading takes the value
// from JSON.parse and converts it by shape. One table per direction maps every shape
// kind to its handler (`Record<kind, ...>`); lists and maps share one handler per
// direction (a list is a map whose keys are its indices, written without them).
//
// Wire rules: member keys are the member's wire name (`n`, botocore's locationName /
// Smithy's jsonName); timestamps are epoch seconds unless the model says otherwise
// (fractional seconds allowed both ways); blobs are base64; non-finite floats are the
// strings "NaN"/"Infinity"/"-Infinity"; documents travel as they are; a union writes its
// one set member. Dense lists and maps drop nulls, sparse ones keep them. Unknown
// members and `__type` are ignored when reading, except that a union with no known member
// set reads its first unknown one as `{ $unknown: [wireName, rawJsonValue] }` (forward
// compatible, as AWS SDK v3). bigInteger/bigDecimal are written exactly from their strings,
// but read through JSON.parse, so digits beyond double precision are lost (no model uses
// them yet). The error helpers at the bottom resolve the error code (X-Amzn-Errortype,
// `code`, `__type`, or the awsQueryCompatible `x-amzn-query-error` header) and match it to
// a modeled error class.
//
// Hot path: each structure's members are listed once (wire name, quoted JSON key, target
// shape and kind) in a plan kept per shape object, so a call does no trait lookups, and a
// union (DynamoDB's AttributeValue) visits only the keys actually present, not every member.
import { RequestFormError, ResponseParseError } from "../errors.js";
import { fromBase64, fromUtf8, toBase64, toBytes } from "../encoding.js";
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
} from "../schema.js";
import { kind, scalarTraits, target, traits } from "../schema.js";
import type { BodyCodec } from "./http-binding.js";
import { formatTimestamp, readFloat, readTimestamp } from "./shared.js";
import type { ParsedError, ReceivedResponse } from "./types.js";

type Kind = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

function absent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

// ---------------------------------------------------------------------------------------
// Per-structure plans

interface Field {
  readonly name: string;
  readonly member: Member;
  /** The wire name (`n` trait, else the member name). */
  readonly wire: string;
  /** `"wire":`, the JSON text that starts the member. */
  readonly key: string;
  readonly shape: Shape;
  readonly kind: Kind;
}

interface StructurePlan {
  /** Members in model order. */
  readonly fields: readonly Field[];
  readonly byName: ReadonlyMap<string, Field>;
  /** The first member of each wire name. */
  readonly byWire: ReadonlyMap<string, Field>;
}

const structurePlans = new WeakMap<StructureShape, StructurePlan>();

function planOf(shape: StructureShape): StructurePlan {
  let plan = structurePlans.get(shape);
  if (plan === undefined) {
    const fields: Field[] = [];
    const byName = new Map<string, Field>();
    const byWire = new Map<string, Field>();
    for (const name of Object.keys(shape.m)) {
      const member = shape.m[name]!;
      const wire = traits(member).n ?? name;
      const t = target(member);
      const field: Field = { name, member, wire, key: `${JSON.stringify(wire)}:`, shape: t, kind: kind(t) as Kind };
      fields.push(field);
      byName.set(name, field);
      if (!byWire.has(wire)) byWire.set(wire, field);
    }
    structurePlans.set(shape, (plan = { fields, byName, byWire }));
  }
  return plan;
}

// ---------------------------------------------------------------------------------------
// Writing

/** Converts one value of a shape kind, given its member and target shape. */
type Handler<T> = (value: unknown, member: Member, shape: Shape) => T;

/** Runs the handler for the member's shape kind (WRITERS: to JSON text; READERS: from parsed JSON). */
function byShape<T>(handlers: Record<Kind, Handler<T>>, member: Member, value: unknown): T {
  const shape = target(member);
  return handlers[kind(shape) as Kind](value, member, shape);
}

/** The error for an input value of the wrong type (its type only: values may be sensitive). */
function formError(expected: string, value: unknown): RequestFormError {
  return new RequestFormError(`expected ${expected}, got ${typeof value}`);
}

const NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A number, or a string holding one. Floats may also be NaN or infinite (a number, the
 * "NaN" string, or text such as "Infinity" or "1e999"), written as their JSON strings.
 */
function writeNumber(value: unknown, float: boolean): string {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n === "number") {
    if (Number.isFinite(n)) return String(n);
    if (float && (!Number.isNaN(n) || typeof value === "number" || value === "NaN")) return `"${n}"`;
  }
  throw formError("a number", value);
}

/** A list (`[items]`) or a map (`{"key":value}`); nulls are dropped unless the shape is sparse. */
function writeCollection(value: unknown, shape: ListShape | MapShape): string {
  const list = shape.t === 9;
  if (list ? !Array.isArray(value) : typeof value !== "object" || value === null)
    throw formError(list ? "a list" : "a map", value);
  const items = value as Record<string, unknown>;
  const keys = list ? undefined : Object.keys(items);
  const member = list ? shape.m : shape.v;
  const n = keys ? keys.length : (value as unknown[]).length;
  let out = "";
  for (let i = 0; i < n; i++) {
    const key = keys ? keys[i]! : i;
    const item = items[key];
    if (absent(item) && !shape.sp) continue;
    out += (out === "" ? "" : ",") + (keys ? `${JSON.stringify(key)}:` : "");
    out += absent(item) ? "null" : byShape(WRITERS, member, item);
  }
  return list ? `[${out}]` : `{${out}}`;
}

/** JSON text of a value, by shape kind. */
const WRITERS: Record<Kind, Handler<string>> = {
  0: (v, m, s) => {
    if (typeof v === "string") return JSON.stringify(v);
    if (traits(m).j || (scalarTraits(s) as ScalarShape).j) return JSON.stringify(JSON.stringify(v));
    if (typeof v === "number" || typeof v === "boolean") return `"${v}"`;
    throw formError("a string", v);
  },
  1: (v) => {
    if (typeof v === "boolean" || v === "true" || v === "false") return String(v);
    throw formError("a boolean", v);
  },
  2: (v) => writeNumber(v, false),
  3: (v) => writeNumber(v, true),
  4: (v) => {
    if (typeof v === "string" || v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return `"${toBase64(toBytes(v))}"`;
    throw formError("bytes", v);
  },
  5: (v, m, s) => {
    const format = traits(m).tf ?? (scalarTraits(s) as ScalarShape).tf ?? "unixTimestamp";
    const text = formatTimestamp(v, format);
    return format === "unixTimestamp" ? text : `"${text}"`;
  },
  6: (v) => JSON.stringify(v) ?? "null",
  7: (v) => {
    const text = String(v).trim(); // a bigint, a number or a string
    if (!NUMBER_RE.test(text)) throw new RequestFormError("expected a decimal number string");
    return text;
  },
  8: (v, _m, s) => writeStructure(s as StructureShape, v as Record<string, unknown>),
  9: (v, _m, s) => writeCollection(v, s as ListShape),
  10: (v, _m, s) => writeCollection(v, s as MapShape),
};

/**
 * JSON text of a structure (or union); with `members`, only those members are written
 * (rest-json leaves out the HTTP-bound ones). Absent members are left out.
 */
export function writeStructure(
  shape: StructureShape,
  value: Record<string, unknown>,
  members?: readonly string[],
): string {
  if (typeof value !== "object" || value === null) throw formError("a structure", value);
  const plan = planOf(shape);
  // The fields to visit: the given members, else a union's present keys (only those can be
  // its member; unknown keys are ignored), else every member in model order.
  const names = members ?? (shape.u ? Object.keys(value) : undefined);
  const n = names ? names.length : plan.fields.length;
  let out = "";
  let count = 0;
  for (let i = 0; i < n; i++) {
    const f = names ? plan.byName.get(names[i]!) : plan.fields[i];
    if (f === undefined) continue;
    const v = value[f.name];
    if (absent(v)) continue;
    out += (count++ === 0 ? "" : ",") + f.key + WRITERS[f.kind](v, f.member, f.shape);
  }
  if (shape.u && count > 1) throw new RequestFormError("a union must have exactly one member set");
  return `{${out}}`;
}

// ---------------------------------------------------------------------------------------
// Reading

function typeError(expected: string, value: unknown): TypeError {
  return new TypeError(`expected ${expected} in JSON, got ${value === null ? "null" : typeof value}`);
}

/** A JSON value of the given type, as it is. */
function readAs(type: "string" | "boolean" | "number", v: unknown): unknown {
  if (typeof v === type) return v;
  throw typeError(`a ${type}`, v);
}

/** A list or map from JSON; nulls are dropped unless the shape is sparse. */
function readCollection(value: unknown, shape: ListShape | MapShape): unknown {
  const list = shape.t === 9;
  if (typeof value !== "object" || value === null || Array.isArray(value) !== list)
    throw typeError(list ? "an array" : "an object", value);
  const items = value as Record<string, unknown>;
  const keys = list ? undefined : Object.keys(items);
  const member = list ? shape.m : shape.v;
  const n = keys ? keys.length : (value as unknown[]).length;
  const out: unknown[] | Record<string, unknown> = list ? [] : {};
  for (let i = 0; i < n; i++) {
    const key = keys ? keys[i]! : i;
    const item = items[key];
    if (item === null && !shape.sp) continue;
    const v = item === null ? null : byShape(READERS, member, item);
    if (keys) (out as Record<string, unknown>)[key] = v;
    else (out as unknown[]).push(v);
  }
  return out;
}

/** A parsed JSON value converted by shape kind. */
const READERS: Record<Kind, Handler<unknown>> = {
  0: (v) => readAs("string", v),
  1: (v) => readAs("boolean", v),
  2: (v) => readAs("number", v),
  3: (v) => readFloat(v),
  4: (v) => {
    if (typeof v === "string") return fromBase64(v);
    throw typeError("a base64 string", v);
  },
  5: (v) => readTimestamp(v),
  6: (v) => v,
  7: (v) => {
    if (typeof v === "number" || typeof v === "string") return String(v);
    throw typeError("a number", v);
  },
  8: (v, _m, s) => readStructure(s as StructureShape, v),
  9: (v, _m, s) => readCollection(v, s as ListShape),
  10: (v, _m, s) => readCollection(v, s as MapShape),
};

/** Converts a parsed JSON object into a structure's members; unknown keys and nulls are skipped. */
export function readStructure(
  shape: StructureShape,
  value: unknown,
  members?: readonly string[],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw typeError("an object", value);
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const plan = planOf(shape);
  // The fields to visit: the given members (by name), else a union's present keys (by wire
  // name: one, normally, instead of every member), else every member.
  const union = shape.u && !members;
  const names = members ?? (union ? Object.keys(obj) : undefined);
  const n = names ? names.length : plan.fields.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const f = names ? (union ? plan.byWire : plan.byName).get(names[i]!) : plan.fields[i];
    if (f === undefined) continue;
    const v = obj[f.wire];
    if (absent(v)) continue;
    out[f.name] = READERS[f.kind](v, f.member, f.shape);
    count++;
  }
  if (union && count === 0) {
    for (const key of names!) {
      if (key !== "__type" && obj[key] !== null && !plan.byWire.has(key)) return { $unknown: [key, obj[key]] };
    }
  }
  return out;
}

/** Parses JSON text; text that is not JSON throws ResponseParseError carrying the status code. */
function parseJsonText(text: string, statusCode: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ResponseParseError(`response body is not valid JSON (HTTP ${statusCode})`, statusCode, { cause });
  }
}

/**
 * Reads a JSON response body with `read`; an empty (or all-whitespace) body is `empty`.
 * Text that is not JSON, or JSON that does not fit the model, throws ResponseParseError.
 */
export function readJsonBody<T>(body: Uint8Array, statusCode: number, empty: T, read: (json: unknown) => T): T {
  const text = fromUtf8(body);
  if (text.trim() === "") return empty;
  const json = parseJsonText(text, statusCode);
  return convertResponse(statusCode, () => read(json));
}

/** Runs a shape conversion, turning type mismatches into ResponseParseError. */
export function convertResponse<T>(statusCode: number, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (cause instanceof ResponseParseError) throw cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ResponseParseError(`response body does not match the model: ${why} (HTTP ${statusCode})`, statusCode, {
      cause,
    });
  }
}

/** The rest-json body codec: a JSON object of the body members; payloads as JSON. */
export const jsonBodyCodec: BodyCodec = {
  contentType: "application/json",
  writeBody(input, value, members) {
    return writeStructure(input, value, members);
  },
  writePayload(member, _name, value) {
    const shape = target(member);
    if (value === undefined) {
      // An unset structure payload is an empty object; an unset union or document is no body.
      return kind(shape) === 8 && !(shape as StructureShape).u ? "{}" : undefined;
    }
    return byShape(WRITERS, member, value);
  },
  readBody(shape, body, members, statusCode) {
    return readJsonBody(body, statusCode, {}, (json) => readStructure(shape, json, members));
  },
  readPayload(member, _name, body, statusCode) {
    return readJsonBody<unknown>(body, statusCode, undefined, (json) => byShape(READERS, member, json));
  },
};

// ---------------------------------------------------------------------------------------
// Errors (awsJson and rest-json)

/** `aws.protocoltests#FooError:http://internal...` -> `FooError`. */
export function sanitizeErrorCode(raw: string): string {
  const code = raw.split(":")[0]!;
  return code.slice(code.indexOf("#") + 1).trim();
}

/**
 * The modeled error whose wire code (`er[0]`) or shape name is `code`: the operation's own
 * first, else any error of the service (`ex`), as botocore and AWS SDK v3 match them.
 */
export function findErrorClass(service: ServiceSchema, op: OperationSchema, code: string): ErrorClassLike | undefined {
  const classes = (op.e ?? []).map((e) => ("$s" in e ? e : (e as () => ErrorClassLike)()));
  return classes.find((c) => c.$s.er?.[0] === code) ?? classes.find((c) => c.$s.n === code) ?? service.ex?.[code];
}

/** The first of `keys` whose value in the body is a string. */
function stringField(body: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = body?.[key];
    if (typeof v === "string") return v;
  }
  return undefined;
}

/**
 * Parses a JSON-family error response. `readFields` reads the matched error's members
 * (awsJson: body only; rest-json: body plus HTTP-bound members).
 *
 * Code resolution: `x-amzn-query-error` ("Code;Sender", awsQueryCompatible services
 * only), then the X-Amzn-Errortype header, then the body's `code`, `__type` or `Code`.
 * A body that starts like JSON but does not parse is a ResponseParseError. A body that is
 * not JSON at all (an HTML page from a proxy or load balancer) is not an error of the
 * service's protocol: it becomes a ParsedError whose code is `Http<status>` (e.g.
 * `Http502`) unless a header names the code, so retry logic still sees the status.
 */
export function parseJsonError(
  service: ServiceSchema,
  op: OperationSchema,
  response: ReceivedResponse,
  readFields: (shape: StructureShape, body: Record<string, unknown>) => Record<string, unknown>,
): ParsedError {
  const status = response.statusCode;
  const raw = fromUtf8(response.body);
  const text = raw.trim();
  // Text that starts like JSON must parse; only an object (text starting with `{`) is a body.
  const json = /^[{[]/.test(text) ? parseJsonText(raw, status) : undefined;
  const body = text.startsWith("{") ? (json as Record<string, unknown>) : undefined;
  let code: string | undefined;
  let type: string | undefined;
  const query = service.qc ? response.headers["x-amzn-query-error"] : undefined;
  if (query) {
    const [, queryCode, queryType] = /^([^;]*);?(.*)$/s.exec(query)!;
    code = queryCode!.trim() || undefined;
    type = queryType!.trim() || undefined;
  }
  const named = code ?? (response.headers["x-amzn-errortype"] || undefined) ?? stringField(body, "code", "__type", "Code");
  code = (named === undefined ? "" : sanitizeErrorCode(named)) || `Http${status}`;

  const errorClass = findErrorClass(service, op, code);
  const parsed: ParsedError = { code, fields: {} };
  const message = stringField(body, "message", "Message", "errorMessage");
  if (message !== undefined) parsed.message = message;
  if (type !== undefined) parsed.type = type;
  if (body === undefined && text !== "" && named === undefined) {
    parsed.message = `HTTP ${status} response with a body that is not JSON`;
  }
  if (errorClass) {
    parsed.errorClass = errorClass;
    parsed.fields = convertResponse(status, () => readFields(errorClass.$s, body ?? {}));
  }
  return parsed;
}
