// The signing flow shared by SigV4 (HMAC) and SigV4a (ECDSA): copy the request, add the
// date/token/content-hash headers or query parameters, build the canonical request once,
// hash it into the string to sign, and hand that to the scheme's `sign`. The scheme only
// supplies its algorithm name, credential scope, extra parameters (X-Amz-Region-Set) and
// signature function. The input request is never mutated (signHeadersInPlace, for the client
// core, fills a record the caller owns instead of copying it). Awaits happen only for a body
// that must be hashed, for an asynchronous signature (WebCrypto ECDSA), and where the hashes
// of #crypto-core are asynchronous (web-core.ts: WebCrypto), so on Node signing a bodiless
// request with a cached key runs without yielding.

import { sha256, sha256Hex } from "#crypto-core";
import { toHex } from "../encoding.js";
import type { HttpRequest, RequestBody } from "../http/types.js";
import { canonicalHeaders, canonicalQuery, canonicalUri } from "./canonical.js";

export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** Hex SHA-256 of the empty string. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const TOKEN_HEADER = "x-amz-security-token";
const CONTENT_SHA256_HEADER = "x-amz-content-sha256";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Options common to both algorithms. */
export interface BaseSigningOptions {
  credentials: Credentials;
  service: string;
  /** The clock; default `new Date()`. */
  date?: Date;
  /**
   * Hex SHA-256 of the body, "UNSIGNED-PAYLOAD" or a "STREAMING-..." value. Default: an
   * `x-amz-content-sha256` header already on the request, else the hash of a string or
   * byte body (the empty hash when there is none), else "UNSIGNED-PAYLOAD" for streams.
   */
  payloadHash?: string;
  /** URI-encode the wire path once more in the canonical request; default true (false for S3). */
  uriEscapePath?: boolean;
  /** Remove dot segments and empty segments from the canonical path; default true (false for S3). */
  normalizePath?: boolean;
  /**
   * Add (and sign) `x-amz-content-sha256` with the payload hash (S3). Header signing only. A
   * payload hash that is not of the body (UNSIGNED-PAYLOAD, STREAMING-...) is always sent.
   */
  contentSha256Header?: boolean;
  /** Extra lower-case header names to leave out of the signature. */
  unsignedHeaders?: readonly string[];
  /**
   * Sign the session token (default true). When false, `X-Amz-Security-Token` is added after
   * signing, outside the signature, as a few services require.
   */
  signSessionToken?: boolean;
}

/** What a signature scheme contributes to the shared flow. */
export interface SigningScheme {
  algorithm: string;
  /** Credential scope for the short date ("20150830/us-east-1/s3/aws4_request"). */
  scope(shortDate: string): string;
  /** Header to add and sign in header mode (name lower case), e.g. x-amz-region-set. */
  extraHeader?: readonly [string, string];
  /** Query parameter to add and sign in presign mode, e.g. X-Amz-Region-Set. */
  extraParam?: readonly [string, string];
  /** Signs the string to sign; returns the hex signature. */
  sign(stringToSign: string, shortDate: string): string | Promise<string>;
}

let lastSecond = NaN;
let lastAmzDate = "";
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * "20150830T123600Z" from a Date, from its UTC fields (not toISOString, whose first call costs
 * about a millisecond of a cold start). An invalid date throws toISOString's RangeError.
 */
export function amzDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    // many requests share a second
    const year = date.getUTCFullYear();
    if (Number.isNaN(year) || year > 9999 || year < 0) return date.toISOString().replace(/[-:]|\.\d+/g, "");
    lastAmzDate =
      String(year).padStart(4, "0") +
      two(date.getUTCMonth() + 1) +
      two(date.getUTCDate()) +
      "T" +
      two(date.getUTCHours()) +
      two(date.getUTCMinutes()) +
      two(date.getUTCSeconds()) +
      "Z";
    lastSecond = second;
  }
  return lastAmzDate;
}

/** The Host header value: hostname, plus ":port" unless it is the protocol's default. */
export function hostHeader(request: HttpRequest): string {
  let host = request.hostname;
  if (host.includes(":") && host[0] !== "[") host = "[" + host + "]"; // IPv6 literal
  const port = request.port;
  const defaultPort = request.protocol === "http:" ? 80 : 443;
  return port === undefined || port === defaultPort ? host : host + ":" + port;
}

/** Bodies up to this many bytes (or UTF-16 units) are hashed by sha256Hex (synchronous on Node). */
const SYNC_HASH_MAX = 65536;

/** `f(v)`, after `v` settles when it is a promise: synchronous values stay synchronous. */
export function then<T, R>(v: T | Promise<T>, f: (value: T) => R | Promise<R>): R | Promise<R> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** Whether a payload hash is the hex SHA-256 of the body (not UNSIGNED-PAYLOAD or a STREAMING-... value). */
function isBodyHash(hash: string): boolean {
  return hash !== UNSIGNED_PAYLOAD && !hash.startsWith("STREAMING-");
}

/** The payload hash of a body: a string when it needs no waiting, else a promise. */
export function payloadHashOf(body: RequestBody | undefined): string | Promise<string> {
  if (body === undefined) return EMPTY_SHA256;
  if (typeof body === "string" || body instanceof Uint8Array) {
    if (body.length === 0) return EMPTY_SHA256;
    if (body.length <= SYNC_HASH_MAX) return sha256Hex(body);
    return sha256(body).then(toHex);
  }
  return UNSIGNED_PAYLOAD;
}

/** The default payload hash of a body: hex SHA-256 of bytes or text, "UNSIGNED-PAYLOAD" for streams. */
export async function payloadHash(body: RequestBody | undefined): Promise<string> {
  return payloadHashOf(body);
}

export interface CanonicalRequestOptions {
  uriEscapePath?: boolean;
  normalizePath?: boolean;
  /** Extra lower-case header names left unsigned. */
  unsignedHeaders?: readonly string[] | ReadonlySet<string>;
}

export interface CanonicalRequest {
  /** The canonical request text (no trailing newline). */
  canonical: string;
  /** Signed header names joined by ";". */
  signedHeaders: string;
}

// Sets built from `unsignedHeaders` arrays, kept per array so repeated options reuse one set.
const unsignedSets = new WeakMap<readonly string[], ReadonlySet<string> | undefined>();

export function unsignedSet(list: readonly string[] | ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  if (!Array.isArray(list)) return list as ReadonlySet<string> | undefined;
  const array = list as readonly string[];
  if (!unsignedSets.has(array)) unsignedSets.set(array, array.length === 0 ? undefined : new Set(array.map((h) => h.toLowerCase())));
  return unsignedSets.get(array);
}

/**
 * The canonical request of a request whose headers and query already hold everything to be
 * signed (x-amz-date, tokens, or the X-Amz-* presign parameters). `X-Amz-Signature` in the
 * query is ignored.
 */
export function canonicalRequest(request: HttpRequest, payloadHashHex: string, options: CanonicalRequestOptions = {}): CanonicalRequest {
  const headers = canonicalHeaders(request.headers, unsignedSet(options.unsignedHeaders));
  const canonical =
    request.method +
    "\n" +
    canonicalUri(request.path, options.normalizePath !== false, options.uriEscapePath !== false) +
    "\n" +
    canonicalQuery(request.query, "X-Amz-Signature") +
    "\n" +
    headers.canonical +
    "\n" +
    headers.signed +
    "\n" +
    payloadHashHex;
  return { canonical, signedHeaders: headers.signed };
}

/**
 * The string to sign: algorithm, date, scope and the hex SHA-256 of the canonical request.
 * A string on Node; a promise where #crypto-core hashes asynchronously (WebCrypto).
 */
export function stringToSign(algorithm: string, longDate: string, scope: string, canonical: string): string | Promise<string> {
  return then(sha256Hex(canonical), (hash) => algorithm + "\n" + longDate + "\n" + scope + "\n" + hash);
}

/** stringToSign, then the scheme's signature, each awaited only when #crypto-core or the scheme is asynchronous. */
export function signCanonical(scheme: SigningScheme, longDate: string, shortDate: string, scope: string, canonical: string): string | Promise<string> {
  return then(stringToSign(scheme.algorithm, longDate, scope, canonical), (sts) => scheme.sign(sts, shortDate));
}

/** Signs with headers (Authorization). */
export async function signWithHeaders(request: HttpRequest, options: BaseSigningOptions, scheme: SigningScheme): Promise<HttpRequest> {
  // Object.assign, not spreads: V8 gives a spread copy a map that makes each property added
  // to it afterwards cost microseconds (measured on Node 20).
  const signing: HttpRequest = Object.assign({}, request);
  signing.headers = Object.assign({}, request.headers);
  await signHeadersInPlace(signing, options, scheme);
  return signing;
}

/**
 * signWithHeaders on a request the caller owns: the signing headers are added to
 * `request.headers` itself (the client core signs each attempt's own copy, so the record is
 * not copied twice). Returns a promise only when something had to be awaited (a large body's
 * hash, an asynchronous signature), else undefined: the common call signs without a promise.
 */
export function signHeadersInPlace(request: HttpRequest, options: BaseSigningOptions, scheme: SigningScheme): Promise<void> | undefined {
  const credentials = options.credentials;
  const longDate = amzDate(options.date ?? new Date());
  const headers = request.headers;
  // `delete` turns an object into a slow dictionary; only pay for it when there is something to drop.
  if (headers.authorization !== undefined) delete headers.authorization;
  if (headers.host === undefined) headers.host = hostHeader(request);
  headers["x-amz-date"] = longDate;
  const token = credentials.sessionToken;
  if (token) {
    if (options.signSessionToken !== false) headers[TOKEN_HEADER] = token;
    else if (headers[TOKEN_HEADER] !== undefined) delete headers[TOKEN_HEADER];
  }
  if (scheme.extraHeader) headers[scheme.extraHeader[0]] = scheme.extraHeader[1];
  const hash = options.payloadHash ?? headers[CONTENT_SHA256_HEADER] ?? payloadHashOf(request.body);
  return then(hash, (h) => finishHeaders(request, options, scheme, longDate, h));
}

/** The rest of signHeadersInPlace once the payload hash is known. */
function finishHeaders(
  request: HttpRequest,
  options: BaseSigningOptions,
  scheme: SigningScheme,
  longDate: string,
  hash: string,
): Promise<undefined> | undefined {
  const headers = request.headers;
  // A hash that is not of the body (UNSIGNED-PAYLOAD for an unsignedPayload operation or a
  // stream, a STREAMING-... value) is sent for every service, not only S3: a server that is
  // not told hashes the body it receives, and the signature never matches.
  if (options.contentSha256Header || !isBodyHash(hash)) headers[CONTENT_SHA256_HEADER] = hash;
  const { canonical, signedHeaders } = canonicalRequest(request, hash, options);
  const shortDate = longDate.slice(0, 8);
  const scope = scheme.scope(shortDate);
  return then(signCanonical(scheme, longDate, shortDate, scope, canonical), (signatureHex): undefined => {
    const credentials = options.credentials;
    headers.authorization =
      scheme.algorithm + " Credential=" + credentials.accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + signatureHex;
    const token = credentials.sessionToken;
    if (token && options.signSessionToken === false) headers[TOKEN_HEADER] = token; // added unsigned
  });
}
