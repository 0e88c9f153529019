// Both transports (node:http and fetch, the latter on Node 20's global fetch) against the
// fault server: streaming both ways, keep-alive, aborts, timeouts, truncation, resets.
import assert from "node:assert/strict";
import * as net from "node:net";
import { after, afterEach, before, describe, test } from "node:test";
import { AbortError, NetworkError, TimeoutError, TsawsError } from "../../runtime/errors.js";
import { readBody } from "../../runtime/http/body.js";
import { createHttpHandler as createFetchHandler } from "../../runtime/http/fetch.js";
import { createHttpHandler as createNodeHandler } from "../../runtime/http/node.js";
import type { HttpHandler, HttpRequest, RequestBody, ResponseBody } from "../../runtime/http/types.js";
import {
  html502,
  startBlackhole,
  startFaultServer,
  watchUnhandledRejections,
  type FaultServer,
} from "../support/fault-server.js";

const unhandled = watchUnhandledRejections();
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 5));
  unhandled.assertNone();
});
after(() => unhandled.dispose());

interface Timeouts {
  requestTimeout?: number;
  connectionTimeout?: number;
}

// `keepAliveConnections`: connections 4 sequential calls may use. undici (Node's fetch) frees
// a connection one tick after the body's last chunk, so back-to-back calls alternate two.
const KINDS: { name: string; create: (t?: Timeouts) => HttpHandler; keepAliveConnections: number }[] = [
  { name: "node", create: (t) => createNodeHandler({ env: {}, ...t }), keepAliveConnections: 1 },
  { name: "fetch", create: (t) => createFetchHandler({ ...t }), keepAliveConnections: 2 },
];

function request(server: { port: number }, init: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: "GET",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: server.port,
    path: "/",
    query: "",
    headers: {},
    ...init,
  };
}

function pattern(length: number, seed = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

function chunkedStream(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, 2));
      if (i < parts.length) controller.enqueue(parts[i++]!);
      else controller.close();
    },
  });
}

async function* chunkedIterable(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    await new Promise((r) => setTimeout(r, 2));
    yield p;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function rejectsWith<E extends Error>(promise: Promise<unknown>, cls: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.ok(
      error instanceof cls,
      `expected ${cls.name}, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    return error;
  }
  assert.fail(`expected a ${cls.name} rejection`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

const READS: Record<string, (body: ResponseBody) => Promise<unknown>> = {
  transformToByteArray: (b) => b.transformToByteArray(),
  "async iteration": async (b) => {
    for await (const _ of b);
  },
  transformToWebStream: async (b) => {
    const reader = b.transformToWebStream().getReader();
    while (!(await reader.read()).done);
  },
};

for (const kind of KINDS) {
  describe(`${kind.name} handler`, () => {
    let server: FaultServer;
    let handler: HttpHandler;
    before(async () => {
      server = await startFaultServer({ holdMs: 5000 });
      handler = kind.create();
    });
    after(async () => {
      handler.destroy?.();
      await server.close();
    });
    afterEach(() => server.reset());

    const parts = [pattern(3000, 1), pattern(5000, 2), pattern(1, 3), pattern(7000, 4)];
    const whole = concat(parts);
    const bodies: Record<string, () => RequestBody> = {
      "web ReadableStream": () => chunkedStream(parts),
      "async iterable": () => chunkedIterable(parts),
    };
    for (const [label, make] of Object.entries(bodies)) {
      test(`round trip: streamed request body (${label}) and streamed response`, async () => {
        server.enqueue({
          status: 201,
          echo: true,
          headers: { "x-multi": ["a", "b"], "x-amzn-requestid": "rid-1" },
          chunkSize: 4096,
          chunkDelayMs: 5,
        });
        const res = await handler.handle(
          request(server, {
            method: "PUT",
            path: "/obj/key%20x",
            query: "a=1&b=2",
            headers: { "x-amz-meta-k": "v" },
            body: make(),
          }),
        );
        assert.equal(res.statusCode, 201);
        assert.equal(res.headers["x-multi"], "a, b");
        assert.equal(res.headers["x-amzn-requestid"], "rid-1");
        const received: Uint8Array[] = [];
        for await (const chunk of res.body) received.push(chunk);
        assert.ok(received.length > 1, `response arrived in ${received.length} chunk(s)`);
        assert.deepEqual(concat(received), whole);
        const rec = server.requests[0]!;
        assert.equal(rec.method, "PUT");
        assert.equal(rec.path, "/obj/key%20x?a=1&b=2");
        assert.equal(rec.headers["x-amz-meta-k"], "v");
        assert.equal(rec.headers["transfer-encoding"], "chunked");
        assert.deepEqual(rec.body, whole);
      });
    }

    test("known-length bodies (bytes, string, Blob) are sent with Content-Length", async () => {
      const text = "héllo wörld ✓";
      const cases: [RequestBody, number][] = [
        [pattern(1234), 1234],
        [text, new TextEncoder().encode(text).length],
        [new Blob([pattern(10), "abc"]), 13],
      ];
      for (const [body, length] of cases) {
        server.enqueue({ echo: true });
        const res = await handler.handle(request(server, { method: "POST", body }));
        assert.equal((await res.body.transformToByteArray()).length, length);
        const rec = server.requests.at(-1)!;
        assert.equal(rec.headers["content-length"], String(length));
        assert.equal(rec.headers["transfer-encoding"], undefined);
      }
    });

    test("the response is handed over before it ends (not buffered)", async () => {
      // The server sends headers and 10 of 20 bytes, then stalls: only a streaming
      // transport can deliver the first chunk.
      server.enqueue({ body: pattern(20), fault: "stall", truncateAfter: 10 });
      const res = await handler.handle(request(server));
      const iterator = res.body[Symbol.asyncIterator]();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const first = await Promise.race([
        iterator.next(),
        new Promise<"stuck">((r) => (timer = setTimeout(() => r("stuck"), 3000))),
      ]);
      clearTimeout(timer);
      assert.notEqual(first, "stuck", "the first chunk never arrived");
      assert.deepEqual((first as IteratorResult<Uint8Array>).value, pattern(20).subarray(0, 10));
      await iterator.return?.();
    });

    test("transformToWebStream and transformToString", async () => {
      server.enqueue({ body: "ünïcode text" }, { body: pattern(9000), chunkSize: 3000 });
      const text = await (await handler.handle(request(server))).body.transformToString();
      assert.equal(text, "ünïcode text");
      const stream = (await handler.handle(request(server))).body.transformToWebStream();
      const chunks: Uint8Array[] = [];
      const reader = stream.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
      assert.deepEqual(concat(chunks), pattern(9000));
    });

    test("keep-alive: sequential requests reuse one connection", async () => {
      const before = server.connections;
      for (let i = 0; i < 4; i++) {
        server.enqueue({ body: `r${i}` });
        const res = await handler.handle(request(server, { path: `/${i}` }));
        assert.equal(await res.body.transformToString(), `r${i}`);
      }
      const ids = new Set(server.requests.map((r) => r.connection));
      assert.ok(ids.size <= kind.keepAliveConnections, `connections used: ${[...ids].join(",")}`);
      assert.ok(server.connections - before <= kind.keepAliveConnections);
    });

    test("a body read twice throws a TsawsError; cancel releases the response", async () => {
      server.enqueue({ body: "once" }, { body: pattern(100_000) }, { body: "after" });
      const res = await handler.handle(request(server));
      assert.equal(await res.body.transformToString(), "once");
      await rejectsWith(res.body.transformToByteArray(), TsawsError);
      assert.throws(() => res.body.transformToWebStream(), /already been read/);
      const big = await handler.handle(request(server));
      await big.body.cancel();
      const next = await handler.handle(request(server));
      assert.equal(await next.body.transformToString(), "after");
    });

    test("readBody with a limit rejects an oversized body", async () => {
      server.enqueue({ body: pattern(50_000), chunkSize: 8192 }, { body: "small" });
      const err = await rejectsWith(readBody((await handler.handle(request(server))).body, 10_000), TsawsError);
      assert.match(err.message, /exceeds 10000 bytes/);
      assert.equal(new TextDecoder().decode(await readBody((await handler.handle(request(server))).body, 10)), "small");
    });

    test("an HTML 502 from a load balancer is returned as a response", async () => {
      server.enqueue(html502());
      const res = await handler.handle(request(server));
      assert.equal(res.statusCode, 502);
      assert.equal(res.headers["content-type"], "text/html");
      assert.match(await res.body.transformToString(), /502 Bad Gateway/);
    });

    test("abort before the call: AbortError at once, cause = signal.reason, nothing sent", async () => {
      const controller = new AbortController();
      const reason = new Error("caller gave up");
      controller.abort(reason);
      const err = await rejectsWith(handler.handle(request(server), { signal: controller.signal }), AbortError);
      assert.equal(err.cause, reason);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(server.requests.length, 0);
    });

    test("abort while waiting for the response: AbortError promptly", async () => {
      server.enqueue({ fault: "hang" });
      const controller = new AbortController();
      const start = Date.now();
      setTimeout(() => controller.abort("stop"), 50);
      const err = await rejectsWith(handler.handle(request(server), { signal: controller.signal }), AbortError);
      assert.equal(err.cause, "stop");
      assert.ok(Date.now() - start < 1000, `took ${Date.now() - start} ms`);
    });

    test("abort while reading the body: the read rejects with AbortError", async () => {
      server.enqueue({ body: pattern(1000), fault: "stall", truncateAfter: 100 });
      const controller = new AbortController();
      const res = await handler.handle(request(server), { signal: controller.signal });
      const reading = res.body.transformToByteArray();
      setTimeout(() => controller.abort(new Error("enough")), 50);
      const start = Date.now();
      const err = await rejectsWith(reading, AbortError);
      assert.equal((err.cause as Error).message, "enough");
      assert.ok(Date.now() - start < 1000);
    });

    test("request timeout (server never answers) -> TimeoutError", async () => {
      server.enqueue({ fault: "hang" });
      const start = Date.now();
      await rejectsWith(handler.handle(request(server), { requestTimeout: 150 }), TimeoutError);
      const took = Date.now() - start;
      assert.ok(took >= 140 && took < 1500, `took ${took} ms`);
    });

    test("request timeout between body chunks -> the read rejects with TimeoutError", async () => {
      server.enqueue({ body: pattern(1000), fault: "stall", truncateAfter: 300 });
      const res = await handler.handle(request(server), { requestTimeout: 150 });
      const start = Date.now();
      await rejectsWith(res.body.transformToByteArray(), TimeoutError);
      assert.ok(Date.now() - start < 1500);
    });

    test("connection timeout (listener never accepts) -> TimeoutError", async () => {
      const hole = await startBlackhole();
      try {
        const start = Date.now();
        const h = kind.create();
        const err = await rejectsWith(
          h.handle(request(hole), { connectionTimeout: 150, requestTimeout: 150 }),
          TimeoutError,
        );
        const took = Date.now() - start;
        assert.ok(took >= 140 && took < 2000, `took ${took} ms`);
        assert.ok(err instanceof NetworkError);
        h.destroy?.();
      } finally {
        await hole.close();
      }
    });

    for (const [style, read] of Object.entries(READS)) {
      test(`truncated body (ends before Content-Length) -> NetworkError on read (${style})`, async () => {
        server.enqueue({ body: pattern(20_000), fault: "truncate", truncateAfter: 5000 });
        const res = await handler.handle(request(server));
        assert.equal(res.headers["content-length"], "20000");
        const err = await rejectsWith(read(res.body), NetworkError);
        assert.ok(!(err instanceof TimeoutError));
      });
    }

    test("connection reset before the response -> NetworkError with ECONNRESET", async () => {
      server.enqueue({ fault: "reset" });
      const err = await rejectsWith(handler.handle(request(server)), NetworkError);
      assert.equal(err.code, "ECONNRESET");
    });

    test("connection closed without a response -> NetworkError with a code", async () => {
      server.enqueue({ fault: "close" });
      const err = await rejectsWith(handler.handle(request(server)), NetworkError);
      assert.equal(typeof err.code, "string");
    });

    test("connection refused -> NetworkError with ECONNREFUSED", async () => {
      const err = await rejectsWith(handler.handle(request({ port: await freePort() })), NetworkError);
      assert.equal(err.code, "ECONNREFUSED");
    });

    test("a failing request body source fails the call with a TsawsError that is not a NetworkError", async () => {
      async function* broken(): AsyncGenerator<Uint8Array> {
        yield pattern(10);
        await new Promise((r) => setTimeout(r, 10));
        throw new Error("disk on fire");
      }
      const brokenStream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(pattern(10));
          setTimeout(() => controller.error(new Error("disk on fire")), 10);
        },
      });
      for (const body of [broken(), brokenStream]) {
        const err = await rejectsWith(handler.handle(request(server, { method: "PUT", body })), TsawsError);
        assert.match(err.message, /reading the request body failed: disk on fire/);
        assert.ok(!(err instanceof NetworkError), "a source failure is not retryable as a network error");
      }
    });
  });
}
