// Endpoint discovery (Timestream Query and Write require it; DynamoDB allows it): the hook the
// generator puts on each operation whose model has `endpointdiscovery` (schema.ts `ed`). The
// setting is in the call's config (the service's settings hook, service-settings.ts
// `discoverySettings`, lays in the environment's or the profile's text): true, false, or unset
// or "auto" (discover where it is required). An optional operation (DynamoDB) with it unset,
// false or auto keeps its regular endpoint at once; anything else imports discovery.ts, which
// reads the value, checks the rest and discovers, so a DynamoDB bundle carries only this and a
// lazily loaded chunk.
import type { ClientEndpoint } from "../endpoint.js";
import type { CallContext, DiscoveryClient, EndpointDiscovery } from "../schema.js";

/**
 * The hook of one operation: `required` when its model says so; `ids` are its input members
 * marked `endpointdiscoveryid` (part of the cache key, and sent to DescribeEndpoints when
 * `sendIds`, that is when the service's DescribeEndpoints takes Operation and Identifiers).
 */
export function endpointDiscovery(required?: 0 | 1, ids?: readonly string[], sendIds?: 0 | 1): EndpointDiscovery {
  return ((call: CallContext, regular?: ClientEndpoint, client?: DiscoveryClient) =>
    required || !/^\s*(false|auto)?\s*$/i.test(String((call.config as Readonly<Record<string, unknown>>).endpointDiscoveryEnabled ?? ""))
      ? import("./discovery.js").then((m) => m.discover(required, ids, sendIds, call, regular, client))
      : regular) as EndpointDiscovery;
}
