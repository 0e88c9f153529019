// Settings of single services that reach their endpoint rules from outside the client config
// (the environment, the profile, the defaults mode): S3's addressing style, acceleration and
// ARN region, S3 Control's ARN region, and whether STS and S3 in us-east-1 use regional or
// global endpoints. Each is a hook on its service's schema (`es`), set by the generator, so
// the client core and every other service's bundle carry none of it (the client re-exports the
// hooks; a bundler keeps the one a service imports).
import { ConfigError } from "./errors.js";
import type { SettingSources } from "./schema.js";

type EndpointConfig = Record<string, unknown>;

function flag(raw: string | undefined): boolean | undefined {
  return raw === undefined ? undefined : raw.trim().toLowerCase() === "true";
}

/** Regional or global (legacy) endpoints: client config, then the environment and the profile, then the defaults mode. */
function regional(config: EndpointConfig, from: SettingSources, key: string, name: string, fallback: string): void {
  const raw = config[key] ?? from.setting(name);
  const v = typeof raw === "string" && raw !== "" ? raw.trim().toLowerCase() : fallback;
  if (v !== "regional" && v !== "legacy") {
    throw new ConfigError(`${from.service}: ${key} / AWS_${name.toUpperCase()} / ${name} must be "regional" or "legacy", not ${JSON.stringify(raw)}`);
  }
  config[key] = v;
}

/** S3 Control: whether an ARN's region may differ from the client's (s3_use_arn_region). */
export function s3ControlSettings(config: EndpointConfig, from: SettingSources): void {
  config.useArnRegion ??= flag(from.setting("s3_use_arn_region"));
}

/**
 * The flexible-checksum settings, requestChecksumCalculation and responseChecksumValidation:
 * client config, then AWS_REQUEST_CHECKSUM_CALCULATION / request_checksum_calculation (and
 * the response pair), then "when_supported"; anything else is a ConfigError. Only services
 * with checksummed operations (S3) carry this; the stages read the result from the config.
 */
export function checksumSettings(config: EndpointConfig, from: SettingSources): void {
  for (const [key, name] of [
    ["requestChecksumCalculation", "request_checksum_calculation"],
    ["responseChecksumValidation", "response_checksum_validation"],
  ] as const) {
    const raw = config[key] ?? from.setting(name);
    const v = typeof raw === "string" ? raw.trim().toLowerCase() : raw ?? "when_supported";
    if (v !== "when_supported" && v !== "when_required") {
      throw new ConfigError(
        `${from.service}: ${key} / AWS_${name.toUpperCase()} / ${name} must be "when_supported" or "when_required", not ${JSON.stringify(raw)}`,
      );
    }
    config[key] = v;
  }
}

/** S3: us-east-1's regional endpoint, then the profile's `s3` section (addressing_style, use_accelerate_endpoint) and the ARN region; the checksum settings. */
export function s3Settings(config: EndpointConfig, from: SettingSources): void {
  checksumSettings(config, from);
  regional(config, from, "s3UsEast1RegionalEndpoint", "s3_us_east_1_regional_endpoint", from.defaults.s3UsEast1RegionalEndpoints);
  if (config.forcePathStyle === undefined && from.nested("s3", "addressing_style") === "path") config.forcePathStyle = true;
  if (config.useAccelerateEndpoint === undefined && from.nested("s3", "use_accelerate_endpoint") === "true") config.useAccelerateEndpoint = true;
  s3ControlSettings(config, from);
}

/** STS: regional or the global endpoint (sts_regional_endpoints). */
export function stsSettings(config: EndpointConfig, from: SettingSources): void {
  regional(config, from, "stsRegionalEndpoints", "sts_regional_endpoints", from.defaults.stsRegionalEndpoints);
}

/**
 * Endpoint discovery (services with DescribeEndpoints: DynamoDB, Timestream): the client's
 * endpointDiscoveryEnabled, else AWS_ENDPOINT_DISCOVERY_ENABLED / endpoint_discovery_enabled,
 * laid in as it is (a boolean or the setting's text); the discovery hook reads it
 * (runtime/customizations/endpoint-discovery.ts), and discovery.ts refuses a value other than
 * true, false or auto, so neither the parsing nor its message is in every bundle of these services.
 */
export function discoverySettings(config: EndpointConfig, from: SettingSources): void {
  config.endpointDiscoveryEnabled ??= from.setting("endpoint_discovery_enabled");
}
