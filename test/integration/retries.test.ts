// Retries through the GENERATED clients against the programmable fault server on 127.0.0.1:
// transient statuses and throttling codes then success, resets and timeouts then success, the
// attempt headers (`amz-sdk-request`, `amz-sdk-invocation-id`), full-jitter backoff with
// injected randomness, server retry hints, the retry quota running dry, non-retryable errors,
// clock-skew correction from the Date header, adaptive mode's client-side rate limiting, and
// streamed (non-replayable) bodies. Randomness is injected (runtime/retry createRetryStrategy)
// so delays are exact and the suite stays fast; the fault server time-stamps each arrival so
// the waits the client really made are measured too.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { DynamoDB, ResourceNotFoundException } from "tsaws/dynamodb";
import { S3 } from "tsaws/s3";
import { Lambda } from "tsaws/lambda";
import { AbortError, ServiceError, TimeoutError, type ClientConfig, type RetryStrategy } from "tsaws";
import { createRetryStrategy, STANDARD, type StandardRetryStrategy } from "../../runtime/retry/index.js";
import {
  startFaultServer,
  watchUnhandledRejections,
  type FaultResponse,
  type FaultServer,
  type FaultStep,
} from "../support/fault-server.ts";
import { countedTests } from "../support/counted.ts";

const CREDENTIALS = { accessKeyId: "AKIDRETRYTEST", secretAccessKey: "retry-test-secret" };
const JSON10 = { "content-type": "application/x-amz-json-1.0" };
const OK: FaultResponse = {
  status: 200,
  headers: { ...JSON10, "x-amzn-requestid": "ok-1" },
  body: JSON.stringify({ TableNames: ["t"] }),
};

// ---- the one-line summary ----

const check = countedTests("integration retries");

const unhandled = watchUnhandledRejections();
let server: FaultServer;
const clients: { destroy(): void }[] = [];
/** performance.now() at each scripted request's arrival, in order (see `script`). */
let arrivals: number[] = [];

before(async () => {
  server = await startFaultServer({ holdMs: 3000 });
});

after(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  unhandled.dispose();
  unhandled.assertNone();
});

/** Resets the server with `steps`, time-stamping every arrival (the fallback is a 200 OK). */
function script(...steps: FaultStep[]): void {
  arrivals = [];
  const stamp =
    (step: FaultStep): FaultStep =>
    (request) => {
      arrivals.push(performance.now());
      return typeof step === "function" ? step(request) : step;
    };
  server.reset(steps.map(stamp));
}

/** Client config for the fault server; `extra` may hold service-specific keys (forcePathStyle). */
function config<E extends Partial<ClientConfig> & Record<string, unknown>>(extra?: E): ClientConfig & E {
  return { region: "us-east-1", endpoint: server.url, credentials: CREDENTIALS, ...extra } as ClientConfig & E;
}

function ddb(extra: Partial<ClientConfig> = {}): DynamoDB {
  const c = new DynamoDB(config(extra));
  clients.push(c);
  return c;
}

/** A strategy that records every delay its inner strategy grants. */
function recording(inner: RetryStrategy): { strategy: RetryStrategy; delays: number[] } {
  const delays: number[] = [];
  const strategy: RetryStrategy = {
    mode: inner.mode,
    maxAttempts: inner.maxAttempts,
    acquireToken: () => inner.acquireToken(),
    retryDelay(token, info) {
      const d = inner.retryDelay(token, info);
      if (d !== undefined) delays.push(d);
      return d;
    },
    recordSuccess: (token) => inner.recordSuccess(token),
  };
  return { strategy, delays };
}

function jsonError(code: string, status: number, extraHeaders: Record<string, string> = {}): FaultResponse {
  return {
    status,
    headers: { ...JSON10, ...extraHeaders },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message: `${code}!` }),
  };
}

/** `amz-sdk-request` and `amz-sdk-invocation-id` of every recorded request. */
function attemptHeaders(): { request: string | undefined; invocation: string | undefined }[] {
  return server.requests.map((r) => ({
    request: r.headers["amz-sdk-request"],
    invocation: r.headers["amz-sdk-invocation-id"],
  }));
}

/** x-amz-date (YYYYMMDDTHHMMSSZ) as epoch ms. */
function amzDate(value: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  assert.ok(m, `bad x-amz-date ${value}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

check("500, 503, then success: 3 attempts, numbered in amz-sdk-request under one invocation id", async () => {
  const client = ddb({ retryStrategy: createRetryStrategy({ random: () => 0.1 }) });
  script({ status: 500 }, { status: 503 }, OK);
  const out = await client.listTables({});
  assert.deepEqual(out.TableNames, ["t"]);
  assert.equal(out.$metadata.attempts, 3);
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.equal(out.$metadata.requestId, "ok-1");
  // Transient backoff: random * 50 ms * 2^(attempt-1).
  assert.equal(out.$metadata.totalRetryDelay, 0.1 * 50 + 0.1 * 100);
  const h = attemptHeaders();
  assert.deepEqual(
    h.map((x) => x.request),
    ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"],
  );
  assert.match(h[0]!.invocation ?? "", UUID);
  assert.ok(
    h.every((x) => x.invocation === h[0]!.invocation),
    "one invocation id for all attempts",
  );
  // Each attempt is signed on its own.
  assert.ok(server.requests.every((r) => r.headers.authorization?.startsWith("AWS4-HMAC-SHA256 ")));

  // The next call gets a new invocation id.
  script(OK);
  await client.listTables({});
  assert.notEqual(server.requests[0]!.headers["amz-sdk-invocation-id"], h[0]!.invocation);
  assert.equal(server.requests[0]!.headers["amz-sdk-request"], "attempt=1; max=3");
});

check("500 then success: 2 attempts; maxAttempts from the client config sets max= and the limit", async () => {
  script({ status: 500 }, OK);
  const out = await ddb({ retryStrategy: createRetryStrategy({ random: () => 0 }) }).listTables({});
  assert.equal(out.$metadata.attempts, 2);
  assert.equal(server.requests.length, 2);

  // Default strategy (real randomness) built from the client's maxAttempts: 5 attempts, then the error.
  const five = ddb({ maxAttempts: 5 });
  script({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, OK);
  const err = await five.listTables({}).catch((e: unknown) => e);
  assert.ok(err instanceof ServiceError, String(err));
  assert.equal(err.code, "Http500");
  assert.equal(err.$metadata.attempts, 5);
  assert.equal(server.requests.length, 5);
  assert.deepEqual(
    attemptHeaders().map((x) => x.request),
    [1, 2, 3, 4, 5].map((n) => `attempt=${n}; max=5`),
  );
  // Full jitter never exceeds 50 + 100 + 200 + 400 ms.
  assert.ok(
    err.$metadata.totalRetryDelay >= 0 && err.$metadata.totalRetryDelay <= 750,
    `${err.$metadata.totalRetryDelay}`,
  );
});

check(
  "throttling (ThrottlingException, ProvisionedThroughputExceededException, SlowDown, HTTP 429) is retried with the throttling backoff",
  async () => {
    const r = 0.01;
    const client = ddb({ retryStrategy: createRetryStrategy({ random: () => r }) });
    for (const code of ["ThrottlingException", "ProvisionedThroughputExceededException"]) {
      script(jsonError(code, 400), OK);
      const out = await client.listTables({});
      assert.equal(out.$metadata.attempts, 2, code);
      // Throttling waits random * 1 s (a transient failure would wait random * 50 ms).
      assert.equal(out.$metadata.totalRetryDelay, r * STANDARD.throttlingBase, code);
    }

    const s3 = new S3(config({ forcePathStyle: true, retryStrategy: createRetryStrategy({ random: () => r }) }));
    clients.push(s3);
    script(
      {
        status: 503,
        headers: { "content-type": "application/xml" },
        body: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
      },
      {
        status: 200,
        headers: { "content-type": "application/xml" },
        body: "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>",
      },
    );
    const listed = await s3.listObjectsV2({ Bucket: "b" });
    assert.equal(listed.$metadata.attempts, 2);
    assert.equal(listed.$metadata.totalRetryDelay, r * STANDARD.throttlingBase);

    const lambda = new Lambda(config({ retryStrategy: createRetryStrategy({ random: () => r }) }));
    clients.push(lambda);
    script({ status: 429 }, { status: 200, headers: { "content-type": "application/json" }, body: '{"Functions":[]}' });
    const fns = await lambda.listFunctions({});
    assert.equal(fns.$metadata.attempts, 2);
    assert.equal(fns.$metadata.totalRetryDelay, r * STANDARD.throttlingBase);
  },
);

check("S3 CopyObject: an InternalError inside a 200 body is retried like a 500", async () => {
  const s3 = new S3(config({ forcePathStyle: true, retryStrategy: createRetryStrategy({ random: () => 0 }) }));
  clients.push(s3);
  script(
    {
      status: 200,
      body: "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>",
    },
    { status: 200, body: '<CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>' },
  );
  const out = await s3.copyObject({ Bucket: "b", Key: "k", CopySource: "b/src" });
  assert.equal(out.CopyObjectResult?.ETag, '"e"');
  assert.equal(out.$metadata.attempts, 2);
});

check("a connection reset, then success: 2 attempts on 2 connections", async () => {
  const client = ddb({ retryStrategy: createRetryStrategy({ random: () => 0 }) });
  script({ fault: "reset" }, OK);
  const out = await client.listTables({});
  assert.equal(out.$metadata.attempts, 2);
  assert.equal(server.requests.length, 2);
  assert.notEqual(server.requests[0]!.connection, server.requests[1]!.connection);
  assert.equal(server.requests[1]!.headers["amz-sdk-request"], "attempt=2; max=3");
});

check("a request timeout, then success: 2 attempts; a timeout retry costs the higher quota", async () => {
  const inner = createRetryStrategy({ random: () => 0 }) as StandardRetryStrategy;
  const { strategy, delays } = recording(inner);
  const client = ddb({ retryStrategy: strategy, requestTimeout: 200 });
  script({ fault: "hang" }, OK);
  const start = performance.now();
  const out = await client.listTables({});
  assert.equal(out.$metadata.attempts, 2);
  assert.ok(performance.now() - start >= 190);
  assert.deepEqual(delays, [0]);
  // Only timeouts left: the quota pays 10 per retry, and the call's failure is the TimeoutError.
  script({ fault: "hang" }, { fault: "hang" }, { fault: "hang" });
  const before = inner.availableQuota;
  const err = await client.listTables({}).catch((e: unknown) => e);
  assert.ok(err instanceof TimeoutError, String(err));
  assert.equal(inner.availableQuota, before - 2 * STANDARD.timeoutRetryCost);
});

check("backoff: each delay is random * base * 2^(attempt-1), and the client really waits it", async () => {
  const randoms = [0.9, 0.5, 0.999999, 0.25];
  let i = 0;
  const { strategy, delays } = recording(
    createRetryStrategy({ maxAttempts: 5, random: () => randoms[i++ % randoms.length]! }),
  );
  const client = ddb({ retryStrategy: strategy });
  script({ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }, OK);
  const out = await client.listTables({});
  assert.equal(out.$metadata.attempts, 5);
  const expected = randoms.map((r, n) => r * Math.min(STANDARD.maxBackoff, STANDARD.transientBase * 2 ** n));
  assert.deepEqual(delays, expected);
  for (const [n, d] of delays.entries()) assert.ok(d < STANDARD.transientBase * 2 ** n, `delay ${n} within its bound`);
  assert.equal(
    out.$metadata.totalRetryDelay,
    expected.reduce((a, b) => a + b, 0),
  );
  for (let n = 1; n < arrivals.length; n++) {
    const gap = arrivals[n]! - arrivals[n - 1]!;
    assert.ok(gap >= delays[n - 1]! - 2, `gap before attempt ${n + 1}: ${gap.toFixed(1)} ms < ${delays[n - 1]} ms`);
  }
});

check("a server retry hint (x-amz-retry-after) raises the delay, within its bound", async () => {
  const { strategy, delays } = recording(createRetryStrategy({ random: () => 0 }));
  const client = ddb({ retryStrategy: strategy });
  script(jsonError("ThrottlingException", 400, { "x-amz-retry-after": "120" }), OK);
  const out = await client.listTables({});
  assert.equal(out.$metadata.attempts, 2);
  assert.deepEqual(delays, [120]);
  assert.ok(arrivals[1]! - arrivals[0]! >= 118, `waited ${(arrivals[1]! - arrivals[0]!).toFixed(1)} ms`);
  // A huge hint is capped at 5 s beyond the computed backoff (0 here).
  script(jsonError("ThrottlingException", 400, { "x-amz-retry-after": "3600000" }));
  const controller = new AbortController();
  const pending = client.listTables({}, { signal: controller.signal }).catch((e: unknown) => e);
  await new Promise((r) => setTimeout(r, 50));
  controller.abort();
  assert.ok((await pending) instanceof AbortError);
  assert.equal(delays[1], 5000);
});

check("an abort during the backoff wait ends the call at once with AbortError, nothing more is sent", async () => {
  const client = ddb({ retryStrategy: createRetryStrategy({ random: () => 0.999 }) });
  script(jsonError("ThrottlingException", 400), OK);
  const controller = new AbortController();
  const start = performance.now();
  const pending = client.listTables({}, { signal: controller.signal }).catch((e: unknown) => e);
  setTimeout(() => controller.abort(new Error("user cancelled")), 100);
  const err = await pending;
  assert.ok(err instanceof AbortError, String(err));
  assert.ok(performance.now() - start < 600, "did not sit out the ~1 s backoff");
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(server.requests.length, 1);
});

check("a non-retryable error (ValidationException 400, ResourceNotFoundException) is not retried", async () => {
  const client = ddb({ retryStrategy: createRetryStrategy({ random: () => 0 }) });
  script(jsonError("ValidationException", 400), OK);
  const e1 = await client.listTables({}).catch((e: unknown) => e);
  // DynamoDB does not model ValidationException: a plain ServiceError with the code.
  assert.ok(e1 instanceof ServiceError && e1.code === "ValidationException", String(e1));
  assert.equal(e1.$metadata.attempts, 1);
  assert.equal(e1.$metadata.totalRetryDelay, 0);
  assert.equal(server.requests.length, 1);

  script(jsonError("ResourceNotFoundException", 400), OK);
  const e2 = await client.describeTable({ TableName: "nope" }).catch((e: unknown) => e);
  assert.ok(e2 instanceof ResourceNotFoundException, String(e2));
  assert.equal(e2.$metadata.attempts, 1);
  assert.equal(server.requests.length, 1);
});

check(
  "the retry quota: many failing calls on one client drain it, then calls stop retrying; successes refill it",
  async () => {
    const inner = createRetryStrategy({ random: () => 0 }) as StandardRetryStrategy;
    const client = ddb({ retryStrategy: inner });
    script();
    const failing = await startFaultServer({ fallback: { status: 500 } });
    try {
      const bad = new DynamoDB(config({ endpoint: failing.url, retryStrategy: inner }));
      clients.push(bad);
      const results = await Promise.all(Array.from({ length: 60 }, () => bad.listTables({}).catch((e: unknown) => e)));
      assert.ok(results.every((e) => e instanceof ServiceError && e.code === "Http500"));
      const attempts = results.map((e) => (e as ServiceError).$metadata.attempts);
      // 500 tokens pay for 100 retries of 5: 60 first attempts + 100 retries.
      const retries = STANDARD.quota / STANDARD.retryCost;
      assert.equal(failing.requests.length, 60 + retries);
      assert.equal(
        attempts.reduce((a, b) => a + b, 0),
        60 + retries,
      );
      assert.equal(inner.availableQuota, 0);
      // Drained: the next failure is not retried.
      const next = await bad.listTables({}).catch((e: unknown) => e);
      assert.equal((next as ServiceError).$metadata.attempts, 1);
      assert.equal(failing.requests.length, 60 + retries + 1);
      // A success without retries gives back 1 token each; 5 make the next retry possible again.
      for (let i = 0; i < 5; i++) await client.listTables({});
      assert.equal(inner.availableQuota, 5);
      const again = await bad.listTables({}).catch((e: unknown) => e);
      assert.equal((again as ServiceError).$metadata.attempts, 2);
    } finally {
      await failing.close();
    }
  },
);

check(
  "the built-in standard strategy, made on the client's first failure: 60 calls failing at once share one quota",
  async () => {
    // No retryStrategy given: the client loads standard mode when its first attempt fails. The
    // calls fail together, so each one's first failure races to make the strategy; one quota
    // (500 tokens, 5 a retry) must pay for exactly 100 retries in all, not 2 for each call.
    const failing = await startFaultServer({ fallback: { status: 500 } });
    try {
      const bad = new DynamoDB(config({ endpoint: failing.url }));
      clients.push(bad);
      const results = await Promise.all(Array.from({ length: 60 }, () => bad.listTables({}).catch((e: unknown) => e)));
      assert.ok(results.every((e) => e instanceof ServiceError && e.code === "Http500"));
      const retries = STANDARD.quota / STANDARD.retryCost;
      assert.equal(failing.requests.length, 60 + retries);
      const firsts = failing.requests.filter((r) => r.headers["amz-sdk-request"] === "attempt=1; max=3");
      assert.equal(firsts.length, 60);
    } finally {
      await failing.close();
    }
  },
);

check(
  "clock skew (DynamoDB 'Signature expired'): corrected from the Date header, retried, and the next call signs with the corrected time",
  async () => {
    const HOUR = 3_600_000;
    const client = ddb({ clock: () => Date.now() - HOUR, retryStrategy: createRetryStrategy({ random: () => 0 }) });
    const skew = (): FaultResponse => ({
      status: 400,
      headers: { ...JSON10, date: new Date().toUTCString() },
      body: JSON.stringify({
        __type: "com.amazon.coral.service#InvalidSignatureException",
        message:
          "Signature expired: 20240101T000000Z is now earlier than 20240101T010000Z (20240101T011500Z - 15 min.)",
      }),
    });
    script(skew, OK);
    const out = await client.listTables({});
    assert.equal(out.$metadata.attempts, 2);
    const [first, second] = server.requests.map((r) => amzDate(r.headers["x-amz-date"]));
    const now = Date.now();
    assert.ok(Math.abs(first! - (now - HOUR)) < 10_000, "attempt 1 was signed with the skewed clock");
    assert.ok(Math.abs(second! - now) < 10_000, "attempt 2 was signed with the corrected clock");

    script(OK);
    await client.listTables({});
    assert.ok(
      Math.abs(amzDate(server.requests[0]!.headers["x-amz-date"]) - Date.now()) < 10_000,
      "the next call signs with the corrected time",
    );

    // A skew error that does not move the clock again is final: no retry loop.
    script(skew, skew, OK);
    const err = await client.listTables({}).catch((e: unknown) => e);
    assert.ok(err instanceof ServiceError && err.code === "InvalidSignatureException", String(err));
    assert.equal(err.$metadata.attempts, 1);
  },
);

check("clock skew (S3 RequestTimeTooSkewed 403): corrected and retried", async () => {
  const s3 = new S3(
    config({
      forcePathStyle: true,
      clock: () => Date.now() + 2 * 3_600_000,
      retryStrategy: createRetryStrategy({ random: () => 0 }),
    }),
  );
  clients.push(s3);
  script(
    () => ({
      status: 403,
      headers: { "content-type": "application/xml", date: new Date().toUTCString() },
      body: "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message></Error>",
    }),
    { status: 200, body: "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>" },
  );
  const out = await s3.listObjectsV2({ Bucket: "b" });
  assert.equal(out.$metadata.attempts, 2);
  const [first, second] = server.requests.map((r) => amzDate(r.headers["x-amz-date"]));
  assert.ok(first! - Date.now() > 3_600_000, "attempt 1 signed 2 h ahead");
  assert.ok(Math.abs(second! - Date.now()) < 10_000, "attempt 2 signed with the server's time");
});

check("adaptive mode: after throttling, the client spaces its sends (rate limiter on an injected clock)", async () => {
  let fake = 1_000_000;
  const waits: number[] = [];
  const strategy = createRetryStrategy({
    mode: "adaptive",
    maxAttempts: 1, // one attempt per call: every wait below is the limiter's, before a send
    now: () => fake,
    random: () => 0,
    sleep: async (ms) => {
      waits.push(ms);
      fake += ms;
    },
  }) as StandardRetryStrategy;
  const client = ddb({ retryStrategy: strategy });
  let throttle = false;
  const sends: number[] = [];
  server.reset();
  const respond = (): FaultResponse => {
    sends.push(fake);
    fake += 20; // each exchange takes 20 ms of the fake clock: 50 requests/s
    return throttle ? jsonError("ThrottlingException", 400) : OK;
  };
  for (let i = 0; i < 100; i++) {
    server.enqueue(respond);
    await client.listTables({});
  }
  assert.deepEqual(waits, [], "no limiting before any throttling");
  assert.equal(strategy.limiter()?.enabled, false);
  const measured = strategy.limiter()!.measuredRate;
  assert.ok(measured > 30, `measured ${measured}/s`);

  throttle = true;
  for (let i = 0; i < 12; i++) {
    server.enqueue(respond);
    const e = await client.listTables({}).catch((err: unknown) => err);
    assert.ok(e instanceof ServiceError && e.code === "ThrottlingException");
  }
  const limiter = strategy.limiter()!;
  assert.equal(limiter.enabled, true);
  assert.ok(limiter.fillRate < measured / 2, `fill rate ${limiter.fillRate}/s after throttling`);
  assert.ok(waits.length > 0 && waits.every((w) => w > 0), "sends after throttling waited for the limiter");
  const gaps = sends.slice(1).map((t, i) => t - sends[i]!);
  const before = gaps.slice(0, 99);
  const afterThrottle = gaps.slice(-6);
  assert.ok(before.every((g) => g === 20));
  // Spacing grows: the last sends are far slower than 50/s.
  assert.ok(
    afterThrottle.every((g) => g > 100),
    `gaps after throttling: ${afterThrottle.join(", ")}`,
  );
  for (let i = 1; i < afterThrottle.length; i++)
    assert.ok(afterThrottle[i]! >= afterThrottle[i - 1]! - 1, "non-decreasing spacing");
  assert.equal(server.requests.length, 112);
});

check("a streamed (non-replayable) request body is not retried; the same body as bytes is", async () => {
  const { strategy } = recording(createRetryStrategy({ random: () => 0 }));
  const s3 = new S3(
    config({ forcePathStyle: true, requestChecksumCalculation: "when_required", retryStrategy: strategy }),
  );
  clients.push(s3);
  const bytes = new TextEncoder().encode("streamed payload");

  script({ status: 500 }, { status: 200 });
  const err = await s3
    .putObject({ Bucket: "b", Key: "k", Body: Readable.from([bytes]), ContentLength: bytes.length })
    .catch((e: unknown) => e);
  assert.ok(err instanceof ServiceError && err.code === "Http500", String(err));
  assert.equal(err.$metadata.attempts, 1);
  assert.equal(server.requests.length, 1);
  assert.deepEqual(server.requests[0]!.body, bytes);

  const web = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes);
      c.close();
    },
  });
  script({ status: 503 }, { status: 200 });
  const err2 = await s3
    .putObject({ Bucket: "b", Key: "k", Body: web, ContentLength: bytes.length })
    .catch((e: unknown) => e);
  assert.equal((err2 as ServiceError).$metadata.attempts, 1);
  assert.equal(server.requests.length, 1);

  script({ status: 500 }, { status: 200 });
  const ok = await s3.putObject({ Bucket: "b", Key: "k", Body: bytes });
  assert.equal(ok.$metadata.attempts, 2);
  assert.deepEqual(server.requests[1]!.body, bytes, "the replay sends the same bytes");
});

check("a failure that cannot be retried because its body is a stream costs no retry quota", async () => {
  // Standard mode: a 500 on a one-shot stream is not retried and takes nothing from the quota.
  const inner = createRetryStrategy({ random: () => 0 }) as StandardRetryStrategy;
  const s3 = new S3(config({ forcePathStyle: true, requestChecksumCalculation: "when_required", retryStrategy: inner }));
  clients.push(s3);
  for (let i = 0; i < 3; i++) {
    script({ status: 500 }, { status: 200 });
    const err = await s3
      .putObject({ Bucket: "b", Key: "k", Body: Readable.from([new Uint8Array(8)]), ContentLength: 8 })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ServiceError && err.code === "Http500", String(err));
    assert.equal(err.$metadata.attempts, 1);
    assert.equal(server.requests.length, 1, "not resent");
    assert.equal(inner.availableQuota, STANDARD.quota, `quota after ${i + 1} non-replayable failure(s)`);
  }
  // The same failure with a replayable body does take a retry's cost (then the success refunds it).
  script({ status: 500 }, { status: 200 });
  const seen: number[] = [];
  const probe: RetryStrategy = {
    mode: inner.mode,
    maxAttempts: inner.maxAttempts,
    acquireToken: () => inner.acquireToken(),
    retryDelay(token, info) {
      const d = inner.retryDelay(token, info);
      seen.push(inner.availableQuota);
      return d;
    },
    recordSuccess: (token) => inner.recordSuccess(token),
  };
  const replay = new S3(config({ forcePathStyle: true, requestChecksumCalculation: "when_required", retryStrategy: probe }));
  clients.push(replay);
  const ok = await replay.putObject({ Bucket: "b", Key: "k", Body: new Uint8Array(8) });
  assert.equal(ok.$metadata.attempts, 2);
  assert.deepEqual(seen, [STANDARD.quota - STANDARD.retryCost]);
  assert.equal(inner.availableQuota, STANDARD.quota);

  // Adaptive mode: throttling on a stream is still measured (the limiter turns on), but not charged.
  const adaptive = createRetryStrategy({ mode: "adaptive", random: () => 0 }) as StandardRetryStrategy;
  const s3a = new S3(config({ forcePathStyle: true, requestChecksumCalculation: "when_required", retryStrategy: adaptive }));
  clients.push(s3a);
  assert.equal(adaptive.limiter()!.enabled, false);
  script({ status: 503, headers: { "content-type": "application/xml" }, body: "<Error><Code>SlowDown</Code><Message>slow</Message></Error>" }, { status: 200 });
  const slow = await s3a
    .putObject({ Bucket: "b", Key: "k", Body: Readable.from([new Uint8Array(8)]), ContentLength: 8 })
    .catch((e: unknown) => e);
  assert.ok(slow instanceof ServiceError && slow.code === "SlowDown", String(slow));
  assert.equal(slow.$metadata.attempts, 1);
  assert.equal(server.requests.length, 1);
  assert.equal(adaptive.availableQuota, STANDARD.quota);
  assert.equal(adaptive.limiter()!.enabled, true, "the throttling response was measured");
});
