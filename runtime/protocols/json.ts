// awsJson 1.0 / 1.1 (botocore's JSONSerializer/JSONParser): every call is
// `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and
// `Content-Type: application/x-amz-json-<jsonVersion>`; the input structure is the JSON
// body ("{}" when there is no input) and the output structure is the JSON response body.
// HTTP binding traits are ignored, as the protocol defines. The body codec and the error
// resolution are shared with rest-json (json-codec.ts).
import { utf8Length } from "../http/body.js";
import { expandHostPrefix } from "./http-binding.js";
import { parseJsonError, readJsonBody, readStructure, writeStructure } from "./json-codec.js";
import { fillIdempotencyTokens } from "./shared.js";
import type { Protocol, SerializedRequest } from "./types.js";

export const protocol: Protocol = {
  serialize(service, op, rawInput, ctx) {
    const input = fillIdempotencyTokens(op.i, rawInput ?? {}, () => ctx.uuid());
    const body = op.i ? writeStructure(op.i, input) : "{}";
    const headers: Record<string, string> = {
      "content-type": `application/x-amz-json-${service.jv ?? "1.0"}`,
      "content-length": String(utf8Length(body)),
    };
    if (service.tp !== undefined) headers["x-amz-target"] = `${service.tp}.${op.n}`;
    // awsQueryCompatible services are told the client understands query-style error codes.
    if (service.qc) headers["x-amzn-query-mode"] = "true";
    const request: SerializedRequest = { method: "POST", path: "/", query: [], headers, body };
    const hostPrefix = expandHostPrefix(op, input);
    if (hostPrefix !== undefined) request.hostPrefix = hostPrefix;
    return request;
  },

  parse(_service, op, response) {
    // The body must be an object (or empty); without an output shape it is only checked to be JSON.
    const output = op.o;
    return readJsonBody(response.body, response.statusCode, {}, (json) => (output ? readStructure(output, json) : {}));
  },

  parseError(service, op, response) {
    return parseJsonError(service, op, response, readStructure);
  },
};
