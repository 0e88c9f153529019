// node:http(s) transport specifics: HTTPS, proxies (CONNECT and absolute form, NO_PROXY),
// the pool, the saturation diagnostic, node Readable bodies, header handling.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, afterEach, before, describe, test } from "node:test";
import { NetworkError, RequestFormError, TimeoutError, TsawsError } from "../../runtime/errors.js";
import { createHttpHandler } from "../../runtime/http/node.js";
import type { HttpRequest } from "../../runtime/http/types.js";
import {
  startBlackhole,
  startFaultServer,
  startProxy,
  watchUnhandledRejections,
  type FaultServer,
  type TestProxy,
} from "../support/fault-server.js";

const unhandled = watchUnhandledRejections();
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 5));
  unhandled.assertNone();
});
after(() => unhandled.dispose());

function request(server: { port: number; protocol?: string }, init: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: "GET",
    protocol: server.protocol === "https:" ? "https:" : "http:",
    hostname: "127.0.0.1",
    port: server.port,
    path: "/",
    query: "",
    headers: {},
    ...init,
  };
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

describe("node handler: HTTPS", () => {
  let server: FaultServer;
  before(async () => {
    server = await startFaultServer({ tls: true });
  });
  after(() => server.close());

  test("trusts a CA given in httpsAgent options and reuses the TLS connection", async () => {
    const handler = createHttpHandler({ env: {}, httpsAgent: { ca: server.ca! } });
    for (let i = 0; i < 3; i++) {
      server.enqueue({ body: `secure ${i}` });
      const res = await handler.handle(request(server, { path: `/s${i}` }));
      assert.equal(await res.body.transformToString(), `secure ${i}`);
    }
    assert.equal(new Set(server.requests.map((r) => r.connection)).size, 1);
    handler.destroy();
  });

  test("an untrusted certificate -> NetworkError with the TLS code", async () => {
    const handler = createHttpHandler({ env: {} });
    const err = await rejectsWith(handler.handle(request(server)), NetworkError);
    assert.match(err.code ?? "", /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    handler.destroy();
  });
});

describe("node handler: proxies", () => {
  let target: FaultServer;
  let secureTarget: FaultServer;
  let proxy: TestProxy;
  before(async () => {
    target = await startFaultServer({ fallback: { body: "direct or proxied" } });
    secureTarget = await startFaultServer({ tls: true, fallback: { body: "tunnelled" } });
    proxy = await startProxy();
  });
  after(async () => {
    await Promise.all([target.close(), secureTarget.close(), proxy.close()]);
  });
  afterEach(() => {
    proxy.requests.length = 0;
    target.reset();
    secureTarget.reset();
  });

  test("HTTPS_PROXY: an https call goes through a CONNECT tunnel, with proxy credentials", async () => {
    const proxyUrl = proxy.url.replace("http://", "http://user%40corp:p%3Ass@");
    const handler = createHttpHandler({ env: { HTTPS_PROXY: proxyUrl }, httpsAgent: { ca: secureTarget.ca! } });
    for (let i = 0; i < 2; i++) {
      const res = await handler.handle(request(secureTarget, { path: "/t", query: "x=1" }));
      assert.equal(await res.body.transformToString(), "tunnelled");
    }
    assert.equal(proxy.requests.length, 1, "one tunnel, reused by the second call");
    const connect = proxy.requests[0]!;
    assert.equal(connect.method, "CONNECT");
    assert.equal(connect.target, `127.0.0.1:${secureTarget.port}`);
    assert.equal(connect.headers["proxy-authorization"], `Basic ${btoa("user@corp:p:ss")}`);
    assert.equal(secureTarget.requests.length, 2);
    assert.equal(secureTarget.requests[0]!.path, "/t?x=1");
    handler.destroy();
  });

  test("an https:// proxy: TLS to the proxy, then TLS through the tunnel; and absolute form over TLS", async () => {
    const tlsProxy = await startProxy({ tls: true });
    try {
      const ca = secureTarget.ca!; // one self-signed certificate serves both
      const handler = createHttpHandler({
        env: { HTTPS_PROXY: tlsProxy.url, HTTP_PROXY: tlsProxy.url },
        httpsAgent: { ca },
      });
      const res = await handler.handle(request(secureTarget, { path: "/via-tls-proxy" }));
      assert.equal(await res.body.transformToString(), "tunnelled");
      const plain = await handler.handle(request(target, { path: "/plain" }));
      assert.equal(await plain.body.transformToString(), "direct or proxied");
      assert.deepEqual(
        tlsProxy.requests.map((r) => [r.method, r.target]),
        [
          ["CONNECT", `127.0.0.1:${secureTarget.port}`],
          ["GET", `http://127.0.0.1:${target.port}/plain`],
        ],
      );
      handler.destroy();
    } finally {
      await tlsProxy.close();
    }
  });

  test("HTTP_PROXY: an http call is sent to the proxy in absolute form", async () => {
    const handler = createHttpHandler({ env: { http_proxy: proxy.url, HTTP_PROXY: "http://127.0.0.1:1" } });
    const res = await handler.handle(
      request(target, { method: "POST", path: "/p", query: "q=2", headers: { "x-k": "v" }, body: "payload" }),
    );
    assert.equal(await res.body.transformToString(), "direct or proxied");
    assert.equal(proxy.requests.length, 1);
    assert.equal(proxy.requests[0]!.method, "POST");
    assert.equal(proxy.requests[0]!.target, `http://127.0.0.1:${target.port}/p?q=2`);
    assert.equal(proxy.requests[0]!.headers.host, `127.0.0.1:${target.port}`);
    assert.equal(target.requests.length, 1);
    assert.equal(new TextDecoder().decode(target.requests[0]!.body), "payload");
    assert.equal(target.requests[0]!.headers["x-k"], "v");
    handler.destroy();
  });

  test("NO_PROXY: matching hosts are reached directly", async () => {
    for (const noProxy of ["127.0.0.1", "localhost, 127.0.0.0/8", `127.0.0.1:${target.port}`, "*"]) {
      const handler = createHttpHandler({ env: { HTTP_PROXY: proxy.url, NO_PROXY: noProxy } });
      const res = await handler.handle(request(target));
      assert.equal(await res.body.transformToString(), "direct or proxied");
      handler.destroy();
    }
    assert.equal(proxy.requests.length, 0);
    assert.equal(target.requests.length, 4);
  });

  test("NO_PROXY entries that do not match leave the proxy in use", async () => {
    const handler = createHttpHandler({
      env: { HTTP_PROXY: proxy.url, NO_PROXY: "localhost,.example.com,127.0.0.2,127.0.0.1:1" },
    });
    await (await handler.handle(request(target))).body.transformToString();
    assert.equal(proxy.requests.length, 1);
    handler.destroy();
  });

  test("no proxy variables (or only for the other scheme): direct", async () => {
    const handler = createHttpHandler({ env: { HTTPS_PROXY: proxy.url } });
    await (await handler.handle(request(target))).body.transformToString();
    assert.equal(proxy.requests.length, 0);
    assert.equal(target.requests.length, 1);
    handler.destroy();
  });

  test("a proxy refusing CONNECT -> NetworkError naming the status", async () => {
    const refusing = await startProxy({ refuseStatus: 407 });
    const handler = createHttpHandler({ env: { HTTPS_PROXY: refusing.url }, httpsAgent: { ca: secureTarget.ca! } });
    const err = await rejectsWith(handler.handle(request(secureTarget)), NetworkError);
    assert.equal(err.code, "EPROXYAUTH");
    assert.match(err.message, /407/);
    assert.equal(refusing.requests.length, 1);
    handler.destroy();
    await refusing.close();
  });

  test("a proxy that never accepts -> TimeoutError from connectionTimeout", async () => {
    const hole = await startBlackhole();
    const handler = createHttpHandler({
      env: { HTTPS_PROXY: `http://127.0.0.1:${hole.port}` },
      httpsAgent: { ca: secureTarget.ca! },
    });
    const start = Date.now();
    await rejectsWith(handler.handle(request(secureTarget), { connectionTimeout: 150 }), TimeoutError);
    assert.ok(Date.now() - start < 2000);
    handler.destroy();
    await hole.close();
  });
});

describe("node handler: pool", () => {
  let server: FaultServer;
  before(async () => {
    server = await startFaultServer({ fallback: { body: "slow", delayMs: 150 } });
  });
  after(() => server.close());

  test("maxSockets bounds the connections per origin", async () => {
    const before = server.connections;
    const handler = createHttpHandler({ env: {}, maxSockets: 2, logger: { warn() {} } });
    await Promise.all(
      Array.from({ length: 6 }, async () => (await handler.handle(request(server))).body.transformToString()),
    );
    assert.equal(server.connections - before, 2);
    handler.destroy();
  });

  test("pool saturation: one warning naming the client, never more per handler", async () => {
    const warnings: string[] = [];
    const handler = createHttpHandler({
      env: {},
      maxSockets: 1,
      clientName: "DynamoDB",
      socketAcquisitionWarningTimeout: 50,
      logger: { warn: (m) => warnings.push(m) },
    });
    const burst = (): Promise<string[]> =>
      Promise.all(
        Array.from({ length: 4 }, async () => (await handler.handle(request(server))).body.transformToString()),
      );
    await burst();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^DynamoDB: /);
    assert.match(warnings[0]!, /maxSockets=1/);
    await burst();
    assert.equal(warnings.length, 1);
    handler.destroy();
  });

  test("no warning when calls do not wait for a socket", async () => {
    const warnings: string[] = [];
    const handler = createHttpHandler({
      env: {},
      maxSockets: 4,
      socketAcquisitionWarningTimeout: 50,
      logger: { warn: (m) => warnings.push(m) },
    });
    await Promise.all(
      Array.from({ length: 4 }, async () => (await handler.handle(request(server))).body.transformToString()),
    );
    assert.equal(warnings.length, 0);
    handler.destroy();
  });

  test("destroy() closes pooled connections", async () => {
    const handler = createHttpHandler({ env: {} });
    await (await handler.handle(request(server))).body.transformToString();
    const before = server.connections;
    handler.destroy();
    const next = createHttpHandler({ env: {} });
    await (await next.handle(request(server))).body.transformToString();
    assert.equal(server.connections, before + 1);
    next.destroy();
  });
});

describe("node handler: bodies and headers", () => {
  let server: FaultServer;
  let handler: ReturnType<typeof createHttpHandler>;
  before(async () => {
    server = await startFaultServer();
    handler = createHttpHandler({ env: {} });
  });
  after(async () => {
    handler.destroy();
    await server.close();
  });
  afterEach(() => server.reset());

  test("a node Readable body streams with backpressure", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(7);
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 64; i++) yield chunk;
      })(),
    );
    server.enqueue((rec) => ({ body: String(rec.body.length) }));
    const res = await handler.handle(request(server, { method: "PUT", body: source }));
    assert.equal(await res.body.transformToString(), String(64 * 64 * 1024));
    assert.equal(server.requests[0]!.headers["transfer-encoding"], "chunked");
  });

  test("a stream with a caller-set Content-Length is not chunked", async () => {
    server.enqueue({ echo: true });
    const body = Readable.from([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])]);
    const res = await handler.handle(request(server, { method: "PUT", headers: { "content-length": "5" }, body }));
    assert.deepEqual(await res.body.transformToByteArray(), new Uint8Array([1, 2, 3, 4, 5]));
    assert.equal(server.requests[0]!.headers["content-length"], "5");
    assert.equal(server.requests[0]!.headers["transfer-encoding"], undefined);
  });

  test("response headers: lower-case, repeats (set-cookie too) joined with ', '", async () => {
    server.enqueue({
      headers: { "Set-Cookie": ["a=1", "b=2"], "X-Amz-Meta-Foo": "bar", "x-dup": ["1", "2", "3"], constructor: "c" },
    });
    const res = await handler.handle(request(server));
    assert.equal(res.headers["set-cookie"], "a=1, b=2");
    assert.equal(res.headers["x-amz-meta-foo"], "bar");
    assert.equal(res.headers["x-dup"], "1, 2, 3");
    assert.equal(res.headers.constructor, "c");
    await res.body.cancel();
  });

  test("request headers go out as given; Host defaults to the target", async () => {
    server.enqueue({});
    await (
      await handler.handle(request(server, { headers: { "x-amz-date": "20240101T000000Z", "x-multi": "a, b" } }))
    ).body.cancel();
    const rec = server.requests[0]!;
    assert.equal(rec.headers["x-amz-date"], "20240101T000000Z");
    assert.equal(rec.headers["x-multi"], "a, b");
    assert.equal(rec.headers.host, `127.0.0.1:${server.port}`);
  });

  test("an invalid header value is a RequestFormError and nothing is sent", async () => {
    const err = await rejectsWith(
      handler.handle(request(server, { headers: { "x-bad": "a\r\nb" } })),
      RequestFormError,
    );
    assert.ok(err instanceof TsawsError);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(server.requests.length, 0);
  });

  test("an unread body that is reset does not raise an unhandled error", async () => {
    server.enqueue({ body: new Uint8Array(10_000), fault: "truncate", truncateAfter: 10 });
    const res = await handler.handle(request(server));
    await new Promise((r) => setTimeout(r, 80)); // the reset happens while nobody reads
    const err = await rejectsWith(res.body.transformToByteArray(), NetworkError);
    assert.equal(err.code, "ECONNRESET");
  });
});
