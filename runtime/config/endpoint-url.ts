// Configured endpoint URLs (the AWS SDKs' "service-specific endpoints" feature), resolved in the
// order the shared conformance tests (configured-endpoint-urls/profile-tests.json) and botocore's
// ConfiguredEndpointProvider use:
//   1. the client's own endpoint setting (never ignored);
//   2. AWS_ENDPOINT_URL_<SERVICE_ID>  (service id upper-cased, spaces to underscores);
//   3. AWS_ENDPOINT_URL;
//   4. `endpoint_url` in the profile's `services` section, under the service's key
//      (service id lower-cased, spaces to underscores);
//   5. the profile's own `endpoint_url`.
// Steps 2-5 are skipped when ignore_configured_endpoint_urls is true: the client setting wins, then
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, then the profile's `ignore_configured_endpoint_urls`.
// Pure: the environment and the loaded config are passed in.

import type { IniSection } from "./ini.js";
import { own, profileFromEnv, profileString, resolveProfile, type Env, type SharedConfig } from "./profiles.js";

export interface ConfiguredEndpointUrlOptions {
  /** The model's `serviceId`, e.g. "S3", "DynamoDB", "SSO OIDC". */
  serviceId: string;
  env?: Env;
  /** Profile name; defaults to AWS_PROFILE / AWS_DEFAULT_PROFILE / "default". */
  profile?: string;
  sharedConfig?: SharedConfig;
  /** The endpoint given in client configuration. */
  clientEndpoint?: string;
  /** The client configuration's ignore_configured_endpoint_urls. */
  ignoreConfiguredEndpointUrls?: boolean;
}

function isTrue(value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  return value.trim().toLowerCase() === "true";
}

/** The env-var suffix for a service id: "SSO OIDC" -> "SSO_OIDC". */
export function serviceEnvSuffix(serviceId: string): string {
  return serviceId.toUpperCase().replace(/ /g, "_");
}

/** The key under a `[services x]` section: "SSO OIDC" -> "sso_oidc". */
export function serviceConfigKey(serviceId: string): string {
  return serviceId.toLowerCase().replace(/ /g, "_");
}

/** The endpoint URL configured outside the endpoint rules, or undefined for "none configured". */
export function configuredEndpointUrl(options: ConfiguredEndpointUrlOptions): string | undefined {
  if (options.clientEndpoint) return options.clientEndpoint;
  const env = options.env ?? {};
  const profileName = options.profile ?? profileFromEnv(env);
  const profile: IniSection | undefined = options.sharedConfig
    ? resolveProfile(options.sharedConfig, profileName)
    : undefined;

  const ignore =
    options.ignoreConfiguredEndpointUrls ??
    isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) ??
    isTrue(profileString(profile, "ignore_configured_endpoint_urls")) ??
    false;
  if (ignore) return undefined;

  const fromServiceEnv = env[`AWS_ENDPOINT_URL_${serviceEnvSuffix(options.serviceId)}`];
  if (fromServiceEnv) return fromServiceEnv;
  if (env.AWS_ENDPOINT_URL) return env.AWS_ENDPOINT_URL;

  const servicesName = profileString(profile, "services");
  if (servicesName !== undefined && options.sharedConfig) {
    const section = own(options.sharedConfig.services, servicesName);
    const block = section ? own(section, serviceConfigKey(options.serviceId)) : undefined;
    const url = block && typeof block === "object" ? own(block, "endpoint_url") : undefined;
    if (url) return url;
  }
  return profileString(profile, "endpoint_url") || undefined;
}
