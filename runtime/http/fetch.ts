// The fetch transport for browsers, workers and other fetch runtimes (also runs on Node 20).
//
// One AbortController per call carries both the caller's signal and our timers: an abort
// is turned into the controller's reason (AbortError with cause = signal.reason, or our
// TimeoutError), and fetch rejects with exactly that reason, so mapping is a pass-through;
// anything else (TypeError "fetch failed", a body "terminated" mid-stream) becomes a
// NetworkError carrying the deepest system code found (ECONNRESET, UND_ERR_SOCKET...).
//
// Timeouts: fetch cannot see the connect phase, so the wait for response headers is bounded
// by requestTimeout + connectionTimeout (connectionTimeout alone is not enforced: it would
// also cut off slow responses); after headers, requestTimeout bounds each body read (armed
// only while a read is pending, through WebStreamBody's ReadWatch).
//
// Bodies: bytes, strings and Blobs go to fetch as is; web streams and async iterables stream
// with `duplex: "half"` where the platform supports request streams (probed once), else they
// are buffered first (fetch-stream.ts, a lazily loaded module: only stream bodies need it).
// Headers fetch forbids or manages itself (host, content-length when the length is known,
// connection, expect...) are dropped; the record is copied only then.
// Redirects are not followed (`redirect: "manual"`), as with node:http.
import { AbortError, NetworkError, TimeoutError, TsawsError } from "../errors.js";
import { WebStreamBody, addHeader, describe, toNetworkError } from "./body.js";
import type { HttpHandler, HttpHandlerOptions, HttpRequest, HttpResponse, RequestBody } from "./types.js";

export interface HttpHandlerConfig {
  /** Default `requestTimeout` (ms) for calls that do not set one. */
  requestTimeout?: number;
  /** Default `connectionTimeout` (ms); with fetch it only extends the wait for headers (see above). */
  connectionTimeout?: number;
  /** Names the client in error messages. */
  clientName?: string;
  /** The fetch to use. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Extra fetch options merged into every call (e.g. `credentials`, `mode`). */
  requestInit?: Omit<RequestInit, "method" | "headers" | "body" | "signal">;
}

/** Headers a fetch implementation sets itself or rejects (content-length: unless the body streams). */
const DROPPED = [
  "host",
  "connection",
  "expect",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
  "content-length",
];

function isBlob(body: RequestBody): body is Blob {
  return typeof Blob !== "undefined" && body instanceof Blob;
}

export class FetchHttpHandler implements HttpHandler {
  readonly #config: HttpHandlerConfig;

  constructor(config: HttpHandlerConfig = {}) {
    this.#config = config;
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<HttpResponse> {
    const signal = options?.signal;
    if (signal?.aborted) throw new AbortError("The request was aborted before it was sent.", { cause: signal.reason });
    const cfg = this.#config;
    const requestTimeout = options?.requestTimeout ?? cfg.requestTimeout;
    const connectTimeout = options?.connectionTimeout ?? cfg.connectionTimeout;
    const { hostname, port, query } = request;
    const host = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
    const origin = `${request.protocol}//${host}${port !== undefined ? `:${port}` : ""}`;
    const url = `${origin}${request.path}${query === "" ? "" : `?${query}`}`;
    const where = `${cfg.clientName ? `${cfg.clientName}: ` : ""}${request.method} ${origin}`;

    // The call's state: one controller aborts fetch and the body; one timer bounds the wait
    // for headers, then each pending body read (the ReadWatch given to WebStreamBody).
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    /** Set when the caller's body source failed. */
    let bodyError: unknown;
    const onAbort = (): void => {
      controller.abort(new AbortError("The request was aborted.", { cause: signal?.reason }));
      watch.finish();
    };
    const watch = {
      /** Starts the timer: by default requestTimeout, for one body read. */
      arm(ms = requestTimeout, what = "no response data within requestTimeout"): void {
        if (ms !== undefined && !finished) {
          timer = setTimeout(
            () => controller.abort(new TimeoutError(`${where}: ${what} (${ms} ms).`, { code: "ETIMEDOUT" })),
            ms,
          );
        }
      },
      disarm(): void {
        clearTimeout(timer);
      },
      finish(): void {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      },
    };
    signal?.addEventListener("abort", onAbort);
    /** Our abort reason when we aborted, else a NetworkError. */
    const mapError = (error: unknown): TsawsError => {
      const reason: unknown = controller.signal.reason;
      if (reason instanceof TsawsError) return reason;
      if (bodyError !== undefined) {
        return new TsawsError(`${where}: reading the request body failed: ${describe(bodyError)}`, { cause: bodyError });
      }
      return toNetworkError(error, `${where} failed`);
    };
    /** Ends the call for a failure before the response arrived. */
    const fail = (error: unknown): TsawsError => {
      watch.finish();
      return mapError(error);
    };

    let body: RequestBody | undefined = request.body;
    let streaming = false;
    if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array) && !isBlob(body)) {
      // A web stream or async iterable: fetch-stream.ts, loaded on first use.
      try {
        const { streamRequestBody } = await import("./fetch-stream.js");
        ({ body, streaming } = await streamRequestBody(body, (error) => (bodyError ??= error)));
      } catch (error) {
        throw fail(error);
      }
    }

    // Copied on the first header to drop; fetch computes Content-Length for known-length
    // bodies, a stream keeps the caller's.
    let headers = request.headers;
    for (const name of DROPPED) {
      if (headers[name] !== undefined && !(streaming && name === "content-length")) {
        if (headers === request.headers) headers = { ...headers };
        delete headers[name];
      }
    }

    const init: RequestInit & { duplex?: "half" } = {
      ...cfg.requestInit,
      method: request.method,
      headers,
      signal: controller.signal,
      redirect: "manual",
    };
    if (body !== undefined) init.body = body as BodyInit;
    if (streaming) init.duplex = "half";

    if (requestTimeout !== undefined) {
      watch.arm(
        requestTimeout + (connectTimeout ?? 0),
        `no response within ${connectTimeout !== undefined ? "connectionTimeout + " : ""}requestTimeout`,
      );
    }

    let response: Response;
    try {
      response = await (cfg.fetch ?? globalThis.fetch)(url, init);
    } catch (error) {
      throw fail(error);
    }
    watch.disarm();
    if (response.type === "opaqueredirect") {
      watch.finish();
      throw new NetworkError(`${where}: the server answered with a redirect, which is not followed.`);
    }
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => addHeader(out, name, value));
    if (response.body === null) watch.finish();
    return { statusCode: response.status, headers: out, body: new WebStreamBody(response.body, mapError, watch) };
  }

  destroy(): void {}
}

/** Creates the fetch transport. */
export function createHttpHandler(options?: HttpHandlerConfig): FetchHttpHandler {
  return new FetchHttpHandler(options);
}
