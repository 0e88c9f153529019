// NIST P-256 (secp256r1) ECDSA over SHA-256 in plain TypeScript with BigInt: point
// arithmetic in Jacobian coordinates (a = -3 doubling), a lazily built fixed-window table
// for multiples of the generator (64 additions per k*G, no doublings), Shamir's trick for
// the u1*G + u2*Q of verification, deterministic nonces (RFC 6979, HMAC-SHA256), and DER
// signatures. Used for SigV4a key derivation and verification everywhere, and for signing
// where the platform has no native ECDSA. BigInt arithmetic is not constant time; native
// signing (#crypto importP256PrivateKey) is preferred when available.

import { hmacSha256Sync, sha256Sync } from "#crypto";
import { derSignature, parseDerSignature } from "../crypto/der.js";

export const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
export const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const GX = 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n;
const GY = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n;

/** An affine point on the curve. */
export interface P256PublicKey {
  x: bigint;
  y: bigint;
}

/** Jacobian point [X, Y, Z] standing for (X/Z^2, Y/Z^3); Z = 0 is the point at infinity. */
type Jacobian = readonly [bigint, bigint, bigint];
const INFINITY: Jacobian = [1n, 1n, 0n];

function mod(a: bigint, m: bigint = P): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Modular inverse by the extended Euclidean algorithm (a must be non-zero mod m). */
export function invert(a: bigint, m: bigint): bigint {
  let r0 = m;
  let r1 = mod(a, m);
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw new RangeError("value has no inverse");
  return mod(t0, m);
}

function double(p: Jacobian): Jacobian {
  const [x, y, z] = p;
  if (z === 0n || y === 0n) return INFINITY;
  const delta = (z * z) % P;
  const gamma = (y * y) % P;
  const beta = (x * gamma) % P;
  const alpha = (3n * mod(x - delta) * (x + delta)) % P;
  const x3 = mod(alpha * alpha - 8n * beta);
  const z3 = mod((y + z) * (y + z) - gamma - delta);
  const y3 = mod(alpha * (4n * beta - x3) - 8n * ((gamma * gamma) % P));
  return [x3, y3, z3];
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  const [x1, y1, z1] = p;
  const [x2, y2, z2] = q;
  if (z1 === 0n) return q;
  if (z2 === 0n) return p;
  const z1z1 = (z1 * z1) % P;
  const z2z2 = (z2 * z2) % P;
  const u1 = (x1 * z2z2) % P;
  const u2 = (x2 * z1z1) % P;
  const s1 = (((y1 * z2) % P) * z2z2) % P;
  const s2 = (((y2 * z1) % P) * z1z1) % P;
  const h = mod(u2 - u1);
  const r = mod(s2 - s1);
  if (h === 0n) return r === 0n ? double(p) : INFINITY;
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (u1 * hh) % P;
  const x3 = mod(r * r - hhh - 2n * v);
  const y3 = mod(r * (v - x3) - s1 * hhh);
  const z3 = (((z1 * z2) % P) * h) % P;
  return [x3, y3, z3];
}

function toAffine(p: Jacobian): P256PublicKey | undefined {
  const [x, y, z] = p;
  if (z === 0n) return undefined;
  const zi = invert(z, P);
  const zi2 = (zi * zi) % P;
  return { x: (x * zi2) % P, y: (((y * zi2) % P) * zi) % P };
}

const G: Jacobian = [GX, GY, 1n];

// GTABLE[w][j] = j * 16^w * G for the 64 four-bit windows of a scalar.
let GTABLE: Jacobian[][] | undefined;

function generatorTable(): Jacobian[][] {
  if (GTABLE) return GTABLE;
  const table: Jacobian[][] = [];
  let base = G;
  for (let w = 0; w < 64; w++) {
    const row: Jacobian[] = [INFINITY, base];
    for (let j = 2; j < 16; j++) row.push(add(row[j - 1]!, base));
    table.push(row);
    base = double(double(double(double(base))));
  }
  GTABLE = table;
  return table;
}

/** k * G. */
function multiplyG(k: bigint): Jacobian {
  const table = generatorTable();
  let acc = INFINITY;
  for (let w = 0; w < 64 && k > 0n; w++) {
    const nibble = Number(k & 15n);
    if (nibble) acc = add(acc, table[w]![nibble]!);
    k >>= 4n;
  }
  return acc;
}

/** u1 * G + u2 * Q with a shared doubling chain (Shamir's trick, 2-bit pairs). */
function multiplyTwo(u1: bigint, u2: bigint, q: Jacobian): Jacobian {
  const gq = add(G, q);
  let acc = INFINITY;
  for (let bit = 255; bit >= 0; bit--) {
    acc = double(acc);
    const b1 = (u1 >> BigInt(bit)) & 1n;
    const b2 = (u2 >> BigInt(bit)) & 1n;
    if (b1 && b2) acc = add(acc, gq);
    else if (b1) acc = add(acc, G);
    else if (b2) acc = add(acc, q);
  }
  return acc;
}

export function isOnCurve(point: P256PublicKey): boolean {
  const { x, y } = point;
  if (x < 0n || x >= P || y < 0n || y >= P) return false;
  return mod(y * y - (x * x * x - 3n * x + B)) === 0n;
}

/** The public key of private scalar d (1 <= d < n). */
export function publicKeyOf(d: bigint): P256PublicKey {
  if (d <= 0n || d >= N) throw new RangeError("private key out of range");
  return toAffine(multiplyG(d))!;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

export function bigIntToBytes(v: bigint, length = 32): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** RFC 6979 section 3.2 nonce for private key d and message digest h (both 32 bytes). */
function* rfc6979Nonces(d: bigint, digest: Uint8Array): Generator<bigint> {
  const x = bigIntToBytes(d);
  const h = bigIntToBytes(mod(bytesToBigInt(digest), N)); // bits2octets
  let v: Uint8Array = new Uint8Array(32).fill(1);
  let k: Uint8Array = new Uint8Array(32);
  k = hmacSha256Sync(k, concat(v, Uint8Array.of(0), x, h));
  v = hmacSha256Sync(k, v);
  k = hmacSha256Sync(k, concat(v, Uint8Array.of(1), x, h));
  v = hmacSha256Sync(k, v);
  for (;;) {
    v = hmacSha256Sync(k, v);
    const candidate = bytesToBigInt(v);
    if (candidate >= 1n && candidate < N) yield candidate;
    k = hmacSha256Sync(k, concat(v, Uint8Array.of(0)));
    v = hmacSha256Sync(k, v);
  }
}

/** Signs SHA-256(message) with private key d; returns r and s (deterministic, RFC 6979). */
export function signDigest(d: bigint, digest: Uint8Array): { r: bigint; s: bigint } {
  if (d <= 0n || d >= N) throw new RangeError("private key out of range");
  const e = mod(bytesToBigInt(digest), N);
  for (const k of rfc6979Nonces(d, digest)) {
    const point = toAffine(multiplyG(k));
    if (!point) continue;
    const r = point.x % N;
    if (r === 0n) continue;
    const s = (invert(k, N) * ((e + r * d) % N)) % N;
    if (s === 0n) continue;
    return { r, s };
  }
  throw new Error("unreachable");
}

/** DER ECDSA-SHA256 signature of `message` by private key d. */
export function sign(d: bigint, message: Uint8Array | string): Uint8Array {
  const { r, s } = signDigest(d, sha256Sync(message));
  return derSignature(bigIntToBytes(r), bigIntToBytes(s));
}

/** Verifies r, s over a SHA-256 digest. */
export function verifyDigest(publicKey: P256PublicKey, digest: Uint8Array, r: bigint, s: bigint): boolean {
  if (r <= 0n || r >= N || s <= 0n || s >= N) return false;
  if (!isOnCurve(publicKey)) return false;
  const e = mod(bytesToBigInt(digest), N);
  const w = invert(s, N);
  const u1 = (e * w) % N;
  const u2 = (r * w) % N;
  const point = toAffine(multiplyTwo(u1, u2, [publicKey.x, publicKey.y, 1n]));
  return point !== undefined && point.x % N === r;
}

/** Verifies a DER ECDSA-SHA256 signature of `message`. */
export function verify(publicKey: P256PublicKey, message: Uint8Array | string, der: Uint8Array): boolean {
  const parsed = parseDerSignature(der);
  if (!parsed) return false;
  return verifyDigest(publicKey, sha256Sync(message), bytesToBigInt(parsed.r), bytesToBigInt(parsed.s));
}
