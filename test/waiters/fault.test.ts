// Waiters against a scripted HTTP server (test/support/fault-server.ts) through the golden
// service's generated client (test/golden/generated/golden, rest-json; its waiters-2.json
// uses every matcher): success after retries, a failure state, an unexpected error, success
// on an error (lastError), timeouts by attempts (botocore delays) and by maxWaitSeconds (Smithy
// backoff, checked on the request times), abort before and during a wait, and bad options.
// Delays are tens of milliseconds; every case asserts its time bounds.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Golden, GoldenClient, WidgetNotFound, waitForWidgetExists } from "../golden/generated/golden/index.js";
import { WaiterError, WaiterFailureError, WaiterTimeoutError } from "../../runtime/waiter.ts";
import { AbortError, TsawsError } from "../../runtime/errors.ts";
import { startFaultServer, type FaultResponse, type FaultServer } from "../support/fault-server.ts";
import * as root from "tsaws";

const servers: FaultServer[] = [];
const clients: GoldenClient[] = [];
after(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(servers.map((s) => s.close()));
});

const JSON_HEADERS = { "content-type": "application/json" };
const widget = (fields: Record<string, unknown>): FaultResponse => ({
  status: 200,
  headers: JSON_HEADERS,
  body: JSON.stringify({ WidgetId: "w1", Color: "GREEN", ...fields }),
});
const notFound: FaultResponse = {
  status: 404,
  headers: { ...JSON_HEADERS, "x-amzn-errortype": "WidgetNotFound" },
  body: JSON.stringify({ Message: "no such widget" }),
};

/** A server with `script` (then `fallback`) and a Golden client on it; `times` records arrivals. */
async function setup(script: FaultResponse[], fallback: FaultResponse = notFound, clock?: () => number) {
  const times: number[] = [];
  const step = (r: FaultResponse) => () => {
    times.push(performance.now());
    return r;
  };
  const server = await startFaultServer({ script: script.map(step), fallback: step(fallback) });
  servers.push(server);
  const client = new Golden({
    region: "us-east-1",
    endpoint: server.url,
    credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
    maxAttempts: 1,
    ...(clock ? { clock } : {}),
  });
  clients.push(client);
  return { server, client, times };
}

test("success after retries: no match, then a retry state, then every part done", async () => {
  const { client, server } = await setup([
    widget({ Parts: [{ Name: "done" }, { Name: "pending" }] }),
    widget({ Color: "RED", Parts: [{ Name: "done" }, { Name: "pending" }] }),
    widget({ Parts: [{ Name: "done" }, { Name: "done" }] }),
  ]);
  const started = performance.now();
  const result = await client.waitFor.widgetAssembled({ WidgetId: "w1" }, { delay: 0.03 });
  const elapsed = performance.now() - started;
  assert.equal(result.state, "success");
  assert.equal(result.attempts, 3);
  assert.match(result.reason, /pathAll Widget\.Parts\[\]\.Name == "done"/);
  assert.deepEqual(result.lastResponse?.Widget.Parts?.map((p) => p.Name), ["done", "done"]);
  assert.equal(result.lastError, undefined);
  assert.equal(server.requests.length, 3);
  assert.ok(elapsed >= 60, `two delays of 30 ms, took ${elapsed} ms`);
  assert.ok(elapsed < 2000, `took ${elapsed} ms`);
});

test("a failure state rejects with WaiterFailureError carrying the last response", async () => {
  const { client, server } = await setup([widget({ Parts: [{ Name: "x" }] }), widget({ Parts: [{ Name: "done" }, { Name: "broken" }] })]);
  const error = await client.waitFor.widgetAssembled({ WidgetId: "w1" }, { delay: 0.01 }).then(
    () => assert.fail("the waiter succeeded"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WaiterFailureError);
  assert.ok(error instanceof WaiterError);
  assert.ok(error instanceof TsawsError);
  assert.equal(error.state, "failure");
  assert.equal(error.waiter, "WidgetAssembled");
  assert.equal(error.attempts, 2);
  assert.match(error.reason, /pathAny Widget\.Parts\[\]\.Name == "broken"/);
  assert.deepEqual((error.lastResponse as { Widget: { Parts: unknown[] } }).Widget.Parts.length, 2);
  assert.equal(server.requests.length, 2);
});

test("a JMESPath failure acceptor over a length: more than 10 parts fails", async () => {
  const { client } = await setup([widget({ Parts: Array.from({ length: 11 }, () => ({ Name: "p" })) })]);
  await assert.rejects(client.waitFor.widgetAssembled({ WidgetId: "w1" }, { delay: 0.01 }), (e: unknown) => {
    assert.ok(e instanceof WaiterFailureError);
    assert.match(e.reason, /length\(Widget\.Parts\) > `10`/);
    return true;
  });
});

test("an error acceptor with `true` matches any service error (here a failure state)", async () => {
  const { client } = await setup([notFound]);
  await assert.rejects(client.waitFor.widgetAssembled({ WidgetId: "w1" }), (e: unknown) => {
    assert.ok(e instanceof WaiterFailureError);
    assert.ok(e.lastError instanceof WidgetNotFound);
    assert.equal(e.lastResponse, undefined);
    assert.equal(e.cause, e.lastError);
    return true;
  });
});

test("a service error no acceptor expects is a failure; other errors propagate", async () => {
  const denied: FaultResponse = { status: 403, headers: { ...JSON_HEADERS, "x-amzn-errortype": "AccessDenied" }, body: "{}" };
  const { client } = await setup([notFound, denied]);
  await assert.rejects(client.waitFor.widgetExists({ WidgetId: "w1" }, { delay: 0.01 }), (e: unknown) => {
    assert.ok(e instanceof WaiterFailureError);
    assert.match(e.reason, /unexpected error AccessDenied/);
    assert.equal(e.attempts, 2);
    assert.equal(e.lastError?.code, "AccessDenied");
    return true;
  });
  const { client: broken } = await setup([{ fault: "reset" }], { fault: "reset" });
  await assert.rejects(broken.waitFor.widgetExists({ WidgetId: "w1" }), (e: unknown) => !(e instanceof WaiterError) && e instanceof TsawsError);
});

test("success on an error: the not-exists waiter returns the error it matched", async () => {
  const { client } = await setup([widget({}), notFound]);
  const result = await client.waitFor.widgetNotExists({ WidgetId: "w1" }, { delay: 0.01 });
  assert.equal(result.attempts, 2);
  assert.ok(result.lastError instanceof WidgetNotFound);
  assert.equal(result.lastResponse, undefined);
  assert.match(result.reason, /error WidgetNotFound/);
});

test("status and `error: false` matchers; the standalone waiter on the bare client", async () => {
  const { server } = await setup([widget({})]);
  const bare = new GoldenClient({ region: "us-east-1", endpoint: server.url, credentials: { accessKeyId: "AKID", secretAccessKey: "secret" } });
  clients.push(bare);
  const result = await waitForWidgetExists(bare, { WidgetId: "w1" });
  assert.match(result.reason, /status 200/);
  assert.equal(result.lastResponse?.$metadata.httpStatusCode, 200);
  const list = (colors: string[]): FaultResponse => ({ status: 200, headers: JSON_HEADERS, body: JSON.stringify({ Widgets: colors.map((Color, n) => ({ WidgetId: `w${n}`, Color })) }) });
  const { client, server: s2 } = await setup([list(["RED"]), list(["RED", "BLUE"])]);
  const listed = await client.waitFor.widgetsListed({}, { delay: 0.01 });
  assert.equal(listed.attempts, 2);
  assert.equal(s2.requests.length, 2);
});

test("botocore timing: maxAttempts attempts `delay` apart, then WaiterTimeoutError", async () => {
  const { client, times } = await setup([]);
  const started = performance.now();
  await assert.rejects(client.waitFor.widgetExists({ WidgetId: "w1" }, { delay: 0.04, maxAttempts: 4 }), (e: unknown) => {
    assert.ok(e instanceof WaiterTimeoutError);
    assert.equal(e.state, "timeout");
    assert.equal(e.attempts, 4);
    assert.match(e.reason, /max attempts \(4\) exceeded/);
    assert.ok(e.lastError instanceof WidgetNotFound);
    return true;
  });
  const elapsed = performance.now() - started;
  assert.equal(times.length, 4);
  for (let n = 1; n < times.length; n++) assert.ok(times[n]! - times[n - 1]! >= 39, `gap ${n} was ${times[n]! - times[n - 1]!} ms`);
  assert.ok(elapsed < 1500, `took ${elapsed} ms`);
});

test("Smithy timing: backoff doubles from minDelay to maxDelay and stops within maxWaitSeconds", async () => {
  // A virtual clock: the client's clock and the waiter's sleep share it, so the schedule is exact.
  let now = Date.UTC(2026, 0, 1);
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(Math.round(ms));
    now += ms;
  };
  const { client, server } = await setup([], notFound, () => now);
  // random() = 1: each wait is its ceiling, 20, 40, 80, 80... ms; the last one is shortened so the
  // final attempt starts minDelay before the deadline, and then no wait is left.
  await assert.rejects(
    client.waitFor.widgetExists({ WidgetId: "w1" }, { maxWaitSeconds: 0.5, minDelay: 0.02, maxDelay: 0.08, random: () => 1, sleep }),
    (e: unknown) => {
      assert.ok(e instanceof WaiterTimeoutError);
      assert.match(e.reason, /maxWaitSeconds \(0\.5\) exceeded after 9 attempts/);
      assert.equal(e.attempts, 9);
      return true;
    },
  );
  assert.deepEqual(waits, [20, 40, 80, 80, 80, 80, 80, 20]);
  assert.equal(server.requests.length, 9);
  // random() = 0: every wait is minDelay, the last shortened to end minDelay before the deadline.
  waits.length = 0;
  await assert.rejects(
    client.waitFor.widgetExists({ WidgetId: "w1" }, { maxWaitSeconds: 0.4, minDelay: 0.03, maxDelay: 1, random: () => 0, sleep }),
    WaiterTimeoutError,
  );
  assert.deepEqual(waits, [...Array<number>(12).fill(30), 10]);
  assert.ok(waits.reduce((a, b) => a + b, 0) <= 400);
});

test("Smithy timing with real timers: the wait ends within maxWaitSeconds", async () => {
  const { client } = await setup([]);
  const started = performance.now();
  await assert.rejects(
    client.waitFor.widgetExists({ WidgetId: "w1" }, { maxWaitSeconds: 0.3, minDelay: 0.02, maxDelay: 0.08 }),
    WaiterTimeoutError,
  );
  const elapsed = performance.now() - started;
  // Bounded by maxWaitSeconds plus the last call (generous for timer lateness on a loaded machine).
  assert.ok(elapsed >= 250 && elapsed <= 300 + 1000, `took ${elapsed} ms`);
});

test("abort: before the first call, and during a wait", async () => {
  const { client, server } = await setup([]);
  const aborted = new AbortController();
  aborted.abort(new Error("cancelled"));
  await assert.rejects(client.waitFor.widgetExists({ WidgetId: "w1" }, { signal: aborted.signal }), AbortError);
  assert.equal(server.requests.length, 0);
  const controller = new AbortController();
  const started = performance.now();
  setTimeout(() => controller.abort(new Error("stop")), 100);
  await assert.rejects(client.waitFor.widgetExists({ WidgetId: "w1" }, { delay: 30, signal: controller.signal }), (e: unknown) => {
    assert.ok(e instanceof AbortError);
    assert.equal((e.cause as Error).message, "stop");
    return true;
  });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 1000, `abort took ${elapsed} ms`);
  assert.equal(server.requests.length, 1);
});

test("invalid options are rejected before any call", async () => {
  const { client, server } = await setup([]);
  for (const options of [{ maxAttempts: 0 }, { delay: -1 }, { maxWaitSeconds: 0 }, { maxWaitSeconds: 5, minDelay: 10, maxDelay: 1 }]) {
    await assert.rejects(client.waitFor.widgetExists({ WidgetId: "w1" }, options), TsawsError, JSON.stringify(options));
  }
  assert.equal(server.requests.length, 0);
});

test("the package root exports the classes the generated waiters and paginators throw", async () => {
  assert.equal(root.WaiterError, WaiterError);
  assert.equal(root.WaiterFailureError, WaiterFailureError);
  assert.equal(root.WaiterTimeoutError, WaiterTimeoutError);
  const { client, server } = await setup([]);
  await assert.rejects(client.waitFor.widgetExists({ WidgetId: "w1" }, { delay: 0.01, maxAttempts: 2 }), (e: unknown) => {
    assert.ok(e instanceof root.WaiterTimeoutError && e instanceof root.WaiterError && e instanceof root.TsawsError);
    assert.ok(e.lastError instanceof WidgetNotFound);
    return true;
  });
  assert.equal(server.requests.length, 2);
  // A bad paginator option is a PaginationError from the root, raised before any call.
  assert.throws(() => client.paginate.listWidgets({}, { maxItems: 0 }), (e: unknown) => {
    assert.ok(e instanceof root.PaginationError && e instanceof root.TsawsError, String(e));
    return true;
  });
  assert.equal(server.requests.length, 2);
});
