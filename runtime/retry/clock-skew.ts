// Clock-skew correction. SigV4 signatures carry the signing time, and services reject
// requests more than about 5 minutes away from their own clock (RequestTimeTooSkewed,
// InvalidSignatureException "Signature expired", RequestExpired, ...). A client whose clock
// is wrong learns the offset from the `Date` header of a response and signs later requests
// with the corrected time; the failed request is retried once with it.
//
// `createClock()` holds the offset over an injectable base clock. `observe(date)` updates
// the offset only when the server's time differs from the corrected clock by at least the
// threshold (4 minutes by default: large enough that network latency and the header's
// 1-second resolution never move it, small enough to correct before signatures expire),
// and says whether it did. `clockSkewCorrected(clock, info)` is what the core calls on a
// failed attempt: true when the failure is a skew error and this response corrected the
// clock; the core then sets `RetryErrorInfo.clockSkewCorrected`, which makes the failure
// retryable. A second skew error does not move the offset again, so it is not retried.
import { parseTimestamp } from "../protocols/shared.js";
import type { RetryErrorInfo } from "./index.js";
import { codeOf } from "./classify.js";

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
 * The server clock minus the local clock, in milliseconds, from a `Date` header value
 * (HTTP-date; ISO-8601 accepted too). Undefined when the header is absent or unreadable.
 */
export function serverClockOffset(dateHeader: string | undefined, localNow: number): number | undefined {
  if (!dateHeader) return undefined;
  const server = parseTimestamp(dateHeader);
  if (server === undefined || Number.isNaN(server.getTime())) return undefined;
  return server.getTime() - localNow;
}

export interface ClockOptions {
  /** The local clock in epoch milliseconds (default Date.now). */
  now?: (() => number) | undefined;
  /** A known starting offset in milliseconds (default 0). */
  offset?: number | undefined;
  /** Minimum difference that moves the offset, in milliseconds (default 4 minutes). */
  threshold?: number | undefined;
}

export interface Clock {
  /** The corrected time in epoch milliseconds: the base clock plus the offset. */
  now(): number;
  /** Milliseconds added to the base clock. */
  readonly offset: number;
  /** Learns from a response's `Date` header; true when the offset changed. */
  observe(dateHeader: string | undefined): boolean;
}

export const DEFAULT_SKEW_THRESHOLD = 4 * 60 * 1000;

export function createClock(options: ClockOptions = {}): Clock {
  const base = options.now ?? Date.now;
  const threshold = options.threshold ?? DEFAULT_SKEW_THRESHOLD;
  let offset = options.offset ?? 0;
  // The last Date header and its time: responses within one second carry the same text, parsed once.
  let lastHeader: string | undefined;
  let lastServer: number | undefined;
  return {
    now: () => base() + offset,
    get offset() {
      return offset;
    },
    observe(dateHeader) {
      if (!dateHeader) return false;
      if (dateHeader !== lastHeader) {
        lastServer = serverClockOffset(dateHeader, 0);
        lastHeader = dateHeader;
      }
      if (lastServer === undefined) return false;
      const measured = lastServer - base();
      if (Math.abs(measured - offset) < threshold) return false;
      offset = measured;
      return true;
    },
  };
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
