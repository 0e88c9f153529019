// A client for another region, for the customizations that send or presign a call there (S3's
// region redirects, cross-region copies' source region): one of the calling client's own class,
// made from the call's configuration (which carries the calling client's HTTP handler and
// credentials provider: client.ts), kept per calling client and region.
import type { ClientConfig } from "../client.js";
import type { CallContext, RuntimeClientLike } from "../schema.js";

const clients = new WeakMap<RuntimeClientLike, Map<string, RuntimeClientLike>>();

/** The client for `region`; `endpoint` (default: the calling client's) is used when it is first made. */
export function regionClient(call: CallContext, region: string, endpoint: string | undefined = call.config.endpoint): RuntimeClientLike {
  let byRegion = clients.get(call.client);
  if (!byRegion) clients.set(call.client, (byRegion = new Map()));
  let client = byRegion.get(region);
  if (!client) {
    const config: ClientConfig = { ...call.config, region };
    if (endpoint !== undefined) config.endpoint = endpoint;
    const Client = call.client.constructor as new (config: ClientConfig) => RuntimeClientLike;
    byRegion.set(region, (client = new Client(config)));
  }
  return client;
}
