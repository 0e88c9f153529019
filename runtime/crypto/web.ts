// #crypto for browsers and edge runtimes: the *Sync functions, the streaming hashes and MD5
// (WebCrypto has no synchronous or streaming digest and no MD5) are the pure-JS ones of
// hashes.js; the async SHA-256 and HMAC, random numbers and UUIDs are web-core.ts's
// (#crypto-core: WebCrypto, with a JS fallback), and ECDSA signing is WebCrypto's. The
// client core imports only #crypto-core, so a bundle without SigV4a or checksums never
// includes this module or hashes.js.

import { Md5, Sha1, Sha256, hmacSha256Js, md5Js, sha256Js } from "./hashes.js";
import { Sha512 } from "./sha512.js";
import { p1363ToDer } from "./der.js";
import { toHex } from "../encoding.js";
import type { HashAlgorithm, P256Signer, SyncHash } from "./types.js";

export type { HashAlgorithm, P256Signer, SyncHash } from "./types.js";

/** Which #crypto implementation this is (diagnostics and tests). */
export const CRYPTO_IMPLEMENTATION: "node" | "web" = "web";

function subtle(): SubtleCrypto | undefined {
  return typeof crypto !== "undefined" && crypto.subtle ? crypto.subtle : undefined;
}

export { sha256, sha256Hex, hmacSha256, hmacSha256Maybe, hmacSha256Hex, randomBytes, randomUUID } from "./web-core.js";

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

export function md5(data: Uint8Array | string): Promise<Uint8Array> {
  return Promise.resolve(md5Js(data));
}

/** A streaming SHA-1, SHA-256, SHA-512 or MD5. */
export function createHash(algorithm: HashAlgorithm): SyncHash {
  switch (algorithm) {
    case "sha256":
      return new Sha256();
    case "sha1":
      return new Sha1();
    case "md5":
      return new Md5();
    case "sha512":
      return new Sha512();
  }
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
