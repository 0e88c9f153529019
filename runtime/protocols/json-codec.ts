// The schema-walking JSON codec shared by awsJson 1.0/1.1 and rest-json (botocore's
// JSONSerializer/BaseJSONParser). Writing produces compact JSON text directly (so
// bigInteger/bigDecimal strings become exact number literals); reading takes the value
// from JSON.parse and converts it by shape. One table per direction maps every shape
// kind to its handler (`Record<kind, ...>`).
//
// Wire rules: member keys are the member's wire name (`n`, botocore's locationName /
// Smithy's jsonName); timestamps are epoch seconds unless the model says otherwise
// (fractional seconds allowed both ways); blobs are base64; non-finite floats are the
// strings "NaN"/"Infinity"/"-Infinity"; documents travel as they are; a union writes its
// one set member. Dense lists and maps drop nulls, sparse ones keep them. Unknown
// members and `__type` are ignored when reading, except that a union with no known member
// set reads its first unknown one as `{ $unknown: [wireName, rawJsonValue] }` (forward
// compatible, as AWS SDK v3). bigInteger/bigDecimal are written exactly from their strings, but read
// through JSON.parse, so digits beyond double precision are lost (no model uses them yet). The error helpers at the bottom resolve
// the error code (X-Amzn-Errortype, `code`, `__type`, or the awsQueryCompatible
// `x-amzn-query-error` header) and match it to a modeled error class.
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
  TimestampFormat,
} from "../schema.js";
import { kind, scalarTraits, target, traits } from "../schema.js";
import type { BodyCodec } from "./http-binding.js";
import {
  formatHttpDate,
  formatIso8601,
  jsonFloat,
  readFloat,
  readTimestamp,
  toDate,
  toEpochSeconds,
} from "./shared.js";
import type { ParsedError, ReceivedResponse } from "./types.js";

type Kind = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

function absent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

function timestampFormat(member: Member): TimestampFormat {
  return traits(member).tf ?? (scalarTraits(target(member)) as ScalarShape).tf ?? "unixTimestamp";
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
  readonly byWire: ReadonlyMap<string, Field>;
}

const structurePlans = new WeakMap<StructureShape, StructurePlan>();

function planOf(shape: StructureShape): StructurePlan {
  let plan = structurePlans.get(shape);
  if (plan !== undefined) return plan;
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
  plan = { fields, byName, byWire };
  structurePlans.set(shape, plan);
  return plan;
}

// ---------------------------------------------------------------------------------------
// Writing

type Writer = (value: unknown, member: Member, shape: Shape) => string;

const NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function writeNumber(value: unknown): string {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n))
    throw new RequestFormError(`expected a number, got ${typeof value}`);
  return String(n);
}

const WRITERS: Record<Kind, Writer> = {
  0: (v, m) => {
    if (typeof v === "string") return JSON.stringify(v);
    if (traits(m).j || (scalarTraits(target(m)) as ScalarShape).j) return JSON.stringify(JSON.stringify(v));
    if (typeof v === "number" || typeof v === "boolean") return JSON.stringify(String(v));
    throw new RequestFormError(`expected a string, got ${typeof v}`);
  },
  1: (v) => {
    if (typeof v === "boolean") return String(v);
    if (v === "true" || v === "false") return v;
    throw new RequestFormError(`expected a boolean, got ${typeof v}`);
  },
  2: (v) => writeNumber(v),
  3: (v) => {
    const n = typeof v === "string" ? readFloatInput(v) : v;
    if (typeof n !== "number") throw new RequestFormError(`expected a number, got ${typeof v}`);
    return JSON.stringify(jsonFloat(n));
  },
  4: (v) => JSON.stringify(toBase64(toBlob(v))),
  5: (v, m) => {
    const date = toDate(v);
    const format = timestampFormat(m);
    if (format === "iso8601") return JSON.stringify(formatIso8601(date));
    if (format === "rfc822") return JSON.stringify(formatHttpDate(date));
    return String(toEpochSeconds(date));
  },
  6: (v) => JSON.stringify(v) ?? "null",
  7: (v) => {
    const text = typeof v === "bigint" ? v.toString() : typeof v === "number" ? String(v) : String(v).trim();
    if (!NUMBER_RE.test(text)) throw new RequestFormError("expected a decimal number string");
    return text;
  },
  8: (v, _m, s) => writeStructure(s as StructureShape, v as Record<string, unknown>),
  9: (v, _m, s) => {
    if (!Array.isArray(v)) throw new RequestFormError(`expected a list, got ${typeof v}`);
    const list = s as ListShape;
    const parts: string[] = [];
    for (const item of v) {
      if (absent(item)) {
        if (list.sp) parts.push("null");
      } else parts.push(writeJsonValue(list.m, item));
    }
    return `[${parts.join(",")}]`;
  },
  10: (v, _m, s) => {
    if (typeof v !== "object" || v === null) throw new RequestFormError(`expected a map, got ${typeof v}`);
    const map = s as MapShape;
    const record = v as Record<string, unknown>;
    let out = "";
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (absent(item)) {
        if (map.sp) out += `${out === "" ? "" : ","}${JSON.stringify(key)}:null`;
      } else out += `${out === "" ? "" : ","}${JSON.stringify(key)}:${writeJsonValue(map.v, item)}`;
    }
    return `{${out}}`;
  },
};

function readFloatInput(v: string): number {
  try {
    return readFloat(v);
  } catch {
    throw new RequestFormError("expected a number");
  }
}

function toBlob(v: unknown): Uint8Array {
  if (typeof v === "string" || v instanceof Uint8Array || v instanceof ArrayBuffer || ArrayBuffer.isView(v))
    return toBytes(v);
  throw new RequestFormError(`expected bytes, got ${typeof v}`);
}

/** JSON text of one value of the member's shape. */
export function writeJsonValue(member: Member, value: unknown): string {
  const shape = target(member);
  return WRITERS[kind(shape) as Kind](value, member, shape);
}

/**
 * JSON text of a structure (or union); with `members`, only those members are written
 * (rest-json leaves out the HTTP-bound ones). Absent members are left out.
 */
export function writeStructure(
  shape: StructureShape,
  value: Record<string, unknown>,
  members?: readonly string[],
): string {
  if (typeof value !== "object" || value === null)
    throw new RequestFormError(`expected a structure, got ${typeof value}`);
  const plan = planOf(shape);
  // The fields to visit: a union's present keys (only those can be its member; unknown keys
  // are ignored), else the given members or every member, in model order.
  let out = "";
  let count = 0;
  if (members === undefined && shape.u) {
    for (const name in value) {
      const f = plan.byName.get(name);
      if (f === undefined) continue;
      const v = value[name];
      if (absent(v)) continue;
      out += (count === 0 ? f.key : `,${f.key}`) + WRITERS[f.kind](v, f.member, f.shape);
      count++;
    }
    if (count > 1) throw new RequestFormError("a union must have exactly one member set");
    return `{${out}}`;
  }
  const n = members !== undefined ? members.length : plan.fields.length;
  for (let i = 0; i < n; i++) {
    const f = members !== undefined ? plan.byName.get(members[i]!) : plan.fields[i];
    if (f === undefined) continue;
    const v = value[f.name];
    if (absent(v)) continue;
    out += (count === 0 ? f.key : `,${f.key}`) + WRITERS[f.kind](v, f.member, f.shape);
    count++;
  }
  if (shape.u && count > 1) throw new RequestFormError("a union must have exactly one member set");
  return `{${out}}`;
}

// ---------------------------------------------------------------------------------------
// Reading

type Reader = (value: unknown, member: Member, shape: Shape) => unknown;

function typeError(expected: string, value: unknown): TypeError {
  return new TypeError(`expected ${expected} in JSON, got ${value === null ? "null" : typeof value}`);
}

const READERS: Record<Kind, Reader> = {
  0: (v) => {
    if (typeof v === "string") return v;
    throw typeError("a string", v);
  },
  1: (v) => {
    if (typeof v === "boolean") return v;
    throw typeError("a boolean", v);
  },
  2: (v) => {
    if (typeof v === "number") return v;
    throw typeError("a number", v);
  },
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
  9: (v, _m, s) => {
    if (!Array.isArray(v)) throw typeError("an array", v);
    const list = s as ListShape;
    const out: unknown[] = [];
    for (const item of v) {
      if (item === null) {
        if (list.sp) out.push(null);
      } else out.push(readJsonValue(list.m, item));
    }
    return out;
  },
  10: (v, _m, s) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw typeError("an object", v);
    const map = s as MapShape;
    const record = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item === null) {
        if (map.sp) out[key] = null;
      } else out[key] = readJsonValue(map.v, item);
    }
    return out;
  },
};

/** Converts a parsed JSON value by the member's shape. */
export function readJsonValue(member: Member, value: unknown): unknown {
  const shape = target(member);
  return READERS[kind(shape) as Kind](value, member, shape);
}

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
  if (members !== undefined) {
    for (const name of members) {
      const f = plan.byName.get(name);
      if (f !== undefined) readField(f, out, obj[f.wire]);
    }
  } else if (shape.u) {
    // A union: visit the keys present (one, normally), not every member.
    for (const key in obj) {
      const f = plan.byWire.get(key);
      if (f !== undefined) readField(f, out, obj[key]);
    }
  } else {
    for (const f of plan.fields) readField(f, out, obj[f.wire]);
  }
  if (shape.u && !members && Object.keys(out).length === 0) {
    const known = new Set(Object.entries(shape.m).map(([name, m]) => traits(m).n ?? name));
    for (const [key, v] of Object.entries(obj)) {
      if (key !== "__type" && v !== null && !known.has(key)) return { $unknown: [key, v] };
    }
  }
  return out;
}

function readField(f: Field, out: Record<string, unknown>, v: unknown): void {
  if (v === undefined || v === null) return;
  out[f.name] = READERS[f.kind](v, f.member, f.shape);
}

/**
 * Parses a JSON response body. An empty (or all-whitespace) body is `undefined`; text that
 * is not JSON throws ResponseParseError carrying the status code.
 */
export function parseJsonBody(body: Uint8Array, statusCode: number): unknown {
  const text = fromUtf8(body);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ResponseParseError(`response body is not valid JSON (HTTP ${statusCode})`, statusCode, { cause });
  }
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
    return writeJsonValue(member, value);
  },
  readBody(shape, body, members, statusCode) {
    const json = parseJsonBody(body, statusCode);
    if (json === undefined) return {};
    return convertResponse(statusCode, () => readStructure(shape, json, members));
  },
  readPayload(member, _name, body, statusCode) {
    const json = parseJsonBody(body, statusCode);
    if (json === undefined) return undefined;
    return convertResponse(statusCode, () => readJsonValue(member, json));
  },
};

// ---------------------------------------------------------------------------------------
// Errors (awsJson and rest-json)

/** `aws.protocoltests#FooError:http://internal...` -> `FooError`. */
export function sanitizeErrorCode(raw: string): string {
  let code = raw;
  const colon = code.indexOf(":");
  if (colon >= 0) code = code.slice(0, colon);
  const hash = code.indexOf("#");
  if (hash >= 0) code = code.slice(hash + 1);
  return code.trim();
}

function errorClasses(op: OperationSchema): ErrorClassLike[] {
  return (op.e ?? []).map((e) => ("$s" in e ? e : (e as () => ErrorClassLike)()));
}

/**
 * The modeled error whose wire code (`er[0]`) or shape name is `code`: the operation's own
 * first, else any error of the service (`ex`), as botocore and AWS SDK v3 match them.
 */
export function findErrorClass(service: ServiceSchema, op: OperationSchema, code: string): ErrorClassLike | undefined {
  const classes = errorClasses(op);
  return classes.find((c) => c.$s.er?.[0] === code) ?? classes.find((c) => c.$s.n === code) ?? service.ex?.[code];
}

function stringField(body: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  if (!body) return undefined;
  for (const key of keys) {
    const v = body[key];
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
  const text = fromUtf8(response.body).trim();
  let body: Record<string, unknown> | undefined;
  if (text.startsWith("{") || text.startsWith("[")) {
    const json = parseJsonBody(response.body, status);
    if (typeof json === "object" && json !== null && !Array.isArray(json)) body = json as Record<string, unknown>;
  }
  let code: string | undefined;
  let type: string | undefined;
  if (service.qc) {
    const q = response.headers["x-amzn-query-error"];
    if (q) {
      const semi = q.indexOf(";");
      code = (semi < 0 ? q : q.slice(0, semi)).trim() || undefined;
      if (semi >= 0) type = q.slice(semi + 1).trim() || undefined;
    }
  }
  const header = response.headers["x-amzn-errortype"];
  const raw = code ?? (header || undefined) ?? stringField(body, "code", "__type", "Code");
  code = raw !== undefined ? sanitizeErrorCode(raw) : "";
  if (code === "") code = `Http${status}`;

  const errorClass = findErrorClass(service, op, code);
  const parsed: ParsedError = { code, fields: {} };
  const message = stringField(body, "message", "Message", "errorMessage");
  if (message !== undefined) parsed.message = message;
  if (type !== undefined) parsed.type = type;
  if (body === undefined && text !== "" && raw === undefined) {
    parsed.message = `HTTP ${status} response with a body that is not JSON`;
  }
  if (errorClass) {
    parsed.errorClass = errorClass;
    parsed.fields = convertResponse(status, () => readFields(errorClass.$s, body ?? {}));
  }
  return parsed;
}

/** Reads a JSON body that must be an object (or empty) into a structure's members. */
export function readJsonObjectBody(
  shape: StructureShape | undefined,
  response: ReceivedResponse,
): Record<string, unknown> {
  const json = parseJsonBody(response.body, response.statusCode);
  if (!shape || json === undefined) return {};
  return convertResponse(response.statusCode, () => readStructure(shape, json));
}
