// AWS event streams (`application/vnd.amazon.eventstream`): the binary framing, and the
// output side of an operation whose output member targets an event-stream union (`es`).
//
// Framing (one message): a 12-byte prelude (total length, headers length, both big-endian
// uint32, then the CRC32 of those 8 bytes), the headers, the payload, and the CRC32 of
// everything before it. A header is a 1-byte name length, the UTF-8 name, a 1-byte type and
// the value: 0/1 boolean true/false (no bytes), 2 byte, 3 short, 4 integer, 5 long (signed,
// big-endian), 6 bytes and 7 string (uint16 length + bytes), 8 timestamp (int64 epoch
// milliseconds), 9 uuid (16 bytes). `decodeMessages` reads frames from any chunking of an
// AsyncIterable<Uint8Array>: chunks are queued and joined once per message (no re-copying as
// small chunks arrive), the prelude CRC is checked as soon as 12 bytes are there (so a
// corrupt length fails at once instead of waiting for bytes that never come), and a source
// that ends inside a message is a NetworkError. Bad CRCs and malformed frames or headers are
// ResponseParseError. Limits are the service's: 16 MiB per message, 128 KiB of headers.
//
// Output streams: `readEventStreamOutput` sets the event-stream member of a parsed output to
// an AsyncIterable of union values. The generator attaches it to the event-stream operations
// (`ev` on the operation constant) and the client calls it from there, so only bundles with
// such an operation carry this module. Each `:message-type` is handled as botocore's
// EventStream and the Smithy event-stream spec say:
//   event     -> `{ [:event-type]: event }`; event members come from headers (`eh`) and the
//                payload: the `ep` member (blob raw, string as text, structure/union in the
//                protocol's body format) or, without one, the whole payload read as the event
//                structure. The payload is read through the protocol's own `parse` with the
//                event shape as the output, so JSON, XML and CBOR need no code here and a
//                bundle carries only its own protocol. An unknown event type yields
//                `{ $unknown: [type, message] }` (forward compatible, as unions).
//   exception -> throws the modeled error named by `:exception-type` (the generated class
//                when the operation lists it, else a ServiceError subclass carrying its members).
//   error     -> throws a ServiceError from `:error-code` / `:error-message`.
// RPC protocols (awsJson, rpcv2-cbor) send the other output members as a first
// `initial-response` event; when the output has such members it is read before the call
// returns. Leaving the loop early (break, return, a throw) cancels the response body, which
// releases the connection. The stream is single-use, like a streaming body.
import { createChecksum } from "./checksums.js";
import { concatBytes, fromUtf8, utf8 } from "./encoding.js";
import { NetworkError, ResponseParseError, ServiceError, errorClass, type ResponseMetadata } from "./errors.js";
import type { Member, OperationSchema, OutputStage, ServiceSchema, StructureShape } from "./schema.js";
import { kind, target, traits } from "./schema.js";
import type { Protocol } from "./protocols/types.js";

// ---------------------------------------------------------------------------------------
// Messages

/** A header value with its wire type (the names of @smithy/types' MessageHeaderValue). */
export type EventHeaderValue =
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "byte"; readonly value: number }
  | { readonly type: "short"; readonly value: number }
  | { readonly type: "integer"; readonly value: number }
  /** A signed 64-bit integer: decoded as a bigint; a safe integer number is accepted when encoding. */
  | { readonly type: "long"; readonly value: bigint | number }
  | { readonly type: "binary"; readonly value: Uint8Array }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "timestamp"; readonly value: Date }
  /** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower-case hex. */
  | { readonly type: "uuid"; readonly value: string };

export type EventHeaders = Record<string, EventHeaderValue>;

/** One event-stream message: its headers (in wire order) and its payload. */
export interface EventStreamMessage {
  headers: EventHeaders;
  body: Uint8Array;
}

/** The largest message the service sends or accepts (16 MiB). */
export const MAX_MESSAGE_LENGTH = 16 * 1024 * 1024;
/** The largest headers section (128 KiB). */
export const MAX_HEADERS_LENGTH = 128 * 1024;

const PRELUDE_LENGTH = 12;
/** Prelude plus the trailing message CRC. */
const FRAME_OVERHEAD = 16;

const TYPE_CODES = {
  byte: 2,
  short: 3,
  integer: 4,
  long: 5,
  binary: 6,
  string: 7,
  timestamp: 8,
  uuid: 9,
} as const;

async function crc32(bytes: Uint8Array): Promise<number> {
  const h = createChecksum("CRC32");
  h.update(bytes);
  const d = await h.digest();
  return ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
}

function malformed(why: string, statusCode: number): ResponseParseError {
  return new ResponseParseError(`malformed event-stream message: ${why}`, statusCode);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Encodes headers (in the record's order). Throws RangeError for a value that does not fit its type. */
export function encodeHeaders(headers: EventHeaders): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, header] of Object.entries(headers)) {
    const nameBytes = utf8(name);
    if (nameBytes.length === 0 || nameBytes.length > 255) throw new RangeError(`event header name must be 1-255 bytes: ${name}`);
    let value: Uint8Array;
    switch (header.type) {
      case "boolean":
        value = new Uint8Array([header.value ? 0 : 1]);
        break;
      case "byte":
      case "short":
      case "integer": {
        const size = header.type === "byte" ? 1 : header.type === "short" ? 2 : 4;
        const limit = 2 ** (size * 8 - 1);
        if (!Number.isInteger(header.value) || header.value < -limit || header.value >= limit)
          throw new RangeError(`event header ${name} does not fit a ${header.type}`);
        value = new Uint8Array(1 + size);
        value[0] = TYPE_CODES[header.type];
        const dv = view(value);
        if (size === 1) dv.setInt8(1, header.value);
        else if (size === 2) dv.setInt16(1, header.value);
        else dv.setInt32(1, header.value);
        break;
      }
      case "long":
      case "timestamp": {
        const n = header.type === "long" ? header.value : header.value.getTime();
        if (typeof n === "number" && !Number.isSafeInteger(n)) throw new RangeError(`event header ${name} is not an integer`);
        const big = BigInt(n);
        if (big < -(2n ** 63n) || big >= 2n ** 63n) throw new RangeError(`event header ${name} does not fit a long`);
        value = new Uint8Array(9);
        value[0] = TYPE_CODES[header.type];
        view(value).setBigInt64(1, big);
        break;
      }
      case "binary":
      case "string": {
        const data = header.type === "string" ? utf8(header.value) : header.value;
        if (data.length > 0xffff) throw new RangeError(`event header ${name} is longer than 65535 bytes`);
        value = new Uint8Array(3 + data.length);
        value[0] = TYPE_CODES[header.type];
        view(value).setUint16(1, data.length);
        value.set(data, 3);
        break;
      }
      case "uuid": {
        const hex = header.value.replace(/-/g, "");
        if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`event header ${name} is not a UUID`);
        value = new Uint8Array(17);
        value[0] = TYPE_CODES.uuid;
        for (let i = 0; i < 16; i++) value[1 + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
        break;
      }
      default:
        throw new RangeError(`event header ${name} has an unknown type`);
    }
    parts.push(new Uint8Array([nameBytes.length]), nameBytes, value);
  }
  return concatBytes(parts);
}

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

/** Decodes a headers section. Throws ResponseParseError when it is malformed. */
export function decodeHeaders(bytes: Uint8Array, statusCode = 200): EventHeaders {
  const out: EventHeaders = {};
  const dv = view(bytes);
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw malformed("a header runs past the headers section", statusCode);
  };
  while (i < bytes.length) {
    const nameLength = bytes[i++]!;
    if (nameLength === 0) throw malformed("empty header name", statusCode);
    need(nameLength + 1);
    const name = fromUtf8(bytes.subarray(i, i + nameLength));
    i += nameLength;
    const type = bytes[i++]!;
    let value: EventHeaderValue;
    switch (type) {
      case 0:
      case 1:
        value = { type: "boolean", value: type === 0 };
        break;
      case 2:
        need(1);
        value = { type: "byte", value: dv.getInt8(i) };
        i += 1;
        break;
      case 3:
        need(2);
        value = { type: "short", value: dv.getInt16(i) };
        i += 2;
        break;
      case 4:
        need(4);
        value = { type: "integer", value: dv.getInt32(i) };
        i += 4;
        break;
      case 5:
        need(8);
        value = { type: "long", value: dv.getBigInt64(i) };
        i += 8;
        break;
      case 6:
      case 7: {
        need(2);
        const length = dv.getUint16(i);
        i += 2;
        need(length);
        const data = bytes.subarray(i, i + length);
        i += length;
        value = type === 6 ? { type: "binary", value: data } : { type: "string", value: fromUtf8(data) };
        break;
      }
      case 8:
        need(8);
        value = { type: "timestamp", value: new Date(Number(dv.getBigInt64(i))) };
        i += 8;
        break;
      case 9: {
        need(16);
        const h = hex(bytes.subarray(i, i + 16));
        i += 16;
        value = { type: "uuid", value: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` };
        break;
      }
      default:
        throw malformed(`header ${name} has unknown type ${type}`, statusCode);
    }
    out[name] = value;
  }
  return out;
}

/** Encodes one message as a frame (prelude, headers, payload, CRCs). */
export async function encodeMessage(message: EventStreamMessage): Promise<Uint8Array> {
  const headers = encodeHeaders(message.headers);
  const total = FRAME_OVERHEAD + headers.length + message.body.length;
  if (headers.length > MAX_HEADERS_LENGTH) throw new RangeError("event-stream headers exceed 128 KiB");
  if (total > MAX_MESSAGE_LENGTH) throw new RangeError("event-stream message exceeds 16 MiB");
  const frame = new Uint8Array(total);
  const dv = view(frame);
  dv.setUint32(0, total);
  dv.setUint32(4, headers.length);
  dv.setUint32(8, await crc32(frame.subarray(0, 8)));
  frame.set(headers, PRELUDE_LENGTH);
  frame.set(message.body, PRELUDE_LENGTH + headers.length);
  dv.setUint32(total - 4, await crc32(frame.subarray(0, total - 4)));
  return frame;
}

/** Checks a 12-byte prelude and returns the message's total length. */
async function checkPrelude(prelude: Uint8Array, statusCode: number): Promise<number> {
  const dv = view(prelude);
  const total = dv.getUint32(0);
  const headersLength = dv.getUint32(4);
  if ((await crc32(prelude.subarray(0, 8))) !== dv.getUint32(8)) {
    throw new ResponseParseError("event-stream prelude checksum mismatch (corrupt stream)", statusCode);
  }
  if (total < FRAME_OVERHEAD || total > MAX_MESSAGE_LENGTH) throw malformed(`message length ${total} is out of range`, statusCode);
  if (headersLength > MAX_HEADERS_LENGTH || headersLength > total - FRAME_OVERHEAD) {
    throw malformed(`headers length ${headersLength} is out of range`, statusCode);
  }
  return total;
}

async function decodeFrame(frame: Uint8Array, statusCode: number, preludeChecked: boolean): Promise<EventStreamMessage> {
  if (frame.length < FRAME_OVERHEAD) throw malformed(`a frame of ${frame.length} bytes is shorter than its prelude and CRC`, statusCode);
  const dv = view(frame);
  if (!preludeChecked) await checkPrelude(frame.subarray(0, PRELUDE_LENGTH), statusCode);
  const total = dv.getUint32(0);
  if (total !== frame.length) throw malformed(`the prelude says ${total} bytes but the frame has ${frame.length}`, statusCode);
  if ((await crc32(frame.subarray(0, total - 4))) !== dv.getUint32(total - 4)) {
    throw new ResponseParseError("event-stream message checksum mismatch (corrupt stream)", statusCode);
  }
  const headersEnd = PRELUDE_LENGTH + dv.getUint32(4);
  return {
    headers: decodeHeaders(frame.subarray(PRELUDE_LENGTH, headersEnd), statusCode),
    body: frame.subarray(headersEnd, total - 4),
  };
}

/** Decodes exactly one whole frame (both CRCs are checked). */
export function decodeMessage(frame: Uint8Array, statusCode = 200): Promise<EventStreamMessage> {
  return decodeFrame(frame, statusCode, false);
}

/**
 * Decodes the messages of a byte stream, however it is chunked (a message split over many
 * chunks, many messages in one chunk). Ending inside a message is a NetworkError; a bad
 * CRC or a malformed frame is a ResponseParseError. Stopping early closes the source.
 */
export async function* decodeMessages(
  source: AsyncIterable<Uint8Array>,
  statusCode = 200,
): AsyncGenerator<EventStreamMessage, void, undefined> {
  const queue: Uint8Array[] = [];
  let buffered = 0;
  // Total length of the message being assembled, once its prelude is checked (0 before).
  let need = 0;

  /** The first `n` queued bytes, without consuming them. */
  const peek = (n: number): Uint8Array => {
    const head = queue[0]!;
    if (head.length >= n) return head.subarray(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (const chunk of queue) {
      const part = chunk.subarray(0, n - at);
      out.set(part, at);
      at += part.length;
      if (at === n) break;
    }
    return out;
  };
  /** Removes and returns the first `n` queued bytes (one copy at most). */
  const take = (n: number): Uint8Array => {
    buffered -= n;
    const head = queue[0]!;
    if (head.length >= n) {
      if (head.length === n) queue.shift();
      else queue[0] = head.subarray(n);
      return head.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const chunk = queue[0]!;
      const part = chunk.subarray(0, n - at);
      out.set(part, at);
      at += part.length;
      if (part.length === chunk.length) queue.shift();
      else queue[0] = chunk.subarray(part.length);
    }
    return out;
  };

  for await (const chunk of source) {
    if (chunk.length === 0) continue;
    queue.push(chunk);
    buffered += chunk.length;
    for (;;) {
      if (need === 0) {
        if (buffered < PRELUDE_LENGTH) break;
        need = await checkPrelude(peek(PRELUDE_LENGTH), statusCode);
      }
      if (buffered < need) break;
      const frame = take(need);
      need = 0;
      yield await decodeFrame(frame, statusCode, true);
    }
  }
  if (buffered > 0) {
    throw new NetworkError(
      `the event stream ended in the middle of a message (${buffered} of ${need > 0 ? need : "at least 12"} bytes received)`,
      { code: "EventStreamTruncated" },
    );
  }
}

// ---------------------------------------------------------------------------------------
// Output event streams

/** The name of the member of an output structure that targets an event stream, if any. */
export function eventStreamMember(shape: StructureShape | undefined): string | undefined {
  if (!shape) return undefined;
  if (shape.p !== undefined) {
    const m = shape.m[shape.p];
    return m !== undefined && isEventStream(m) ? shape.p : undefined;
  }
  for (const [name, member] of Object.entries(shape.m) as [string, Member][]) if (isEventStream(member)) return name;
  return undefined;
}

function isEventStream(member: Member): boolean {
  const t = target(member);
  return typeof t === "object" && t.t === 8 && (t as StructureShape).es === 1;
}

function headerText(message: EventStreamMessage, name: string): string | undefined {
  const h = message.headers[name];
  return h?.type === "string" ? h.value : undefined;
}

/** Converts an event header value to the member's shape kind. */
function headerToMember(header: EventHeaderValue, member: Member): unknown {
  const v = header.value;
  const k = kind(target(member));
  const fail = (): never => {
    throw new TypeError(`event header of type ${header.type} cannot be read as shape kind ${k}`);
  };
  switch (k) {
    case 0:
      return header.type === "string" || header.type === "uuid" ? v : fail();
    case 1:
      return header.type === "boolean" ? v : fail();
    case 2:
    case 3:
      return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : fail();
    case 4:
      return v instanceof Uint8Array ? v : typeof v === "string" ? utf8(v) : fail();
    case 5:
      return v instanceof Date ? v : fail();
    case 7:
      return typeof v === "number" || typeof v === "bigint" ? String(v) : typeof v === "string" ? v : fail();
    default:
      return v instanceof Uint8Array || v instanceof Date ? fail() : v;
  }
}

const MESSAGE_SHAPE: StructureShape = { t: 8, m: { message: 0, Message: 0, errorMessage: 0 } };

function messageOf(fields: Record<string, unknown>): string | undefined {
  for (const key of ["message", "Message", "errorMessage"]) {
    const v = fields[key];
    if (typeof v === "string") return v;
  }
  return undefined;
}

type ServiceErrorClass = new (message: string | undefined, fields: Record<string, unknown>, metadata: ResponseMetadata) => ServiceError;

/** Turns messages into union values (or thrown errors) for one operation's event stream. */
class EventReader {
  constructor(
    private readonly protocol: Protocol,
    private readonly service: ServiceSchema,
    private readonly op: OperationSchema,
    private readonly union: StructureShape,
    private readonly metadata: () => ResponseMetadata,
    private readonly statusCode: number,
  ) {}

  /** Reads a payload as `shape` in the protocol's body format (through the protocol's own parser). */
  structure(shape: StructureShape, body: Uint8Array): Record<string, unknown> {
    return this.protocol.parse(this.service, { n: this.op.n, h: this.op.h, o: shape }, { statusCode: this.statusCode, headers: {}, body });
  }

  /** Converts an event message; undefined for messages that carry no event (a late `initial-response`). */
  event(message: EventStreamMessage): Record<string, unknown> | undefined {
    const type = headerText(message, ":message-type");
    switch (type) {
      case "event": {
        const eventType = headerText(message, ":event-type");
        if (eventType === undefined) throw malformed("an event without :event-type", this.statusCode);
        if (eventType === "initial-response") return undefined;
        const member = Object.hasOwn(this.union.m, eventType) ? this.union.m[eventType] : undefined;
        if (member === undefined) return { $unknown: [eventType, message] };
        return { [eventType]: this.convert(() => this.readEvent(target(member) as StructureShape, message, eventType)) };
      }
      case "exception":
        throw this.exception(message);
      case "error": {
        const code = headerText(message, ":error-code") ?? "UnknownError";
        throw new ServiceError(code, headerText(message, ":error-message"), this.metadata());
      }
      default:
        throw malformed(`unknown :message-type ${JSON.stringify(type ?? null)}`, this.statusCode);
    }
  }

  private convert<T>(fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof ResponseParseError) throw cause;
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new ResponseParseError(`event does not match the model: ${why}`, this.statusCode, { cause });
    }
  }

  private readEvent(shape: StructureShape, message: EventStreamMessage, eventType: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let payload: [string, Member] | undefined;
    let bodyMembers = false;
    for (const [name, member] of Object.entries(shape.m) as [string, Member][]) {
      const t = traits(member);
      if (t.eh) continue;
      if (t.ep) payload = [name, member];
      else bodyMembers = true;
    }
    const body = message.body;
    if (payload) {
      const value = this.payload(payload[1], message, eventType);
      if (value !== undefined) out[payload[0]] = value;
    } else if (bodyMembers && body.length > 0) {
      Object.assign(out, this.structure(shape, body));
    }
    for (const [name, member] of Object.entries(shape.m) as [string, Member][]) {
      if (!traits(member).eh) continue;
      const header = message.headers[name];
      if (header !== undefined) out[name] = headerToMember(header, member);
    }
    return out;
  }

  private payload(member: Member, message: EventStreamMessage, eventType: string): unknown {
    const shape = target(member);
    const body = message.body;
    switch (kind(shape)) {
      case 4:
        return body;
      case 0:
        return fromUtf8(body);
      case 8:
        return body.length > 0 ? this.structure(shape as StructureShape, body) : undefined;
      case 6:
        if (body.length === 0) return undefined;
        if ((headerText(message, ":content-type") ?? "").includes("json")) return JSON.parse(fromUtf8(body)) as unknown;
        throw malformed(`the document payload of ${eventType} is not JSON`, this.statusCode);
      default:
        throw malformed(`the payload member of ${eventType} has a kind that cannot be a payload`, this.statusCode);
    }
  }

  private exception(message: EventStreamMessage): ServiceError | ResponseParseError {
    const type = headerText(message, ":exception-type") ?? "UnknownError";
    const metadata = this.metadata();
    const member = Object.hasOwn(this.union.m, type) ? this.union.m[type] : undefined;
    const shape = member !== undefined ? target(member) : undefined;
    if (shape === undefined || typeof shape !== "object" || shape.t !== 8) {
      return new ServiceError(type, this.message(message.body), metadata);
    }
    const struct = shape as StructureShape;
    let fields: Record<string, unknown>;
    try {
      fields = message.body.length > 0 ? this.convert(() => this.structure(struct, message.body)) : {};
    } catch (e) {
      return e as ResponseParseError;
    }
    const cls = this.errorClass(type, struct);
    return new cls(messageOf(fields) ?? this.message(message.body), fields, metadata);
  }

  /** The generated class when the operation lists the error, else a ServiceError subclass made for it. */
  private errorClass(type: string, shape: StructureShape): ServiceErrorClass {
    for (const e of this.op.e ?? []) {
      const cls = "$s" in e ? e : e();
      if (cls.$s === shape || cls.$s.n === type || cls.$s.er?.[0] === type) return cls as unknown as ServiceErrorClass;
    }
    return errorClass(shape.n ?? type, shape.er ? shape : { ...shape, er: [type, 400, "client"] as const });
  }

  /** The `message` of an error payload of any shape, best effort. */
  private message(body: Uint8Array): string | undefined {
    if (body.length === 0) return undefined;
    try {
      return messageOf(this.structure(MESSAGE_SHAPE, body));
    } catch {
      return undefined;
    }
  }
}

/** A one-chunk source for a body that was read whole. */
async function* single(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (bytes.length > 0) yield bytes;
}

/**
 * Reads an event-stream response into `output` (already holding the HTTP-bound members the
 * protocol parsed): sets the event-stream member to an AsyncIterable of events and, for RPC
 * protocols whose output has other members, first reads the `initial-response` event into
 * them. `metadata` gives the ResponseMetadata of errors raised by exception events.
 */
export const readEventStreamOutput: OutputStage = async (protocol, service, op, response, output, metadata) => {
  const shape = op.o;
  const name = eventStreamMember(shape);
  if (!shape || name === undefined) return;
  await protocol.load?.(); // event payloads are parsed by the protocol (XML needs its parser loaded)
  const union = target(shape.m[name]!) as StructureShape;
  const status = response.statusCode;
  const reader = new EventReader(protocol, service, op, union, metadata, status);
  const body = response.stream;
  const messages = decodeMessages(body ?? single(response.body), status);
  let cancelled = false;
  let finished = false;
  // Releases the connection: the body is cancelled first, which also ends a read that is
  // pending right now; the decoder is then closed without waiting for it (it may be inside
  // that read, and async generators queue `return` behind a running `next`).
  const cancel = async (): Promise<void> => {
    if (cancelled || finished) return;
    cancelled = true;
    await body?.cancel().catch(() => undefined);
    messages.return(undefined).catch(() => undefined);
  };

  let first: EventStreamMessage | undefined;
  const rpc = service.p === "json" || service.p === "smithy-rpc-v2-cbor";
  const others = Object.keys(shape.m).filter((m) => m !== name && traits(shape.m[m]!).l === undefined);
  if (rpc && others.length > 0) {
    try {
      const r = await messages.next();
      if (r.done) finished = true;
      else if (headerText(r.value, ":message-type") === "event" && headerText(r.value, ":event-type") === "initial-response") {
        const rest: StructureShape = { ...shape, m: Object.fromEntries(others.map((m) => [m, shape.m[m]!])) };
        if (r.value.body.length > 0) Object.assign(output, reader.structure(rest, r.value.body));
      } else {
        first = r.value;
        // An exception or error instead of the initial response fails the call itself.
        if (headerText(first, ":message-type") !== "event") reader.event(first);
      }
    } catch (e) {
      await cancel();
      throw e;
    }
  }

  async function* events(): AsyncGenerator<Record<string, unknown>, void, undefined> {
    try {
      if (first !== undefined) {
        const e = reader.event(first);
        first = undefined;
        if (e !== undefined) yield e;
      }
      for (;;) {
        const r = await messages.next();
        if (r.done || cancelled) break;
        const e = reader.event(r.value);
        if (e !== undefined) yield e;
      }
      finished = !cancelled;
    } catch (e) {
      // A read ended by our own cancel is not an error of the stream.
      if (!cancelled) throw e;
    } finally {
      await cancel();
    }
  }

  const gen = events();
  // The iterator releases the connection on `return()` at once: even before the first read
  // (a generator that never started ignores `return`) and while a read is pending (the
  // generator would only see the `return` after that read).
  const iterator: AsyncIterableIterator<Record<string, unknown>> = {
    next: () => gen.next(),
    return: async () => {
      await cancel();
      gen.return(undefined).catch(() => undefined);
      return { done: true, value: undefined };
    },
    throw: async (e?: unknown) => {
      try {
        return await gen.throw(e);
      } finally {
        await cancel();
      }
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  output[name] = iterator;
};
