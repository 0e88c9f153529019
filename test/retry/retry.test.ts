// Retry strategies (runtime/retry): attempt counts, backoff bounds, the retry quota,
// classification, Retry-After hints, adaptive rate limiting, legacy mode from _retry.json,
// and config resolution. Everything runs on injected random numbers and clocks.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  createRetryStrategy,
  isRetryable,
  isThrottling,
  isTransient,
  resolveRetryConfig,
  STANDARD,
  type RetryErrorInfo,
  type RetryStrategy,
  type StandardRetryStrategy,
} from "../../runtime/retry/index.js";
import { createRateLimiter } from "../../runtime/retry/rate-limiter.js";
import { DEFAULT_MAX_ATTEMPTS } from "../../runtime/retry/config.js";
import { legacyPolicy } from "../../runtime/retry/legacy.js";
import {
  AbortError,
  ConfigError,
  NetworkError,
  RequestFormError,
  ResponseParseError,
  ServiceError,
  TimeoutError,
} from "../../runtime/errors.js";

let passed = 0;
let failed = 0;
function check(name: string, fn: () => void | Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
      passed++;
    } catch (e) {
      failed++;
      throw e;
    }
  });
}
after(() => console.log(`retry: ${passed} passed, ${failed} failed, 0 skipped`));

const serviceError = (code: string, status: number, headers: Record<string, string> = {}): RetryErrorInfo => ({
  error: new ServiceError(code, "boom", { httpStatusCode: status, attempts: 1, totalRetryDelay: 0 }),
  statusCode: status,
  code,
  headers,
});
const throttle = () => serviceError("ThrottlingException", 400);
const server500 = () => serviceError("InternalFailure", 500);

/** Runs one call that fails with `info` until the strategy gives up; returns the delays granted. */
async function failUntilGiveUp(strategy: RetryStrategy, info: () => RetryErrorInfo): Promise<number[]> {
  const token = await strategy.acquireToken();
  const delays: number[] = [];
  for (let i = 0; i < 100; i++) {
    const d = strategy.retryDelay(token, info());
    if (d === undefined) return delays;
    delays.push(d);
  }
  throw new Error("strategy never gave up");
}

describe("classification", () => {
  check("throttling from codes, 429 and the modeled retryable trait", () => {
    for (const code of [
      "Throttling",
      "ThrottlingException",
      "SlowDown",
      "RequestLimitExceeded",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "RequestThrottled",
      "BandwidthLimitExceeded",
      "EC2ThrottledException",
    ]) {
      assert.ok(isThrottling({ error: new Error(code), code }), code);
      assert.ok(isRetryable({ error: new Error(code), code }), code);
    }
    assert.ok(isThrottling({ error: new Error("x"), statusCode: 429 }));
    const modeled = new ServiceError("CustomSlow", undefined, { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 });
    modeled.$retryable = { throttling: true };
    assert.ok(isThrottling({ error: modeled }));
    // code and status read from the error itself when the info does not carry them
    assert.ok(isThrottling({ error: serviceError("SlowDown", 503).error }));
    assert.ok(!isThrottling(serviceError("ValidationException", 400)));
    assert.ok(!isThrottling(server500()));
  });

  check("transient: codes, 5xx statuses, network errors, timeouts, parse errors on 5xx", () => {
    for (const status of [500, 502, 503, 504])
      assert.ok(isTransient({ error: new Error("x"), statusCode: status }), String(status));
    for (const status of [400, 403, 404, 409, 501])
      assert.ok(!isRetryable(serviceError("Whatever", status)), String(status));
    for (const code of [
      "RequestTimeout",
      "RequestTimeoutException",
      "InternalError",
      "PriorRequestNotComplete",
      "IDPCommunicationError",
    ])
      assert.ok(isRetryable(serviceError(code, 400)), code);
    assert.ok(isRetryable({ error: new NetworkError("socket hang up", { code: "ECONNRESET" }) }));
    assert.ok(isRetryable({ error: new TimeoutError("read timeout") }));
    assert.ok(isRetryable({ error: Object.assign(new Error("raw"), { code: "ECONNREFUSED" }) }));
    assert.ok(isRetryable({ error: new ResponseParseError("bad body", 502) }));
    assert.ok(!isRetryable({ error: new ResponseParseError("bad body", 200) }));
  });

  check("non-retryable: client errors, aborts, request-form errors, clock skew not corrected", () => {
    assert.ok(!isRetryable(serviceError("ValidationException", 400)));
    assert.ok(!isRetryable(serviceError("AccessDeniedException", 403)));
    assert.ok(!isRetryable({ error: new AbortError("aborted"), statusCode: 503 }));
    assert.ok(!isRetryable({ error: new RequestFormError("missing label") }));
    assert.ok(!isRetryable({ error: new TypeError("bug") }));
    assert.ok(!isRetryable(serviceError("RequestTimeTooSkewed", 403)));
    assert.ok(isRetryable({ ...serviceError("RequestTimeTooSkewed", 403), clockSkewCorrected: true }));
  });
});

describe("standard mode", () => {
  check("defaults: 3 attempts, standard mode", () => {
    const s = createRetryStrategy();
    assert.equal(s.mode, "standard");
    assert.equal(s.maxAttempts, 3);
    // The client core's figure for the attempts header before standard mode is loaded.
    assert.equal(DEFAULT_MAX_ATTEMPTS, STANDARD.maxAttempts);
    assert.throws(() => createRetryStrategy({ maxAttempts: 0 }), RangeError);
    assert.throws(() => createRetryStrategy({ mode: "fast" as "standard" }), RangeError);
  });

  check("attempt counts follow maxAttempts; the token counts attempts", async () => {
    for (const maxAttempts of [1, 2, 3, 5]) {
      const s = createRetryStrategy({ maxAttempts, random: () => 0.5 });
      const token = await s.acquireToken();
      assert.equal(token.attempt, 1);
      const delays = await failUntilGiveUp(s, server500);
      assert.equal(delays.length, maxAttempts - 1, `maxAttempts ${maxAttempts}`);
    }
    const s = createRetryStrategy({ random: () => 0.5 });
    const token = await s.acquireToken();
    s.retryDelay(token, server500());
    s.retryDelay(token, server500());
    assert.equal(token.attempt, 3);
    assert.equal(s.retryDelay(token, server500()), undefined);
  });

  check(
    "backoff: full jitter within [0, min(20 s, base * 2^(n-1))], throttling base 1 s, transient 50 ms",
    async () => {
      for (const r of [0, 0.25, 0.999999]) {
        const s = createRetryStrategy({ maxAttempts: 10, random: () => r });
        const t = await failUntilGiveUp(s, throttle);
        assert.equal(t.length, 9);
        t.forEach((d, i) => {
          const cap = Math.min(STANDARD.maxBackoff, 1000 * 2 ** i);
          assert.ok(d >= 0 && d <= cap, `throttling delay ${i}: ${d} <= ${cap}`);
          assert.equal(d, r * cap);
        });
        const s2 = createRetryStrategy({ maxAttempts: 10, random: () => r });
        const n = await failUntilGiveUp(s2, server500);
        n.forEach((d, i) => assert.equal(d, r * Math.min(STANDARD.maxBackoff, 50 * 2 ** i)));
      }
      // the 20 s cap is reached by the 6th throttling retry (1 s * 2^5 = 32 s)
      const capped = await failUntilGiveUp(
        createRetryStrategy({ maxAttempts: 10, random: () => 1 - Number.EPSILON }),
        throttle,
      );
      assert.ok(capped.slice(5).every((d) => d <= 20_000 && d > 19_999));
    },
  );

  check("non-retryable errors are not retried and take no quota", async () => {
    const s = createRetryStrategy({ random: () => 0.5 }) as StandardRetryStrategy;
    const token = await s.acquireToken();
    assert.equal(s.retryDelay(token, serviceError("ValidationException", 400)), undefined);
    assert.equal(s.retryDelay(token, { error: new AbortError("stop") }), undefined);
    assert.equal(s.availableQuota, 500);
    assert.equal(token.attempt, 1);
  });

  check("a failure whose body cannot be replayed is granted no retry and charged nothing, in every mode", async () => {
    for (const mode of ["standard", "adaptive", "legacy"] as const) {
      const s = createRetryStrategy({ mode, random: () => 0.5 });
      const token = await s.acquireToken();
      for (const info of [server500(), throttle(), serviceError("SlowDown", 503)])
        assert.equal(s.retryDelay(token, { ...info, replayable: false }), undefined, mode);
      assert.equal(token.attempt, 1, mode);
      assert.equal(token.totalDelay, 0, mode);
      if (mode !== "legacy") {
        const std = s as StandardRetryStrategy;
        assert.equal(std.availableQuota, STANDARD.quota, mode);
        // adaptive still measures the throttling it was shown
        if (mode === "adaptive") assert.equal(std.limiter()!.enabled, true);
        // the same failure, replayable, is retried and charged
        assert.ok(s.retryDelay(token, server500()) !== undefined, mode);
        assert.equal(std.availableQuota, STANDARD.quota - STANDARD.retryCost, mode);
      } else {
        assert.ok(s.retryDelay(token, server500()) !== undefined, mode);
      }
    }
  });

  check("retry quota: 5 per retry, 10 per timeout; exhaustion stops retrying; success refunds", async () => {
    const s = createRetryStrategy({ maxAttempts: 3, random: () => 0 }) as StandardRetryStrategy;
    let retries = 0;
    // Each call gets one retry and then fails again: 5 tokens each, 100 calls empty the quota.
    for (let call = 0; call < 150; call++) {
      const token = await s.acquireToken();
      if (s.retryDelay(token, server500()) !== undefined) retries++;
    }
    assert.equal(retries, 100);
    assert.equal(s.availableQuota, 0);
    const token = await s.acquireToken();
    assert.equal(s.retryDelay(token, throttle()), undefined, "no quota, no retry");
    // A success without retries gives back 1 token.
    s.recordSuccess(token);
    assert.equal(s.availableQuota, 1);
    for (let i = 0; i < 9; i++) s.recordSuccess(await s.acquireToken());
    assert.equal(s.availableQuota, 10);
    // A timeout costs 10; the success after it refunds exactly that.
    const t2 = await s.acquireToken();
    assert.notEqual(s.retryDelay(t2, { error: new TimeoutError("connect timeout") }), undefined);
    assert.equal(s.availableQuota, 0);
    s.recordSuccess(t2);
    assert.equal(s.availableQuota, 10);
    const t3 = await s.acquireToken();
    s.retryDelay(t3, throttle());
    assert.equal(s.availableQuota, 5);
    s.recordSuccess(t3);
    assert.equal(s.availableQuota, 10);
    // refunds never exceed the maximum
    const full = createRetryStrategy() as StandardRetryStrategy;
    full.recordSuccess(await full.acquireToken());
    assert.equal(full.availableQuota, 500);
  });

  check("x-amz-retry-after and Retry-After raise the delay, at most 5 s beyond the backoff", async () => {
    const now = () => Date.UTC(2024, 0, 1);
    const s = createRetryStrategy({ maxAttempts: 10, random: () => 0.5, now });
    const delay = async (headers: Record<string, string>) =>
      s.retryDelay(await s.acquireToken(), serviceError("ThrottlingException", 400, headers));
    assert.equal(await delay({}), 500);
    assert.equal(await delay({ "x-amz-retry-after": "1500" }), 1500);
    assert.equal(await delay({ "x-amz-retry-after": "100" }), 500, "a shorter hint never shortens the backoff");
    assert.equal(await delay({ "x-amz-retry-after": "60000" }), 5500, "bounded to backoff + 5 s");
    assert.equal(await delay({ "x-amz-retry-after": "soon" }), 500, "invalid hints are ignored");
    assert.equal(await delay({ "retry-after": "3" }), 3000);
    assert.equal(await delay({ "retry-after": new Date(now() + 2000).toUTCString() }), 2000);
  });
});

describe("adaptive mode", () => {
  check("the limiter is off until throttled; then the send rate drops and recovers (CUBIC)", () => {
    let t = 1_000_000;
    const limiter = createRateLimiter(() => t);
    // 10 requests/second of successes for 5 s: no limiting.
    for (let i = 0; i < 50; i++) {
      t += 100;
      assert.equal(limiter.reserve(), 0);
      limiter.update(false);
    }
    const before = limiter.snapshot();
    assert.equal(before.enabled, false);
    assert.ok(before.measuredRate > 8 && before.measuredRate <= 10, `measured ${before.measuredRate}`);
    // A throttling response: the rate drops to 0.7x the measured rate.
    t += 100;
    limiter.update(true);
    const throttled = limiter.snapshot();
    assert.equal(throttled.enabled, true);
    assert.ok(Math.abs(throttled.fillRate - 0.7 * throttled.lastMaxRate) < 1e-9);
    assert.ok(throttled.fillRate < before.measuredRate);
    // Sends are now spaced: reserving many tokens at once makes later callers wait longer.
    // The bucket holds max(1, rate) tokens: those go at once, later callers queue up 1/rate apart.
    const waits = Array.from({ length: 12 }, () => limiter.reserve());
    const available = Math.floor(throttled.capacity);
    assert.ok(available >= 1 && available < 12);
    assert.ok(
      waits.slice(0, available).every((w) => w === 0),
      `waits ${waits.join(",")}`,
    );
    for (let i = available + 1; i < 12; i++) assert.ok(waits[i]! > waits[i - 1]!, `waits grow: ${waits.join(",")}`);
    assert.ok(Math.abs(waits[11]! - ((12 - throttled.capacity) / throttled.fillRate) * 1000) <= 1);
    // Successes at the allowed pace: the rate climbs back to W_max and beyond.
    let rate = throttled.fillRate;
    for (let i = 0; i < 200; i++) {
      t += Math.max(1000 / rate, 50);
      limiter.update(false);
      rate = limiter.snapshot().fillRate;
    }
    const recovered = limiter.snapshot();
    assert.ok(
      recovered.fillRate >= throttled.lastMaxRate,
      `recovered ${recovered.fillRate} >= ${throttled.lastMaxRate}`,
    );
  });

  check("repeated throttling keeps lowering the rate, down to the 0.5/s floor", () => {
    let t = 5_000_000;
    const limiter = createRateLimiter(() => t);
    for (let i = 0; i < 40; i++) {
      t += 50;
      limiter.update(false);
    }
    let last = Infinity;
    for (let i = 0; i < 30; i++) {
      t += 500;
      limiter.update(true);
      const r = limiter.snapshot().fillRate;
      assert.ok(r <= last + 1e-9, `rate ${r} after ${last}`);
      last = r;
    }
    assert.equal(last, 0.5);
  });

  check("acquireToken waits for send capacity; retry delays cover the send-token wait", async () => {
    let t = 10_000_000;
    const slept: number[] = [];
    const s = createRetryStrategy({
      mode: "adaptive",
      maxAttempts: 5,
      random: () => 0,
      now: () => t,
      sleep: async (ms) => {
        slept.push(ms);
        t += ms;
      },
    }) as StandardRetryStrategy;
    assert.equal(s.mode, "adaptive");
    // Not limited before the first throttle.
    for (let i = 0; i < 20; i++) {
      const token = await s.acquireToken();
      t += 100;
      s.recordSuccess(token);
    }
    assert.deepEqual(slept, []);
    const token = await s.acquireToken();
    t += 100;
    assert.notEqual(s.retryDelay(token, throttle()), undefined);
    const snap = s.limiter()!;
    assert.equal(snap.enabled, true);
    // Drain the bucket without letting time pass: the calls beyond its tokens sleep, each
    // about 1/rate after the previous one.
    const calls = Math.ceil(snap.capacity) + 3;
    for (let i = 0; i < calls; i++) await s.acquireToken();
    assert.ok(slept.length >= 3, `slept ${slept.join(",")}`);
    const spacing = 1000 / s.limiter()!.fillRate;
    for (const ms of slept.slice(1)) assert.ok(Math.abs(ms - spacing) <= 1, `sleep ${ms} ~ ${spacing}`);
    // With random() = 0 the backoff is 0, so a non-zero delay is the wait for the retry's send token.
    const retryToken = await s.acquireToken();
    const d = s.retryDelay(retryToken, server500());
    assert.ok(d !== undefined && d > 0, `delay ${d}`);
  });

  check("standard mode has no limiter", () => {
    assert.equal((createRetryStrategy() as StandardRetryStrategy).limiter(), undefined);
  });
});

describe("legacy mode", () => {
  check("policies from _retry.json: 5 attempts, rand * 2^(n-1) s, status+code conditions", async () => {
    const s = createRetryStrategy({ mode: "legacy", random: () => 0.5 });
    assert.equal(s.mode, "legacy");
    assert.equal(s.maxAttempts, 5);
    assert.deepEqual(await failUntilGiveUp(s, server500), [500, 1000, 2000, 4000]);
    // ThrottlingException is retried with status 400 (its policy's status) only.
    assert.equal((await failUntilGiveUp(s, throttle)).length, 4);
    assert.equal((await failUntilGiveUp(s, () => serviceError("ThrottlingException", 403))).length, 0);
    assert.equal((await failUntilGiveUp(s, () => ({ error: new Error("x"), statusCode: 429 }))).length, 4);
    assert.equal((await failUntilGiveUp(s, () => ({ error: new NetworkError("reset") }))).length, 4);
    assert.equal((await failUntilGiveUp(s, () => serviceError("ValidationException", 400))).length, 0);
    // legacy has no quota: 200 failing calls all retry
    let retried = 0;
    for (let i = 0; i < 200; i++) if (s.retryDelay(await s.acquireToken(), server500()) !== undefined) retried++;
    assert.equal(retried, 200);
  });

  check("service-specific legacy policies (DynamoDB: 10 attempts, base 50 ms; EC2 RequestLimitExceeded)", async () => {
    const ddb = createRetryStrategy({ mode: "legacy", service: "dynamodb", random: () => 0.5 });
    assert.equal(ddb.maxAttempts, 10);
    const delays = await failUntilGiveUp(ddb, () => serviceError("TransactionInProgressException", 400));
    assert.deepEqual(delays, [50, 100, 200, 400, 800, 1600, 3200, 6400, 12800]);
    assert.equal(legacyPolicy("dynamodb").delay.base, 0.05);
    const ec2 = createRetryStrategy({ mode: "legacy", service: "ec2", random: () => 0.5 });
    assert.equal((await failUntilGiveUp(ec2, () => serviceError("RequestLimitExceeded", 503))).length, 4);
    const other = createRetryStrategy({ mode: "legacy", service: "sqs", random: () => 0.5 });
    assert.equal((await failUntilGiveUp(other, () => serviceError("RequestLimitExceeded", 400))).length, 0);
    assert.equal(createRetryStrategy({ mode: "legacy", maxAttempts: 2 }).maxAttempts, 2);
  });
});

describe("config resolution", () => {
  check("config beats env beats profile beats defaults mode", () => {
    const env = { AWS_RETRY_MODE: "adaptive", AWS_MAX_ATTEMPTS: "7" };
    const profile = { retry_mode: "legacy", max_attempts: "9" };
    assert.deepEqual(resolveRetryConfig({ config: { mode: "standard", maxAttempts: 2 }, env, profile }), {
      mode: "standard",
      maxAttempts: 2,
    });
    assert.deepEqual(resolveRetryConfig({ env, profile }), { mode: "adaptive", maxAttempts: 7 });
    assert.deepEqual(resolveRetryConfig({ profile }), { mode: "legacy", maxAttempts: 9 });
    assert.deepEqual(resolveRetryConfig({ env: { AWS_RETRY_MODE: "" }, defaultsRetryMode: "legacy" }), {
      mode: "legacy",
      maxAttempts: undefined,
    });
    assert.deepEqual(resolveRetryConfig(), { mode: "standard", maxAttempts: undefined });
    assert.deepEqual(resolveRetryConfig({ profile: { retry_mode: " Adaptive " } }).mode, "adaptive");
  });

  check("invalid values throw ConfigError naming the source", () => {
    assert.throws(
      () => resolveRetryConfig({ env: { AWS_RETRY_MODE: "fast" } }),
      (e: unknown) => e instanceof ConfigError && /AWS_RETRY_MODE/.test(e.message),
    );
    assert.throws(() => resolveRetryConfig({ env: { AWS_MAX_ATTEMPTS: "0" } }), ConfigError);
    assert.throws(() => resolveRetryConfig({ profile: { max_attempts: "three" } }), /profile max_attempts/);
    assert.throws(() => resolveRetryConfig({ config: { maxAttempts: 1.5 } }), ConfigError);
  });
});
