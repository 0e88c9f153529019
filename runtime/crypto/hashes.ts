// Pure-JS streaming SHA-256, SHA-1 and MD5 (plus HMAC-SHA256) for runtimes without
// node:crypto (SHA-512, on the same block buffering, is sha512.ts: the signer's fallback, which
// imports this module whole, never needs it). WebCrypto has no streaming digest and no MD5, and its promise round trip
// costs more than hashing a few hundred bytes in JS, so browsers use these for checksums,
// Content-MD5 and the small signer hashes. One block-buffering base class feeds 64-byte
// blocks (128 for SHA-512) to each algorithm's compression function; nothing is allocated per
// block.

import type { SyncHash } from "./types.js";

const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** Buffers input into blocks for a compression function (sha512.ts extends it too). */
export abstract class BlockHash implements SyncHash {
  private readonly size: number;
  private readonly block: Uint8Array;
  private readonly blockView: DataView;
  private used = 0;
  private total = 0;
  private done = false;

  protected abstract compress(view: DataView, offset: number): void;
  protected abstract readonly bigEndian: boolean;
  protected abstract output(): Uint8Array;

  /** `size`: the block size in bytes (64, or 128 for SHA-512, whose length field is 16 bytes). */
  constructor(size = 64) {
    this.size = size;
    this.block = new Uint8Array(size);
    this.blockView = new DataView(this.block.buffer);
  }

  update(chunk: Uint8Array): void {
    if (this.done) throw new Error("hash already digested");
    const n = chunk.length;
    if (n === 0) return;
    this.total += n;
    const size = this.size;
    let i = 0;
    if (this.used > 0) {
      const take = Math.min(size - this.used, n);
      this.block.set(chunk.subarray(0, take), this.used);
      this.used += take;
      i = take;
      if (this.used < size) return;
      this.compress(this.blockView, 0);
      this.used = 0;
    }
    if (n - i >= size) {
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (; i + size <= n; i += size) this.compress(view, i);
    }
    if (i < n) {
      this.block.set(chunk.subarray(i), 0);
      this.used = n - i;
    }
  }

  digest(): Uint8Array {
    if (this.done) throw new Error("hash already digested");
    this.done = true;
    const block = this.block;
    const size = this.size;
    block[this.used++] = 0x80;
    // The bit length ends the last block: 8 bytes (16 for SHA-512, the first 8 of them zero here).
    if (this.used > size - (size === 128 ? 16 : 8)) {
      block.fill(0, this.used);
      this.compress(this.blockView, 0);
      this.used = 0;
    }
    block.fill(0, this.used);
    const bitsHigh = Math.floor(this.total / 0x20000000);
    const bitsLow = (this.total * 8) >>> 0;
    if (this.bigEndian) {
      this.blockView.setUint32(size - 8, bitsHigh, false);
      this.blockView.setUint32(size - 4, bitsLow, false);
    } else {
      this.blockView.setUint32(size - 8, bitsLow, true);
      this.blockView.setUint32(size - 4, bitsHigh, true);
    }
    this.compress(this.blockView, 0);
    return this.output();
  }
}

const K256 = /* @__PURE__ */ new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

export class Sha256 extends BlockHash {
  protected readonly bigEndian = true;
  private readonly h = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  private readonly w = new Int32Array(64);

  protected compress(view: DataView, offset: number): void {
    const w = this.w;
    const h = this.h;
    for (let t = 0; t < 16; t++) w[t] = view.getInt32(offset + t * 4, false);
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K256[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + hh) | 0;
  }

  protected output(): Uint8Array {
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) view.setInt32(i * 4, this.h[i]!, false);
    return out;
  }
}

export class Sha1 extends BlockHash {
  protected readonly bigEndian = true;
  private readonly h = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  private readonly w = new Int32Array(80);

  protected compress(view: DataView, offset: number): void {
    const w = this.w;
    const h = this.h;
    for (let t = 0; t < 16; t++) w[t] = view.getInt32(offset + t * 4, false);
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
  }

  protected output(): Uint8Array {
    const out = new Uint8Array(20);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 5; i++) view.setInt32(i * 4, this.h[i]!, false);
    return out;
  }
}

// MD5 per-round shift amounts and sine-derived constants (RFC 1321).
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
let MD5_K: Int32Array | undefined;
function md5Constants(): Int32Array {
  if (!MD5_K) {
    MD5_K = new Int32Array(64);
    for (let i = 0; i < 64; i++) MD5_K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0;
  }
  return MD5_K;
}

export class Md5 extends BlockHash {
  protected readonly bigEndian = false;
  private readonly h = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  private readonly m = new Int32Array(16);
  private readonly k = md5Constants();

  protected compress(view: DataView, offset: number): void {
    const m = this.m;
    const h = this.h;
    for (let t = 0; t < 16; t++) m[t] = view.getInt32(offset + t * 4, true);
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      const round = i >> 4;
      if (round === 0) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (round === 1) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (round === 2) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const s = MD5_S[(round << 2) | (i & 3)]!;
      const x = (a + f + this.k[i]! + m[g]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
  }

  protected output(): Uint8Array {
    const out = new Uint8Array(16);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 4; i++) view.setInt32(i * 4, this.h[i]!, true);
    return out;
  }
}

export function sha256Js(data: Uint8Array | string): Uint8Array {
  const h = new Sha256();
  h.update(bytesOf(data));
  return h.digest();
}

export function sha1Js(data: Uint8Array | string): Uint8Array {
  const h = new Sha1();
  h.update(bytesOf(data));
  return h.digest();
}

export function md5Js(data: Uint8Array | string): Uint8Array {
  const h = new Md5();
  h.update(bytesOf(data));
  return h.digest();
}

const IPAD = /* @__PURE__ */ new Uint8Array(64).fill(0x36);

/** HMAC-SHA256 (RFC 2104) over the pure-JS SHA-256. */
export function hmacSha256Js(key: Uint8Array | string, data: Uint8Array | string): Uint8Array {
  let k = bytesOf(key);
  if (k.length > 64) k = sha256Js(k);
  const pad = new Uint8Array(64);
  pad.set(IPAD);
  for (let i = 0; i < k.length; i++) pad[i] = pad[i]! ^ k[i]!;
  const inner = new Sha256();
  inner.update(pad);
  inner.update(bytesOf(data));
  const innerDigest = inner.digest();
  for (let i = 0; i < 64; i++) pad[i] = pad[i]! ^ 0x6a; // ipad -> opad (0x36 ^ 0x5c)
  const outer = new Sha256();
  outer.update(pad);
  outer.update(innerDigest);
  return outer.digest();
}
