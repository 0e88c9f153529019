// rest-json (botocore's RestJSONSerializer/RestJSONParser): the REST HTTP binding
// (http-binding.ts) with a JSON body codec (json-codec.ts). Members without an HTTP
// location form a JSON object body (`Content-Type: application/json`, sent only when the
// input has such members); a payload member is sent as is (blob, string) or as JSON
// (structure, union, document). Errors resolve their code like awsJson, and a modeled
// error's members may come from headers and the status code as well as the body.
import { bodyMembers, parseRest, readHttpBindings, serializeRest } from "./http-binding.js";
import { convertResponse, jsonBodyCodec, parseJsonError, readStructure } from "./json-codec.js";
import type { Protocol } from "./types.js";

export const protocol: Protocol = {
  serialize(_service, op, input, ctx) {
    return serializeRest(jsonBodyCodec, op, input, ctx);
  },

  parse(_service, op, response) {
    // Header values that do not parse (a non-numeric integer header) become ResponseParseError.
    return convertResponse(response.statusCode, () => parseRest(jsonBodyCodec, op, response));
  },

  parseError(service, op, response) {
    return parseJsonError(service, op, response, (shape, body) => ({
      ...readStructure(shape, body, bodyMembers(shape)),
      ...readHttpBindings(shape, response),
    }));
  },
};
