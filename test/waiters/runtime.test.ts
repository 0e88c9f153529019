// The waiter runtime (runtime/waiter.ts) against a scripted fake client: acceptors kept as
// JMESPath strings run in the interpreter; a compiled path that throws does not match; error
// acceptors match the wire code or the modeled name; JMESPath equality (null is missing);
// the deadline comes from the client's injected clock; and the botocore mode's attempt count.
import { test } from "node:test";
import assert from "node:assert/strict";
import { waitUntil, WaiterTimeoutError, WaiterFailureError, type WaiterSpec } from "../../runtime/waiter.ts";
import type { RuntimeClient } from "../../runtime/client.ts";
import type { OperationSchema } from "../../runtime/schema.ts";
import { ServiceError } from "../../runtime/errors.ts";

const op: OperationSchema = { n: "Describe", h: ["GET", "/"] };
const meta = { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 };

function fake(script: (n: number) => unknown, clock?: () => number) {
  let calls = 0;
  const client = {
    config: clock ? { clock } : {},
    async send() {
      const r = script(calls++);
      if (r instanceof Error) throw r;
      return r;
    },
  };
  return { client: client as unknown as RuntimeClient, calls: () => calls };
}

test("an acceptor kept as a JMESPath string runs in the interpreter", async () => {
  const spec: WaiterSpec = {
    n: "Ready",
    o: op,
    d: 0,
    a: 5,
    c: [{ s: "success", m: "path", a: "length(Items[?ok]) > `1`", e: true }],
  };
  const f = fake((n) => ({ Items: [{ ok: true }, { ok: n >= 2 }] }));
  const result = await waitUntil(f.client, spec, {});
  assert.equal(result.attempts, 3);
  assert.match(result.reason, /path length\(Items\[\?ok\]\) > `1` == true/);
});

test("a compiled path that throws (JMESPath's type error) does not match", async () => {
  const spec: WaiterSpec = {
    n: "Ready",
    o: op,
    d: 0,
    a: 3,
    c: [
      { s: "failure", m: "path", a: "length(Items) > `0`", e: true, f: (o) => (o.Items as unknown[]).length > 0 },
      { s: "success", m: "path", a: "Done", e: true, f: (o) => o.Done },
    ],
  };
  const f = fake((n) => (n === 0 ? {} : { Done: true }));
  const result = await waitUntil(f.client, spec, {});
  assert.equal(result.attempts, 2);
});

test("error acceptors match the wire code or the modeled error name; `null` equals a missing value", async () => {
  const spec: WaiterSpec = {
    n: "Gone",
    o: op,
    d: 0,
    a: 4,
    c: [
      { s: "retry", m: "path", a: "Missing", e: null, f: (o) => o.Missing },
      { s: "success", m: "error", e: "ResourceNotFound" },
    ],
  };
  const modeled = new ServiceError("Wire.Code", "gone", meta);
  modeled.name = "ResourceNotFound";
  const f = fake((n) => (n < 2 ? {} : modeled));
  const result = await waitUntil(f.client, spec, {});
  assert.equal(result.attempts, 3);
  assert.equal(result.lastError, modeled);
  const byCode = fake(() => new ServiceError("ResourceNotFound", "gone", meta));
  assert.equal((await waitUntil(byCode.client, spec, {})).attempts, 1);
  const other = fake(() => new ServiceError("Throttled", "slow", meta));
  await assert.rejects(waitUntil(other.client, spec, {}), WaiterFailureError);
});

test("maxWaitSeconds is measured on the client's clock", async () => {
  const spec: WaiterSpec = { n: "Never", o: op, d: 1, a: 100, c: [{ s: "success", m: "path", a: "Ok", e: true, f: (o) => o.Ok }] };
  let now = 0;
  // Each reading of the clock is 40 s later: the deadline (30 s) has passed after the first attempt.
  const f = fake(() => ({ Ok: false }), () => (now += 40_000));
  const started = Date.now();
  await assert.rejects(waitUntil(f.client, spec, {}, { maxWaitSeconds: 30, minDelay: 1 }), (e: unknown) => {
    assert.ok(e instanceof WaiterTimeoutError);
    assert.match(e.reason, /maxWaitSeconds \(30\) exceeded after 1 attempts/);
    return true;
  });
  assert.equal(f.calls(), 1);
  assert.ok(Date.now() - started < 500, "no real waiting");
});

test("botocore mode: the model's maxAttempts unless overridden", async () => {
  const spec: WaiterSpec = { n: "Never", o: op, d: 0, a: 3, c: [{ s: "success", m: "status", e: 200 }] };
  const f = fake(() => new ServiceError("NotYet", "", { ...meta, httpStatusCode: 404 }));
  // A service error no acceptor names is a failure at once.
  await assert.rejects(waitUntil(f.client, spec, {}), WaiterFailureError);
  const retrying: WaiterSpec = { ...spec, c: [...spec.c, { s: "retry", m: "status", e: 404 }] };
  const g = fake(() => new ServiceError("NotYet", "", { ...meta, httpStatusCode: 404 }));
  await assert.rejects(waitUntil(g.client, retrying, {}), (e: unknown) => e instanceof WaiterTimeoutError && e.attempts === 3);
  const h = fake(() => new ServiceError("NotYet", "", { ...meta, httpStatusCode: 404 }));
  await assert.rejects(waitUntil(h.client, retrying, {}, { maxAttempts: 5 }), (e: unknown) => e instanceof WaiterTimeoutError && e.attempts === 5);
  assert.equal(h.calls(), 5);
});
