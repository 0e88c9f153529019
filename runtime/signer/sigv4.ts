// AWS Signature Version 4 (AWS4-HMAC-SHA256), header form (the query form, presigning, is
// query.ts). The shared flow lives in core.ts; this module supplies the HMAC scheme: the signing key chain
// HMAC("AWS4"+secret, date) -> region -> service -> "aws4_request", cached per
// secret/date/region/service in a small LRU (one key serves a whole day of requests), and
// the hex HMAC of the string to sign. Each stage is exported for tests and tools:
// canonicalRequest -> stringToSign -> signingKey -> signature.
//
// Crypto comes from #crypto-core only (node:crypto on Node, WebCrypto in browsers). On Node
// the HMACs are synchronous, so a bodiless request signs without awaiting anything; with
// WebCrypto each step is a promise, chained only where one is returned.

import { hmacSha256Hex, hmacSha256Maybe } from "#crypto-core";
import type { HttpRequest } from "../http/types.js";
import {
  signHeadersInPlace,
  signWithHeaders,
  then,
  type BaseSigningOptions,
  type Credentials,
  type SigningScheme,
} from "./core.js";

export type { Credentials, CanonicalRequest, CanonicalRequestOptions } from "./core.js";
export {
  EMPTY_SHA256,
  UNSIGNED_PAYLOAD,
  amzDate,
  canonicalRequest,
  hostHeader,
  payloadHash,
  stringToSign,
} from "./core.js";
export { UNSIGNABLE_HEADERS } from "./canonical.js";

export const ALGORITHM = "AWS4-HMAC-SHA256";

/** Where derived signing keys are kept between requests. */
export interface SigningKeyCache {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
}

/** A least-recently-used signing key cache holding at most `capacity` keys. */
export function createSigningKeyCache(capacity = 50): SigningKeyCache {
  const map = new Map<string, Uint8Array>();
  let newest: string | undefined;
  return {
    get(key) {
      const value = map.get(key);
      if (value !== undefined && key !== newest) {
        map.delete(key);
        map.set(key, value);
        newest = key;
      }
      return value;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      newest = key;
      if (map.size > capacity) map.delete(map.keys().next().value!);
    },
  };
}

const defaultCache = createSigningKeyCache();

export interface SigningOptions extends BaseSigningOptions {
  /** Signing region, e.g. "us-east-1". */
  region: string;
  /** Default: a module-level LRU of 50 keys. */
  signingKeyCache?: SigningKeyCache;
}

/** "20150830/us-east-1/service/aws4_request" */
export function credentialScope(shortDate: string, region: string, service: string): string {
  return shortDate + "/" + region + "/" + service + "/aws4_request";
}

/** Derives the SigV4 signing key (no cache): synchronous on Node, a promise with WebCrypto. */
export function signingKey(secretAccessKey: string, shortDate: string, region: string, service: string): Uint8Array | Promise<Uint8Array> {
  return then(hmacSha256Maybe("AWS4" + secretAccessKey, shortDate), (kDate) =>
    then(hmacSha256Maybe(kDate, region), (kRegion) =>
      then(hmacSha256Maybe(kRegion, service), (kService) => hmacSha256Maybe(kService, "aws4_request")),
    ),
  );
}

/** The hex signature of a string to sign: synchronous on Node, a promise with WebCrypto. */
export const signature: (key: Uint8Array, stringToSignText: string) => string | Promise<string> = hmacSha256Hex;

// The most recent key of the default cache, checked field by field before any cache lookup:
// a client signing many requests for one region/service/day skips building the cache key.
let last: { shortDate: string; region: string; service: string; accessKeyId: string; secret: string; key: Uint8Array } | undefined;

function cachedSigningKey(
  cache: SigningKeyCache | undefined,
  credentials: Credentials,
  shortDate: string,
  region: string,
  service: string,
): Uint8Array | Promise<Uint8Array> {
  const secret = credentials.secretAccessKey;
  if (cache === undefined) {
    const l = last;
    if (l && l.shortDate === shortDate && l.region === region && l.service === service && l.accessKeyId === credentials.accessKeyId && l.secret === secret) {
      return l.key;
    }
  }
  // The key includes the secret so rotated credentials never reuse a stale key.
  const cacheKey = shortDate + "\n" + region + "\n" + service + "\n" + credentials.accessKeyId + "\n" + secret;
  const c = cache ?? defaultCache;
  const cached = c.get(cacheKey);
  const keep = (key: Uint8Array): Uint8Array => {
    if (cached === undefined) c.set(cacheKey, key);
    if (cache === undefined) last = { shortDate, region, service, accessKeyId: credentials.accessKeyId, secret, key };
    return key;
  };
  return then(cached ?? signingKey(secret, shortDate, region, service), keep);
}

// The scheme of the last signing options, reused while credentials, region, service and
// cache stay the same objects (a client signs call after call with one of each).
let lastScheme:
  | { credentials: Credentials; region: string; service: string; cache: SigningKeyCache | undefined; scheme: SigningScheme }
  | undefined;

export function scheme(options: SigningOptions): SigningScheme {
  const credentials = options.credentials;
  const region = options.region;
  const service = options.service;
  const cache = options.signingKeyCache;
  const l = lastScheme;
  if (l && l.credentials === credentials && l.region === region && l.service === service && l.cache === cache) return l.scheme;
  let scopeDate = "";
  let scope = "";
  const s: SigningScheme = {
    algorithm: ALGORITHM,
    scope: (shortDate) => {
      if (shortDate !== scopeDate) {
        scope = credentialScope(shortDate, region, service);
        scopeDate = shortDate;
      }
      return scope;
    },
    sign: (sts, shortDate) => then(cachedSigningKey(cache, credentials, shortDate, region, service), (key) => signature(key, sts)),
  };
  lastScheme = { credentials, region, service, cache, scheme: s };
  return s;
}

/**
 * Signs `request` with an Authorization header. Returns a new request with `host` (when
 * absent), `x-amz-date`, `x-amz-security-token` (with a session token),
 * `x-amz-content-sha256` (with `contentSha256Header`) and `authorization`.
 */
export function signRequest(request: HttpRequest, options: SigningOptions): Promise<HttpRequest> {
  return signWithHeaders(request, options, scheme(options));
}

/**
 * signRequest for a request the caller owns (the client core's per-attempt copy): the
 * headers are added to `request.headers` itself, nothing is copied. Returns a promise only
 * when a large body had to be hashed asynchronously.
 */
export function signRequestInPlace(request: HttpRequest, options: SigningOptions): Promise<void> | undefined {
  return signHeadersInPlace(request, options, scheme(options));
}
