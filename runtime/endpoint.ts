// Binds a client's configuration and an operation's input to the endpoint rule set, and turns
// the resolved endpoint into what the request and the signer need (URL, headers, signing name
// and region, auth scheme). Parameter binding follows the Smithy rules: built-ins from config,
// client context params, static and per-call context params; the engine memoises by params.
// Per call: an operation whose bound input values repeat gets its last (frozen) endpoint back
// at once; otherwise the params are bound and the built endpoint is kept per resolved result.
import type { OperationSchema, ServiceSchema } from "./schema.js";
import { EndpointError } from "./errors.js";
import { createResolver } from "./endpoints/engine.js";
import { createParamBinder, isMemberName } from "./endpoints/params.js";
import { isValidHostLabel } from "./endpoints/stdlib.js";
import type { EndpointParams, Partitions, ResolvedEndpoint, RuleSet } from "./endpoints/types.js";

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
  /** A discovered endpoint only (schema.ts `EndpointDiscovery`): forgets it when `error` says it is no longer valid, and answers whether to send the call again (when it came from the cache). */
  evict?: (error: unknown) => boolean;
}

export type EndpointResolver = (op: OperationSchema, input: Record<string, unknown>) => ClientEndpoint;

/** Config keys read for the rule set built-ins (a client's config is a superset). */
export interface EndpointConfig {
  readonly endpoint?: string | undefined;
  readonly useFipsEndpoint?: boolean | undefined;
  readonly useDualstackEndpoint?: boolean | undefined;
  readonly [key: string]: unknown;
}

/** The built-ins read from config as they are (when a string or a boolean), by config key. */
const BUILTIN_KEYS: Readonly<Record<string, string>> = {
  "AWS::UseFIPS": "useFipsEndpoint",
  "AWS::UseDualStack": "useDualstackEndpoint",
  "SDK::Endpoint": "endpoint",
  "AWS::S3::ForcePathStyle": "forcePathStyle",
  "AWS::S3::Accelerate": "useAccelerateEndpoint",
  "AWS::S3::UseArnRegion": "useArnRegion",
  "AWS::S3::DisableMultiRegionAccessPoints": "disableMultiregionAccessPoints",
  "AWS::S3Control::UseArnRegion": "useArnRegion",
};

/** The auth schemes a client applies ("sigv4-s3express" is signed as SigV4). */
const KNOWN_SCHEME = /^(?:sigv4|sigv4a|sigv4-s3express|none)$/;

interface AuthScheme {
  name?: string;
  signingName?: string;
  signingRegion?: string;
  signingRegionSet?: string[];
  disableDoubleEncoding?: boolean;
}

/** Sets params[name] to config[key] for each entry whose value is a string or a boolean (anything else counts as unset). */
function fromConfig(params: EndpointParams, keys: Readonly<Record<string, string>>, config: EndpointConfig): EndpointParams {
  for (const [name, key] of Object.entries(keys)) {
    const v = config[key];
    if (typeof v === "string" || typeof v === "boolean") params[name] = v;
  }
  return params;
}

export function createEndpointResolver(
  ruleset: unknown,
  partitions: unknown,
  service: ServiceSchema,
  config: EndpointConfig,
  region: string,
): EndpointResolver {
  // Built-ins: the region; UseFIPS and UseDualStack false unless configured; the global-endpoint
  // flags from the "legacy" regional-endpoints settings; then the keys of BUILTIN_KEYS.
  const builtins = fromConfig(
    {
      "AWS::Region": region,
      "AWS::UseFIPS": false,
      "AWS::UseDualStack": false,
      "AWS::S3::UseGlobalEndpoint": config.s3UsEast1RegionalEndpoint === "legacy",
      "AWS::STS::UseGlobalEndpoint": config.stsRegionalEndpoints === "legacy",
    },
    BUILTIN_KEYS,
    config,
  );
  const clientParams = fromConfig({}, service.cc ?? {}, config);
  const resolve = ruleset ? createResolver(ruleset as RuleSet, partitions as Partitions) : undefined;
  const bind = ruleset ? createParamBinder((ruleset as RuleSet).p, { builtins, clientParams }) : undefined;
  // Parsed URLs by string: the rule set resolves to a handful of URLs per client (read-only use).
  const urls = new Map<string, URL>();
  // Built endpoints by resolved endpoint (the engine hands out one shared, frozen object per
  // parameter set) and operation: a repeated call reuses its frozen ClientEndpoint.
  const built = new WeakMap<object, Map<OperationSchema, ClientEndpoint>>();
  // The region becomes part of host names: one that is not a host label ("us-east-1/../x",
  // "evil.com#", "a@b") would send the signed request to another host. Refused, as botocore does.
  const validRegion = isValidHostLabel(region, false);
  // Each operation's last endpoint with the input values it was bound from (operations whose
  // context params are plain members): a call whose values are the same (===, primitives only)
  // returns it without binding parameters or walking the rule-set cache.
  const lastByOp = new WeakMap<OperationSchema, LastEndpoint | null>();
  const build = (op: OperationSchema, input: Record<string, unknown>): ClientEndpoint => {
    let r: ResolvedEndpoint;
    let perOp: Map<OperationSchema, ClientEndpoint> | undefined;
    if (resolve && bind) {
      r = resolve(bind(op, input));
      perOp = built.get(r);
      if (perOp === undefined) built.set(r, (perOp = new Map()));
      const hit = perOp.get(op);
      if (hit !== undefined) return hit;
    } else {
      r = { url: config.endpoint ?? `https://${service.ep}.${region}.amazonaws.com`, properties: {}, headers: {} };
    }
    const { url, properties, headers } = r;
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
    const scheme = (properties.authSchemes as AuthScheme[] | undefined)?.find((s) => KNOWN_SCHEME.test(s.name ?? ""));
    const { name, signingName, signingRegion, signingRegionSet, disableDoubleEncoding }: AuthScheme = scheme ?? {};
    // An anonymous operation (its own noAuth, or the service's) says so in its schema: ["none"].
    const opAuth = op.au;
    const noAuth = opAuth?.[0] === "none";
    const out: ClientEndpoint = {
      url: parsed,
      headers: {},
      auth: noAuth ? "none" : name === "sigv4a" || name === "none" ? name : "sigv4",
      disableDoubleEncoding: disableDoubleEncoding === true,
      unsignedPayload: opAuth?.includes("v4-unsigned-body") === true,
    };
    if (signingName) out.signingName = signingName;
    if (signingRegion) out.signingRegion = signingRegion;
    if (signingRegionSet) out.signingRegionSet = signingRegionSet;
    for (const [k, v] of Object.entries(headers)) out.headers[k.toLowerCase()] = v.join(",");
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
        // A primitive (or a function, whose binding is always unset) that is === binds the same.
        if (values.every((v) => typeof v !== "object" || v === null)) lastByOp.set(op, { paths, values, endpoint });
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
  return paths.every((p): p is string => typeof p === "string" && isMemberName(p)) ? paths : undefined;
}
