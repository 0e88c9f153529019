// Binds a client's configuration and an operation's input to the endpoint rule set, and turns
// the resolved endpoint into what the request and the signer need (URL, headers, signing name
// and region, auth scheme). Parameter binding follows the Smithy rules: built-ins from config,
// client context params, static and per-call context params; the engine memoises by params.
// Per call: an operation whose bound input values repeat gets its last (frozen) endpoint back
// at once; otherwise the params are bound and the built endpoint is kept per resolved result.
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
  // Built endpoints by resolved endpoint (the engine hands out one shared, frozen object per
  // parameter set) and operation: a repeated call reuses its frozen ClientEndpoint.
  const built = new WeakMap<object, Map<OperationSchema, ClientEndpoint>>();
  // The region becomes part of host names: one that is not a host label ("us-east-1/../x",
  // "evil.com#", "a@b") would send the signed request to another host. Refused, as botocore does.
  const validRegion = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(region);
  // Each operation's last endpoint with the input values it was bound from (operations whose
  // context params are plain members): a call whose values are the same (===, primitives only)
  // returns it without binding parameters or walking the rule-set cache.
  const lastByOp = new WeakMap<OperationSchema, LastEndpoint | null>();
  const build = (op: OperationSchema, input: Record<string, unknown>): ClientEndpoint => {
    let url: string;
    let properties: Readonly<Record<string, unknown>> = {};
    let headers: Readonly<Record<string, readonly string[]>> = {};
    let perOp: Map<OperationSchema, ClientEndpoint> | undefined;
    if (resolve && bind) {
      const r = resolve(bind(op, input));
      perOp = built.get(r);
      if (perOp === undefined) built.set(r, (perOp = new Map()));
      const hit = perOp.get(op);
      if (hit !== undefined) return hit;
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
    Object.freeze(out.headers);
    perOp?.set(op, Object.freeze(out));
    return out;
  };
  return (op, input) => {
    if (!validRegion) {
      throw new EndpointError(
        `${service.id}: invalid region ${JSON.stringify(region)}: a region is a host label (letters, digits and hyphens)`,
      );
    }
    const last = lastByOp.get(op);
    if (last) {
      const { paths, values } = last;
      let same = true;
      for (let i = 0; i < paths.length; i++) {
        if (input[paths[i]!] !== values[i]) {
          same = false;
          break;
        }
      }
      if (same) return last.endpoint;
    }
    const endpoint = build(op, input);
    if (last !== null) {
      const paths = last ? last.paths : plainPaths(op);
      if (paths === undefined) lastByOp.set(op, null);
      else {
        const values = paths.map((p) => input[p]);
        if (values.every(isPrimitive)) lastByOp.set(op, { paths, values, endpoint });
      }
    }
    return endpoint;
  };
}

interface LastEndpoint {
  readonly paths: readonly string[];
  readonly values: readonly unknown[];
  readonly endpoint: ClientEndpoint;
}

/** The input members an operation binds endpoint params from, when all are plain member names. */
function plainPaths(op: OperationSchema): readonly string[] | undefined {
  const paths = op.cp ? Object.values(op.cp) : [];
  return paths.every((p) => /^[A-Za-z_$][\w$]*$/.test(p)) ? paths : undefined;
}

function isPrimitive(v: unknown): boolean {
  return v === undefined || v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number";
}
