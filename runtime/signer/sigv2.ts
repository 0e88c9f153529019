// AWS Signature Version 2 for query APIs (HmacSHA256), as botocore's SigV2Auth signs SimpleDB and
// AWS Import/Export (the two services whose model says signatureVersion "v2"). Imported only
// through those services' schema hook (`ah`), so no other bundle carries it.
//
// The parameters are the form body's (a POST, as every query operation is sent) or else the
// query string's, plus AWSAccessKeyId, SignatureVersion=2, SignatureMethod=HmacSHA256,
// Timestamp (ISO 8601 to the second, UTC) and, with temporary credentials, SecurityToken; any of
// those already present (and a previous Signature) are replaced. The string to sign is
//
//   METHOD \n host \n path \n canonical query
//
// where host is the Host header's value in lower case (the port only when it is not the
// scheme's default), path is the request path ("/" when empty), and the canonical query is every
// parameter but Signature, sorted by name, each name and value RFC 3986 percent-encoded (UTF-8,
// only A-Z a-z 0-9 - _ . ~ left as they are, upper-case hex) as name=value joined by "&".
// Signature is the base64 HMAC-SHA256 of it under the secret key, appended as the last
// parameter. The body keeps its parameters in their order with the new ones appended (as
// botocore's form encoding of its parameter dict does), and its Content-Length follows.
// The date comes from the caller (the client's corrected clock), so tests inject one.
import { hmacSha256Maybe } from "#crypto-core";
import { fromUtf8, toBase64 } from "../encoding.js";
import type { HttpRequest } from "../http/types.js";
import type { Authorize } from "../schema.js";
import { uriEncode } from "./canonical.js";
import { hostHeader, then, type Credentials } from "./core.js";

export interface SigV2SigningOptions {
  credentials: Credentials;
  /** The signing time (default now). */
  date?: Date;
}

/** The parameters the signer sets (a request's own values for them are replaced). */
const AUTH_PARAMS = new Set(["AWSAccessKeyId", "SignatureVersion", "SignatureMethod", "Timestamp", "SecurityToken", "Signature"]);

type Pairs = [string, string][];

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, "%20"));
  } catch {
    return s;
  }
}

/** `a=1&b=2` -> [["a", "1"], ["b", "2"]], decoded. */
function parsePairs(form: string): Pairs {
  const out: Pairs = [];
  for (const part of form.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    out.push(eq < 0 ? [decode(part), ""] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return out;
}

function encodePairs(pairs: Pairs): string {
  return pairs.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join("&");
}

/** The canonical query: every parameter but Signature, sorted by name (then value), encoded. */
export function canonicalQueryV2(pairs: Pairs): string {
  const kept = pairs.filter(([k]) => k !== "Signature");
  kept.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return encodePairs(kept);
}

/** METHOD \n host \n path \n canonical query. */
export function stringToSignV2(method: string, host: string, path: string, pairs: Pairs): string {
  return `${method.toUpperCase()}\n${host.toLowerCase()}\n${path || "/"}\n${canonicalQueryV2(pairs)}`;
}

/** Base64 HMAC-SHA256 of the string to sign: synchronous on Node, a promise with WebCrypto. */
export function signatureV2(secretAccessKey: string, stringToSign: string): string | Promise<string> {
  return then(hmacSha256Maybe(secretAccessKey, stringToSign), toBase64);
}

/** `2011-10-03T15:19:30Z` */
export function timestampV2(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Signs a query request with SigV2 in place (its form body, or its query when it has no body)
 * and returns it: synchronous on Node, a promise with WebCrypto.
 */
export function signRequestV2(request: HttpRequest, options: SigV2SigningOptions): HttpRequest | Promise<HttpRequest> {
  const { credentials } = options;
  const body = request.body;
  const inBody = typeof body === "string" || body instanceof Uint8Array;
  if (body !== undefined && !inBody) throw new TypeError("SigV2 signs a form body given as a string or bytes, not a stream");
  const form = inBody ? (typeof body === "string" ? body : fromUtf8(body)) : request.query;
  const pairs = parsePairs(form).filter(([k]) => !AUTH_PARAMS.has(k));
  pairs.push(
    ["AWSAccessKeyId", credentials.accessKeyId],
    ["SignatureVersion", "2"],
    ["SignatureMethod", "HmacSHA256"],
    ["Timestamp", timestampV2(options.date ?? new Date())],
  );
  if (credentials.sessionToken) pairs.push(["SecurityToken", credentials.sessionToken]);
  const toSign = stringToSignV2(request.method, hostHeader(request), request.path, pairs);
  return then(signatureV2(credentials.secretAccessKey, toSign), (signature) => {
    pairs.push(["Signature", signature]);
    const signed = encodePairs(pairs); // percent-encoded: ASCII, one byte a character
    if (inBody) {
      request.body = signed;
      request.headers["content-length"] = String(signed.length);
    } else request.query = signed;
    return request;
  });
}

/** The schema's authorizer for SigV2 services: the client's (checked) credentials, at the client's corrected time. */
export const authorizeV2: Authorize = async (request, client) =>
  signRequestV2(request, { credentials: await client.credentials(), date: new Date(client.clock.now()) });
