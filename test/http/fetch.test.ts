// fetch transport specifics, with an injected fetch that records what it is given
// (the network behaviour is covered against the fault server in handlers.test.ts).
import assert from "node:assert/strict";
import { after, afterEach, describe, test } from "node:test";
import { AbortError, NetworkError, TimeoutError } from "../../runtime/errors.js";
import { createHttpHandler } from "../../runtime/http/fetch.js";
import type { HttpRequest } from "../../runtime/http/types.js";
import { watchUnhandledRejections } from "../support/fault-server.js";

const unhandled = watchUnhandledRejections();
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 5));
  unhandled.assertNone();
});
after(() => unhandled.dispose());

interface Call {
  url: string;
  init: RequestInit & { duplex?: string };
}

function recorder(respond: (call: Call) => Promise<Response> | Response = () => new Response("ok")): {
  calls: Call[];
  fetch: typeof fetch;
} {
  const calls: Call[] = [];
  return {
    calls,
    fetch: (async (url: string, init: RequestInit) => {
      const call = { url, init };
      calls.push(call);
      return respond(call);
    }) as typeof fetch,
  };
}

function request(init: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: "GET",
    protocol: "https:",
    hostname: "dynamodb.us-east-1.amazonaws.com",
    path: "/",
    query: "",
    headers: {},
    ...init,
  };
}

/** A fetch that never answers but honours its signal, as real fetch does. */
const neverFetch = ((_url: string, init: RequestInit) =>
  new Promise((_resolve, reject) => {
    init.signal?.addEventListener("abort", () => reject(init.signal!.reason));
  })) as typeof fetch;

describe("fetch handler: request shaping", () => {
  test("URL from protocol, host, port, path, query; IPv6 bracketed", async () => {
    const r = recorder();
    const handler = createHttpHandler({ fetch: r.fetch });
    await handler.handle(request({ path: "/a%20b/c", query: "x=1&y=%2F" }));
    await handler.handle(request({ protocol: "http:", hostname: "::1", port: 8000 }));
    await handler.handle(request({ protocol: "http:", hostname: "[::1]", port: 8000, path: "/p" }));
    assert.deepEqual(
      r.calls.map((c) => c.url),
      ["https://dynamodb.us-east-1.amazonaws.com/a%20b/c?x=1&y=%2F", "http://[::1]:8000/", "http://[::1]:8000/p"],
    );
  });

  test("headers fetch manages are dropped (copying the record); others pass as given", async () => {
    const r = recorder();
    const handler = createHttpHandler({ fetch: r.fetch });
    const headers = {
      host: "h",
      "content-length": "2",
      expect: "100-continue",
      connection: "keep-alive",
      "x-amz-date": "d",
      authorization: "AWS4 x",
    };
    await handler.handle(request({ method: "PUT", headers, body: "hi" }));
    assert.deepEqual(r.calls[0]!.init.headers, { "x-amz-date": "d", authorization: "AWS4 x" });
    assert.equal(headers.host, "h", "the caller's record is not modified");
    const plain = { "x-amz-target": "T" };
    await handler.handle(request({ headers: plain }));
    assert.equal(r.calls[1]!.init.headers, plain, "no copy when nothing is dropped");
  });

  test("stream bodies are sent half-duplex and keep a caller-set Content-Length", async () => {
    const r = recorder();
    const handler = createHttpHandler({ fetch: r.fetch });
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array(3)), c.close()) });
    await handler.handle(request({ method: "PUT", headers: { "content-length": "3", host: "h" }, body }));
    const init = r.calls[0]!.init;
    assert.equal(init.duplex, "half");
    assert.ok(init.body instanceof ReadableStream);
    assert.deepEqual(init.headers, { "content-length": "3" });
  });

  test("bytes / string / Blob bodies go as is; redirects are not followed; requestInit merged", async () => {
    const r = recorder();
    const handler = createHttpHandler({ fetch: r.fetch, requestInit: { credentials: "omit" } });
    const bytes = new Uint8Array([1, 2]);
    const blob = new Blob(["x"]);
    for (const body of [bytes, "text", blob]) await handler.handle(request({ method: "POST", body }));
    assert.equal(r.calls[0]!.init.body, bytes);
    assert.equal(r.calls[1]!.init.body, "text");
    assert.equal(r.calls[2]!.init.body, blob);
    for (const c of r.calls) {
      assert.equal(c.init.redirect, "manual");
      assert.equal(c.init.credentials, "omit");
      assert.equal(c.init.duplex, undefined);
    }
  });

  test("response: status, lower-case headers, repeats joined, body streamed", async () => {
    const headers = new Headers([
      ["X-Amzn-RequestId", "rid"],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ]);
    const handler = createHttpHandler({
      fetch: recorder(() => new Response("body text", { status: 404, headers })).fetch,
    });
    const res = await handler.handle(request());
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers["x-amzn-requestid"], "rid");
    assert.equal(res.headers["set-cookie"], "a=1, b=2");
    assert.equal(await res.body.transformToString(), "body text");
  });
});

describe("fetch handler: errors and timeouts", () => {
  test("a rejected fetch -> NetworkError with the cause's code, naming the client", async () => {
    const failing = (async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }),
      });
    }) as unknown as typeof fetch;
    const handler = createHttpHandler({ fetch: failing, clientName: "S3" });
    await assert.rejects(
      handler.handle(request()),
      (e: unknown) =>
        e instanceof NetworkError && e.code === "ENOTFOUND" && /^S3: GET https:\/\/dynamodb/.test(e.message),
    );
  });

  test("requestTimeout bounds the wait for headers; connectionTimeout adds to it", async () => {
    const handler = createHttpHandler({ fetch: neverFetch });
    let start = Date.now();
    await assert.rejects(handler.handle(request(), { requestTimeout: 60 }), TimeoutError);
    let took = Date.now() - start;
    assert.ok(took >= 55 && took < 1000, `took ${took}`);
    start = Date.now();
    await assert.rejects(
      handler.handle(request(), { requestTimeout: 60, connectionTimeout: 100 }),
      /connectionTimeout \+ requestTimeout \(160 ms\)/,
    );
    took = Date.now() - start;
    assert.ok(took >= 150 && took < 1200, `took ${took}`);
  });

  test("caller abort -> AbortError with the signal's reason", async () => {
    const handler = createHttpHandler({ fetch: neverFetch });
    const controller = new AbortController();
    setTimeout(() => controller.abort("bye"), 20);
    await assert.rejects(
      handler.handle(request(), { signal: controller.signal }),
      (e: unknown) => e instanceof AbortError && e.cause === "bye",
    );
  });

  test("the caller's abort listener is removed once the body is read", async () => {
    const handler = createHttpHandler({ fetch: recorder(() => new Response("x")).fetch });
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<AbortSignal["addEventListener"]>) => (
      added++,
      add(...args)
    )) as AbortSignal["addEventListener"];
    signal.removeEventListener = ((...args: Parameters<AbortSignal["removeEventListener"]>) => (
      removed++,
      remove(...args)
    )) as AbortSignal["removeEventListener"];
    const res = await handler.handle(request(), { signal });
    assert.equal(removed, 0, "still listening while the body is unread");
    await res.body.transformToString();
    assert.equal(added, 1);
    assert.equal(removed, 1);
  });
});
