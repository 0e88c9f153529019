// CloudSearch Domain's customization (botocore's change_get_to_post): Search is modeled as a GET
// whose every parameter is in the query string, which a long query or filter can push past URL
// length limits; it is sent as a POST with the same parameters as an
// application/x-www-form-urlencoded body instead, as botocore sends it. A body stage given the
// serialized request (schema.ts BodyStage `request`) moves them; not done for presigned URLs.
import type { BodyStage } from "../schema.js";

/** Search: the query string (the model's `format=sdk&pretty=true` included) becomes a form body of a POST. */
export const searchAsPost: BodyStage = (_op, _config, headers, body, _input, request) => {
  if (!request || request.method !== "GET") return body;
  // The serializer has put the request URI's fixed query (format=sdk&pretty=true) among these.
  const pairs = request.query.map(([k, v]) => `${k}=${v}`);
  if (!pairs.length) return body;
  request.method = "POST";
  request.query = [];
  headers["content-type"] = "application/x-www-form-urlencoded";
  return pairs.join("&"); // already percent-encoded, as a form body wants it
};
