// What a platform's defaults loader gives a Session: region, credentials and the profile's
// settings, read once per session. Shared by defaults/node.ts and defaults/web.ts.
import type { Credentials } from "../signer/sigv4.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface SessionOptions {
  /** The profile to use (default AWS_PROFILE, then "default"). */
  profile?: string | undefined;
  /** The region for every client of this session (default AWS_REGION, AWS_DEFAULT_REGION, the profile). */
  region?: string | undefined;
  /** Credentials for every client of this session (default: the standard credential chain). */
  credentials?: Credentials | (() => Promise<Credentials>) | undefined;
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
}

export interface LoadedDefaults {
  readonly env: Env;
  readonly region: string | undefined;
  readonly credentials: () => Promise<Credentials>;
  /** A string setting of the active profile (e.g. max_attempts), or undefined. */
  setting(key: string): string | undefined;
  /** A nested setting of the active profile (e.g. s3 -> addressing_style). */
  nested(section: string, key: string): string | undefined;
  /** The configured endpoint URL for a service (env, services section, profile), if any. */
  endpointUrl(serviceId: string, ignoreConfigured?: boolean): string | undefined;
}
