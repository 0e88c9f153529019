// #crypto for browsers and edge runtimes: WebCrypto where it helps (random numbers, large
// one-shot SHA-256 digests, ECDSA signing) and the pure-JS hashes in hashes.ts elsewhere.
// WebCrypto has no MD5 and no streaming digests, and for the few hundred bytes the signer
// hashes its promise round trip costs more than hashing in JS, so small inputs stay in JS.

import { Md5, Sha1, Sha256, hmacSha256Js, md5Js, sha256Js } from "./hashes.js";
import { p1363ToDer } from "./der.js";
import { toHex } from "../encoding.js";
import type { HashAlgorithm, P256Signer, SyncHash } from "./types.js";

export type { HashAlgorithm, P256Signer, SyncHash } from "./types.js";

/** Which #crypto implementation this is (diagnostics and tests). */
export const CRYPTO_IMPLEMENTATION: "node" | "web" = "web";

const encoder = new TextEncoder();
/** Inputs at least this long are hashed by WebCrypto (when present) in `sha256`. */
const SUBTLE_MIN_BYTES = 4096;

function subtle(): SubtleCrypto | undefined {
  return typeof crypto !== "undefined" && crypto.subtle ? crypto.subtle : undefined;
}

export function sha256Sync(data: Uint8Array | string): Uint8Array {
  return sha256Js(data);
}

export function hmacSha256Sync(key: Uint8Array | string, data: Uint8Array | string): Uint8Array {
  return hmacSha256Js(key, data);
}

/** Hex SHA-256. */
export function sha256HexSync(data: Uint8Array | string): string {
  return toHex(sha256Js(data));
}

/** Hex HMAC-SHA256. */
export function hmacSha256HexSync(key: Uint8Array | string, data: Uint8Array | string): string {
  return toHex(hmacSha256Js(key, data));
}

export async function sha256(data: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const s = bytes.length >= SUBTLE_MIN_BYTES ? subtle() : undefined;
  if (s) return new Uint8Array(await s.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return sha256Js(bytes);
}

export function hmacSha256(key: Uint8Array | string, data: Uint8Array | string): Promise<Uint8Array> {
  return Promise.resolve(hmacSha256Js(key, data));
}

export function md5(data: Uint8Array | string): Promise<Uint8Array> {
  return Promise.resolve(md5Js(data));
}

/** A streaming SHA-1, SHA-256 or MD5. */
export function createHash(algorithm: HashAlgorithm): SyncHash {
  switch (algorithm) {
    case "sha256":
      return new Sha256();
    case "sha1":
      return new Sha1();
    case "md5":
      return new Md5();
  }
}

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/** A random (version 4) UUID; crypto.randomUUID exists only in secure contexts, so build one otherwise. */
export function randomUUID(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = toHex(b);
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Imports a P-256 private key (big-endian d, with its public point x, y) into WebCrypto for
 * ECDSA-SHA256 signing. Returns undefined without WebCrypto (callers fall back to JS).
 */
export async function importP256PrivateKey(d: Uint8Array, x: Uint8Array, y: Uint8Array): Promise<P256Signer | undefined> {
  const s = subtle();
  if (!s) return undefined;
  try {
    const key = await s.importKey(
      "jwk",
      { kty: "EC", crv: "P-256", d: base64url(d), x: base64url(x), y: base64url(y), ext: false },
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign"],
    );
    return {
      async sign(message: Uint8Array): Promise<Uint8Array> {
        const raw = await s.sign({ name: "ECDSA", hash: "SHA-256" }, key, message as Uint8Array<ArrayBuffer>);
        return p1363ToDer(new Uint8Array(raw));
      },
    };
  } catch {
    return undefined;
  }
}
