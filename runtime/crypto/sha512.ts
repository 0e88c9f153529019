// Pure-JS streaming SHA-512 for runtimes without node:crypto (S3's SHA512 checksum): the block
// buffering of hashes.ts with 128-byte blocks, each 64-bit word a pair of 32-bit halves (high,
// low). Its own module, so the signer's lazily loaded fallback (web-core.ts imports hashes.ts
// whole) does not carry it.
import { BlockHash } from "./hashes.js";

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
