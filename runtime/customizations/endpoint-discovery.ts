// Endpoint discovery (Timestream Query and Write require it; DynamoDB allows it): the hook the
// generator puts on each operation whose model has `endpointdiscovery` (schema.ts `ed`). It only
// decides whether a call discovers, as botocore's client creation decides: the setting is
// `endpointDiscoveryEnabled`, else AWS_ENDPOINT_DISCOVERY_ENABLED, else the profile's
// endpoint_discovery_enabled, else "auto" (only operations that require it); a custom or
// configured endpoint URL turns discovery off altogether (botocore registers none of it then,
// not even the "required" check). The discovery itself (DescribeEndpoints, the cache) is a
// separate module imported only when a call discovers, so a DynamoDB bundle carries this only.
import { ConfigError } from "../errors.js";
import type { EndpointDiscovery } from "../schema.js";

/**
 * The hook of one operation: `required` when its model says so; `ids` are its input members
 * marked `endpointdiscoveryid` (part of the cache key, and sent to DescribeEndpoints when
 * `sendIds`, that is when the service's DescribeEndpoints takes Operation and Identifiers).
 */
export function endpointDiscovery(required?: 0 | 1, ids?: readonly string[], sendIds?: 1): EndpointDiscovery {
  return (regular, input, call, client, presign) => {
    const c = call.config;
    const d = client.d;
    if (c.endpoint !== undefined || d.endpointUrl(call.service.id, c.ignoreConfiguredEndpointUrls) !== undefined) return regular;
    const raw = c.endpointDiscoveryEnabled ?? (d.env.AWS_ENDPOINT_DISCOVERY_ENABLED ?? d.setting("endpoint_discovery_enabled") ?? "auto").trim().toLowerCase();
    const on = raw === true || raw === "true" || (raw === "auto" && required === 1);
    if (!on) {
      if (raw !== false && raw !== "false" && raw !== "auto") {
        throw new ConfigError(`${call.service.id}: endpoint discovery setting "${raw}" is not true, false or auto (AWS_ENDPOINT_DISCOVERY_ENABLED or endpoint_discovery_enabled)`);
      }
      if (required) {
        throw new ConfigError(`${call.service.id} ${call.op.n} requires endpoint discovery, which is turned off (endpointDiscoveryEnabled, AWS_ENDPOINT_DISCOVERY_ENABLED or endpoint_discovery_enabled is false)`);
      }
      return regular;
    }
    if (presign) return regular;
    return import("./endpoint-discovery-cache.js").then((m) => m.discover(regular, input, call, client, required, ids, sendIds));
  };
}
