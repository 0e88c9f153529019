// Endpoint discovery (Timestream Query and Write require it; DynamoDB allows it): the hook the
// generator puts on each operation whose model has `endpointdiscovery` (schema.ts `ed`). The
// setting is resolved once per client by the service's settings hook (service-settings.ts
// `discoverySettings`): true, false, or unset for "auto" (discover where it is required). An
// optional operation (DynamoDB) without `true` keeps its regular endpoint at once; anything else
// imports discovery.ts, which checks the rest and discovers, so a DynamoDB bundle carries only
// this and a lazily loaded chunk.
import type { EndpointDiscovery } from "../schema.js";

/**
 * The hook of one operation: `required` when its model says so; `ids` are its input members
 * marked `endpointdiscoveryid` (part of the cache key, and sent to DescribeEndpoints when
 * `sendIds`, that is when the service's DescribeEndpoints takes Operation and Identifiers).
 */
export function endpointDiscovery(required?: 0 | 1, ids?: readonly string[], sendIds?: 0 | 1): EndpointDiscovery {
  return (...call) =>
    required || call[1].config.endpointDiscoveryEnabled
      ? import("./discovery.js").then((m) => m.discover(required, ids, sendIds, ...call))
      : call[0];
}
