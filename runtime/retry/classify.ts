// Error classification for retries, as the AWS SDKs' standard retry mode defines it
// (botocore retries/standard.py, the SDK reference guide's "retry behavior"):
//
// - throttling: a service error code from the union of every code AWS services use for
//   throttling (botocore's list plus models/_root/_retry.json's), HTTP 429, or a modeled
//   error whose `retryable` trait says `throttling`;
// - transient: the transient error codes (RequestTimeout, InternalError, ...), HTTP
//   500/502/503/504, a connection failure or timeout (runtime/errors.ts NetworkError /
//   TimeoutError, or a Node socket error code), a modeled `retryable` error, or a
//   clock-skew error after the client corrected its clock (`clockSkewCorrected` below);
// - anything else (4xx client errors, aborts, request-form and config errors) is final.
//
// The functions read what they need from RetryErrorInfo and fall back on the error
// object itself (ServiceError.code / $metadata, ResponseParseError.statusCode), so a caller
// that only passes `{ error }` still gets the right answer. Pure functions, no state.
import { AbortError, NetworkError, ResponseParseError, ServiceError, TimeoutError } from "../errors.js";
import type { RetryErrorInfo } from "./index.js";
import type { Clock } from "./clock-skew.js";

/** Error codes that mean "slow down" (botocore's standard list plus _retry.json). */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
]);

/** Error codes of transient server-side failures, retried like 5xx responses. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  "RequestTimeout",
  "RequestTimeoutException",
  "PriorRequestNotComplete",
  "InternalError",
  "InternalFailure",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  // STS: the identity provider could not be reached (botocore retries it specially).
  "IDPCommunicationError",
]);

/** HTTP statuses that are transient whatever the body says. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** Node socket error codes of a failed or reset connection (when a raw error reaches us). */
const SOCKET_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** The HTTP status of the failed attempt: from the info, else from the error. */
export function statusOf(info: RetryErrorInfo): number | undefined {
  if (info.statusCode !== undefined) return info.statusCode;
  const e = info.error;
  if (e instanceof ServiceError) return e.$metadata.httpStatusCode;
  if (e instanceof ResponseParseError) return e.statusCode;
  return undefined;
}

/** The service error code of the failed attempt: from the info, else from a ServiceError. */
export function codeOf(info: RetryErrorInfo): string | undefined {
  if (info.code !== undefined) return info.code;
  return info.error instanceof ServiceError ? info.error.code : undefined;
}

/** The modeled `retryable` trait of the error, when the generated error class carries one. */
function modeledRetryable(info: RetryErrorInfo): { throttling: boolean } | undefined {
  return info.error instanceof ServiceError ? info.error.$retryable : undefined;
}

/** True when the server asked the client to slow down. */
export function isThrottling(info: RetryErrorInfo): boolean {
  const code = codeOf(info);
  if (code !== undefined && THROTTLING_CODES.has(code)) return true;
  if (statusOf(info) === 429) return true;
  return modeledRetryable(info)?.throttling === true;
}

/** True for a connection that failed or timed out before a response arrived. */
export function isNetworkFailure(info: RetryErrorInfo): boolean {
  const e = info.error;
  if (e instanceof AbortError) return false;
  if (e instanceof NetworkError) return true;
  // A raw platform error (a custom HTTP handler that does not wrap its errors).
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === "string" && SOCKET_ERROR_CODES.has(code);
}

/** True for a connect or read timeout (charged the higher retry cost). */
export function isTimeout(info: RetryErrorInfo): boolean {
  const e = info.error;
  if (e instanceof TimeoutError) return true;
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT";
}

/** True for a transient failure: transient code or status, network failure, modeled retryable, corrected clock skew. */
export function isTransient(info: RetryErrorInfo): boolean {
  if (info.error instanceof AbortError) return false;
  const code = codeOf(info);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  const status = statusOf(info);
  if (status !== undefined && TRANSIENT_STATUSES.has(status)) return true;
  if (isNetworkFailure(info)) return true;
  if (modeledRetryable(info) !== undefined) return true;
  return info.clockSkewCorrected === true;
}

/** True when standard (and adaptive) mode may retry the failure. */
export function isRetryable(info: RetryErrorInfo): boolean {
  if (info.error instanceof AbortError) return false;
  return isThrottling(info) || isTransient(info);
}

/** Delays are bounded: a server hint may add at most this much to the computed backoff. */
export const RETRY_AFTER_MAX_EXTRA_MS = 5000;

/**
 * The server's retry hint in milliseconds: `x-amz-retry-after` (integer milliseconds), else
 * `Retry-After` (delta seconds or an HTTP-date, RFC 9110). Undefined when absent or invalid.
 */
export function retryAfterMs(info: RetryErrorInfo, now: () => number): number | undefined {
  const headers = info.headers;
  if (!headers) return undefined;
  const amz = headers["x-amz-retry-after"];
  if (amz !== undefined && /^\s*\d+\s*$/.test(amz)) return Number(amz);
  const ra = headers["retry-after"];
  if (ra === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(ra)) return Number(ra) * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/** Error codes services send when the request time is outside the allowed window. */
export const CLOCK_SKEW_CODES: ReadonlySet<string> = new Set([
  "AuthFailure",
  "InvalidSignatureException",
  "RequestExpired",
  "RequestInTheFuture",
  "RequestTimeTooSkewed",
  "SignatureDoesNotMatch",
]);

export function isClockSkewError(code: string | undefined): boolean {
  return code !== undefined && CLOCK_SKEW_CODES.has(code);
}

/**
 * For a failed attempt: observes the response's `Date` header (headers have lower-case
 * names) and returns true when the failure is a clock-skew error and the clock was
 * corrected just now, i.e. a retry would be signed with a different, better time.
 */
export function clockSkewCorrected(clock: Clock, info: RetryErrorInfo): boolean {
  const changed = clock.observe(info.headers?.["date"]);
  return changed && isClockSkewError(codeOf(info));
}
