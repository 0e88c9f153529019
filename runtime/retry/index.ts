// Retry strategies: the contract the client core calls, and the three modes the AWS SDKs
// define.
//
// The core's loop: `token = await acquireToken()` once per call; after each failed attempt
// `retryDelay(token, info)` says how long to wait before the next one, or `undefined` to
// give up; `recordSuccess(token)` when an attempt succeeds. Call `retryDelay` for every
// failed attempt (it also feeds adaptive mode's rate measurement); the token counts
// attempts, so the strategy alone decides when they are exhausted.
//
// - standard (default; botocore retries/standard.py and the SDK reference guide): at most
//   3 attempts; retries throttling and transient failures (classify.ts); full-jitter
//   exponential backoff `random() * min(20 s, base * 2^(attempt-1))` with base 1 s for
//   throttling and 50 ms for other transient failures (the base scales of botocore's
//   current standard mode: a reset connection is retried almost at once, throttling waits);
//   a server hint (`x-amz-retry-after` ms or `Retry-After`) raises the delay up to the hint,
//   at most 5 s beyond the computed backoff. A retry quota shared by the client's calls
//   (500 tokens) pays 5 per retry and 10 per timeout retry; no tokens, no retry (so an
//   outage does not multiply the load). A success gives back what its last retry took, or
//   1 when it needed none, up to the maximum.
// - adaptive: standard plus the client-side rate limiter of rate-limiter.ts. acquireToken
//   waits for send capacity; each retry's delay is at least the wait for its send token.
// - legacy: botocore's pre-standard mode from _retry.json (legacy.ts): 5 attempts (or the
//   service's own), delay rand * 2^(attempt-1) s, no quota.
//
// Randomness, the clock and sleeping are injected so tests are deterministic. The strategies
// are implemented in standard.ts; the client core uses its `loadRetryStrategy`, which imports
// legacy mode and the rate limiter only when configured.
import * as legacyModule from "./legacy.js";
import { createRateLimiter } from "./rate-limiter.js";
import { createLegacy, createStandard, unknownMode } from "./standard.js";

export { STANDARD, loadRetryStrategy, type StandardRetryStrategy } from "./standard.js";

export {
  isRetryable,
  isThrottling,
  isTransient,
  isTimeout,
  isNetworkFailure,
  retryAfterMs,
  THROTTLING_CODES,
  TRANSIENT_CODES,
  TRANSIENT_STATUSES,
  isClockSkewError,
  clockSkewCorrected,
  CLOCK_SKEW_CODES,
} from "./classify.js";
export { createClock, serverClockOffset } from "./clock-skew.js";
export type { Clock, ClockOptions } from "./clock-skew.js";
export { resolveRetryConfig, RETRY_MODES } from "./config.js";
export type { RetryConfigSources, ResolvedRetryConfig } from "./config.js";
export type { RateLimiterSnapshot } from "./rate-limiter.js";

/** What the core knows about one failed attempt. Headers have lower-case names. */
export interface RetryErrorInfo {
  error: unknown;
  statusCode?: number;
  code?: string;
  headers?: Record<string, string>;
  /**
   * Set by the core when this failure is a clock-skew error and the client just corrected
   * its clock from the response (classify.ts `clockSkewCorrected`): the retry is then
   * transient, and signs with the corrected time.
   */
  clockSkewCorrected?: boolean;
  /**
   * Set to false by the core when the request body can only be sent once (a one-shot stream):
   * the call cannot be retried whatever the error, so a strategy must grant no retry and
   * charge nothing (adaptive mode still measures the response).
   */
  replayable?: boolean;
}

export type RetryMode = "standard" | "adaptive" | "legacy";

/** The state of one call's retries. */
export interface RetryToken {
  /** The current attempt, 1-based (1 until the first retry is granted). */
  readonly attempt: number;
  /** Milliseconds of retry delay granted so far. */
  readonly totalDelay: number;
}

export interface RetryStrategy {
  readonly mode: RetryMode;
  readonly maxAttempts: number;
  /** Starts a call; adaptive: may wait for send capacity. */
  acquireToken(): Promise<RetryToken>;
  /** ms to wait before the next attempt, or undefined = do not retry (quota, non-retryable, attempts exhausted). */
  retryDelay(token: RetryToken, info: RetryErrorInfo): number | undefined;
  recordSuccess(token: RetryToken): void;
}

export interface RetryStrategyOptions {
  mode?: RetryMode | undefined;
  /** Total attempts, first try included (default 3; legacy: 5 or the service's own). */
  maxAttempts?: number | undefined;
  /** Uniform random in [0, 1) (default Math.random). */
  random?: (() => number) | undefined;
  /** Clock in epoch milliseconds (default Date.now). */
  now?: (() => number) | undefined;
  /** How adaptive mode waits (default setTimeout). */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** botocore service name (endpoint prefix): selects legacy mode's per-service policies. */
  service?: string | undefined;
}

/** Creates the strategy of a client (one per client: the quota and limiter are shared by its calls). */
export function createRetryStrategy(options: RetryStrategyOptions = {}): RetryStrategy {
  const mode = options.mode ?? "standard";
  switch (mode) {
    case "standard":
    case "adaptive":
      return createStandard(mode, options, createRateLimiter);
    case "legacy":
      return createLegacy(options, legacyModule);
    default:
      throw unknownMode(mode);
  }
}
