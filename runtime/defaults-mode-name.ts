// The defaults mode's name and the legacy mode's values: what every client needs on its
// first call. The values of the other modes (defaults-mode.ts, with the
// sdk-default-configuration data) are imported only when one of them is chosen, so a client
// on the default "legacy" mode never loads them (a lazily loaded chunk in a bundle).
import { firstSet, oneOf } from "./config/setting.js";

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

/**
 * The legacy mode's values (what SDKs use when no mode is chosen): standard retries,
 * regional STS and S3 us-east-1 endpoints, no SDK-imposed connect or TLS timeouts.
 */
export const LEGACY_DEFAULTS: DefaultsModeValues = {
  mode: "legacy",
  retryMode: "standard",
  stsRegionalEndpoints: "regional",
  s3UsEast1RegionalEndpoints: "regional",
  connectTimeoutInMillis: undefined,
  tlsNegotiationTimeoutInMillis: undefined,
};

/** The defaults mode name from client config, AWS_DEFAULTS_MODE, then the profile's defaults_mode; "legacy" otherwise. */
export function resolveDefaultsModeName(
  sources: {
    config?: string | undefined;
    env?: Readonly<Record<string, string | undefined>> | undefined;
    profile?: Readonly<Record<string, string | undefined>> | undefined;
  } = {},
): DefaultsMode {
  return firstSet("defaults_mode", "defaultsMode", sources.config, sources.env, sources.profile, oneOf(DEFAULTS_MODES, "defaults mode")) ?? "legacy";
}
