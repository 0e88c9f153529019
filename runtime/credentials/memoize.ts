// Credential caching with single-flight refresh. Credentials are reused until `expiryWindowMs`
// (default 5 minutes) before they expire; credentials without an expiration are kept until
// invalidate(). However many callers ask while a refresh is running, the wrapped provider runs
// once and all of them get its result. Failures are never cached: with nothing usable cached the
// error goes to the callers and the next call tries again; if the cached credentials are inside
// the refresh window but not yet expired, callers keep getting them and the next attempt waits
// `retryAfterErrorMs` (so a failing source is not hammered, and not given up on).

import type { Clock, CredentialProvider, Credentials } from "./types.js";

export interface MemoizeOptions {
  /** Refresh this long before expiration. Default 300000 (5 minutes). */
  expiryWindowMs?: number;
  /** After a failed refresh while cached credentials are still valid, wait this long. Default 10000. */
  retryAfterErrorMs?: number;
  /** Injected clock (ms since epoch). */
  now?: Clock;
}

export interface MemoizedProvider extends CredentialProvider {
  /** Drops the cached credentials: the next call fetches new ones. */
  invalidate(): void;
}

export function memoize(provider: CredentialProvider, options: MemoizeOptions = {}): MemoizedProvider {
  const windowMs = options.expiryWindowMs ?? 300_000;
  const retryAfterErrorMs = options.retryAfterErrorMs ?? 10_000;
  const now = options.now ?? Date.now;
  let cached: Credentials | undefined;
  let inflight: Promise<Credentials> | undefined;
  let nextAttemptAt = 0;

  const expired = (c: Credentials) => c.expiration !== undefined && c.expiration.getTime() <= now();
  const fresh = (c: Credentials) => c.expiration === undefined || c.expiration.getTime() - windowMs > now();

  const refresh = (): Promise<Credentials> => {
    if (!inflight) {
      inflight = (async () => {
        try {
          const credentials = await provider();
          cached = credentials;
          nextAttemptAt = 0;
          return credentials;
        } finally {
          inflight = undefined;
        }
      })();
    }
    return inflight;
  };

  const memoized = (async () => {
    const current = cached;
    if (current && fresh(current)) return current;
    if (current && !expired(current) && now() < nextAttemptAt) return current;
    try {
      return await refresh();
    } catch (err) {
      const stale = cached;
      if (stale && !expired(stale)) {
        nextAttemptAt = now() + retryAfterErrorMs;
        return stale;
      }
      throw err;
    }
  }) as MemoizedProvider;
  memoized.invalidate = () => {
    cached = undefined;
    nextAttemptAt = 0;
  };
  return memoized;
}
