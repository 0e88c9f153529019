// The two STS calls the credential providers need (AssumeRole, AssumeRoleWithWebIdentity), spoken
// directly in the awsQuery wire format: a form-encoded POST (`Action`, `Version=2011-06-15`,
// parameters) and an XML response (`<AssumeRoleResult><Credentials>...`) or `<ErrorResponse>`.
// Providers receive the caller as an injected `StsCaller`: the Node session injects the one built
// on the generated STS client (sts-generated.ts); this hand-written one is the default of the
// standalone providers (fromProfile, fromWebIdentity without `sts`) and needs no generated code.
// AssumeRole is SigV4-signed (runtime/signer) with the source credentials;
// AssumeRoleWithWebIdentity is unsigned. The endpoint is the configured one
// (AWS_ENDPOINT_URL_STS, services section, ...) when set, else https://sts.<region>.<dns suffix>.
// Platform-neutral (fetch + the signer). Errors carry STS's code and message, never credentials.

import { CredentialsError } from "../errors.js";
import { decodeXmlEntities } from "../protocols/xml-entities.js";
import { signRequest } from "../signer/sigv4.js";
import { uriEncode } from "../signer/canonical.js";
import type { HttpRequest } from "../http/types.js";
import { configuredEndpointUrl } from "../config/endpoint-url.js";
import { processEnv, type Env, type SharedConfig } from "../config/profiles.js";
import { accountIdFromArn, makeCredentials, parseTimestamp, type Clock, type Credentials } from "./types.js";
import { defaultFetch, dnsSuffix, send, sleep, type FetchLike } from "./http.js";

export type StsAction = "AssumeRole" | "AssumeRoleWithWebIdentity";

/** Credentials from STS, plus what STS says about the assumed role. */
export interface StsCredentials extends Credentials {
  readonly expiration: Date;
  readonly assumedRoleArn?: string;
  readonly assumedRoleId?: string;
  readonly sourceIdentity?: string;
}

/**
 * Calls STS. `params` are the operation's top-level query parameters (RoleArn, RoleSessionName,
 * ExternalId, SerialNumber, TokenCode, DurationSeconds, WebIdentityToken, ...).
 * `sourceCredentials` sign AssumeRole; AssumeRoleWithWebIdentity takes none.
 */
export type StsCaller = (
  action: StsAction,
  params: Record<string, string>,
  region: string,
  sourceCredentials?: Credentials,
) => Promise<StsCredentials>;

export interface StsCallerOptions {
  fetch?: FetchLike;
  env?: Env;
  sharedConfig?: SharedConfig;
  profile?: string;
  /** A fixed endpoint (overrides configured endpoints and the regional default). */
  endpoint?: string;
  now?: Clock;
  /** Per-attempt timeout, ms. Default 10000. */
  timeoutMs?: number;
  /** Attempts for throttling, 5xx and IDPCommunicationError. Default 3. */
  maxAttempts?: number;
  /** Backoff before retry n (1-based), ms. Default 100 * 2^(n-1). */
  retryDelayMs?: (attempt: number) => number;
}

const RETRYABLE_CODES = new Set([
  "IDPCommunicationError",
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "ServiceUnavailable",
  "InternalFailure",
]);

/** The standalone STS caller: awsQuery over fetch (sessions use createGeneratedStsCaller instead). */
export function createStsCaller(options: StsCallerOptions = {}): StsCaller {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const delay = options.retryDelayMs ?? ((n: number) => 100 * 2 ** (n - 1));
  return async (action, params, region, sourceCredentials) => {
    const fetchImpl = options.fetch ?? defaultFetch();
    const endpoint =
      options.endpoint ??
      configuredEndpointUrl({
        serviceId: "STS",
        env: options.env ?? processEnv(),
        ...(options.profile !== undefined ? { profile: options.profile } : {}),
        ...(options.sharedConfig ? { sharedConfig: options.sharedConfig } : {}),
      }) ??
      `https://sts.${region}.${dnsSuffix(region)}`;
    const url = new URL(endpoint);
    if (url.pathname === "") url.pathname = "/";
    const body = formEncode({ Action: action, Version: "2011-06-15", ...params });
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      };
      if (action === "AssumeRole") {
        if (!sourceCredentials) throw new CredentialsError("STS AssumeRole needs source credentials to sign with");
        Object.assign(headers, await signedHeaders(url, headers, body, sourceCredentials, region, new Date(now())));
      }
      const response = await send(
        fetchImpl,
        `STS ${action}`,
        url.toString(),
        { method: "POST", headers, body },
        timeoutMs,
      );
      if (response.status >= 200 && response.status < 300) return parseStsResult(action, response.body);
      const code = xmlText(response.body, "Code");
      const message = xmlText(response.body, "Message");
      const retryable =
        response.status >= 500 || response.status === 429 || (code !== undefined && RETRYABLE_CODES.has(code));
      if (retryable && attempt < maxAttempts) {
        await sleep(delay(attempt));
        continue;
      }
      throw new StsError(action, response.status, code, message);
    }
  };
}

/** An error response from STS. */
export class StsError extends CredentialsError {
  override name = "StsError";
  readonly code: string | undefined;
  readonly statusCode: number;
  constructor(action: StsAction, statusCode: number, code: string | undefined, message: string | undefined) {
    super(`STS ${action} failed (HTTP ${statusCode}${code ? `, ${code}` : ""})${message ? `: ${message}` : ""}`);
    this.code = code;
    this.statusCode = statusCode;
  }
}

function parseStsResult(action: StsAction, xml: string): StsCredentials {
  const result = xmlElement(xml, `${action}Result`) ?? xml;
  const creds = xmlElement(result, "Credentials");
  const accessKeyId = creds && xmlText(creds, "AccessKeyId");
  const secretAccessKey = creds && xmlText(creds, "SecretAccessKey");
  const sessionToken = creds && xmlText(creds, "SessionToken");
  const expiration = parseTimestamp(creds && xmlText(creds, "Expiration"));
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration) {
    throw new CredentialsError(`STS ${action} returned a response without complete credentials`);
  }
  const user = xmlElement(result, "AssumedRoleUser");
  const arn = user ? xmlText(user, "Arn") : undefined;
  const roleId = user ? xmlText(user, "AssumedRoleId") : undefined;
  const sourceIdentity = xmlText(result, "SourceIdentity");
  const base = makeCredentials({
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration,
    accountId: accountIdFromArn(arn),
  });
  return {
    ...base,
    expiration,
    ...(arn ? { assumedRoleArn: arn } : {}),
    ...(roleId ? { assumedRoleId: roleId } : {}),
    ...(sourceIdentity ? { sourceIdentity } : {}),
  };
}

// --- minimal XML reading: STS responses are flat, namespaced, and use no CDATA ---------------

function xmlElement(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>`).exec(xml);
  return m?.[1];
}

function xmlText(xml: string, name: string): string | undefined {
  const inner = xmlElement(xml, name);
  return inner === undefined ? undefined : decodeXmlEntities(inner.trim());
}

// --- form encoding and SigV4 for one form POST ----------------------------------------------

export function formEncode(params: Record<string, string>): string {
  return Object.keys(params)
    .map((k) => `${uriEncode(k)}=${uriEncode(params[k]!)}`)
    .join("&");
}

/** SigV4 headers for the form POST (service "sts"); `host` is left to fetch, which sets the same value. */
async function signedHeaders(
  url: URL,
  headers: Record<string, string>,
  body: string,
  credentials: Credentials,
  region: string,
  date: Date,
): Promise<Record<string, string>> {
  const request: HttpRequest = {
    method: "POST",
    protocol: url.protocol === "http:" ? "http:" : "https:",
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname || "/",
    query: "",
    headers: { ...headers, host: url.host },
    body,
  };
  const signed = await signRequest(request, { credentials, region, service: "sts", date });
  const out = { ...signed.headers };
  delete out.host;
  return out;
}
