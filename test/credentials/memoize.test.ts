// memoize(): caching until the refresh window, single-flight refresh under concurrency, failures
// not cached, still-valid credentials served when a refresh fails. The clock is injected.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { memoize } from "../../runtime/credentials/memoize.js";
import type { Credentials } from "../../runtime/credentials/types.js";

function clock(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** A provider that counts calls and hands out credentials expiring `lifetimeMs` after the clock. */
function counting(now: () => number, lifetimeMs: number | undefined, delayMs = 0) {
  const state = { calls: 0, failNext: 0 };
  const provider = async (): Promise<Credentials> => {
    state.calls++;
    const n = state.calls;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (state.failNext > 0) {
      state.failNext--;
      throw new Error("source unavailable");
    }
    return {
      accessKeyId: `AKID${n}`,
      secretAccessKey: `secret${n}`,
      ...(lifetimeMs !== undefined ? { expiration: new Date(now() + lifetimeMs) } : {}),
    };
  };
  return { provider, state };
}

describe("memoize", () => {
  test("credentials without expiration are fetched once", async () => {
    const c = clock();
    const { provider, state } = counting(c.now, undefined);
    const m = memoize(provider, { now: c.now });
    assert.equal((await m()).accessKeyId, "AKID1");
    c.advance(365 * 86400_000);
    assert.equal((await m()).accessKeyId, "AKID1");
    assert.equal(state.calls, 1);
    m.invalidate();
    assert.equal((await m()).accessKeyId, "AKID2");
  });

  test("refreshes 5 minutes before expiration by default, and at a configured window", async () => {
    const c = clock();
    const { provider, state } = counting(c.now, 3600_000);
    const m = memoize(provider, { now: c.now });
    await m();
    c.advance(3600_000 - 300_001);
    assert.equal((await m()).accessKeyId, "AKID1");
    c.advance(2);
    assert.equal((await m()).accessKeyId, "AKID2");
    assert.equal(state.calls, 2);

    const c2 = clock();
    const other = counting(c2.now, 3600_000);
    const m2 = memoize(other.provider, { now: c2.now, expiryWindowMs: 60_000 });
    await m2();
    c2.advance(3600_000 - 61_000);
    await m2();
    assert.equal(other.state.calls, 1);
    c2.advance(2_000);
    await m2();
    assert.equal(other.state.calls, 2);
  });

  test("50 concurrent calls with credentials about to expire cause exactly one refresh", async () => {
    const c = clock();
    const { provider, state } = counting(c.now, 3600_000, 20);
    const m = memoize(provider, { now: c.now });
    await m();
    c.advance(3600_000 - 120_000); // 2 minutes left: inside the 5-minute window
    const results = await Promise.all(Array.from({ length: 50 }, () => m()));
    assert.equal(state.calls, 2);
    assert.ok(results.every((r) => r.accessKeyId === "AKID2"));
    assert.equal(new Set(results).size, 1);
  });

  test("a failure with nothing cached reaches every waiting caller and is not cached", async () => {
    const c = clock();
    const { provider, state } = counting(c.now, 3600_000, 5);
    state.failNext = 1;
    const m = memoize(provider, { now: c.now });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => m()));
    assert.ok(outcomes.every((o) => o.status === "rejected"));
    assert.equal(state.calls, 1);
    assert.equal((await m()).accessKeyId, "AKID2");
  });

  test("a failed refresh serves still-valid credentials and retries after a pause; expired ones are not served", async () => {
    const c = clock();
    const { provider, state } = counting(c.now, 600_000);
    const m = memoize(provider, { now: c.now, retryAfterErrorMs: 10_000 });
    await m();
    c.advance(400_000); // 200 s left: inside the window
    state.failNext = 2;
    assert.equal((await m()).accessKeyId, "AKID1"); // refresh failed, still valid
    assert.equal(state.calls, 2);
    assert.equal((await m()).accessKeyId, "AKID1"); // within the pause: no new attempt
    assert.equal(state.calls, 2);
    c.advance(10_001);
    assert.equal((await m()).accessKeyId, "AKID1"); // attempt 3 failed too
    assert.equal(state.calls, 3);
    c.advance(10_001);
    assert.equal((await m()).accessKeyId, "AKID4");
    c.advance(600_000); // now expired
    state.failNext = 1;
    await assert.rejects(m(), /source unavailable/);
  });
});
