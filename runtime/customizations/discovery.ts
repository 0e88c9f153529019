// Endpoint discovery itself, imported by the `ed` hook (endpoint-discovery.ts) only when a call
// discovers. As botocore's discovery.py and AWS SDK v3's endpoint-discovery middleware do: the
// service's DescribeEndpoints is called through the same client (signed with its credentials,
// in its region), its first endpoint is used and kept for CachePeriodInMinutes, keyed by the
// region, the credentials' access key and, when the operation has `endpointdiscoveryid`
// members, the operation name and those members' values (v3's key; botocore's cache is per
// client). Concurrent calls share one DescribeEndpoints. When it fails, endpoints past their
// period are used if there are any (botocore); otherwise an optional discovery falls back to
// the regular endpoint, and does not ask again for a minute, and a required one fails with the
// error. The setting and a custom endpoint are checked here too (see `discover`). A call
// answered 421 or InvalidEndpointException evicts its entry; client.ts then sends it once more,
// discovering afresh, when its endpoint came from the cache.
import { ConfigError, ServiceError, TsawsError } from "../errors.js";
import type { ClientEndpoint } from "../endpoint.js";
import type { CallContext, DiscoveryClient, OperationSchema } from "../schema.js";

interface Discovered {
  url: URL;
  /** Epoch milliseconds after which the endpoint is stale. */
  expires: number;
}

interface Entry {
  endpoints?: Discovered[];
  /** The DescribeEndpoints in flight, shared by the calls that wait for it. */
  pending?: Promise<Discovered[]> | undefined;
  /** After a failed optional discovery: not asked again before this time (botocore waits 60 s). */
  failedUntil?: number;
}

const RETRY_FAILED_AFTER = 60_000;

/** Each client's entries, by cache key. */
const caches = new WeakMap<object, Map<string, Entry>>();

/** DescribeEndpoints, as every service with discovery models it (codegen/endpoint-discovery.ts checks the model's matches). */
function describeEndpoints(name: string, sendIds: 0 | 1 | undefined): OperationSchema {
  return {
    n: name,
    h: ["POST", "/"],
    i: { t: 8, m: sendIds ? { Operation: 0, Identifiers: { t: 10, k: 0, v: 0 } } : {} },
    o: { t: 8, m: { Endpoints: { t: 9, m: { t: 8, m: { Address: 0, CachePeriodInMinutes: 2 } } } } },
  };
}

/** An Address as a URL: `https://<Address>` unless it names its scheme (botocore); a TsawsError when it is no host. */
function endpointUrl(address: string, service: string): URL {
  try {
    return new URL(/^https?:\/\//.test(address) ? address : `https://${address}`);
  } catch {
    throw new TsawsError(`${service}: DescribeEndpoints named an endpoint that is not a host: ${JSON.stringify(address)}`);
  }
}

interface DescribeEndpointsOutput {
  Endpoints?: { Address?: string; CachePeriodInMinutes?: number }[];
}

/**
 * The endpoint of a call to an operation with endpoint discovery (see endpoint-discovery.ts):
 * the regular one when the endpoint is custom or configured (botocore then registers no
 * discovery at all, not even the "required" check), when discovery is off, or for a presigned
 * URL (botocore presigns without discovery); a ConfigError when the operation requires
 * discovery and it is off; else a discovered one.
 */
export async function discover(
  required: 0 | 1 | undefined,
  ids: readonly string[] | undefined,
  sendIds: 0 | 1 | undefined,
  call: CallContext,
  regular: ClientEndpoint | undefined,
  client: DiscoveryClient | undefined,
): Promise<ClientEndpoint | undefined> {
  const c = call.config;
  // A boolean, or the environment's or the profile's text (service-settings.ts `discoverySettings`).
  const raw: unknown = (c as Readonly<Record<string, unknown>>).endpointDiscoveryEnabled;
  const v = typeof raw === "string" ? raw.trim().toLowerCase() : raw;
  if (v !== undefined && v !== true && v !== false && v !== "true" && v !== "false" && v !== "auto") {
    throw new ConfigError(`${call.service.id}: endpointDiscoveryEnabled / AWS_ENDPOINT_DISCOVERY_ENABLED / endpoint_discovery_enabled must be true, false or auto, not ${JSON.stringify(raw)}`);
  }
  const on = v === "true" || (v === "false" ? false : v === "auto" ? undefined : v);
  if (c.endpoint !== undefined) return regular;
  if (on === false && required) {
    throw new ConfigError(
      `${call.service.id} ${call.op.n} requires endpoint discovery, which is turned off (endpointDiscoveryEnabled, AWS_ENDPOINT_DISCOVERY_ENABLED or endpoint_discovery_enabled is false)`,
    );
  }
  // Off, or auto for an optional operation (botocore's always_discover false); presign.ts: the checks only.
  if (on === false || (on === undefined && !required) || !regular || !client) return regular;
  const input = call.input;
  const now = call.config.clock ?? Date.now;
  const { accessKeyId } = await client.credentials();
  let identifiers: Record<string, string> | undefined;
  for (const id of ids ?? []) {
    const v = input[id];
    if (v !== undefined && v !== null) (identifiers ??= {})[id] = String(v);
  }
  const key = JSON.stringify(identifiers ? [call.region, accessKeyId, call.op.n, identifiers] : [call.region, accessKeyId]);
  let cache = caches.get(call.client);
  if (!cache) caches.set(call.client, (cache = new Map()));
  let entry = cache.get(key);
  if (!entry) cache.set(key, (entry = {}));
  const e = entry;
  let found = e.endpoints?.find((x) => now() < x.expires);
  const cached = !!found;
  const name = "DescribeEndpoints";
  if (!found) {
    let failure: unknown;
    if (required || !(now() < (e.failedUntil ?? 0))) {
      e.pending ??= call.client
        .send<unknown, DescribeEndpointsOutput>(describeEndpoints(name, sendIds), sendIds && identifiers ? { Operation: call.op.n, Identifiers: identifiers } : {})
        .then((out) => {
          const at = now();
          const list = (out.Endpoints ?? [])
            .filter((x) => typeof x.Address === "string" && x.Address !== "")
            .map((x) => ({ url: endpointUrl(x.Address!, call.service.id), expires: at + (x.CachePeriodInMinutes ?? 0) * 60_000 }));
          if (!list.length) throw new TsawsError(`${call.service.id}: ${name} named no endpoint`);
          return (e.endpoints = list);
        })
        .finally(() => (e.pending = undefined));
      try {
        found = (await e.pending)[0];
      } catch (err) {
        failure = err;
        if (!required) e.failedUntil = now() + RETRY_FAILED_AFTER;
      }
    }
    found ??= e.endpoints?.[0]; // stale, while discovery fails
    if (!found) {
      if (required) throw failure;
      return regular;
    }
  }
  const url = found.url;
  return {
    ...regular,
    url,
    evict(error) {
      if (!(error instanceof ServiceError) || (error.$metadata.httpStatusCode !== 421 && error.code !== "InvalidEndpointException")) return false;
      // Only the endpoints this call used: another call may have refreshed them meanwhile.
      if (e.endpoints?.[0]?.url === url) delete e.endpoints;
      // Sent again (to a fresh discovery) when the endpoint came from the cache; one this call
      // has just been given is not asked for again at once (so a call is sent twice at most).
      return cached;
    },
  };
}
