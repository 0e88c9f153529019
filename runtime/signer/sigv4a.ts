// AWS Signature Version 4a (AWS4-ECDSA-P256-SHA256): the SigV4 canonical request with a
// region-free scope ("20150830/s3/aws4_request") and an X-Amz-Region-Set header or query
// parameter, signed by ECDSA P-256 instead of HMAC. The P-256 key is derived from the
// credentials as AWS specifies (NIST SP 800-108 KDF in counter mode over HMAC-SHA256, label
// "AWS4-ECDSA-P256-SHA256", retried with the next counter until the candidate is at most
// n-2; private key = candidate + 1), in plain TypeScript (p256.ts), and cached per key pair.
// Signing uses the platform's native ECDSA when #crypto offers it (OpenSSL, WebCrypto) and
// the deterministic pure-TS signer otherwise; ECDSA signatures are randomized, so tests
// verify them rather than compare them.

import { hmacSha256Sync, importP256PrivateKey, type P256Signer } from "#crypto";
import { fromHex, toHex, utf8 } from "../encoding.js";
import type { HttpRequest } from "../http/types.js";
import { signWithHeaders, type BaseSigningOptions, type Credentials, type SigningScheme } from "./core.js";
import { signWithQuery } from "./query.js";
import { N, bigIntToBytes, bytesToBigInt, publicKeyOf, sign, verify, type P256PublicKey } from "./p256.js";

export type { P256PublicKey } from "./p256.js";

export const ALGORITHM_V4A = "AWS4-ECDSA-P256-SHA256";

export interface SigV4aSigningOptions extends BaseSigningOptions {
  /** Regions the signature is valid in, e.g. ["us-east-1", "us-west-2"] or ["*"]; sent comma-joined. */
  regionSet: readonly string[] | string;
  /** Sign with the platform's ECDSA (OpenSSL / WebCrypto) when available; default true. */
  nativeSigning?: boolean;
}

export interface SigV4aKeyPair {
  /** Private scalar d. */
  privateKey: bigint;
  publicKey: P256PublicKey;
}

interface CachedKey extends SigV4aKeyPair {
  native?: Promise<P256Signer | undefined>;
}

const KEY_CACHE_SIZE = 10;
const keyCache = new Map<string, CachedKey>();

function be32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** Derives the SigV4a private scalar from an access key pair (no cache). */
export function derivePrivateKey(accessKeyId: string, secretAccessKey: string): bigint {
  const inputKey = utf8("AWS4A" + secretAccessKey);
  const label = utf8(ALGORITHM_V4A);
  const akid = utf8(accessKeyId);
  const fixed = new Uint8Array(4 + label.length + 1 + akid.length + 1 + 4);
  fixed.set(be32(1), 0); // KDF iteration i = 1 (one 256-bit block)
  fixed.set(label, 4);
  fixed[4 + label.length] = 0; // separator
  fixed.set(akid, 5 + label.length);
  const counterAt = 5 + label.length + akid.length;
  fixed.set(be32(256), counterAt + 1); // L: output length in bits
  const max = N - 2n;
  for (let counter = 1; counter <= 254; counter++) {
    fixed[counterAt] = counter;
    const candidate = bytesToBigInt(hmacSha256Sync(inputKey, fixed));
    if (candidate <= max) return candidate + 1n;
  }
  throw new RangeError("could not derive a SigV4a key from these credentials");
}

function cachedKey(credentials: Credentials): CachedKey {
  const id = credentials.accessKeyId + "\n" + credentials.secretAccessKey;
  let entry = keyCache.get(id);
  if (entry === undefined) {
    const privateKey = derivePrivateKey(credentials.accessKeyId, credentials.secretAccessKey);
    entry = { privateKey, publicKey: publicKeyOf(privateKey) };
    keyCache.set(id, entry);
    if (keyCache.size > KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  }
  return entry;
}

/** The SigV4a key pair of an access key pair (cached). */
export function deriveKeyPair(credentials: Credentials): SigV4aKeyPair {
  const { privateKey, publicKey } = cachedKey(credentials);
  return { privateKey, publicKey };
}

/** "20150830/service/aws4_request" */
export function credentialScopeV4a(shortDate: string, service: string): string {
  return shortDate + "/" + service + "/aws4_request";
}

/** The hex DER signature of a string to sign, by the pure-TS signer (deterministic, RFC 6979). */
export function signatureV4a(privateKey: bigint, stringToSignText: string): string {
  return toHex(sign(privateKey, stringToSignText));
}

/** Whether `derSignatureHex` is a valid ECDSA-SHA256 signature of `stringToSign` by `publicKey`. */
export function verifySignature(publicKey: P256PublicKey, stringToSign: string, derSignatureHex: string): boolean {
  let der: Uint8Array;
  try {
    der = fromHex(derSignatureHex);
  } catch {
    return false;
  }
  return verify(publicKey, stringToSign, der);
}

function scheme(options: SigV4aSigningOptions): SigningScheme {
  const { credentials, service } = options;
  const regionSet = typeof options.regionSet === "string" ? options.regionSet : options.regionSet.join(",");
  const key = cachedKey(credentials);
  const native = options.nativeSigning !== false;
  return {
    algorithm: ALGORITHM_V4A,
    scope: (shortDate) => credentialScopeV4a(shortDate, service),
    extraHeader: ["x-amz-region-set", regionSet],
    extraParam: ["X-Amz-Region-Set", regionSet],
    async sign(sts) {
      if (native) {
        key.native ??= importP256PrivateKey(bigIntToBytes(key.privateKey), bigIntToBytes(key.publicKey.x), bigIntToBytes(key.publicKey.y));
        const signer = await key.native;
        if (signer) {
          try {
            return toHex(await signer.sign(utf8(sts)));
          } catch {
            key.native = Promise.resolve(undefined); // the platform refused: use the TS signer from now on
          }
        }
      }
      return signatureV4a(key.privateKey, sts);
    },
  };
}

/** Signs `request` with SigV4a headers (x-amz-region-set, x-amz-date, authorization, ...). */
export function signRequestV4a(request: HttpRequest, options: SigV4aSigningOptions): Promise<HttpRequest> {
  return signWithHeaders(request, options, scheme(options));
}

/** Presigns `request` with SigV4a query parameters (X-Amz-Region-Set among them). */
export function presignRequestV4a(request: HttpRequest, options: SigV4aSigningOptions & { expiresIn: number }): Promise<HttpRequest> {
  return signWithQuery(request, options, scheme(options));
}
