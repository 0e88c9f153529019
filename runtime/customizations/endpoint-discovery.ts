// Endpoint discovery (Timestream Query and Write require it; DynamoDB allows it): the hook the
// generator puts on each operation whose model has `endpointdiscovery` (schema.ts `ed`). It
// only reads the setting: `endpointDiscoveryEnabled`, else AWS_ENDPOINT_DISCOVERY_ENABLED, else
// the profile's endpoint_discovery_enabled, else "auto" (discover for operations that require
// it). An optional operation (DynamoDB) with discovery off or auto keeps its regular endpoint
// at once; anything else imports discovery.ts, which checks the setting, the
// custom endpoint and discovers, so a DynamoDB bundle carries only this (and a lazy chunk).
import type { EndpointDiscovery } from "../schema.js";

/**
 * The hook of one operation: `required` when its model says so; `ids` are its input members
 * marked `endpointdiscoveryid` (part of the cache key, and sent to DescribeEndpoints when
 * `sendIds`, that is when the service's DescribeEndpoints takes Operation and Identifiers).
 */
export function endpointDiscovery(required?: 0 | 1, ids?: readonly string[], sendIds?: 0 | 1): EndpointDiscovery {
  return (...call) => {
    // (The arguments are passed on as they are: regular, input, call, client, presign.)
    const setting = call[2].config.endpointDiscoveryEnabled ?? call[3].setting("endpoint_discovery_enabled") ?? "auto";
    // The usual values, as they are usually written; discovery.ts reads any other.
    return !required && /^(false|auto)$/i.test(String(setting))
      ? call[0]
      : import("./discovery.js").then((m) => m.discover(setting, required, ids, sendIds, ...call));
  };
}
