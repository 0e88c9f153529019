// Smithy RPC v2 CBOR (`smithy-rpc-v2-cbor`; botocore's RpcV2CBORSerializer/Parser): every
// call is `POST /service/{ServiceName}/operation/{Operation}` with `smithy-protocol:
// rpc-v2-cbor` and `Accept: application/cbor`; an operation with input sends its input
// structure as a CBOR map (`Content-Type: application/cbor`), one without input sends no
// body and no Content-Type. HTTP binding traits are ignored, as the protocol defines.
// ServiceName is the service shape's name, which botocore models carry as `targetPrefix`
// (the last `#`/`.` segment is used should a prefix ever be namespace-qualified);
// awsQueryCompatible services also get `x-amzn-query-mode: true`.
//
// Values are written by walking the shape (one writer per shape kind): strings as text,
// blobs as byte strings, integers as CBOR integers, float/double members always as floats
// (single precision when exact, else double: the schema has one kind for both, and a
// server must accept the narrower width), timestamps as tag 1 with double epoch seconds,
// bigInteger as an integer (tag 2/3 bignum beyond 64 bits) and bigDecimal as a tag 4
// decimal fraction, documents as their plain CBOR mapping; absent members and nulls in
// dense collections are left out. Reading is the mirror image, lenient about widths
// (half/single/double floats, integers for floats, any integer size) but strict about
// types; unknown members are skipped (a union with no known member set keeps its first
// unknown one as `{ $unknown: [key, value] }`), and malformed CBOR or a type mismatch is a
// ResponseParseError. Errors carry their code in the body's `__type` (namespace stripped),
// or in `x-amzn-query-error: Code;Type` for awsQueryCompatible services. Event streams
// (application/vnd.amazon.eventstream) are read by runtime/eventstream.ts, which parses each
// event payload through this protocol's `parse`.
import { RequestFormError, ResponseParseError } from "../errors.js";
import { toBytes } from "../encoding.js";
import type { ListShape, MapShape, Member, ServiceSchema, Shape, StructureShape } from "../schema.js";
import { kind, target, traits } from "../schema.js";
import { CborError, CborFloat, CborTag, decodeCbor, encodeCbor } from "./cbor.js";
import { expandHostPrefix } from "./http-binding.js";
import { findErrorClass, sanitizeErrorCode } from "./json-codec.js";
import { fillIdempotencyTokens, readFloat, readTimestamp, toDate } from "./shared.js";
import type { ParsedError, Protocol, ReceivedResponse, SerializedRequest } from "./types.js";

type Kind = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

function absent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

// ---------------------------------------------------------------------------------------
// Writing: shape-typed input -> a value tree that encodeCbor writes as the protocol wants.

type Writer = (value: unknown, shape: Shape) => unknown;

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function writeBigNumber(value: unknown): unknown {
  if (typeof value === "bigint") return value;
  const text =
    typeof value === "number" && Number.isFinite(value) ? String(value) : typeof value === "string" ? value.trim() : "";
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new RequestFormError("expected a decimal number");
  const [, sign, int, frac = "", exp = "0"] = m;
  if (frac === "" && Number(exp) === 0) return BigInt(sign + int!);
  // A decimal fraction (RFC 8949 section 3.4.4): [exponent, mantissa].
  return new CborTag(4, [Number(exp) - frac.length, BigInt(sign + int! + frac)]);
}

function toBlob(v: unknown): Uint8Array {
  if (typeof v === "string" || v instanceof Uint8Array || v instanceof ArrayBuffer || ArrayBuffer.isView(v))
    return toBytes(v);
  throw new RequestFormError(`expected bytes, got ${typeof v}`);
}

const WRITERS: Record<Kind, Writer> = {
  0: (v) => {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw new RequestFormError(`expected a string, got ${typeof v}`);
  },
  1: (v) => {
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    throw new RequestFormError(`expected a boolean, got ${typeof v}`);
  },
  2: (v) => {
    if (typeof v === "bigint") return v;
    const n = typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n))
      throw new RequestFormError(`expected an integer, got ${typeof v}`);
    return n;
  },
  3: (v) => {
    let n: unknown = v;
    if (typeof v === "string") {
      try {
        n = readFloat(v);
      } catch {
        throw new RequestFormError("expected a number");
      }
    }
    if (typeof n !== "number") throw new RequestFormError(`expected a number, got ${typeof v}`);
    return new CborFloat(n);
  },
  4: (v) => toBlob(v),
  5: (v) => toDate(v),
  6: (v) => v,
  7: (v) => writeBigNumber(v),
  8: (v, s) => writeStructure(s as StructureShape, v),
  9: (v, s) => {
    if (!Array.isArray(v)) throw new RequestFormError(`expected a list, got ${typeof v}`);
    const list = s as ListShape;
    const out: unknown[] = [];
    for (const item of v) {
      if (absent(item)) {
        if (list.sp) out.push(null);
      } else out.push(writeValue(list.m, item));
    }
    return out;
  },
  10: (v, s) => {
    if (typeof v !== "object" || v === null) throw new RequestFormError(`expected a map, got ${typeof v}`);
    const map = s as MapShape;
    const out = new Map<string, unknown>();
    const entries = v instanceof Map ? [...(v as Map<unknown, unknown>)] : Object.entries(v as Record<string, unknown>);
    for (const [key, item] of entries) {
      if (typeof key !== "string") throw new RequestFormError("map keys must be strings");
      if (absent(item)) {
        if (map.sp) out.set(key, null);
      } else out.set(key, writeValue(map.v, item));
    }
    return out;
  },
};

function writeValue(member: Member, value: unknown): unknown {
  const shape = target(member);
  return WRITERS[kind(shape) as Kind](value, shape);
}

function writeStructure(shape: StructureShape, value: unknown): Map<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new RequestFormError(`expected a structure, got ${typeof value}`);
  const record = value as Record<string, unknown>;
  const out = new Map<string, unknown>();
  for (const [name, member] of Object.entries(shape.m) as [string, Member][]) {
    const v = record[name];
    if (absent(v)) continue;
    out.set(traits(member).n ?? name, writeValue(member, v));
  }
  if (shape.u && out.size > 1) throw new RequestFormError("a union must have exactly one member set");
  return out;
}

// ---------------------------------------------------------------------------------------
// Reading: decoded CBOR -> shape-typed output.

type Reader = (value: unknown, shape: Shape) => unknown;

function typeError(expected: string, value: unknown): TypeError {
  const got =
    value === null ? "null" : value instanceof Uint8Array ? "bytes" : Array.isArray(value) ? "array" : typeof value;
  return new TypeError(`expected ${expected} in CBOR, got ${got}`);
}

/** CBOR maps decode to plain objects (text keys) or Maps (other keys); both read as entries. */
function entriesOf(value: unknown, expected: string): [unknown, unknown][] {
  if (value instanceof Map) return [...(value as Map<unknown, unknown>)];
  if (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date) &&
    !(value instanceof CborTag)
  )
    return Object.entries(value as Record<string, unknown>);
  throw typeError(expected, value);
}

function readBigNumber(v: unknown): string {
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (v instanceof CborTag && v.tag === 4 && Array.isArray(v.value) && v.value.length === 2) {
    const [exp, mant] = v.value as [unknown, unknown];
    if (
      (typeof exp === "number" || typeof exp === "bigint") &&
      (typeof mant === "number" || typeof mant === "bigint")
    ) {
      const e = Number(exp);
      const negative = BigInt(mant) < 0n;
      let digits = (negative ? -BigInt(mant) : BigInt(mant)).toString();
      if (e >= 0) digits += "0".repeat(e);
      else {
        digits = digits.padStart(-e + 1, "0");
        digits = `${digits.slice(0, e)}.${digits.slice(e)}`;
      }
      return (negative ? "-" : "") + digits;
    }
  }
  throw typeError("a number", v);
}

const READERS: Record<Kind, Reader> = {
  0: (v) => {
    if (typeof v === "string") return v;
    throw typeError("a text string", v);
  },
  1: (v) => {
    if (typeof v === "boolean") return v;
    throw typeError("a boolean", v);
  },
  2: (v) => {
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "bigint") return Number(v); // a long beyond 2^53: precision is lost, as in JSON
    throw typeError("an integer", v);
  },
  3: (v) => {
    if (typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    throw typeError("a float", v);
  },
  4: (v) => {
    if (v instanceof Uint8Array) return v;
    throw typeError("a byte string", v);
  },
  5: (v) => {
    if (v instanceof Date) return v;
    if (typeof v === "number") return readTimestamp(v);
    throw typeError("a timestamp (tag 1)", v);
  },
  6: (v) => v,
  7: (v) => readBigNumber(v),
  8: (v, s) => readStructure(s as StructureShape, v),
  9: (v, s) => {
    if (!Array.isArray(v)) throw typeError("an array", v);
    const list = s as ListShape;
    const out: unknown[] = [];
    for (const item of v) {
      if (item === null || item === undefined) {
        if (list.sp) out.push(null);
      } else out.push(readValue(list.m, item));
    }
    return out;
  },
  10: (v, s) => {
    const map = s as MapShape;
    const out: Record<string, unknown> = {};
    for (const [key, item] of entriesOf(v, "a map")) {
      if (typeof key !== "string") throw typeError("text map keys", key);
      const value = item === null || item === undefined ? (map.sp ? null : undefined) : readValue(map.v, item);
      if (value === undefined) continue;
      if (key === "__proto__")
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  },
};

function readValue(member: Member, value: unknown): unknown {
  const shape = target(member);
  return READERS[kind(shape) as Kind](value, shape);
}

function readStructure(shape: StructureShape, value: unknown): Record<string, unknown> {
  const obj = new Map<unknown, unknown>(entriesOf(value, "a map"));
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.m) as [string, Member][]) {
    const v = obj.get(traits(member).n ?? name);
    if (v === undefined || v === null) continue;
    out[name] = readValue(member, v);
  }
  if (shape.u && Object.keys(out).length === 0) {
    // A union member this model does not know: kept as `$unknown: [key, decoded value]`.
    const known = new Set(Object.entries(shape.m).map(([name, m]) => traits(m).n ?? name));
    for (const [key, v] of obj) {
      if (typeof key === "string" && key !== "__type" && v !== null && v !== undefined && !known.has(key)) return { $unknown: [key, v] };
    }
  }
  return out;
}

/** Decodes a response body: empty is undefined; malformed CBOR is a ResponseParseError. */
/** Whether the response claims to carry this protocol's CBOR. */
function declaresCbor(response: ReceivedResponse): boolean {
  const type = response.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  return response.headers["smithy-protocol"] === "rpc-v2-cbor" || type === "application/cbor";
}

function decodeBody(response: ReceivedResponse): unknown {
  if (response.body.length === 0) return undefined;
  try {
    return decodeCbor(response.body);
  } catch (cause) {
    const why = cause instanceof CborError ? cause.message : String(cause);
    throw new ResponseParseError(
      `response body is not valid CBOR: ${why} (HTTP ${response.statusCode})`,
      response.statusCode,
      {
        cause,
      },
    );
  }
}

function convert<T>(statusCode: number, fn: () => T): T {
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

/** The service shape's name from targetPrefix (or the serviceId without spaces when a model has none). */
function serviceName(service: ServiceSchema): string {
  const prefix = service.tp ?? service.id.replace(/\s+/g, "");
  return prefix.slice(Math.max(prefix.lastIndexOf("#"), prefix.lastIndexOf(".")) + 1);
}

function stringField(body: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  if (!body) return undefined;
  for (const key of keys) {
    const v = body[key];
    if (typeof v === "string") return v;
  }
  return undefined;
}

export const protocol: Protocol = {
  serialize(service, op, rawInput, ctx) {
    const input = fillIdempotencyTokens(op.i, rawInput ?? {}, () => ctx.uuid());
    const headers: Record<string, string> = {
      "smithy-protocol": "rpc-v2-cbor",
      accept: "application/cbor",
    };
    if (service.qc) headers["x-amzn-query-mode"] = "true";
    const request: SerializedRequest = {
      method: "POST",
      path: `/service/${encodeURIComponent(serviceName(service))}/operation/${encodeURIComponent(op.n)}`,
      query: [],
      headers,
    };
    if (op.i) {
      let body: Uint8Array;
      try {
        body = encodeCbor(writeStructure(op.i, input));
      } catch (e) {
        if (e instanceof CborError) throw new RequestFormError(e.message, { cause: e });
        throw e;
      }
      headers["content-type"] = "application/cbor";
      headers["content-length"] = String(body.length);
      request.body = body;
    }
    const hostPrefix = expandHostPrefix(op, input);
    if (hostPrefix !== undefined) request.hostPrefix = hostPrefix;
    return request;
  },

  parse(_service, op, response) {
    const decoded = decodeBody(response);
    if (!op.o || decoded === undefined) return {};
    return convert(response.statusCode, () => readStructure(op.o!, decoded));
  },

  parseError(service, op, response) {
    const status = response.statusCode;
    let body: Record<string, unknown> | undefined;
    let decoded: unknown;
    try {
      decoded = decodeBody(response);
    } catch (e) {
      // A body that is not CBOR (an HTML page from a proxy) is not this protocol's error:
      // report the status so retry logic still sees it. A body that says it is CBOR (the
      // protocol header or the CBOR media type) and does not decode is a broken response.
      if (!(e instanceof ResponseParseError) || declaresCbor(response)) throw e;
      const parsed: ParsedError = {
        code: `Http${status}`,
        fields: {},
        message: `HTTP ${status} response with a body that is not CBOR`,
      };
      const q = service.qc ? queryError(response) : undefined;
      if (q) Object.assign(parsed, q);
      return parsed;
    }
    if (
      typeof decoded === "object" &&
      decoded !== null &&
      !Array.isArray(decoded) &&
      !(decoded instanceof Uint8Array)
    ) {
      body = Object.fromEntries(entriesOf(decoded, "a map").filter(([k]) => typeof k === "string")) as Record<
        string,
        unknown
      >;
    }
    const typeField = stringField(body, "__type");
    let code = typeField !== undefined ? sanitizeErrorCode(typeField) : "";
    let type: string | undefined;
    const q = service.qc ? queryError(response) : undefined;
    if (q) {
      code = q.code;
      type = q.type;
    }
    if (code === "") code = `Http${status}`;
    const parsed: ParsedError = { code, fields: {} };
    const message = stringField(body, "message", "Message", "errorMessage");
    if (message !== undefined) parsed.message = message;
    if (type !== undefined) parsed.type = type;
    // awsQueryCompatible: a custom query code (`Customized`) still names the error by its shape (`__type`).
    const errorClass =
      findErrorClass(service, op, code) ??
      (typeField !== undefined ? findErrorClass(service, op, sanitizeErrorCode(typeField)) : undefined);
    if (errorClass) {
      parsed.errorClass = errorClass;
      parsed.fields = convert(status, () => readStructure(errorClass.$s, body ?? {}));
    }
    return parsed;
  },
};

/** `x-amzn-query-error: Code;Sender` of awsQueryCompatible services. */
function queryError(response: ReceivedResponse): { code: string; type?: string } | undefined {
  const q = response.headers["x-amzn-query-error"];
  if (!q) return undefined;
  const semi = q.indexOf(";");
  const code = (semi < 0 ? q : q.slice(0, semi)).trim();
  if (!code) return undefined;
  const type = semi >= 0 ? q.slice(semi + 1).trim() : "";
  return type ? { code, type } : { code };
}
