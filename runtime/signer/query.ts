// Query signing (presigned URLs), for SigV4 and SigV4a: the X-Amz-* parameters and the
// signature go into the query string; headers are signed (host always) but not changed. Its
// own module so that a client which only signs headers carries none of it: presign.ts and
// SigV4a's (lazily loaded) module import it, sigv4.ts and core.ts do not, so a bundler cannot
// put it in a client's first chunk through them.
import { RequestFormError } from "../errors.js";
import type { HttpRequest } from "../http/types.js";
import { canonicalHeaders, uriEncode } from "./canonical.js";
import {
  UNSIGNED_PAYLOAD,
  amzDate,
  canonicalRequest,
  hostHeader,
  payloadHashOf,
  signCanonical,
  unsignedSet,
  type BaseSigningOptions,
  type SigningScheme,
} from "./core.js";
import { scheme, type SigningOptions } from "./sigv4.js";

/** Longest presign lifetime AWS accepts: 7 days. */
export const MAX_PRESIGN_EXPIRES = 604800;

/** Signs with query parameters (a presigned URL); headers are signed but left as they are. */
export async function signWithQuery(
  request: HttpRequest,
  options: BaseSigningOptions & { expiresIn: number },
  scheme: SigningScheme,
): Promise<HttpRequest> {
  const { credentials, expiresIn } = options;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_EXPIRES) {
    throw new RequestFormError(`presign expiresIn must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRES}, got ${expiresIn}`);
  }
  const longDate = amzDate(options.date ?? new Date());
  const shortDate = longDate.slice(0, 8);
  const scope = scheme.scope(shortDate);
  const token = credentials.sessionToken;
  const signToken = options.signSessionToken !== false;

  // Headers signed: the request's own, plus host when the record does not carry it.
  let signHeaders = request.headers;
  if (signHeaders.host === undefined) signHeaders = { ...signHeaders, host: hostHeader(request) };
  const unsigned = unsignedSet(options.unsignedHeaders);
  const signedNames = canonicalHeaders(signHeaders, unsigned).signed;

  let query = request.query;
  const add = (name: string, value: string): void => {
    query += (query === "" ? "" : "&") + name + "=" + uriEncode(value);
  };
  add("X-Amz-Algorithm", scheme.algorithm);
  add("X-Amz-Credential", credentials.accessKeyId + "/" + scope);
  add("X-Amz-Date", longDate);
  add("X-Amz-Expires", String(expiresIn));
  if (scheme.extraParam) add(scheme.extraParam[0], scheme.extraParam[1]);
  if (token && signToken) add("X-Amz-Security-Token", token);
  add("X-Amz-SignedHeaders", signedNames);

  // S3-style requests (no extra path escaping) presign an unsigned payload.
  const hash =
    options.payloadHash ??
    (options.uriEscapePath === false ? UNSIGNED_PAYLOAD : await payloadHashOf(request.body));
  const { canonical } = canonicalRequest({ ...request, headers: signHeaders, query }, hash, {
    ...options,
    ...(unsigned ? { unsignedHeaders: unsigned } : {}),
  });
  add("X-Amz-Signature", await signCanonical(scheme, longDate, shortDate, scope, canonical));
  if (token && !signToken) add("X-Amz-Security-Token", token);
  return { ...request, headers: { ...request.headers }, query };
}

/**
 * Presigns `request`: the X-Amz-* parameters and X-Amz-Signature are appended to its query;
 * headers are signed (host always) but not changed. Payload: `payloadHash`, else
 * "UNSIGNED-PAYLOAD" for S3-style requests (`uriEscapePath: false`), else the body's hash.
 */
export function presignRequest(request: HttpRequest, options: SigningOptions & { expiresIn: number }): Promise<HttpRequest> {
  return signWithQuery(request, options, scheme(options));
}
