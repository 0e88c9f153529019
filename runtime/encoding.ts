// Byte and text encodings shared by the whole runtime. Pure functions over Uint8Array
// so the same code runs in Node, browsers and edge runtimes; no Buffer in signatures.

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8; with `strict`, invalid bytes throw instead of becoming U+FFFD. */
export function fromUtf8(bytes: Uint8Array, strict = false): string {
  return (strict ? strictDecoder : decoder).decode(bytes);
}

/** Accepts the blob forms users may pass (string as UTF-8, bytes, any ArrayBufferView). */
export function toBytes(value: Uint8Array | ArrayBuffer | ArrayBufferView | string): Uint8Array {
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(value);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2) throw new Error("hex string has an odd length");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = parseInt(hex.substr(i * 2, 2), 16);
    if (Number.isNaN(byte)) throw new Error("invalid hex string");
    out[i] = byte;
  }
  return out;
}

// Base64: encoding goes through the platform's btoa over a "binary string" (one char per
// byte), which every supported runtime has. Decoding keeps its own table: Node 20's atob
// is several times slower than this loop on large input (Kinesis records, blobs in JSON).

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // In slices, as an argument list has a size limit; through apply, which takes the typed
  // array as it is (a spread would iterate it, several times slower).
  for (let i = 0; i < bytes.length; i += 4096)
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  return btoa(binary);
}

/** The 6-bit value of each base64 character code below 128 (`-` and `_` as in base64url), else -1. */
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 66; i++) {
  BASE64_VALUES["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_".charCodeAt(i)] = i < 64 ? i : i - 2;
}

/** Decodes standard or URL-safe base64; whitespace and `=` are ignored, other junk throws. */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/[\s=]+/g, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? BASE64_VALUES[c]! : -1;
    if (v < 0) throw new Error("invalid base64 string");
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
