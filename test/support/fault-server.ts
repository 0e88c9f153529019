// A programmable HTTP(S) server on 127.0.0.1 for tests across the project, plus a tiny
// forward proxy, a "blackhole" listener that never accepts, and a self-signed certificate.
//
// The server answers request N with the next step of its script (or the fallback): a status,
// headers and body, optionally delayed, chunked, or broken on purpose (reset, close,
// truncate, stall, hang). Every request is recorded (method, raw target, headers, body bytes,
// connection id) once its body has been read, so tests can assert what was sent and whether a
// connection was reused. Everything is bounded: held connections are destroyed after
// `holdMs`, the server closes itself after `lifetimeMs`, and close() destroys all sockets.
//
// Usage:
//   const server = await startFaultServer({ script: [{ status: 503 }, { status: 200, body: "ok" }] });
//   ... client calls server.url ...
//   assert.equal(server.requests.length, 2);
//   await server.close();
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import dns from "node:dns";

export interface RecordedRequest {
  /** 0-based arrival number. */
  index: number;
  /** Id of the connection it came on (1-based, per server): equal ids mean a reused connection. */
  connection: number;
  method: string;
  /** The raw request target: "/path?query", or "http://host/path" in absolute form. */
  path: string;
  /** Lower-case names; repeats joined with ", ". */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface FaultResponse {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string | readonly string[]>;
  body?: string | Uint8Array;
  /** Answer with the request's own body (after `body`, if any, is ignored). */
  echo?: boolean;
  /** Wait this long before the status line. */
  delayMs?: number;
  /** Write the body in pieces of this many bytes... */
  chunkSize?: number;
  /** ...this far apart. */
  chunkDelayMs?: number;
  /**
   * What goes wrong:
   * - "reset": RST the connection instead of responding (client sees ECONNRESET);
   * - "close": close the connection (FIN) without responding ("socket hang up");
   * - "truncate": send the headers with the full Content-Length and `truncateAfter` body bytes, then destroy;
   * - "stall": send the headers and `truncateAfter` body bytes, then nothing (connection held);
   * - "hang": never respond (connection held).
   * Held connections are destroyed after the server's `holdMs`.
   */
  fault?: "reset" | "close" | "truncate" | "stall" | "hang";
  /** Body bytes sent before a truncate/stall. Default: half the body. */
  truncateAfter?: number;
}

export type FaultStep = FaultResponse | ((request: RecordedRequest) => FaultResponse);

export interface FaultServerOptions {
  /** Steps for requests 0, 1, 2... in order. */
  script?: FaultStep[];
  /** Used once the script is exhausted. Default `{ status: 200 }` with an empty body. */
  fallback?: FaultStep;
  /** Serve HTTPS with a fresh self-signed certificate for 127.0.0.1/localhost (see `ca`). */
  tls?: boolean;
  /** How long hang/stall connections are held before being destroyed. Default 10 s. */
  holdMs?: number;
  /** The server closes itself after this long. Default 60 s. */
  lifetimeMs?: number;
}

export interface FaultServer {
  readonly protocol: "http:" | "https:";
  readonly hostname: "127.0.0.1";
  readonly port: number;
  /** e.g. "http://127.0.0.1:41234" */
  readonly url: string;
  /** The certificate (PEM) to trust when `tls` is set. */
  readonly ca: string | undefined;
  /** Requests received so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Appends steps to the script. */
  enqueue(...steps: FaultStep[]): void;
  /** Clears the script and the recorded requests. */
  reset(script?: FaultStep[]): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/** An HTML 502 page, as a load balancer sends when the service behind it fails. */
export function html502(): FaultResponse {
  return {
    status: 502,
    headers: { "content-type": "text/html" },
    body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
  };
}

function bytesOf(body: string | Uint8Array | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === "string" ? new TextEncoder().encode(body) : body;
}

function recordHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    out[name] = out[name] === undefined ? raw[i + 1]! : `${out[name]}, ${raw[i + 1]!}`;
  }
  return out;
}

/** Tracks timers and sockets so close() leaves nothing behind. */
class Bounded {
  readonly timers = new Set<ReturnType<typeof setTimeout>>();
  readonly sockets = new Set<net.Socket>();

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}

function listen(
  server: net.Server,
  lifetimeMs: number,
  bounded: Bounded,
): Promise<{ port: number; close: () => Promise<void> }> {
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      bounded.clear();
      server.close(() => resolve());
      (server as Partial<http.Server>).closeAllConnections?.();
    }));
  const lifetime = setTimeout(() => void close(), lifetimeMs);
  lifetime.unref();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.removeListener("error", reject);
      server.unref(); // a forgotten server never keeps the test process alive
      resolve({ port: (server.address() as AddressInfo).port, close });
    });
  });
}

/** Starts a programmable server on 127.0.0.1 with an ephemeral port. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const holdMs = options.holdMs ?? 10_000;
  const bounded = new Bounded();
  let script: FaultStep[] = [...(options.script ?? [])];
  const fallback: FaultStep = options.fallback ?? { status: 200 };
  const requests: RecordedRequest[] = [];
  const connectionIds = new WeakMap<net.Socket, number>();
  let connections = 0;
  let arrivals = 0;
  let ca: string | undefined;

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const index = arrivals++;
    const socket = req.socket;
    let connection = connectionIds.get(socket);
    if (connection === undefined) connectionIds.set(socket, (connection = ++connections));
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => {});
    req.on("end", () => {
      const body = new Uint8Array(Buffer.concat(chunks));
      const record: RecordedRequest = {
        index,
        connection: connection!,
        method: req.method ?? "",
        path: req.url ?? "",
        headers: recordHeaders(req.rawHeaders),
        body,
      };
      requests.push(record);
      const step = script.length > 0 ? script.shift()! : fallback;
      const spec = typeof step === "function" ? step(record) : step;
      if (spec.delayMs) bounded.later(spec.delayMs, () => respond(req, res, spec, record));
      else respond(req, res, spec, record);
    });
  };

  const respond = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    spec: FaultResponse,
    record: RecordedRequest,
  ): void => {
    const socket = req.socket;
    if (socket.destroyed) return;
    switch (spec.fault) {
      case "reset":
        socket.resetAndDestroy();
        return;
      case "close":
        socket.end();
        socket.destroySoon();
        return;
      case "hang":
        bounded.later(holdMs, () => socket.destroy());
        return;
    }
    const body = spec.echo ? record.body : bytesOf(spec.body);
    const headers: Record<string, string | readonly string[]> = { ...spec.headers };
    if (
      !Object.keys(headers).some((h) => h.toLowerCase() === "content-length" || h.toLowerCase() === "transfer-encoding")
    ) {
      headers["content-length"] = String(body.length);
    }
    res.writeHead(spec.status ?? 200, headers as http.OutgoingHttpHeaders);
    if (spec.fault === "truncate" || spec.fault === "stall") {
      const sent = Math.min(spec.truncateAfter ?? Math.floor(body.length / 2), body.length);
      res.flushHeaders();
      if (sent > 0) res.write(body.subarray(0, sent));
      if (spec.fault === "truncate") bounded.later(20, () => socket.destroy());
      else bounded.later(holdMs, () => socket.destroy());
      return;
    }
    if (!spec.chunkSize || spec.chunkSize >= body.length) {
      res.end(body);
      return;
    }
    const size = spec.chunkSize;
    let offset = 0;
    const next = (): void => {
      if (res.destroyed) return;
      const piece = body.subarray(offset, offset + size);
      offset += piece.length;
      if (offset >= body.length) res.end(piece);
      else {
        res.write(piece);
        if (spec.chunkDelayMs) bounded.later(spec.chunkDelayMs, next);
        else setImmediate(next);
      }
    };
    res.flushHeaders();
    next();
  };

  let server: http.Server;
  if (options.tls) {
    const pair = selfSignedCert();
    ca = pair.cert;
    server = https.createServer({ key: pair.key, cert: pair.cert }, onRequest);
    server.on("secureConnection", (socket: net.Socket) => bounded.track(socket));
  } else {
    server = http.createServer(onRequest);
  }
  server.on("connection", (socket: net.Socket) => bounded.track(socket));
  server.on("clientError", (_err, socket: net.Socket) => socket.destroy());
  const { port, close } = await listen(server, options.lifetimeMs ?? 60_000, bounded);
  const protocol = options.tls ? "https:" : "http:";
  return {
    protocol,
    hostname: "127.0.0.1",
    port,
    url: `${protocol}//127.0.0.1:${port}`,
    ca,
    requests,
    get connections() {
      return connections;
    },
    enqueue(...steps) {
      script.push(...steps);
    },
    reset(next = []) {
      script = [...next];
      requests.length = 0;
    },
    close,
  };
}

// ---- forward proxy ----

export interface ProxyRecord {
  /** "CONNECT" or the forwarded method. */
  method: string;
  /** "host:port" for CONNECT, the absolute URL otherwise. */
  target: string;
  headers: Record<string, string>;
}

export interface TestProxy {
  readonly port: number;
  /** e.g. "http://127.0.0.1:41235" */
  readonly url: string;
  readonly requests: ProxyRecord[];
  close(): Promise<void>;
}

/**
 * A tiny forward proxy on 127.0.0.1: tunnels CONNECT and forwards absolute-form requests,
 * recording each. With `refuseStatus`, every request is answered with that status instead;
 * with `tls`, clients speak TLS to the proxy itself (certificate: selfSignedCert()).
 */
export async function startProxy(
  options: { refuseStatus?: number; lifetimeMs?: number; tls?: boolean } = {},
): Promise<TestProxy> {
  const bounded = new Bounded();
  const requests: ProxyRecord[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests.push({ method: req.method ?? "", target: req.url ?? "", headers: recordHeaders(req.rawHeaders) });
    if (options.refuseStatus) {
      res.writeHead(options.refuseStatus, { "content-length": "0" }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400, { "content-length": "0" }).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = http.request({
      hostname: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      method: req.method,
      headers,
    });
    upstream.on("response", (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  };
  let server: http.Server;
  if (options.tls) {
    const pair = selfSignedCert();
    server = https.createServer({ key: pair.key, cert: pair.cert }, onRequest);
    server.on("secureConnection", (socket: net.Socket) => bounded.track(socket));
  } else {
    server = http.createServer(onRequest);
  }
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    requests.push({ method: "CONNECT", target: req.url ?? "", headers: recordHeaders(req.rawHeaders) });
    bounded.track(client);
    client.on("error", () => {});
    if (options.refuseStatus) {
      client.end(`HTTP/1.1 ${options.refuseStatus} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const colon = (req.url ?? "").lastIndexOf(":");
    const host = (req.url ?? "").slice(0, colon).replace(/^\[|\]$/g, "");
    const port = Number((req.url ?? "").slice(colon + 1));
    const upstream = net.connect(port, host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    bounded.track(upstream);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  server.on("connection", (socket: net.Socket) => bounded.track(socket));
  const { port, close } = await listen(server, options.lifetimeMs ?? 60_000, bounded);
  return { port, url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`, requests, close };
}

// ---- blackhole ----

export interface Blackhole {
  readonly hostname: "127.0.0.1";
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A port whose listener never accepts: a worker thread listens with a backlog of 1 and then
 * blocks its event loop; filler connections fill the accept queue, so later connection
 * attempts get no SYN-ACK and stay "connecting" (Linux behaviour). Bounded by `holdMs`.
 */
export async function startBlackhole(holdMs = 15_000): Promise<Blackhole> {
  const worker = new Worker(
    `const net = require("node:net");
     const { parentPort, workerData } = require("node:worker_threads");
     const server = net.createServer();
     server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       parentPort.once("message", () => {
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData);
         process.exit(0);
       });
     });`,
    { eval: true, workerData: holdMs },
  );
  worker.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  worker.postMessage("block");
  await new Promise((r) => setTimeout(r, 20));
  // Fill the accept queue (backlog 1 admits 2 on Linux); stop at the first one that hangs.
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => {});
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) break;
  }
  let closed: Promise<void> | undefined;
  return {
    hostname: "127.0.0.1",
    port,
    close: () =>
      (closed ??= (async () => {
        for (const s of fillers) s.destroy();
        await worker.terminate();
      })()),
  };
}

// ---- self-signed certificate (pure node:crypto; no openssl, no committed key) ----

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function der(tag: number, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag, ...derLength(body.length)]), body]);
}

function oid(text: string): Buffer {
  const arcs = text.split(".").map(Number);
  const bytes = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const groups = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const s = date.toISOString(); // 2024-01-02T03:04:05.678Z
  return der(
    0x17,
    Buffer.from(
      `${s.slice(2, 4)}${s.slice(5, 7)}${s.slice(8, 10)}${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`,
    ),
  );
}

let cachedCert: { key: string; cert: string } | undefined;

/** A fresh EC P-256 key and a self-signed certificate for 127.0.0.1 and localhost, valid for a day. */
export function selfSignedCert(): { key: string; cert: string } {
  if (cachedCert) return cachedCert;
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ecdsaSha256 = der(0x30, oid("1.2.840.10045.4.3.2"));
  const name = der(0x30, der(0x31, der(0x30, oid("2.5.4.3"), der(0x0c, Buffer.from("tsaws test")))));
  const serial = randomBytes(8);
  serial[0] = (serial[0]! & 0x3f) | 0x40; // positive, minimal DER (no leading zero byte)
  const now = Date.now();
  const san = der(0x30, der(0x82 & 0xff, Buffer.from("localhost")), der(0x87, Buffer.from([127, 0, 0, 1])));
  const extensions = der(
    0xa3,
    der(
      0x30,
      der(0x30, oid("2.5.29.19"), der(0x01, Buffer.from([0xff])), der(0x04, der(0x30, der(0x01, Buffer.from([0xff]))))),
      der(0x30, oid("2.5.29.17"), der(0x04, san)),
    ),
  );
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ecdsaSha256,
    name,
    der(0x30, utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    extensions,
  );
  const signature = sign("sha256", tbs, privateKey);
  const cert = der(0x30, tbs, ecdsaSha256, der(0x03, Buffer.from([0]), signature));
  const pem = `-----BEGIN CERTIFICATE-----\n${cert.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END CERTIFICATE-----\n`;
  cachedCert = { key: privateKey.export({ type: "pkcs8", format: "pem" }) as string, cert: pem };
  return cachedCert;
}

// ---- unhandled rejections ----

/**
 * Records 'unhandledRejection' events from now on. Call `assertNone()` (e.g. in `after`)
 * to fail if any fired; `dispose()` removes the listener.
 */
export function watchUnhandledRejections(): { readonly seen: unknown[]; assertNone(): void; dispose(): void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on("unhandledRejection", listener);
  return {
    seen,
    assertNone() {
      if (seen.length > 0) {
        const first = seen[0];
        throw new Error(
          `${seen.length} unhandled rejection(s); first: ${first instanceof Error ? first.stack : String(first)}`,
        );
      }
    },
    dispose() {
      process.removeListener("unhandledRejection", listener);
    },
  };
}

/**
 * A `lookup` for an HTTP agent: `localhost` and `*.localhost` resolve to 127.0.0.1 (so a host
 * prefix or a virtual-hosted bucket reaches a local server) without the system resolver; every
 * other name goes to dns.lookup.
 */
export const localhostLookup = ((
  hostname: string,
  options: dns.LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
): void => {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) {
    if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
    else callback(null, "127.0.0.1", 4);
    return;
  }
  dns.lookup(hostname, options, callback);
}) as net.LookupFunction;
