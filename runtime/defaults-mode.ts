// Defaults modes (the AWS SDKs' "smart configuration defaults"): a named set of default
// values for retries, STS/S3 regional endpoints and connection timeouts, read from
// sdk-default-configuration.json (generated/_root/defaults.js). A mode takes the `base`
// values and applies its modifiers (`override`, `multiply`, `add`) to them.
//
// - standard, in-region, cross-region, mobile: as the data says.
// - auto: picks one of those from the environment, as botocore does: mobile when the
//   caller says the app runs on a mobile device; otherwise the region the code runs in
//   (AWS_REGION / AWS_DEFAULT_REGION inside an AWS execution environment, else the EC2
//   instance's region from IMDS) compared with the client's region: equal is in-region,
//   different is cross-region; unknown is standard. The caller gathers those facts (no
//   I/O here).
// - legacy (what SDKs use when no mode is chosen): the values this SDK used before
//   defaults modes existed: standard retries, regional STS and S3 us-east-1 endpoints (the
//   endpoint rule sets' own defaults), and no SDK-imposed connect or TLS timeouts
//   (undefined: the HTTP transport's defaults apply).
//
// The mode name itself comes from config, AWS_DEFAULTS_MODE, or the profile's
// defaults_mode (`resolveDefaultsModeName`), "legacy" when none is set.
import defaultsData from "#root/defaults";
import type { DefaultsModifier, DefaultsValues } from "#root/defaults";
import { ConfigError } from "./errors.js";

export type DefaultsMode = "standard" | "in-region" | "cross-region" | "mobile" | "auto" | "legacy";
/** A mode after `auto` has been resolved. */
export type ResolvedDefaultsMode = Exclude<DefaultsMode, "auto">;

export const DEFAULTS_MODES: readonly DefaultsMode[] = [
  "standard",
  "in-region",
  "cross-region",
  "mobile",
  "auto",
  "legacy",
];

export interface DefaultsModeValues {
  /** The concrete mode the values come from (`auto` resolved). */
  readonly mode: ResolvedDefaultsMode;
  readonly retryMode: "standard" | "adaptive" | "legacy";
  readonly stsRegionalEndpoints: "regional" | "legacy";
  readonly s3UsEast1RegionalEndpoints: "regional" | "legacy";
  /** Undefined in legacy mode: the transport's default applies. */
  readonly connectTimeoutInMillis: number | undefined;
  readonly tlsNegotiationTimeoutInMillis: number | undefined;
}

export interface DefaultsContext {
  /** The client's region. */
  region?: string | undefined;
  /** The region the code runs in, from AWS_REGION / AWS_DEFAULT_REGION when AWS_EXECUTION_ENV is set. */
  executionRegion?: string | undefined;
  /** The EC2 instance's region from the instance metadata service, when it was asked. */
  imdsRegion?: string | undefined;
  /** True when the application runs on a mobile device. */
  isMobile?: boolean | undefined;
}

/** `auto` -> a concrete mode from the context (botocore's rules). */
export function resolveAutoMode(ctx: DefaultsContext = {}): ResolvedDefaultsMode {
  if (ctx.isMobile) return "mobile";
  const current = ctx.executionRegion || ctx.imdsRegion;
  if (!current || !ctx.region) return "standard";
  return current === ctx.region ? "in-region" : "cross-region";
}

function applyModifier(value: number | string, modifier: DefaultsModifier | undefined): number | string {
  if (!modifier) return value;
  if (modifier.override !== undefined) return modifier.override;
  if (typeof value === "number") {
    if (modifier.multiply !== undefined) return value * modifier.multiply;
    if (modifier.add !== undefined) return value + modifier.add;
  }
  return value;
}

function oneOf<T extends string>(value: number | string, allowed: readonly T[], key: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`sdk-default-configuration: unexpected ${key} ${JSON.stringify(value)}`);
}

function numberValue(value: number | string, key: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new ConfigError(`sdk-default-configuration: unexpected ${key} ${JSON.stringify(value)}`);
}

/** The default values of a defaults mode. */
export function resolveDefaults(mode: DefaultsMode, ctx: DefaultsContext = {}): DefaultsModeValues {
  if (!(DEFAULTS_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`invalid defaults mode ${JSON.stringify(mode)} (expected ${DEFAULTS_MODES.join(", ")})`);
  }
  const concrete: ResolvedDefaultsMode = mode === "auto" ? resolveAutoMode(ctx) : mode;
  if (concrete === "legacy") {
    return {
      mode: "legacy",
      retryMode: "standard",
      stsRegionalEndpoints: "regional",
      s3UsEast1RegionalEndpoints: "regional",
      connectTimeoutInMillis: undefined,
      tlsNegotiationTimeoutInMillis: undefined,
    };
  }
  const modifiers = defaultsData.modes[concrete] ?? {};
  const value = (key: keyof DefaultsValues) => applyModifier(defaultsData.base[key], modifiers[key]);
  return {
    mode: concrete,
    retryMode: oneOf(value("retryMode"), ["standard", "adaptive", "legacy"] as const, "retryMode"),
    stsRegionalEndpoints: oneOf(value("stsRegionalEndpoints"), ["regional", "legacy"] as const, "stsRegionalEndpoints"),
    s3UsEast1RegionalEndpoints: oneOf(
      value("s3UsEast1RegionalEndpoints"),
      ["regional", "legacy"] as const,
      "s3UsEast1RegionalEndpoints",
    ),
    connectTimeoutInMillis: numberValue(value("connectTimeoutInMillis"), "connectTimeoutInMillis"),
    tlsNegotiationTimeoutInMillis: numberValue(value("tlsNegotiationTimeoutInMillis"), "tlsNegotiationTimeoutInMillis"),
  };
}

/** The defaults mode name from client config, AWS_DEFAULTS_MODE, then the profile's defaults_mode; "legacy" otherwise. */
export function resolveDefaultsModeName(
  sources: {
    config?: string | undefined;
    env?: Readonly<Record<string, string | undefined>> | undefined;
    profile?: Readonly<Record<string, string | undefined>> | undefined;
  } = {},
): DefaultsMode {
  const pick: [string | undefined, string][] = [
    [sources.config, "client config defaultsMode"],
    [sources.env?.["AWS_DEFAULTS_MODE"], "AWS_DEFAULTS_MODE"],
    [sources.profile?.["defaults_mode"], "profile defaults_mode"],
  ];
  for (const [value, source] of pick) {
    if (value === undefined || value === "") continue;
    const v = value.trim().toLowerCase();
    if ((DEFAULTS_MODES as readonly string[]).includes(v)) return v as DefaultsMode;
    throw new ConfigError(
      `${source}: invalid defaults mode ${JSON.stringify(value)} (expected ${DEFAULTS_MODES.join(", ")})`,
    );
  }
  return "legacy";
}
