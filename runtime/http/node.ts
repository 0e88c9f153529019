// The Node transport: node:http / node:https with keep-alive agents. Node only.
//
// Hot path: one options object and one Exchange per call; the request's headers go to node
// as a flat list when that frames the body the same way (node then skips its own per-header
// store), else the record as is; the response record is built once, straight from rawHeaders. Event listeners are module-level functions that
// find their Exchange through a symbol on the ClientRequest (node calls them with `this` =
// the emitter) and the Exchange itself is the AbortSignal listener (`handleEvent`), so a
// call allocates no listener closures.
//
// Timeouts: `connectionTimeout` runs from socket assignment while the socket is still
// connecting (DNS + TCP; a proxy tunnel counts as connecting); `requestTimeout` is node's
// socket idle timeout, so it bounds the wait for headers and every gap between body chunks.
// Abort and timeouts fail the pending call, or, once headers arrived, destroy the response
// so the body read rejects with the same TimeoutError / AbortError.
//
// Proxies: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from an injectable env, parsed once. http
// targets go to the proxy in absolute form; https targets go through a CONNECT tunnel made
// by an https.Agent subclass, so tunnelled connections are pooled per target like others.
//
// Start-up: only node:http is imported here. node:https, node:tls and the tunnel agent live in
// http/node-tls.ts, imported (once per process, cached) by the first https request of a handler
// or its first request while a proxy is configured; that one request waits for the import, every
// later one takes the synchronous path. A client of a plain-http endpoint never loads TLS.
//
// Expect: 100-continue (S3 uploads: runtime/customizations/s3.ts sets it): the headers go out
// first and the body waits for the server's 100 Continue, or `expectContinueTimeout` ms without
// one (RFC 9110 §10.1.1: a client need not wait forever), then goes anyway. A final status that
// arrives first is the answer: the body is never sent, and the connection, left mid-request, is
// closed once that response has been read.
//
// Pool diagnostic: when a call has to queue for a socket, a timer (only then) checks after
// `socketAcquisitionWarningTimeout` ms whether it is still waiting, and logs one warning per
// handler naming the client.
import * as http from "node:http";
import type * as https from "node:https";
import type * as net from "node:net";
import { AbortError, NetworkError, RequestFormError, TimeoutError, TsawsError } from "../errors.js";
import { NodeStreamBody, describe, errorCode, headerRecord, isWebStream, toNetworkError, webStreamChunks } from "./body.js";
import { bracketed, proxyFor, proxySettingsFromEnv, type ProxySettings } from "./proxy.js";
import type { TunnelAgent } from "./node-tls.js";
import type { HttpHandler, HttpHandlerOptions, HttpRequest, HttpResponse, RequestBody } from "./types.js";
import { lazyModule } from "../lazy-module.js";

export interface HttpHandlerConfig {
  /** Default `requestTimeout` (ms) for calls that do not set one: socket idle time allowed. */
  requestTimeout?: number;
  /** Default `connectionTimeout` (ms) for calls that do not set one. */
  connectionTimeout?: number;
  /** Sockets per origin in each pool. Default 50. */
  maxSockets?: number;
  /** Keep connections open between calls. Default true. */
  keepAlive?: boolean;
  /** Options for the http agent, or an agent to use as is. */
  httpAgent?: http.Agent | http.AgentOptions;
  /** Options for the https agent (ca, cert, rejectUnauthorized...), or an agent to use as is. */
  httpsAgent?: https.Agent | https.AgentOptions;
  /** Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY are read from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Names the client in diagnostics, e.g. "DynamoDB". */
  clientName?: string;
  /** Receives diagnostics. Default `console`. */
  logger?: { warn(message: string): void };
  /** Warn (once) when a call waits longer than this for a pooled socket. Default 2000 ms. */
  socketAcquisitionWarningTimeout?: number;
  /** How long a request with `Expect: 100-continue` waits for the 100 before sending its body anyway. Default 1000 ms. */
  expectContinueTimeout?: number;
}

const kExchange = Symbol("tsaws.exchange");

/** node-tls.js, imported on first need and shared by every handler of the process. */
type TlsModule = typeof import("./node-tls.js");
const tls = lazyModule((): Promise<TlsModule> => import("./node-tls.js"));

function loadTls(): Promise<unknown> {
  return tls.load().catch((error: unknown) => {
    throw new NetworkError(`Loading node:https failed: ${describe(error)}`, { cause: error });
  });
}

interface TrackedRequest extends http.ClientRequest {
  [kExchange]: Exchange;
}

type Resolve = (response: HttpResponse) => void;
type Reject = (error: unknown) => void;

/** Per-call state; also the AbortSignal listener. */
class Exchange {
  readonly resolve: Resolve;
  readonly reject: Reject;
  readonly request: HttpRequest;
  readonly signal: AbortSignal | undefined;
  readonly connectTimeout: number | undefined;
  readonly requestTimeout: number | undefined;
  req!: http.ClientRequest;
  res: http.IncomingMessage | undefined = undefined;
  connectTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Expect: 100-continue: the body waits for the 100 (or this timer). */
  continueTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  bodyPending = false;
  settled = false;

  constructor(
    resolve: Resolve,
    reject: Reject,
    request: HttpRequest,
    signal: AbortSignal | undefined,
    connectTimeout: number | undefined,
    requestTimeout: number | undefined,
  ) {
    this.resolve = resolve;
    this.reject = reject;
    this.request = request;
    this.signal = signal;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
  }

  /** AbortSignal 'abort'. */
  handleEvent(): void {
    this.interrupt(new AbortError("The request was aborted.", { cause: this.signal?.reason }));
  }

  /** Ends the call with `error`: rejects it, or fails the body read when headers already arrived. */
  interrupt(error: TsawsError): void {
    const res = this.res;
    if (res) {
      this.cleanup();
      if (!res.readableEnded && !res.destroyed) res.destroy(error);
      return;
    }
    this.fail(error);
    this.req.destroy(error);
  }

  fail(error: TsawsError): void {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.reject(error);
  }

  cleanup(): void {
    if (this.connectTimer !== undefined) {
      clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
    this.stopWaitingForContinue();
    this.signal?.removeEventListener("abort", this);
  }

  stopWaitingForContinue(): void {
    this.bodyPending = false;
    if (this.continueTimer !== undefined) {
      clearTimeout(this.continueTimer);
      this.continueTimer = undefined;
    }
  }

  where(): string {
    const r = this.request;
    return `${r.method} ${r.protocol}//${r.hostname}${r.port !== undefined ? `:${r.port}` : ""}`;
  }
}

function exchangeOf(emitter: http.ClientRequest | http.IncomingMessage): Exchange {
  return (emitter as TrackedRequest)[kExchange];
}

function mapError(error: unknown, ex: Exchange): TsawsError {
  if (error instanceof TsawsError) return error;
  const code = errorCode(error);
  const message = describe(error);
  const text = `${ex.where()} failed: ${code && !message.includes(code) ? `${code} ` : ""}${message}`;
  const options = code !== undefined ? { cause: error, code } : { cause: error };
  return code === "ETIMEDOUT" ? new TimeoutError(text, options) : new NetworkError(text, options);
}

// ---- listeners (module-level; `this` is the emitter) ----

function onSocket(this: http.ClientRequest, socket: net.Socket): void {
  const ex = exchangeOf(this);
  if (ex.connectTimeout !== undefined && socket.connecting && !ex.settled) {
    ex.connectTimer = setTimeout(onConnectTimeout, ex.connectTimeout, this);
  }
}

function onConnectTimeout(req: http.ClientRequest): void {
  const ex = exchangeOf(req);
  ex.connectTimer = undefined;
  if (req.socket && !req.socket.connecting) return;
  ex.interrupt(
    new TimeoutError(`${ex.where()}: connection not established within connectionTimeout (${ex.connectTimeout} ms).`, {
      code: "ETIMEDOUT",
    }),
  );
}

function onRequestTimeout(this: http.ClientRequest): void {
  const ex = exchangeOf(this);
  const what = ex.res ? "no response data" : this.socket?.connecting ? "still connecting" : "no response";
  ex.interrupt(
    new TimeoutError(`${ex.where()}: ${what} within requestTimeout (${ex.requestTimeout} ms).`, { code: "ETIMEDOUT" }),
  );
}

function onRequestError(this: http.ClientRequest, error: Error): void {
  const ex = exchangeOf(this);
  if (!ex.settled) ex.fail(mapError(error, ex));
}

function onRequestClose(this: http.ClientRequest): void {
  const ex = exchangeOf(this);
  if (!ex.settled) ex.fail(new NetworkError(`${ex.where()} failed: the connection closed before a response arrived.`));
}

function onResponseClose(this: http.IncomingMessage): void {
  exchangeOf(this).cleanup();
}

function onResponse(this: http.ClientRequest, res: http.IncomingMessage): void {
  const ex = exchangeOf(this);
  if (ex.settled) {
    res.destroy();
    return;
  }
  ex.res = res;
  ex.settled = true;
  if (ex.bodyPending) {
    // A final status before the 100 Continue: the body is not sent; the request was never
    // finished, so its connection cannot carry another and is closed after this response.
    ex.stopWaitingForContinue();
    (res as unknown as TrackedRequest)[kExchange] = ex;
    res.once("end", onUnfinishedRequestAnswered);
    res.once("close", onUnfinishedRequestAnswered);
  }
  if (ex.connectTimer !== undefined) {
    clearTimeout(ex.connectTimer);
    ex.connectTimer = undefined;
  }
  if (ex.signal) {
    (res as unknown as TrackedRequest)[kExchange] = ex;
    res.once("close", onResponseClose);
  }
  // Headers straight from rawHeaders: lower-cased, repeats joined with ", " (node's
  // res.headers would drop repeats of some names and make arrays of set-cookie).
  ex.resolve({
    statusCode: res.statusCode ?? 0,
    headers: headerRecord(res.rawHeaders),
    body: new NodeStreamBody(res, toNetworkError),
  });
}

function onUnfinishedRequestAnswered(this: http.IncomingMessage): void {
  exchangeOf(this).req.destroy();
}

/** The server's 100 Continue, or the wait for it timed out: the body goes now (once). */
function onContinue(this: http.ClientRequest): void {
  releaseBody(exchangeOf(this));
}

function onContinueTimeout(req: http.ClientRequest): void {
  releaseBody(exchangeOf(req));
}

function releaseBody(ex: Exchange): void {
  if (!ex.bodyPending) return;
  ex.stopWaitingForContinue();
  if (ex.settled || ex.req.destroyed) return;
  sendBody(ex.req, ex.request.body, ex, ex.request.headers);
}

function onQueuedTooLong(req: http.ClientRequest, handler: NodeHttpHandler, agent: http.Agent): void {
  if (req.socket || req.destroyed) return;
  handler.warnSaturated(agent.maxSockets);
}

// ---- request bodies ----

function isBlob(body: RequestBody): body is Blob {
  return typeof Blob !== "undefined" && body instanceof Blob;
}

function drained(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.removeListener("drain", done);
      req.removeListener("close", done);
      resolve();
    };
    req.on("drain", done);
    req.on("close", done);
  });
}

/** Streams a body with backpressure; a failing source fails the call and aborts the request. */
async function pump(req: http.ClientRequest, source: AsyncIterable<Uint8Array | string>, ex: Exchange): Promise<void> {
  try {
    for await (const chunk of source) {
      if (req.destroyed) return;
      if (!req.write(chunk)) await drained(req);
    }
    if (!req.destroyed) req.end();
  } catch (error) {
    if (req.destroyed) return;
    ex.fail(new TsawsError(`${ex.where()}: reading the request body failed: ${describe(error)}`, { cause: error }));
    req.destroy();
  }
}

function sendBody(
  req: http.ClientRequest,
  body: RequestBody | undefined,
  ex: Exchange,
  headers: Record<string, string>,
): void {
  if (body === undefined) req.end();
  else if (typeof body === "string" || body instanceof Uint8Array)
    req.end(body); // node sets Content-Length
  else if (isBlob(body)) {
    if (headers["content-length"] === undefined) req.setHeader("content-length", body.size);
    void pump(req, webStreamChunks(body.stream() as ReadableStream<Uint8Array>), ex);
  } else if (isWebStream(body)) void pump(req, webStreamChunks(body), ex);
  else void pump(req, body, ex); // node Readable or any AsyncIterable: chunked unless content-length is set
}

// ---- headers as a flat list ----

// Methods node sends without a body framing header when none is given (no chunked default).
const NO_BODY_BY_DEFAULT = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

/**
 * Whether the headers can go to node as a flat [name, value, ...] list, which node writes as
 * they are (validated) instead of copying each into its own header store first (~1 us less per
 * request). Node then frames the body from the headers alone, so the list is used only when
 * that framing is the same as with a header object: a Host header is present, no Expect, and
 * either a Content-Length or no body on a method that sends none by default.
 */
function sendsAsList(request: HttpRequest): boolean {
  const h = request.headers;
  if (h.host === undefined || h.expect !== undefined) return false;
  if (h["content-length"] !== undefined) return true;
  return request.body === undefined && NO_BODY_BY_DEFAULT.has(request.method.toUpperCase());
}

function headerList(headers: Record<string, string>): string[] {
  const list: string[] = [];
  for (const name in headers) list.push(name, headers[name]!);
  return list;
}

// ---- handler ----

function isAgent(value: unknown): value is http.Agent {
  return value instanceof http.Agent;
}

export class NodeHttpHandler implements HttpHandler {
  readonly #config: HttpHandlerConfig;
  readonly #httpAgent: http.Agent;
  /** Made (or taken from the config) with the first https request; see `#secureAgent`. */
  #httpsAgent: https.Agent | undefined;
  readonly #ownAgents: http.Agent[] = [];
  readonly #proxy: ProxySettings | undefined;
  #tunnelAgents: Map<string, TunnelAgent> | undefined;
  readonly #warnAfter: number;
  readonly #continueAfter: number;
  #warned = false;

  constructor(config: HttpHandlerConfig = {}) {
    this.#config = config;
    const maxSockets = config.maxSockets ?? 50;
    const keepAlive = config.keepAlive ?? true;
    const base = { keepAlive, maxSockets, scheduling: "lifo" as const };
    if (isAgent(config.httpAgent)) this.#httpAgent = config.httpAgent;
    else this.#ownAgents.push((this.#httpAgent = new http.Agent({ ...base, ...config.httpAgent })));
    if (isAgent(config.httpsAgent)) this.#httpsAgent = config.httpsAgent as https.Agent;
    this.#proxy = proxySettingsFromEnv(config.env ?? process.env);
    this.#warnAfter = config.socketAcquisitionWarningTimeout ?? 2000;
    this.#continueAfter = config.expectContinueTimeout ?? 1000;
  }

  /** The https agent: the configured one, or this handler's own (node-tls.js is loaded). */
  #secureAgent(tlsm: TlsModule): https.Agent {
    let agent = this.#httpsAgent;
    if (agent === undefined) {
      const config = this.#config;
      const base = { keepAlive: config.keepAlive ?? true, maxSockets: config.maxSockets ?? 50, scheduling: "lifo" as const };
      this.#ownAgents.push((agent = this.#httpsAgent = new tlsm.HttpsAgent({ ...base, ...config.httpsAgent })));
    }
    return agent;
  }

  /** Logs the pool-saturation warning, at most once per handler. */
  warnSaturated(max: number): void {
    if (this.#warned) return;
    this.#warned = true;
    const name = this.#config.clientName ?? "tsaws client";
    (this.#config.logger ?? console).warn(
      `${name}: requests waited more than ${this.#warnAfter} ms for a free socket; the connection pool (maxSockets=${max}) is saturated. ` +
        "Raise maxSockets, lower concurrency, or make sure every response body is read or cancelled so its connection returns to the pool.",
    );
  }

  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<HttpResponse> {
    const signal = options?.signal;
    if (signal?.aborted)
      return Promise.reject(new AbortError("The request was aborted before it was sent.", { cause: signal.reason }));
    const secure = request.protocol === "https:";
    const tlsm = tls.value;
    // TLS (and the tunnel agent) is imported by the first request that may need it; that
    // request waits for the import and starts over, every later one goes straight on.
    if (tlsm === undefined && (secure || this.#proxy !== undefined))
      return loadTls().then(() => this.handle(request, options));
    const cfg = this.#config;
    const requestTimeout = options?.requestTimeout ?? cfg.requestTimeout;
    const connectTimeout = options?.connectionTimeout ?? cfg.connectionTimeout;
    const query = request.query;
    let hostname = request.hostname;
    if (hostname.charCodeAt(0) === 91 /* [ */) hostname = hostname.slice(1, -1);

    const reqOptions: https.RequestOptions = {
      method: request.method,
      hostname,
      path: query === "" ? request.path : `${request.path}?${query}`,
      headers: request.headers,
      agent: secure ? this.#secureAgent(tlsm!) : this.#httpAgent,
    };
    if (request.port !== undefined) reqOptions.port = request.port;
    if (requestTimeout !== undefined) reqOptions.timeout = requestTimeout;
    // Whether the connection is TLS: to an https target, or to an https proxy.
    let overTls = secure;
    if (this.#proxy !== undefined)
      overTls = this.#routeViaProxy(this.#proxy, tlsm!, request, reqOptions, hostname, connectTimeout ?? requestTimeout);
    if (reqOptions.headers === request.headers && sendsAsList(request)) reqOptions.headers = headerList(request.headers);

    return new Promise<HttpResponse>((resolve, reject) => {
      const ex = new Exchange(resolve, reject, request, signal, connectTimeout, requestTimeout);
      let req: http.ClientRequest;
      try {
        req = overTls ? tlsm!.httpsRequest(reqOptions) : http.request(reqOptions);
      } catch (error) {
        // Invalid header names/values or paths are rejected synchronously by node: nothing was sent.
        reject(new RequestFormError(`${ex.where()}: the request cannot be sent: ${describe(error)}`, { cause: error }));
        return;
      }
      ex.req = req;
      (req as TrackedRequest)[kExchange] = ex;
      req.on("response", onResponse);
      req.on("error", onRequestError);
      req.on("close", onRequestClose);
      if (connectTimeout !== undefined) req.on("socket", onSocket);
      if (requestTimeout !== undefined) req.on("timeout", onRequestTimeout);
      if (signal) signal.addEventListener("abort", ex);
      if (!this.#warned) {
        const agent = reqOptions.agent as http.Agent;
        for (const _ in agent.requests) {
          // This call was queued behind a full pool.
          setTimeout(onQueuedTooLong, this.#warnAfter, req, this, agent).unref();
          break;
        }
      }
      if (request.body !== undefined && request.headers.expect?.toLowerCase() === "100-continue") {
        // The headers go now (node sends them at once for an Expect request); the body on 100 Continue.
        ex.bodyPending = true;
        req.once("continue", onContinue);
        ex.continueTimer = setTimeout(onContinueTimeout, this.#continueAfter, req);
        req.flushHeaders();
      } else sendBody(req, request.body, ex, request.headers);
    });
  }

  /** Points the request at its proxy, if one applies; returns whether the connection is TLS. */
  #routeViaProxy(
    settings: ProxySettings,
    tlsm: TlsModule,
    request: HttpRequest,
    reqOptions: https.RequestOptions,
    hostname: string,
    connectTimeout: number | undefined,
  ): boolean {
    const secure = request.protocol === "https:";
    const port = request.port ?? (secure ? 443 : 80);
    const proxy = proxyFor(settings, request.protocol, hostname, port);
    if (proxy === undefined) return secure;
    if (secure) {
      // CONNECT tunnel: pooled per proxy in its own agent; the request itself is unchanged.
      this.#tunnelAgents ??= new Map();
      let agent = this.#tunnelAgents.get(proxy.label);
      if (agent === undefined) {
        const base = isAgent(this.#config.httpsAgent)
          ? (this.#config.httpsAgent as https.Agent).options
          : (this.#config.httpsAgent ?? {});
        agent = new tlsm.TunnelAgent(
          {
            keepAlive: this.#config.keepAlive ?? true,
            maxSockets: this.#config.maxSockets ?? 50,
            scheduling: "lifo",
            ...base,
          },
          proxy,
        );
        this.#tunnelAgents.set(proxy.label, agent);
      }
      reqOptions.agent = agent;
      if (connectTimeout !== undefined) (reqOptions as Record<string, unknown>)[tlsm.kConnectTimeout] = connectTimeout;
      return true;
    }
    // Absolute form to the proxy; Host names the target.
    const authority = `${bracketed(hostname)}${request.port !== undefined ? `:${request.port}` : ""}`;
    reqOptions.path = `http://${authority}${reqOptions.path}`;
    const headers: Record<string, string> = { ...request.headers };
    if (headers.host === undefined) headers.host = authority;
    if (proxy.authorization !== undefined) headers["proxy-authorization"] = proxy.authorization;
    reqOptions.headers = headers;
    reqOptions.hostname = proxy.hostname;
    reqOptions.port = proxy.port;
    const viaTls = proxy.protocol === "https:";
    reqOptions.agent = viaTls ? this.#secureAgent(tlsm) : this.#httpAgent;
    return viaTls;
  }

  destroy(): void {
    for (const agent of this.#ownAgents) agent.destroy();
    if (this.#tunnelAgents) for (const agent of this.#tunnelAgents.values()) agent.destroy();
    this.#tunnelAgents = undefined;
  }
}

/** Creates the node:http(s) transport. */
export function createHttpHandler(options?: HttpHandlerConfig): NodeHttpHandler {
  return new NodeHttpHandler(options);
}
