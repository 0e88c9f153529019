// Binds a client's configuration and an operation's input to the endpoint rule set, and turns
// the resolved endpoint into what the request and the signer need (URL, headers, signing name
// and region, auth scheme). Parameter binding follows the Smithy rules: built-ins from config,
// client context params, static and per-call context params; the engine memoises by params.
import type { OperationSchema, ServiceSchema } from "./schema.js";
import { EndpointError } from "./errors.js";
import { createResolver } from "./endpoints/engine.js";
import { createParamBinder } from "./endpoints/params.js";
import type { EndpointParams, Partitions, RuleSet } from "./endpoints/types.js";

export interface ClientEndpoint {
  url: URL;
  headers: Record<string, string>;
  /** The auth scheme to apply: SigV4 (default), SigV4a, or none (anonymous). */
  auth: "sigv4" | "sigv4a" | "none";
  signingName?: string;
  signingRegion?: string;
  signingRegionSet?: readonly string[];
  /** S3: the path is signed as sent, neither normalised nor escaped twice. */
  disableDoubleEncoding: boolean;
  /** Sign with UNSIGNED-PAYLOAD (operations marked unsignedPayload). */
  unsignedPayload: boolean;
}

export type EndpointResolver = (op: OperationSchema, input: Record<string, unknown>) => ClientEndpoint;

/** Config keys read for the rule set built-ins (a client's config is a superset). */
export interface EndpointConfig {
  readonly endpoint?: string | undefined;
  readonly useFipsEndpoint?: boolean | undefined;
  readonly useDualstackEndpoint?: boolean | undefined;
  readonly [key: string]: unknown;
}

const BUILTINS: Record<string, (c: EndpointConfig, region: string) => string | boolean | undefined> = {
  "AWS::Region": (_c, region) => region,
  "AWS::UseFIPS": (c) => c.useFipsEndpoint ?? false,
  "AWS::UseDualStack": (c) => c.useDualstackEndpoint ?? false,
  "SDK::Endpoint": (c) => c.endpoint,
  "AWS::S3::ForcePathStyle": (c) => c.forcePathStyle as boolean | undefined,
  "AWS::S3::Accelerate": (c) => c.useAccelerateEndpoint as boolean | undefined,
  "AWS::S3::UseArnRegion": (c) => c.useArnRegion as boolean | undefined,
  "AWS::S3::DisableMultiRegionAccessPoints": (c) => c.disableMultiregionAccessPoints as boolean | undefined,
  "AWS::S3::UseGlobalEndpoint": (c) => c.s3UsEast1RegionalEndpoint === "legacy",
  "AWS::S3Control::UseArnRegion": (c) => c.useArnRegion as boolean | undefined,
  "AWS::STS::UseGlobalEndpoint": (c) => c.stsRegionalEndpoints === "legacy",
};

interface AuthScheme {
  name?: string;
  signingName?: string;
  signingRegion?: string;
  signingRegionSet?: string[];
  disableDoubleEncoding?: boolean;
}

export function createEndpointResolver(
  ruleset: unknown,
  partitions: unknown,
  service: ServiceSchema,
  config: EndpointConfig,
  region: string,
): EndpointResolver {
  const builtins: EndpointParams = {};
  for (const [name, read] of Object.entries(BUILTINS)) {
    const v = read(config, region);
    if (v !== undefined) builtins[name] = v;
  }
  const clientParams: EndpointParams = {};
  for (const [param, key] of Object.entries(service.cc ?? {})) {
    const v = config[key];
    if (typeof v === "string" || typeof v === "boolean") clientParams[param] = v;
  }
  const serviceAuth = service.au?.[0];
  const resolve = ruleset ? createResolver(ruleset as RuleSet, partitions as Partitions) : undefined;
  const bind = ruleset ? createParamBinder((ruleset as RuleSet).p, { builtins, clientParams }) : undefined;
  // Parsed URLs by string: the rule set resolves to a handful of URLs per client (read-only use).
  const urls = new Map<string, URL>();
  // The region becomes part of host names: one that is not a host label ("us-east-1/../x",
  // "evil.com#", "a@b") would send the signed request to another host. Refused, as botocore does.
  const validRegion = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(region);
  return (op, input) => {
    if (!validRegion) {
      throw new EndpointError(
        `${service.id}: invalid region ${JSON.stringify(region)}: a region is a host label (letters, digits and hyphens)`,
      );
    }
    let url: string;
    let properties: Readonly<Record<string, unknown>> = {};
    let headers: Readonly<Record<string, readonly string[]>> = {};
    if (resolve && bind) {
      const r = resolve(bind(op, input));
      url = r.url;
      properties = r.properties;
      headers = r.headers;
    } else {
      url = config.endpoint ?? `https://${service.ep}.${region}.amazonaws.com`;
    }
    let parsed = urls.get(url);
    if (parsed === undefined) {
      try {
        parsed = new URL(url);
      } catch {
        throw new EndpointError(`${service.id}: the endpoint "${url}" is not a valid URL`);
      }
      if (urls.size >= 64) urls.clear();
      urls.set(url, parsed);
    }
    const out: ClientEndpoint = {
      url: parsed,
      headers: {},
      auth: "sigv4",
      disableDoubleEncoding: false,
      unsignedPayload: false,
    };
    for (const [k, v] of Object.entries(headers)) out.headers[k.toLowerCase()] = v.join(",");
    const schemes = properties.authSchemes as AuthScheme[] | undefined;
    const scheme = schemes?.find((s) => s.name === "sigv4" || s.name === "sigv4a" || s.name === "none" || s.name === "sigv4-s3express");
    if (scheme) {
      if (scheme.name === "sigv4a") out.auth = "sigv4a";
      else if (scheme.name === "none") out.auth = "none";
      if (scheme.signingName) out.signingName = scheme.signingName;
      if (scheme.signingRegion) out.signingRegion = scheme.signingRegion;
      if (scheme.signingRegionSet) out.signingRegionSet = scheme.signingRegionSet;
      out.disableDoubleEncoding = scheme.disableDoubleEncoding === true;
    }
    const opAuth = op.au;
    if (opAuth) {
      if (opAuth.includes("v4-unsigned-body")) out.unsignedPayload = true;
      if (opAuth.length && opAuth.every((a) => a === "none" || a === "smithy.api#noAuth")) out.auth = "none";
    } else if (serviceAuth === "smithy.api#noAuth") out.auth = "none";
    return out;
  };
}
