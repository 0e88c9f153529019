// CBOR (RFC 8949) in plain TypeScript: the body format of the smithy-rpc-v2-cbor protocol.
//
// Decoding maps CBOR items to JS values:
//   unsigned / negative integers -> number when the value is a safe integer (|n| <= 2^53-1),
//     else bigint (a 64-bit integer never silently loses precision);
//   byte strings -> Uint8Array; text strings -> string (invalid UTF-8 is an error);
//   arrays -> unknown[]; maps -> a plain object when every key is a text string (a
//     `__proto__` key becomes an own property), else a Map;
//   half / single / double floats -> number;
//   false, true, null -> themselves; undefined (simple 23) -> undefined; other simple
//     values -> CborSimple;
//   tag 1 (epoch seconds, integer or float) -> Date; tags 2 / 3 (bignums) -> bigint; any
//     other tag -> CborTag { tag, value }.
// Both definite and indefinite lengths are read. Decoding is strict: truncated input,
// reserved additional info (28-30), indefinite length on integers or tags, a break outside
// an indefinite container, indefinite strings whose chunks are not definite strings of
// the same major type, two-byte simple values below 32, invalid UTF-8, nesting deeper than
// 512 levels and trailing bytes after the item all throw CborError.
//
// Encoding is the inverse with the shortest forms: integers (numbers that are safe
// integers, and bigints) use the smallest argument; bigints beyond 64 bits become tag 2/3
// bignums; other numbers use the smallest float width that holds them exactly (half,
// single, double; NaN and the infinities as half floats); -0 stays a float. Strings are
// UTF-8 text; Uint8Array / ArrayBuffer / views are byte strings; arrays and objects have
// definite lengths (object members whose value is undefined are left out, as in JSON);
// Date is tag 1 with double-precision epoch seconds (as Smithy's encoders write it); Map
// keeps its keys' types; CborFloat forces a float (single when exact, else double);
// CborTag and CborSimple round-trip. Functions, symbols and invalid dates throw CborError.
import { fromUtf8, utf8 } from "../encoding.js";

export class CborError extends Error {
  override name = "CborError";
}

/** A tagged item whose tag has no native mapping. */
export class CborTag {
  constructor(
    readonly tag: number | bigint,
    readonly value: unknown,
  ) {}
}

/**
 * A number that must travel as a float even when it is integral: encoded as a single-
 * precision float when that holds it exactly (NaN and the infinities included), else as a
 * double. The rpc-v2-cbor serializer wraps float/double members in it, since a float
 * member sent as a CBOR integer is a type error for servers.
 */
export class CborFloat {
  constructor(readonly value: number) {}
}

/** A simple value other than false, true, null and undefined. */
export class CborSimple {
  constructor(readonly value: number) {
    if (
      !Number.isInteger(value) ||
      value < 0 ||
      value > 255 ||
      (value >= 24 && value < 32) ||
      (value >= 20 && value <= 23)
    )
      throw new CborError(`simple value ${value} cannot be encoded as CborSimple`);
  }
}

const MAX_DEPTH = 512;
const BREAK = 0xff;

// ---------------------------------------------------------------------------------------
// Decoding

class Decoder {
  pos = 0;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): never {
    throw new CborError(`${message} (at byte ${this.pos})`);
  }

  need(n: number): void {
    if (n > this.bytes.length - this.pos) this.fail("unexpected end of CBOR data");
  }

  /** Reads the argument of a head with additional info `info` (0-27); lengths come back as number or bigint. */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    switch (info) {
      case 24:
        this.need(1);
        return this.bytes[this.pos++]!;
      case 25:
        this.need(2);
        this.pos += 2;
        return this.view.getUint16(this.pos - 2);
      case 26:
        this.need(4);
        this.pos += 4;
        return this.view.getUint32(this.pos - 4);
      case 27: {
        this.need(8);
        const hi = this.view.getUint32(this.pos);
        const lo = this.view.getUint32(this.pos + 4);
        this.pos += 8;
        // hi < 2^21 keeps hi * 2^32 + lo within 2^53 - 1.
        return hi < 0x200000 ? hi * 0x100000000 + lo : (BigInt(hi) << 32n) | BigInt(lo);
      }
      default:
        return this.fail(`invalid additional info ${info}`);
    }
  }

  /** A length argument that must fit in memory. */
  length(info: number): number {
    const n = this.argument(info);
    if (typeof n === "bigint" || n > this.bytes.length - this.pos) {
      // Every item takes at least one byte, so a length beyond the remaining bytes is truncated input.
      return this.fail(`length ${n} exceeds the remaining ${this.bytes.length - this.pos} bytes`);
    }
    return n;
  }

  bytesOf(n: number): Uint8Array {
    this.need(n);
    this.pos += n;
    return this.bytes.subarray(this.pos - n, this.pos);
  }

  text(bytes: Uint8Array): string {
    try {
      return fromUtf8(bytes, true);
    } catch {
      return this.fail("invalid UTF-8 in a text string");
    }
  }

  /** An indefinite-length byte or text string: definite chunks of the same major type until a break. */
  chunks(major: 2 | 3): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      this.need(1);
      const head = this.bytes[this.pos]!;
      if (head === BREAK) {
        this.pos++;
        break;
      }
      if (head >> 5 !== major) this.fail(`unexpected major type ${head >> 5} in an indefinite-length string`);
      if ((head & 31) === 31) this.fail("nested indefinite-length string");
      this.pos++;
      const chunk = this.bytesOf(this.length(head & 31));
      if (major === 3) this.text(chunk); // each chunk must be valid UTF-8 on its own
      parts.push(chunk);
      total += chunk.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** True (and consumes it) when the next byte is a break. */
  atBreak(): boolean {
    this.need(1);
    if (this.bytes[this.pos] === BREAK) {
      this.pos++;
      return true;
    }
    return false;
  }

  item(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`CBOR nesting deeper than ${MAX_DEPTH} levels`);
    this.need(1);
    const head = this.bytes[this.pos++]!;
    const major = head >> 5;
    const info = head & 31;
    switch (major) {
      case 0:
        if (info === 31) this.fail("indefinite length on an unsigned integer");
        return this.argument(info);
      case 1: {
        if (info === 31) this.fail("indefinite length on a negative integer");
        const n = this.argument(info);
        if (typeof n === "number" && n < Number.MAX_SAFE_INTEGER) return -1 - n;
        return -1n - BigInt(n);
      }
      case 2:
        return info === 31 ? this.chunks(2) : this.bytesOf(this.length(info)).slice();
      case 3:
        return this.text(info === 31 ? this.chunks(3) : this.bytesOf(this.length(info)));
      case 4: {
        const out: unknown[] = [];
        if (info === 31) {
          while (!this.atBreak()) out.push(this.item(depth + 1));
        } else {
          const n = this.length(info);
          for (let i = 0; i < n; i++) out.push(this.item(depth + 1));
        }
        return out;
      }
      case 5:
        return this.map(info, depth);
      case 6: {
        if (info === 31) this.fail("indefinite length on a tag");
        const tag = this.argument(info);
        return this.tagged(tag, this.item(depth + 1));
      }
      default:
        return this.simple(info);
    }
  }

  map(info: number, depth: number): unknown {
    const entries: [unknown, unknown][] = [];
    const indefinite = info === 31;
    const n = indefinite ? Infinity : this.length(info);
    for (let i = 0; i < n; i++) {
      if (indefinite && this.atBreak()) break;
      const key = this.item(depth + 1);
      if (indefinite && this.bytes[this.pos] === BREAK) this.fail("a map key without a value");
      entries.push([key, this.item(depth + 1)]);
    }
    if (entries.every(([k]) => typeof k === "string")) {
      const obj: Record<string, unknown> = {};
      for (const [k, v] of entries) {
        if (k === "__proto__")
          Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[k as string] = v;
      }
      return obj;
    }
    return new Map(entries);
  }

  tagged(tag: number | bigint, value: unknown): unknown {
    if (tag === 1) {
      if (typeof value === "number") {
        const d = new Date(Math.round(value * 1000));
        if (!Number.isNaN(d.getTime())) return d;
      }
      this.fail("tag 1 (epoch time) must hold a number of seconds within the Date range");
    }
    if (tag === 2 || tag === 3) {
      if (!(value instanceof Uint8Array)) this.fail(`tag ${tag} (bignum) must hold a byte string`);
      let n = 0n;
      for (const b of value) n = (n << 8n) | BigInt(b);
      return tag === 2 ? n : -1n - n;
    }
    return new CborTag(tag, value);
  }

  simple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 24: {
        this.need(1);
        const v = this.bytes[this.pos++]!;
        if (v < 32) this.fail(`two-byte simple value ${v} (must be >= 32)`);
        return new CborSimple(v);
      }
      case 25:
        this.need(2);
        this.pos += 2;
        return halfToNumber(this.view.getUint16(this.pos - 2));
      case 26:
        this.need(4);
        this.pos += 4;
        return this.view.getFloat32(this.pos - 4);
      case 27:
        this.need(8);
        this.pos += 8;
        return this.view.getFloat64(this.pos - 8);
      case 31:
        return this.fail("unexpected break");
      default:
        if (info < 20) return new CborSimple(info);
        return this.fail(`invalid additional info ${info} for major type 7`);
    }
  }
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Decodes exactly one CBOR item from `bytes`; throws CborError on malformed input or trailing bytes. */
export function decodeCbor(bytes: Uint8Array): unknown {
  const d = new Decoder(bytes);
  const value = d.item(0);
  if (d.pos !== bytes.length) d.fail(`${bytes.length - d.pos} trailing bytes after the CBOR item`);
  return value;
}

// ---------------------------------------------------------------------------------------
// Encoding

class Encoder {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A head with the smallest argument encoding; `n` is a non-negative integer (number or bigint < 2^64). */
  head(major: number, n: number | bigint): void {
    const m = major << 5;
    if (typeof n === "bigint") {
      if (n <= 0xffffffffn) return this.head(major, Number(n));
      this.ensure(9);
      this.buf[this.pos++] = m | 27;
      this.view.setBigUint64(this.pos, n);
      this.pos += 8;
      return;
    }
    this.ensure(9);
    if (n < 24) this.buf[this.pos++] = m | n;
    else if (n < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else if (n < 0x100000000) {
      this.buf[this.pos++] = m | 26;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = m | 27;
      this.view.setUint32(this.pos, Math.floor(n / 0x100000000));
      this.view.setUint32(this.pos + 4, n >>> 0);
      this.pos += 8;
    }
  }

  float(n: number): void {
    const half = numberToHalf(n);
    this.ensure(9);
    if (half !== undefined) {
      this.buf[this.pos++] = 0xf9;
      this.view.setUint16(this.pos, half);
      this.pos += 2;
    } else if (Math.fround(n) === n) {
      this.buf[this.pos++] = 0xfa;
      this.view.setFloat32(this.pos, n);
      this.pos += 4;
    } else {
      this.double(n);
    }
  }

  double(n: number): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xfb;
    this.view.setFloat64(this.pos, n);
    this.pos += 8;
  }

  bigint(n: bigint): void {
    if (n >= 0n) {
      if (n <= 0xffffffffffffffffn) return this.head(0, n);
      this.head(6, 2);
      return this.bytes(bigintBytes(n));
    }
    const m = -1n - n;
    if (m <= 0xffffffffffffffffn) return this.head(1, m);
    this.head(6, 3);
    this.bytes(bigintBytes(m));
  }

  bytes(b: Uint8Array): void {
    this.head(2, b.length);
    this.raw(b);
  }

  value(v: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new CborError(`value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
    switch (typeof v) {
      case "number":
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
          if (v >= 0) this.head(0, v);
          else this.head(1, -1 - v);
        } else this.float(v);
        return;
      case "bigint":
        return this.bigint(v);
      case "string": {
        const b = utf8(v);
        this.head(3, b.length);
        this.raw(b);
        return;
      }
      case "boolean":
        return this.byte(v ? 0xf5 : 0xf4);
      case "undefined":
        return this.byte(0xf7);
      case "object":
        return this.object(v, depth);
      default:
        throw new CborError(`cannot encode a ${typeof v} as CBOR`);
    }
  }

  object(v: object | null, depth: number): void {
    if (v === null) return this.byte(0xf6);
    if (v instanceof Uint8Array) return this.bytes(v);
    if (ArrayBuffer.isView(v)) return this.bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    if (v instanceof ArrayBuffer) return this.bytes(new Uint8Array(v));
    if (Array.isArray(v)) {
      this.head(4, v.length);
      for (const item of v) this.value(item, depth + 1);
      return;
    }
    if (v instanceof Date) {
      const ms = v.getTime();
      if (Number.isNaN(ms)) throw new CborError("cannot encode an invalid Date");
      this.head(6, 1);
      return this.double(ms / 1000);
    }
    if (v instanceof CborFloat) {
      const n = v.value;
      if (typeof n !== "number") throw new CborError(`CborFloat holds a ${typeof n}, not a number`);
      if (Math.fround(n) === n || Number.isNaN(n)) {
        this.ensure(5);
        this.buf[this.pos++] = 0xfa;
        this.view.setFloat32(this.pos, n);
        this.pos += 4;
        return;
      }
      return this.double(n);
    }
    if (v instanceof CborTag) {
      this.head(6, v.tag);
      return this.value(v.value, depth + 1);
    }
    if (v instanceof CborSimple) {
      if (v.value < 24) this.byte(0xe0 | v.value);
      else {
        this.byte(0xf8);
        this.byte(v.value);
      }
      return;
    }
    if (v instanceof Map) {
      this.head(5, v.size);
      for (const [k, item] of v) {
        this.value(k, depth + 1);
        this.value(item, depth + 1);
      }
      return;
    }
    const entries = Object.entries(v).filter(([, item]) => item !== undefined);
    this.head(5, entries.length);
    for (const [k, item] of entries) {
      this.value(k, depth + 1);
      this.value(item, depth + 1);
    }
  }
}

function bigintBytes(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The IEEE 754 half-precision bits of `n` when it converts exactly, else undefined. */
function numberToHalf(n: number): number | undefined {
  if (Number.isNaN(n)) return 0x7e00;
  const sign = n < 0 || Object.is(n, -0) ? 0x8000 : 0;
  const a = Math.abs(n);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  // Subnormal halves: multiples of 2^-24 below 2^-14.
  if (a < 2 ** -14) {
    const m = a * 2 ** 24;
    return Number.isInteger(m) ? sign | m : undefined;
  }
  if (a > 65504) return undefined;
  const exp = Math.floor(Math.log2(a));
  // log2 can be off by one at the edges; correct it.
  const e = a >= 2 ** (exp + 1) ? exp + 1 : a < 2 ** exp ? exp - 1 : exp;
  const mant = (a / 2 ** e - 1) * 1024;
  if (!Number.isInteger(mant)) return undefined;
  return sign | ((e + 15) << 10) | mant;
}

/** Encodes one value as CBOR (see the module comment for the mapping). */
export function encodeCbor(value: unknown): Uint8Array {
  const e = new Encoder();
  e.value(value, 0);
  return e.buf.slice(0, e.pos);
}
