// Credentials (and the region) from the EC2 instance metadata service, IMDSv2 first as botocore's
// InstanceMetadataFetcher does it: PUT /latest/api/token (x-aws-ec2-metadata-token-ttl-seconds:
// 21600), then GET /latest/meta-data/iam/security-credentials/ for the role name and
// .../<role> for {Code, AccessKeyId, SecretAccessKey, Token, Expiration} with the token in
// x-aws-ec2-metadata-token. A 403/404/405 on the token PUT falls back to IMDSv1 unless
// AWS_EC2_METADATA_V1_DISABLED (or the profile's ec2_metadata_v1_disabled) says no; a 401 on a
// GET fetches a new token. Each request is retried (AWS_METADATA_SERVICE_NUM_ATTEMPTS, default
// 3) with a timeout (AWS_METADATA_SERVICE_TIMEOUT seconds, default 1), except that no answer at all
// to the first request is taken at once as "not on EC2" (one timeout, as botocore's single attempt). AWS_EC2_METADATA_DISABLED
// turns it off; AWS_EC2_METADATA_SERVICE_ENDPOINT (or _ENDPOINT_MODE=IPv6) moves it.
// Static stability: credentials that come back already expired are used for 5-10 more minutes
// (logged by botocore, silent here) so an instance keeps working through an IMDS outage.
// No node imports: fetch only, environment injected.

import { CredentialsError } from "../errors.js";
import { processEnv, profileString, type Env } from "../config/profiles.js";
import type { IniSection } from "../config/ini.js";
import {
  CredentialsNotFoundError,
  parseTimestamp,
  type Clock,
  type CredentialProvider,
} from "./types.js";
import {
  CredentialsNetworkError,
  defaultFetch,
  describeUrl,
  metadataCredentials,
  parseJson,
  send,
  sleep,
  str,
  type FetchLike,
} from "./http.js";

export interface InstanceMetadataOptions {
  env?: Env;
  /** The profile's settings, for ec2_metadata_service_endpoint(_mode), ec2_metadata_v1_disabled, metadata_service_*. */
  profile?: IniSection;
  fetch?: FetchLike;
  /** Overrides everything else. */
  endpoint?: string;
  /** Attempts per request. */
  maxAttempts?: number;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
  /** Backoff before retry n (1-based), ms. Default 100 * 2^(n-1). */
  retryDelayMs?: (attempt: number) => number;
  now?: Clock;
  /** Random in [0, 1) for the static-stability extension. */
  random?: () => number;
}

const TOKEN_TTL_SECONDS = "21600";
const CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";

function truthy(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === "true";
}

interface Resolved {
  endpoint: string;
  maxAttempts: number;
  timeoutMs: number;
  v1Disabled: boolean;
}

function resolve(options: InstanceMetadataOptions, env: Env): Resolved {
  const profile = options.profile;
  const mode = (
    env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE ||
    profileString(profile, "ec2_metadata_service_endpoint_mode") ||
    "IPv4"
  ).toLowerCase();
  if (mode !== "ipv4" && mode !== "ipv6")
    throw new CredentialsError(`Unsupported IMDS endpoint mode "${mode}" (use IPv4 or IPv6)`);
  const endpoint = (
    options.endpoint ||
    env.AWS_EC2_METADATA_SERVICE_ENDPOINT ||
    profileString(profile, "ec2_metadata_service_endpoint") ||
    (mode === "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254")
  ).replace(/\/+$/, "");
  const attemptsText = env.AWS_METADATA_SERVICE_NUM_ATTEMPTS || profileString(profile, "metadata_service_num_attempts");
  const timeoutText = env.AWS_METADATA_SERVICE_TIMEOUT || profileString(profile, "metadata_service_timeout");
  const attempts = options.maxAttempts ?? (attemptsText ? parseInt(attemptsText, 10) : 3);
  const timeoutMs = options.timeoutMs ?? (timeoutText ? parseFloat(timeoutText) * 1000 : 1000);
  return {
    endpoint,
    maxAttempts: Number.isFinite(attempts) && attempts > 0 ? attempts : 3,
    timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 1000,
    v1Disabled: truthy(env.AWS_EC2_METADATA_V1_DISABLED) || truthy(profileString(profile, "ec2_metadata_v1_disabled")),
  };
}

/** A small IMDS client: token handling, retries, timeouts. */
class ImdsClient {
  private token: string | undefined;
  /** Set once IMDS has answered anything: before that, no answer means "not on EC2" (no retries). */
  private reachable = false;
  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly cfg: Resolved,
    private readonly delay: (attempt: number) => number,
  ) {}

  private async withRetries<T>(what: string, fn: () => Promise<T | "retry">): Promise<T> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.cfg.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(this.delay(attempt - 1));
      try {
        const result = await fn();
        if (result !== "retry") return result;
        lastError = new CredentialsError(`${what}: the instance metadata service kept failing`);
      } catch (err) {
        if (err instanceof CredentialsError && (err as { final?: boolean }).final) throw err;
        if (err instanceof CredentialsNetworkError && !this.reachable) throw err;
        lastError = err;
      }
    }
    throw lastError instanceof CredentialsError
      ? lastError
      : new CredentialsError(`${what} failed`, { cause: lastError });
  }

  private async fetchToken(): Promise<string | undefined> {
    return this.withRetries("IMDS token", async () => {
      const url = `${this.cfg.endpoint}/latest/api/token`;
      const r = await send(
        this.fetchImpl,
        "IMDS token request",
        url,
        {
          method: "PUT",
          headers: { "x-aws-ec2-metadata-token-ttl-seconds": TOKEN_TTL_SECONDS },
        },
        this.cfg.timeoutMs,
      );
      this.reachable = true;
      if (r.status === 200 && r.body) return r.body;
      if (r.status === 403 || r.status === 404 || r.status === 405) {
        if (this.cfg.v1Disabled) {
          throw final(
            new CredentialsError(`IMDS token request answered HTTP ${r.status} and IMDSv1 fallback is disabled`),
          );
        }
        return undefined;
      }
      if (r.status === 400) throw final(new CredentialsError("IMDS rejected the token request (HTTP 400)"));
      return "retry";
    });
  }

  /** GETs a metadata path; undefined on 404. */
  async get(path: string): Promise<string | undefined> {
    if (this.token === undefined) this.token = await this.fetchToken();
    return this.withRetries(`IMDS ${path}`, async () => {
      const headers: Record<string, string> = {};
      if (this.token) headers["x-aws-ec2-metadata-token"] = this.token;
      const url = `${this.cfg.endpoint}${path}`;
      const r = await send(this.fetchImpl, "IMDS request", url, { method: "GET", headers }, this.cfg.timeoutMs);
      this.reachable = true;
      if (r.status === 200) return r.body;
      if (r.status === 404) return undefined;
      if (r.status === 401) {
        this.token = await this.fetchToken();
        return "retry";
      }
      if (r.status >= 500 || r.status === 429) return "retry";
      throw final(new CredentialsError(`IMDS ${describeUrl(url)} answered HTTP ${r.status}`));
    });
  }
}

function final<E extends CredentialsError>(err: E): E {
  (err as { final?: boolean }).final = true;
  return err;
}

function isDisabled(env: Env): boolean {
  return truthy(env.AWS_EC2_METADATA_DISABLED);
}

function client(options: InstanceMetadataOptions, env: Env): ImdsClient {
  return new ImdsClient(
    options.fetch ?? defaultFetch(),
    resolve(options, env),
    options.retryDelayMs ?? ((n) => 100 * 2 ** (n - 1)),
  );
}

export function fromInstanceMetadata(options: InstanceMetadataOptions = {}): CredentialProvider {
  return async () => {
    const env = options.env ?? processEnv();
    if (isDisabled(env)) {
      throw new CredentialsNotFoundError("EC2 instance metadata", "disabled by AWS_EC2_METADATA_DISABLED");
    }
    const imds = client(options, env);
    let roleList: string | undefined;
    try {
      roleList = await imds.get(CREDENTIALS_PATH);
    } catch (err) {
      // Not on EC2 (no answer at all) is "not found"; anything else is reported.
      if (err instanceof CredentialsNetworkError) {
        throw new CredentialsNotFoundError("EC2 instance metadata", `no answer from ${resolve(options, env).endpoint}`);
      }
      throw err;
    }
    const role = roleList?.split(/\r?\n/)[0]?.trim();
    if (!role) {
      throw new CredentialsNotFoundError("EC2 instance metadata", "no IAM role is attached to this instance");
    }
    const text = await imds.get(CREDENTIALS_PATH + encodeURIComponent(role));
    const body = text === undefined ? undefined : parseJson(text);
    const code = str(body, "Code");
    const accessKeyId = str(body, "AccessKeyId");
    const secretAccessKey = str(body, "SecretAccessKey");
    if (!body || (code && code !== "Success") || !accessKeyId || !secretAccessKey) {
      throw new CredentialsError(
        `EC2 instance metadata returned no usable credentials for role "${role}"${code && code !== "Success" ? ` (Code ${code})` : ""}`,
      );
    }
    let expiration = parseTimestamp(str(body, "Expiration"));
    const now = (options.now ?? Date.now)();
    if (expiration && expiration.getTime() <= now) {
      const random = options.random ?? Math.random;
      expiration = new Date(now + 300_000 + Math.floor(random() * 300_000));
    }
    return metadataCredentials(body, accessKeyId, secretAccessKey, expiration);
  };
}

/** The instance's region from IMDS (placement/region, else the availability zone less its letter). */
export async function regionFromImds(options: InstanceMetadataOptions = {}): Promise<string | undefined> {
  const env = options.env ?? processEnv();
  if (isDisabled(env)) return undefined;
  const imds = client(options, env);
  const region = await imds.get("/latest/meta-data/placement/region");
  if (region) return region.trim();
  const zone = await imds.get("/latest/meta-data/placement/availability-zone");
  return zone ? zone.trim().replace(/[a-z]$/, "") : undefined;
}
