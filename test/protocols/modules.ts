// Which runtime module implements each protocol name used by the conformance suites.
// Each module exports `protocol: Protocol` (runtime/protocols/types.ts).
export const PROTOCOL_MODULES: Record<string, string> = {
  json: "../../runtime/protocols/json.js",
  "rest-json": "../../runtime/protocols/rest-json.js",
  "rest-xml": "../../runtime/protocols/rest-xml.js",
  query: "../../runtime/protocols/query.js",
  ec2: "../../runtime/protocols/ec2.js",
  "smithy-rpc-v2-cbor": "../../runtime/protocols/rpcv2-cbor.js",
};
