// Pure-JS streaming SHA-256, SHA-1, MD5 and SHA-512 (plus HMAC-SHA256) for runtimes without
// node:crypto. WebCrypto has no streaming digest and no MD5, and its promise round trip
// costs more than hashing a few hundred bytes in JS, so browsers use these for checksums,
// Content-MD5 and the small signer hashes. One block-buffering base class feeds 64-byte
// blocks (128 for SHA-512) to each algorithm's compression function; nothing is allocated per
// block. SHA-512's 64-bit words are pairs of 32-bit halves (high, low).

import type { SyncHash } from "./types.js";

const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

abstract class BlockHash implements SyncHash {
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

// SHA-512's round constants and initial value (FIPS 180-4), each 64-bit word as high, low.
const K512 = /* @__PURE__ */ new Int32Array([
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc,
  0x3956c25b, 0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118,
  0xd807aa98, 0xa3030242, 0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2,
  0x72be5d74, 0xf27b896f, 0x80deb1fe, 0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694,
  0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3, 0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65,
  0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc, 0xbd41fbd4, 0x76f988da, 0x831153b5,
  0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f, 0xbf597fc7, 0xbeef0ee4,
  0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967, 0x0a0e6e70,
  0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b,
  0xa2bfe8a1, 0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30,
  0xd192e819, 0xd6ef5218, 0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8,
  0x19a4c116, 0xb8d2d0c8, 0x1e376c08, 0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8,
  0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb, 0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3,
  0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814, 0xa1f0ab72, 0x8cc70208, 0x1a6439ec,
  0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915, 0xc67178f2, 0xe372532b,
  0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f, 0xee6ed178,
  0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c,
  0x4cc5d4be, 0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
]);
const H512 = [
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1,
  0x510e527f, 0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
];

/** Bits [n, n+32) of the 64-bit word (hi, lo) rotated right by n (0 < n < 64, n != 32): its high half. */
const rotHi = (hi: number, lo: number, n: number): number => (n < 32 ? (hi >>> n) | (lo << (32 - n)) : (lo >>> (n - 32)) | (hi << (64 - n)));
/** The low half of (hi, lo) rotated right by n. */
const rotLo = (hi: number, lo: number, n: number): number => (n < 32 ? (lo >>> n) | (hi << (32 - n)) : (hi >>> (n - 32)) | (lo << (64 - n)));
const TWO32 = 0x100000000;

export class Sha512 extends BlockHash {
  protected readonly bigEndian = true;
  private readonly h = new Int32Array(H512);
  /** The message schedule: 80 words, high and low halves interleaved. */
  private readonly w = new Int32Array(160);

  constructor() {
    super(128);
  }

  protected compress(view: DataView, offset: number): void {
    const w = this.w;
    const h = this.h;
    for (let t = 0; t < 32; t++) w[t] = view.getInt32(offset + t * 4, false);
    for (let t = 32; t < 160; t += 2) {
      // σ0(w[t-15]) = rotr 1 ^ rotr 8 ^ shr 7; σ1(w[t-2]) = rotr 19 ^ rotr 61 ^ shr 6
      const xh = w[t - 30]!, xl = w[t - 29]!, yh = w[t - 4]!, yl = w[t - 3]!;
      const s0h = rotHi(xh, xl, 1) ^ rotHi(xh, xl, 8) ^ (xh >>> 7);
      const s0l = rotLo(xh, xl, 1) ^ rotLo(xh, xl, 8) ^ ((xl >>> 7) | (xh << 25));
      const s1h = rotHi(yh, yl, 19) ^ rotHi(yh, yl, 61) ^ (yh >>> 6);
      const s1l = rotLo(yh, yl, 19) ^ rotLo(yh, yl, 61) ^ ((yl >>> 6) | (yh << 26));
      const lo = (w[t - 31]! >>> 0) + (s0l >>> 0) + (w[t - 13]! >>> 0) + (s1l >>> 0);
      w[t] = (w[t - 32]! + s0h + w[t - 14]! + s1h + Math.floor(lo / TWO32)) | 0;
      w[t + 1] = lo | 0;
    }
    let ah = h[0]!, al = h[1]!, bh = h[2]!, bl = h[3]!, ch = h[4]!, cl = h[5]!, dh = h[6]!, dl = h[7]!;
    let eh = h[8]!, el = h[9]!, fh = h[10]!, fl = h[11]!, gh = h[12]!, gl = h[13]!, hh = h[14]!, hl = h[15]!;
    for (let t = 0; t < 160; t += 2) {
      // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + w[t]; T2 = Σ0(a) + Maj(a, b, c)
      const S1h = rotHi(eh, el, 14) ^ rotHi(eh, el, 18) ^ rotHi(eh, el, 41);
      const S1l = rotLo(eh, el, 14) ^ rotLo(eh, el, 18) ^ rotLo(eh, el, 41);
      const t1l = (hl >>> 0) + (S1l >>> 0) + (((el & fl) ^ (~el & gl)) >>> 0) + (K512[t + 1]! >>> 0) + (w[t + 1]! >>> 0);
      const t1h = hh + S1h + ((eh & fh) ^ (~eh & gh)) + K512[t]! + w[t]! + Math.floor(t1l / TWO32);
      const S0h = rotHi(ah, al, 28) ^ rotHi(ah, al, 34) ^ rotHi(ah, al, 39);
      const S0l = rotLo(ah, al, 28) ^ rotLo(ah, al, 34) ^ rotLo(ah, al, 39);
      const t2l = (S0l >>> 0) + (((al & bl) ^ (al & cl) ^ (bl & cl)) >>> 0);
      const t2h = S0h + ((ah & bh) ^ (ah & ch) ^ (bh & ch)) + Math.floor(t2l / TWO32);
      hh = gh;
      hl = gl;
      gh = fh;
      gl = fl;
      fh = eh;
      fl = el;
      const el2 = (dl >>> 0) + (t1l >>> 0);
      eh = (dh + t1h + Math.floor(el2 / TWO32)) | 0;
      el = el2 | 0;
      dh = ch;
      dl = cl;
      ch = bh;
      cl = bl;
      bh = ah;
      bl = al;
      const al2 = (t1l >>> 0) + (t2l >>> 0);
      ah = (t1h + t2h + Math.floor(al2 / TWO32)) | 0;
      al = al2 | 0;
    }
    const add = (i: number, hi: number, lo: number): void => {
      const sum = (h[i + 1]! >>> 0) + (lo >>> 0);
      h[i] = (h[i]! + hi + Math.floor(sum / TWO32)) | 0;
      h[i + 1] = sum | 0;
    };
    add(0, ah, al);
    add(2, bh, bl);
    add(4, ch, cl);
    add(6, dh, dl);
    add(8, eh, el);
    add(10, fh, fl);
    add(12, gh, gl);
    add(14, hh, hl);
  }

  protected output(): Uint8Array {
    const out = new Uint8Array(64);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 16; i++) view.setInt32(i * 4, this.h[i]!, false);
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
