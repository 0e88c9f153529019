// The retry strategies' implementation (the contract and the mode descriptions are in
// index.ts). Standard mode lives here; adaptive mode's rate limiter and legacy mode (with
// the _retry.json data) are passed in, and `loadRetryStrategy`, which the client core uses,
// imports them only when configured: this module has no static import of either, so a
// bundle of the default path does not carry them (they become lazily loaded chunks).
// index.ts `createRetryStrategy` is the synchronous form, with both imported statically.
// The client core itself imports this module only when an attempt fails (with the error
// classifier and `clockSkewCorrected`, re-exported for it here): a call that never fails, the
// common case, loads no retry code at all, and in a bundle this is a lazily loaded chunk.
import { AbortError } from "../errors.js";
import { codeOf, isNetworkFailure, isRetryable, isThrottling, isTimeout, retryAfterMs, statusOf, RETRY_AFTER_MAX_EXTRA_MS } from "./classify.js";
import type { RetryStrategy, RetryStrategyOptions, RetryToken } from "./index.js";
import type { RateLimiter, RateLimiterSnapshot, createRateLimiter } from "./rate-limiter.js";

export { clockSkewCorrected } from "./classify.js";

/** Standard-mode constants (milliseconds and quota tokens). */
export const STANDARD = {
  // config.ts DEFAULT_MAX_ATTEMPTS (a test keeps them equal). Not imported: the client loads
  // this module lazily, and a module both chunks import becomes a chunk of its own in a bundle.
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

export function createStandard(
  mode: "standard" | "adaptive",
  options: RetryStrategyOptions,
  rateLimiter: typeof createRateLimiter | undefined,
): StandardRetryStrategy {
  const maxAttempts = checkAttempts(options.maxAttempts ?? STANDARD.maxAttempts);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  let limiter: RateLimiter | undefined;
  if (mode === "adaptive") {
    if (!rateLimiter) throw new TypeError("adaptive retry mode needs the rate limiter");
    limiter = rateLimiter(now);
  }
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
      if (info.error instanceof AbortError || info.replayable === false) return undefined;
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

export function createLegacy(options: RetryStrategyOptions, legacy: LegacyModule): RetryStrategy {
  const { legacyDelay, legacyMatches } = legacy;
  const policy = legacy.legacyPolicy(options.service);
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
      if (info.error instanceof AbortError || info.replayable === false) return undefined;
      if (state.attempt >= maxAttempts || !legacyMatches(policy, statusOf(info), codeOf(info), isNetworkFailure(info))) return undefined;
      const delay = legacyDelay(policy, state.attempt, random);
      state.attempt++;
      state.totalDelay += delay;
      return delay;
    },
    recordSuccess() {},
  };
}

type LegacyModule = typeof import("./legacy.js");

/**
 * `createRetryStrategy` for the client core: standard mode at once; adaptive mode's rate
 * limiter and legacy mode (with the _retry.json data) are imported on first use, so the
 * default path does not carry them (in a bundle they are lazily loaded chunks).
 */
export async function loadRetryStrategy(options: RetryStrategyOptions = {}): Promise<RetryStrategy> {
  const mode = options.mode ?? "standard";
  if (mode === "adaptive") return createStandard(mode, options, (await import("./rate-limiter.js")).createRateLimiter);
  if (mode === "legacy") return createLegacy(options, await import("./legacy.js"));
  if (mode === "standard") return createStandard(mode, options, undefined);
  throw unknownMode(mode);
}

export function unknownMode(mode: string): RangeError {
  return new RangeError(`unknown retry mode ${JSON.stringify(mode)} (standard, adaptive or legacy)`);
}
