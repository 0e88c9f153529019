// What a platform's defaults loader gives a Session: region, credentials, the profile's
// settings and the defaults mode, read once per session. Shared by defaults/node.ts and
// defaults/web.ts; the client core (client.ts) reads only this interface, so it never
// imports a platform's file or metadata code.
import type { Credentials } from "../signer/sigv4.js";
import type { BearerToken, TokenProvider } from "../client.js";
import type { DefaultsMode, DefaultsModeValues } from "../defaults-mode.js";

export type Env = Readonly<Record<string, string | undefined>>;
export type { DefaultsMode, DefaultsModeValues } from "../defaults-mode.js";

export interface SessionOptions {
  /** The profile to use (default AWS_PROFILE, then "default"). */
  profile?: string | undefined;
  /** The region for every client of this session (default AWS_REGION, AWS_DEFAULT_REGION, the profile). */
  region?: string | undefined;
  /** Credentials for every client of this session (default: the standard credential chain). */
  credentials?: Credentials | (() => Promise<Credentials>) | undefined;
  /**
   * A bearer token for every client of this session whose service allows one (a client's own
   * `token` wins). See `ClientConfig.token`. A secret: never logged, never in a message.
   */
  token?: string | BearerToken | TokenProvider | undefined;
  /** The environment to read (default process.env). Tests and multi-tenant apps pass their own. */
  env?: Env | undefined;
  /** Shared config file(s) (default AWS_CONFIG_FILE or ~/.aws/config). */
  configFile?: string | readonly string[] | undefined;
  /** Shared credentials file(s) (default AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials). */
  credentialsFile?: string | readonly string[] | undefined;
  /** Ask the EC2 instance metadata service for the region when nothing else sets one. */
  regionFromInstanceMetadata?: boolean | undefined;
  /** Asks for an MFA code when an assumed role needs one (profiles with mfa_serial). */
  mfaCodeProvider?: ((mfaSerial: string) => Promise<string>) | undefined;
  /**
   * The defaults mode of this session's clients (a client's own `defaultsMode` wins; default
   * AWS_DEFAULTS_MODE, then the profile's defaults_mode, then "legacy"). See `ClientConfig.defaultsMode`.
   */
  defaultsMode?: DefaultsMode | undefined;
  /**
   * The clock of this session's credentials, in epoch milliseconds: expiry checks, refreshes and
   * the signing of STS calls (default Date.now; tests inject one).
   */
  clock?: (() => number) | undefined;
}

export interface LoadedDefaults {
  readonly env: Env;
  readonly region: string | undefined;
  readonly credentials: () => Promise<Credentials>;
  /**
   * Node only: the IAM Identity Center (SSO) token of the profile's `sso_session`, read from the
   * SSO cache (and refreshed) as botocore's SSOTokenProvider reads it, for services that
   * authenticate only with a bearer token. Rejects with a CredentialsError saying where it
   * looked when the profile names no sso_session or the cache holds no valid token. Browsers
   * have none.
   */
  readonly ssoToken?: (() => Promise<BearerToken>) | undefined;
  /**
   * Node only: adds the headers every request takes from the environment as it is when the
   * request is formed (Lambda's recursion detection, `X-Amzn-Trace-Id`), to a request's headers
   * in place, before signing. Browsers have none.
   */
  readonly requestHeaders?: ((headers: Record<string, string>) => void) | undefined;
  /** Where the region was looked for, for the "no region" message (no values, only places). */
  readonly regionSources: string;
  /** A string setting of the active profile (e.g. max_attempts), or undefined. */
  setting(key: string): string | undefined;
  /** A nested setting of the active profile (e.g. s3 -> addressing_style). */
  nested(section: string, key: string): string | undefined;
  /** The configured endpoint URL for a service (env, services section, profile), if any. */
  endpointUrl(serviceId: string, ignoreConfigured?: boolean): string | undefined;
  /**
   * The defaults mode's values for a client in `region`: the client's `configured` mode, else
   * the session's, AWS_DEFAULTS_MODE, the profile's defaults_mode, "legacy"; `auto` resolved from
   * the execution environment (asked once per session).
   */
  defaultsMode(configured: DefaultsMode | undefined, region: string): Promise<DefaultsModeValues>;
}
