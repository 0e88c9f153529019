// The TLS half of the Node transport (http/node.ts): node:https agents and the CONNECT
// tunnelling agent. Imported by the handler on its first https request (or the first request
// while a proxy is configured), never at start-up: loading node:https and node:tls costs a few
// milliseconds of cold start that a client of a plain-http endpoint (a local DynamoDB, MinIO)
// never needs. Node only.
import * as https from "node:https";
import * as net from "node:net";
import * as tls from "node:tls";
import type { Duplex } from "node:stream";
import { NetworkError, TimeoutError } from "../errors.js";
import { bracketed, type ProxyTarget } from "./proxy.js";

export { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** The request-option key under which the handler passes the connect timeout to the tunnel. */
export const kConnectTimeout = "tsawsConnectTimeout";

/** An https.Agent whose connections are TLS over a CONNECT tunnel through `proxy`. */
export class TunnelAgent extends https.Agent {
  readonly #proxy: ProxyTarget;

  constructor(options: https.AgentOptions, proxy: ProxyTarget) {
    super(options);
    this.#proxy = proxy;
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const cb = callback ?? (() => {});
    const proxy = this.#proxy;
    const host = options.hostname ?? options.host ?? "localhost";
    const port = Number(options.port ?? 443);
    const authority = `${bracketed(host)}:${port}`;
    const raw =
      proxy.protocol === "https:"
        ? tls.connect({
            host: proxy.hostname,
            port: proxy.port,
            ...(net.isIP(proxy.hostname) ? {} : { servername: proxy.hostname }),
            ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
            ...(this.options.rejectUnauthorized !== undefined
              ? { rejectUnauthorized: this.options.rejectUnauthorized }
              : {}),
          })
        : net.connect({ host: proxy.hostname, port: proxy.port });
    let done = false;
    let received = "";
    const timeoutMs = (options as Record<string, unknown>)[kConnectTimeout] as number | undefined;
    const timer =
      timeoutMs !== undefined
        ? setTimeout(() => {
            finish(
              new TimeoutError(
                `CONNECT ${authority} via proxy ${proxy.label} not established within ${timeoutMs} ms.`,
                { code: "ETIMEDOUT" },
              ),
            );
          }, timeoutMs)
        : undefined;
    const onData = (chunk: Uint8Array): void => {
      received += new TextDecoder("latin1").decode(chunk);
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) {
        if (received.length > 16384)
          finish(new NetworkError(`Proxy ${proxy.label} sent an oversized CONNECT response.`));
        return;
      }
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
      if (status !== "200") {
        finish(
          new NetworkError(
            `Proxy ${proxy.label} refused CONNECT ${authority}: ${received.slice(0, received.indexOf("\r\n"))}`,
            {
              code: status === "407" ? "EPROXYAUTH" : "EPROXY",
            },
          ),
        );
        return;
      }
      if (end + 4 < received.length) raw.unshift(chunk.subarray(chunk.length - (received.length - end - 4)));
      finish(null);
    };
    const onError = (error: Error): void => finish(error);
    const onClose = (): void =>
      finish(
        new NetworkError(`Proxy ${proxy.label} closed the connection during CONNECT ${authority}.`, {
          code: "ECONNRESET",
        }),
      );
    const finish = (error: Error | null): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      raw.removeListener("data", onData);
      raw.removeListener("error", onError);
      raw.removeListener("close", onClose);
      if (error) {
        raw.destroy();
        cb(error, raw);
        return;
      }
      const servername = options.servername ?? (net.isIP(host) ? undefined : host);
      const secure = tls.connect({
        ...(this.options as tls.ConnectionOptions),
        ...(options as tls.ConnectionOptions),
        socket: raw,
        ...(servername !== undefined ? { servername } : {}),
      });
      cb(null, secure);
    };
    raw.on("data", onData);
    raw.on("error", onError);
    raw.on("close", onClose);
    raw.write(
      `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : ""}\r\n`,
    );
    return undefined;
  }
}
