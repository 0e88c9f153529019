// A recording transport for the customization tests: every request the client sends is kept,
// and each is answered by `reply` (200 with an empty JSON object unless told otherwise).
import type { HttpHandler, HttpRequest, HttpResponse } from "../../runtime/http/types.js";
import { textBody } from "../support/bodies.ts";

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Recorder extends HttpHandler {
  readonly requests: HttpRequest[];
  /** The one request sent since the last call (fails when there was not exactly one). */
  only(): HttpRequest;
}

export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

export function recorder(reply: (request: HttpRequest) => Reply = () => ({})): Recorder {
  const requests: HttpRequest[] = [];
  let seen = 0;
  return {
    requests,
    async handle(request: HttpRequest): Promise<HttpResponse> {
      requests.push(request);
      const r = reply(request);
      return { statusCode: r.status ?? 200, headers: r.headers ?? { "content-type": "application/json" }, body: textBody(r.body ?? "{}") };
    },
    only(): HttpRequest {
      if (requests.length !== seen + 1) throw new Error(`expected one request, got ${requests.length - seen}`);
      return requests[seen++]!;
    },
  };
}

/** Client options that send to `handler` with fixed credentials and no retries. */
export function hermetic(handler: HttpHandler, region = "us-east-1") {
  return { region, credentials: CREDENTIALS, maxAttempts: 1, httpHandler: handler };
}
