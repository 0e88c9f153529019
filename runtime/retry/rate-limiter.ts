// The client-side rate limiter of adaptive retry mode (botocore retries/adaptive.py,
// bucket.py, throttling.py; the AWS SDKs' adaptive-mode design):
//
// - a measured send rate: responses counted in half-second buckets and smoothed
//   exponentially (0.8 new, 0.2 old);
// - a CUBIC rate controller (TCP CUBIC's window curve applied to requests per second): on a
//   throttling response the rate drops to 0.7x the rate at which throttling was seen and
//   that rate becomes the curve's plateau W_max; on every other response the rate follows
//   0.4 * (t - t_fail - K)^3 + W_max, which climbs back towards W_max, plateaus, then probes
//   above it; the target is never more than twice the measured rate;
// - a token bucket filled at the target rate (at least 0.5 tokens/s, capacity max(1, rate)),
//   enabled from the first throttling response on: each send takes one token.
//
// Unlike botocore's blocking bucket, `reserve()` never blocks: it takes the token at once,
// letting the balance go negative, and returns how long the caller must wait before
// sending. Concurrent callers thus queue up in order without locks, which suits a
// single-threaded event loop. Time comes from the injected clock (milliseconds); the
// controller works in seconds as the CUBIC constants expect.

const SMOOTHING = 0.8;
const BUCKET_SECONDS = 0.5;
const CUBIC_SCALE = 0.4;
const CUBIC_BETA = 0.7;
const MIN_FILL_RATE = 0.5;
const MAX_RATE_ADJUST = 2;

export interface RateLimiterSnapshot {
  /** Whether sends are being limited (true after the first throttling response). */
  readonly enabled: boolean;
  /** The bucket's fill rate: the allowed sends per second. */
  readonly fillRate: number;
  /** Tokens in the bucket (negative while sends are queued). */
  readonly capacity: number;
  /** The smoothed measured response rate, per second. */
  readonly measuredRate: number;
  /** CUBIC's W_max: the rate at which the last throttling response was seen. */
  readonly lastMaxRate: number;
}

export interface RateLimiter {
  /** Takes one send token; resolves to the milliseconds to wait before sending (0 when not limited). */
  reserve(): number;
  /** Feeds one response (or failure) into the controller. */
  update(throttled: boolean): void;
  snapshot(): RateLimiterSnapshot;
}

/** Creates the adaptive-mode limiter; `now` is a clock in epoch milliseconds. */
export function createRateLimiter(now: () => number): RateLimiter {
  const seconds = () => now() / 1000;

  // Measured rate (RateClocker).
  let measuredRate = 0;
  let lastBucket = Math.floor(seconds());
  let count = 0;
  const measure = (t: number): number => {
    const bucket = Math.floor(t / BUCKET_SECONDS) * BUCKET_SECONDS;
    count++;
    if (bucket > lastBucket) {
      const current = count / (bucket - lastBucket);
      measuredRate = current * SMOOTHING + measuredRate * (1 - SMOOTHING);
      count = 0;
      lastBucket = bucket;
    }
    return measuredRate;
  };

  // CUBIC controller.
  let wMax = 0;
  let lastFail = seconds();
  let k = 0;
  const zeroPoint = () => Math.cbrt((wMax * (1 - CUBIC_BETA)) / CUBIC_SCALE);
  const cubicSuccess = (t: number) => CUBIC_SCALE * (t - lastFail - k) ** 3 + wMax;
  const cubicThrottle = (rate: number, t: number) => {
    wMax = rate;
    k = zeroPoint();
    lastFail = t;
    return rate * CUBIC_BETA;
  };

  // Token bucket.
  let enabled = false;
  let fillRate = MIN_FILL_RATE;
  let maxCapacity = 1;
  let capacity = 0;
  let lastRefill: number | undefined;
  const refill = (t: number) => {
    if (lastRefill === undefined) {
      lastRefill = t;
      return;
    }
    capacity = Math.min(maxCapacity, capacity + (t - lastRefill) * fillRate);
    lastRefill = t;
  };
  const setRate = (rate: number, t: number) => {
    refill(t); // tokens earned so far accrue at the old rate
    fillRate = Math.max(rate, MIN_FILL_RATE);
    maxCapacity = Math.max(rate, 1);
    capacity = Math.min(capacity, maxCapacity);
  };
  setRate(1, seconds());

  return {
    reserve() {
      if (!enabled) return 0;
      const t = seconds();
      refill(t);
      capacity -= 1;
      return capacity >= 0 ? 0 : Math.ceil((-capacity / fillRate) * 1000);
    },
    update(throttled) {
      const t = seconds();
      const measured = measure(t);
      let target: number;
      if (throttled) {
        target = cubicThrottle(enabled ? Math.min(measured, fillRate) : measured, t);
        enabled = true;
      } else {
        target = cubicSuccess(t);
      }
      setRate(Math.min(target, MAX_RATE_ADJUST * measured), t);
    },
    snapshot() {
      return { enabled, fillRate, capacity, measuredRate, lastMaxRate: wMax };
    },
  };
}
