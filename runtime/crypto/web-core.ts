// #crypto-core for browsers and edge runtimes: the hashing and randomness the client core
// needs per call (the signer's SHA-256 and HMAC, the payload hash, invocation ids), from
// WebCrypto. The hashes return promises, which the signer chains (node.ts returns plain
// values under the same names, so Node signs without yielding). Where there is no WebCrypto
// digest (a page served over plain http is not a secure context), they fall back to the
// pure-JS hashes of hashes.js, loaded on first use: nothing here imports them statically, so
// a browser bundle carries no hash code of its own. web.ts (#crypto) re-exports all of this.

import { toHex } from "../encoding.js";

const encoder = new TextEncoder();

function subtle(): SubtleCrypto | undefined {
  return typeof crypto !== "undefined" && crypto.subtle ? crypto.subtle : undefined;
}

function bytes(data: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return (typeof data === "string" ? encoder.encode(data) : data) as Uint8Array<ArrayBuffer>;
}

let jsHashes: Promise<typeof import("./hashes.js")> | undefined;
/** The pure-JS hashes, loaded when WebCrypto is missing. */
const js = (): Promise<typeof import("./hashes.js")> => (jsHashes ??= import("./hashes.js"));

// HMAC keys imported into WebCrypto, per key array: the signer keeps a derived signing key
// for a day, so each is imported once.
const hmacKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(s: SubtleCrypto, key: Uint8Array | string): Promise<CryptoKey> {
  let k = typeof key === "string" ? undefined : hmacKeys.get(key);
  if (!k) {
    // WebCrypto refuses an empty key; HMAC pads short keys with zeros, so one zero byte is the same key.
    const raw = bytes(key);
    k = s.importKey("raw", raw.length ? raw : new Uint8Array(1), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    if (typeof key !== "string") hmacKeys.set(key, k);
  }
  return k;
}

/** SHA-256 (WebCrypto, else the JS fallback). */
export async function sha256(data: Uint8Array | string): Promise<Uint8Array> {
  const s = subtle();
  return s ? new Uint8Array(await s.digest("SHA-256", bytes(data))) : (await js()).sha256Js(data);
}

// The signer's primitives are typed as node.ts types them (a value or a promise), so either
// module stands for the other; here they always return promises.

/** Hex SHA-256 (a promise here; node.ts answers synchronously). */
export const sha256Hex: (data: Uint8Array | string) => string | Promise<string> = (data) => sha256(data).then(toHex);

/** HMAC-SHA256 (WebCrypto, else the JS fallback). */
export async function hmacSha256(key: Uint8Array | string, data: Uint8Array | string): Promise<Uint8Array> {
  const s = subtle();
  return s ? new Uint8Array(await s.sign("HMAC", await hmacKey(s, key), bytes(data))) : (await js()).hmacSha256Js(key, data);
}

/** HMAC-SHA256 (a promise here; node.ts answers synchronously). */
export const hmacSha256Maybe: (key: Uint8Array | string, data: Uint8Array | string) => Uint8Array | Promise<Uint8Array> = hmacSha256;

/** Hex HMAC-SHA256 (a promise here; node.ts answers synchronously). */
export const hmacSha256Hex: (key: Uint8Array | string, data: Uint8Array | string) => string | Promise<string> = (key, data) =>
  hmacSha256(key, data).then(toHex);

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536)); // subarray stops at the end
  return out;
}

/** The first four groups of a UUID's 32 hex digits (8-4-4-4, then 12). */
const UUID_GROUPS = /(.{8})(.{4})(.{4})(.{4})/;

/** A random (version 4) UUID; crypto.randomUUID exists only in secure contexts, so build one otherwise. */
export function randomUUID(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return toHex(b).replace(UUID_GROUPS, "$1-$2-$3-$4-");
}
