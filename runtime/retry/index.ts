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
// Randomness, the clock and sleeping are injected so tests are deterministic.
import { AbortError } from "../errors.js";
import { isRetryable, isThrottling, isTimeout, retryAfterMs, RETRY_AFTER_MAX_EXTRA_MS } from "./classify.js";
import { legacyDelay, legacyMatches, legacyPolicy } from "./legacy.js";
import { createRateLimiter, type RateLimiter, type RateLimiterSnapshot } from "./rate-limiter.js";

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
} from "./classify.js";
export {
  createClock,
  isClockSkewError,
  clockSkewCorrected,
  serverClockOffset,
  CLOCK_SKEW_CODES,
} from "./clock-skew.js";
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
   * its clock from the response (clock-skew.ts `clockSkewCorrected`): the retry is then
   * transient, and signs with the corrected time.
   */
  clockSkewCorrected?: boolean;
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

/** Standard-mode constants (milliseconds and quota tokens). */
export const STANDARD = {
  maxAttempts: 3,
  maxBackoff: 20_000,
  throttlingBase: 1000,
  transientBase: 50,
  quota: 500,
  retryCost: 5,
  timeoutRetryCost: 10,
  noRetryIncrement: 1,
} as const;

interface TokenState {
  attempt: number;
  totalDelay: number;
  /** Quota taken by the last granted retry. */
  cost: number | undefined;
}

class Token implements RetryToken {
  constructor(readonly state: TokenState) {}
  get attempt(): number {
    return this.state.attempt;
  }
  get totalDelay(): number {
    return this.state.totalDelay;
  }
}

function stateOf(token: RetryToken): TokenState {
  if (!(token instanceof Token)) throw new TypeError("not a token of this retry strategy");
  return token.state;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function checkAttempts(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`maxAttempts must be an integer >= 1, got ${n}`);
  return n;
}

/** A standard or adaptive strategy, with its quota and (adaptive) limiter for inspection. */
export interface StandardRetryStrategy extends RetryStrategy {
  /** Retry quota tokens left. */
  readonly availableQuota: number;
  /** Adaptive mode's limiter state (undefined in standard mode). */
  limiter(): RateLimiterSnapshot | undefined;
}

function createStandard(mode: "standard" | "adaptive", options: RetryStrategyOptions): StandardRetryStrategy {
  const maxAttempts = checkAttempts(options.maxAttempts ?? STANDARD.maxAttempts);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const limiter: RateLimiter | undefined = mode === "adaptive" ? createRateLimiter(now) : undefined;
  let quota: number = STANDARD.quota;

  return {
    mode,
    maxAttempts,
    get availableQuota() {
      return quota;
    },
    limiter: () => limiter?.snapshot(),
    async acquireToken() {
      const wait = limiter?.reserve() ?? 0;
      if (wait > 0) await sleep(wait);
      return new Token({ attempt: 1, totalDelay: 0, cost: undefined });
    },
    retryDelay(token, info) {
      const state = stateOf(token);
      const throttled = isThrottling(info);
      limiter?.update(throttled);
      if (info.error instanceof AbortError) return undefined;
      if (state.attempt >= maxAttempts || !isRetryable(info)) return undefined;
      const cost = isTimeout(info) ? STANDARD.timeoutRetryCost : STANDARD.retryCost;
      if (cost > quota) return undefined;
      quota -= cost;
      state.cost = cost;
      const base = throttled ? STANDARD.throttlingBase : STANDARD.transientBase;
      let delay = random() * Math.min(STANDARD.maxBackoff, base * 2 ** (state.attempt - 1));
      const hint = retryAfterMs(info, now);
      if (hint !== undefined) delay = Math.max(delay, Math.min(hint, delay + RETRY_AFTER_MAX_EXTRA_MS));
      if (limiter) delay = Math.max(delay, limiter.reserve());
      state.attempt++;
      state.totalDelay += delay;
      return delay;
    },
    recordSuccess(token) {
      const state = stateOf(token);
      limiter?.update(false);
      quota = Math.min(STANDARD.quota, quota + (state.cost ?? STANDARD.noRetryIncrement));
      state.cost = undefined;
    },
  };
}

function createLegacy(options: RetryStrategyOptions): RetryStrategy {
  const policy = legacyPolicy(options.service);
  const maxAttempts = checkAttempts(options.maxAttempts ?? policy.maxAttempts);
  const random = options.random ?? Math.random;
  return {
    mode: "legacy",
    maxAttempts,
    async acquireToken() {
      return new Token({ attempt: 1, totalDelay: 0, cost: undefined });
    },
    retryDelay(token, info) {
      const state = stateOf(token);
      if (info.error instanceof AbortError) return undefined;
      if (state.attempt >= maxAttempts || !legacyMatches(policy, info)) return undefined;
      const delay = legacyDelay(policy, state.attempt, random);
      state.attempt++;
      state.totalDelay += delay;
      return delay;
    },
    recordSuccess() {},
  };
}

/** Creates the strategy of a client (one per client: the quota and limiter are shared by its calls). */
export function createRetryStrategy(options: RetryStrategyOptions = {}): RetryStrategy {
  const mode = options.mode ?? "standard";
  switch (mode) {
    case "standard":
    case "adaptive":
      return createStandard(mode, options);
    case "legacy":
      return createLegacy(options);
    default:
      throw new RangeError(`unknown retry mode ${JSON.stringify(mode)} (standard, adaptive or legacy)`);
  }
}
