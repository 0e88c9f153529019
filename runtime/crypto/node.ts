// #crypto for Node: thin wrappers over node:crypto (OpenSSL), which hashes synchronously and
// fast. The async functions are the portable contract (web.ts may await WebCrypto); the
// *Sync variants let the signer hash its small strings without a promise per step. Buffers
// are returned as plain Uint8Array views so callers never see Buffer-only behaviour.

import * as nodeCrypto from "node:crypto";
import {
  createHash as nodeCreateHash,
  createHmac,
  createPrivateKey,
  randomBytes as nodeRandomBytes,
  randomUUID as nodeRandomUUID,
  sign as nodeSign,
} from "node:crypto";
import type { HashAlgorithm, P256Signer, SyncHash } from "./types.js";

export type { HashAlgorithm, P256Signer, SyncHash } from "./types.js";

/** Which #crypto implementation this is (diagnostics and tests). */
export const CRYPTO_IMPLEMENTATION: "node" | "web" = "node";

function view(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function sha256Sync(data: Uint8Array | string): Uint8Array {
  return view(nodeCreateHash("sha256").update(data).digest());
}

export function hmacSha256Sync(key: Uint8Array | string, data: Uint8Array | string): Uint8Array {
  return view(createHmac("sha256", key).update(data).digest());
}

// crypto.hash (Node 20.12+): a one-shot digest without a Hash object, about twice as fast on
// the small inputs a signer hashes. Read off the namespace so older Node versions still load.
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: "hex") => string }).hash;

/** Hex SHA-256 (OpenSSL formats the hex; no intermediate bytes). */
export function sha256HexSync(data: Uint8Array | string): string {
  return oneShotHash !== undefined ? oneShotHash("sha256", data, "hex") : nodeCreateHash("sha256").update(data).digest("hex");
}

/** Hex HMAC-SHA256. */
export function hmacSha256HexSync(key: Uint8Array | string, data: Uint8Array | string): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

// The signer's primitives: synchronous here (the same functions as above), a promise in
// web.ts (WebCrypto). Callers check for a promise, so Node signs without yielding.

/** Hex SHA-256: a string here, a promise where hashing is asynchronous (web.ts). */
export const sha256Hex: (data: Uint8Array | string) => string | Promise<string> = sha256HexSync;

/** HMAC-SHA256: bytes here, a promise where hashing is asynchronous (web.ts). */
export const hmacSha256Maybe: (key: Uint8Array | string, data: Uint8Array | string) => Uint8Array | Promise<Uint8Array> = hmacSha256Sync;

/** Hex HMAC-SHA256: a string here, a promise where hashing is asynchronous (web.ts). */
export const hmacSha256Hex: (key: Uint8Array | string, data: Uint8Array | string) => string | Promise<string> = hmacSha256HexSync;

export function sha256(data: Uint8Array | string): Promise<Uint8Array> {
  return Promise.resolve(sha256Sync(data));
}

export function hmacSha256(key: Uint8Array | string, data: Uint8Array | string): Promise<Uint8Array> {
  return Promise.resolve(hmacSha256Sync(key, data));
}

export function md5(data: Uint8Array | string): Promise<Uint8Array> {
  return Promise.resolve(view(nodeCreateHash("md5").update(data).digest()));
}

/** A streaming SHA-1, SHA-256, SHA-512 or MD5. */
export function createHash(algorithm: HashAlgorithm): SyncHash {
  const hash = nodeCreateHash(algorithm);
  return {
    update(chunk: Uint8Array): void {
      hash.update(chunk);
    },
    digest(): Uint8Array {
      return view(hash.digest());
    },
  };
}

/** A random (version 4) UUID. */
export function randomUUID(): string {
  return nodeRandomUUID();
}

export function randomBytes(n: number): Uint8Array {
  return view(nodeRandomBytes(n));
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/**
 * Imports a P-256 private key (big-endian d, with its public point x, y) for ECDSA-SHA256
 * signing by OpenSSL. Returns undefined if the platform cannot (callers fall back to JS).
 */
export async function importP256PrivateKey(d: Uint8Array, x: Uint8Array, y: Uint8Array): Promise<P256Signer | undefined> {
  try {
    const key = createPrivateKey({
      key: { kty: "EC", crv: "P-256", d: base64url(d), x: base64url(x), y: base64url(y) },
      format: "jwk",
    });
    return {
      sign(message: Uint8Array): Promise<Uint8Array> {
        return Promise.resolve(view(nodeSign("sha256", message, { key, dsaEncoding: "der" })));
      },
    };
  } catch {
    return undefined;
  }
}
