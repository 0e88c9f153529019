// The test support server itself, driven by a plain node:http client so its behaviour does
// not depend on the transports it is used to test.
import assert from "node:assert/strict";
import * as http from "node:http";
import * as net from "node:net";
import { X509Certificate } from "node:crypto";
import { describe, test } from "node:test";
import { html502, selfSignedCert, startBlackhole, startFaultServer } from "../support/fault-server.js";

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string, init: { method?: string; body?: string; agent?: http.Agent } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", agent: init.agent ?? false }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

describe("fault server", () => {
  test("script steps in order, then the fallback; requests recorded", async () => {
    const server = await startFaultServer({
      script: [{ status: 503, body: "busy" }, (rec) => ({ status: 200, body: `got ${rec.method} ${rec.body.length}` })],
      fallback: { status: 204 },
    });
    try {
      assert.deepEqual([(await get(server.url)).status, (await get(server.url)).body], [503, "got GET 0"]);
      const posted = await get(`${server.url}/x?y=1`, { method: "POST", body: "12345" });
      assert.equal(posted.status, 204);
      server.enqueue({ echo: true, headers: { "x-a": ["1", "2"] } });
      const echoed = await get(server.url, { method: "PUT", body: "echo me" });
      assert.equal(echoed.body, "echo me");
      assert.equal(echoed.headers["x-a"], "1, 2");
      assert.equal(server.requests.length, 4);
      const rec = server.requests[2]!;
      assert.equal(rec.index, 2);
      assert.equal(rec.method, "POST");
      assert.equal(rec.path, "/x?y=1");
      assert.equal(new TextDecoder().decode(rec.body), "12345");
      assert.equal(rec.headers["content-length"], "5");
      server.reset([{ status: 418 }]);
      assert.equal(server.requests.length, 0);
      assert.equal((await get(server.url)).status, 418);
    } finally {
      await server.close();
    }
  });

  test("connection ids show reuse", async () => {
    const server = await startFaultServer();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await get(server.url, { agent });
      await get(server.url, { agent });
      await get(server.url); // agent: false -> a new connection
      assert.deepEqual(
        server.requests.map((r) => r.connection),
        [1, 1, 2],
      );
      assert.equal(server.connections, 2);
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  test("faults: reset, close, truncate", async () => {
    const server = await startFaultServer({
      script: [{ fault: "reset" }, { fault: "close" }, { body: "0123456789", fault: "truncate", truncateAfter: 4 }],
    });
    try {
      await assert.rejects(get(server.url), { code: "ECONNRESET" });
      await assert.rejects(get(server.url), { code: "ECONNRESET", message: "socket hang up" });
      await assert.rejects(get(server.url), { code: "ECONNRESET", message: "aborted" });
    } finally {
      await server.close();
    }
  });

  test("delay and chunking", async () => {
    const server = await startFaultServer({
      script: [{ body: "abcdef", chunkSize: 2, chunkDelayMs: 30, delayMs: 50 }],
    });
    try {
      const start = Date.now();
      const got = await get(server.url);
      assert.equal(got.body, "abcdef");
      assert.ok(Date.now() - start >= 100, `took ${Date.now() - start} ms`);
    } finally {
      await server.close();
    }
  });

  test("held connections (hang) are destroyed after holdMs; close() is prompt", async () => {
    const server = await startFaultServer({ holdMs: 100, script: [{ fault: "hang" }, { fault: "hang" }] });
    const start = Date.now();
    await assert.rejects(get(server.url), { code: "ECONNRESET" });
    assert.ok(Date.now() - start >= 90);
    const pending = get(server.url);
    await new Promise((r) => setTimeout(r, 20));
    const closing = Date.now();
    await server.close();
    await assert.rejects(pending);
    assert.ok(Date.now() - closing < 100);
  });

  test("the server closes itself after lifetimeMs", async () => {
    const server = await startFaultServer({ lifetimeMs: 50 });
    await new Promise((r) => setTimeout(r, 120));
    await assert.rejects(get(server.url), { code: "ECONNREFUSED" });
  });

  test("html502", async () => {
    const server = await startFaultServer({ script: [html502()] });
    try {
      const got = await get(server.url);
      assert.equal(got.status, 502);
      assert.equal(got.headers["content-type"], "text/html");
      assert.match(got.body, /<title>502 Bad Gateway<\/title>/);
    } finally {
      await server.close();
    }
  });

  test("selfSignedCert: a valid certificate for 127.0.0.1 and localhost", () => {
    const { cert, key } = selfSignedCert();
    const x509 = new X509Certificate(cert);
    assert.equal(x509.checkIP("127.0.0.1"), "127.0.0.1");
    assert.equal(x509.checkHost("localhost"), "localhost");
    assert.equal(x509.checkHost("example.com"), undefined);
    assert.ok(x509.verify(x509.publicKey));
    assert.match(key, /BEGIN PRIVATE KEY/);
  });

  test("blackhole: connection attempts stay pending until closed", async () => {
    const hole = await startBlackhole(2000);
    const socket = net.connect(hole.port, hole.hostname);
    socket.on("error", () => {});
    const connected = await new Promise<boolean>((resolve) => {
      socket.once("connect", () => resolve(true));
      setTimeout(() => resolve(false), 300);
    });
    socket.destroy();
    await hole.close();
    assert.equal(connected, false);
  });
});
