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
// and says whether it did. Which failures are skew errors, and `clockSkewCorrected(clock,
// info)`, which the core calls on a failed attempt, belong to the error classifier
// (classify.ts): the clock is needed by every call, the classifier only once one fails.
import { parseTimestamp } from "../protocols/shared.js";

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
