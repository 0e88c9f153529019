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
// defaults_mode (`resolveDefaultsModeName`), "legacy" when none is set: that part and the
// legacy values live in defaults-mode-name.ts, so clients import this module (and its data)
// only when another mode is chosen.
import defaultsData from "#root/defaults";
import type { DefaultsModifier, DefaultsValues } from "#root/defaults";
import { ConfigError } from "./errors.js";
import { DEFAULTS_MODES, LEGACY_DEFAULTS } from "./defaults-mode-name.js";
import type { DefaultsMode, DefaultsModeValues, ResolvedDefaultsMode } from "./defaults-mode-name.js";

export { DEFAULTS_MODES, LEGACY_DEFAULTS, resolveDefaultsModeName } from "./defaults-mode-name.js";
export type { DefaultsMode, DefaultsModeValues, ResolvedDefaultsMode } from "./defaults-mode-name.js";

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
  if (concrete === "legacy") return { ...LEGACY_DEFAULTS };
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
