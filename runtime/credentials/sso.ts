// Node-only: IAM Identity Center (SSO) credentials, as botocore's SSOProvider and SSOTokenProvider
// get them. The profile names an `sso_session` (whose [sso-session] section holds sso_start_url and
// sso_region) or carries the legacy sso_start_url / sso_region itself, plus sso_account_id and
// sso_role_name. The access token that `aws sso login` wrote is read from
// ~/.aws/sso/cache/<sha1 hex>.json (sha1 of the session name, or of the start URL for the legacy
// form). With an sso-session, a token within 15 minutes of expiry is refreshed through SSO-OIDC
// CreateToken (POST /token, rest-json, grantType refresh_token, with the cached client registration)
// and written back; a failed refresh falls back to the cached token while it is still valid.
// Then SSO GetRoleCredentials (GET /federation/credentials?role_name&account_id, bearer token in
// x-amz-sso_bearer_token) returns the role's credentials (expiration in epoch milliseconds).
// Endpoints are the configured ones ("SSO", "SSO OIDC") or portal.sso.<region> / oidc.<region>.

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CredentialsError } from "../errors.js";
import { configuredEndpointUrl } from "../config/endpoint-url.js";
import { homeDirectory } from "../config/shared.js";
import { own, processEnv, profileString, type Env, type SharedConfig } from "../config/profiles.js";
import type { IniSection } from "../config/ini.js";
import { makeCredentials, parseTimestamp, type Clock, type CredentialProvider, type Credentials } from "./types.js";
import { defaultFetch, dnsSuffix, joinUrl, parseJson, send, str, type FetchLike } from "./http.js";
import { cacheTimestamp, writeJsonAtomic } from "./cache-file.js";

export interface SsoSettings {
  startUrl: string;
  region: string;
  accountId: string;
  roleName: string;
  /** Set for the sso-session form (refreshable tokens). */
  sessionName?: string;
}

export interface FromSsoOptions {
  /** Explicit settings; else read from `profile` + `sharedConfig`. */
  settings?: SsoSettings;
  profile?: IniSection;
  profileName?: string;
  sharedConfig?: SharedConfig;
  env?: Env;
  homedir?: string;
  /** Defaults to ~/.aws/sso/cache. */
  cacheDirectory?: string;
  fetch?: FetchLike;
  now?: Clock;
  /** Per-request timeout, ms. Default 10000. */
  timeoutMs?: number;
}

const REFRESH_WINDOW_MS = 15 * 60_000;

/** True when the profile has SSO settings (either form). */
export function hasSsoSettings(profile: IniSection | undefined): boolean {
  return (
    profileString(profile, "sso_session") !== undefined ||
    profileString(profile, "sso_start_url") !== undefined ||
    profileString(profile, "sso_account_id") !== undefined ||
    profileString(profile, "sso_role_name") !== undefined
  );
}

/** The [sso-session name] section a profile names; a CredentialsError when the config has none. */
function ssoSessionSection(config: SharedConfig | undefined, sessionName: string, profileName: string): IniSection {
  const session = config ? own(config.ssoSessions, sessionName) : undefined;
  if (!session) {
    throw new CredentialsError(`Profile "${profileName}" names sso_session "${sessionName}", but there is no [sso-session ${sessionName}] section`);
  }
  return session;
}

/** Reads and validates the SSO settings of a profile (botocore's SSOProvider._load_sso_config). */
export function ssoSettingsFromProfile(
  profile: IniSection,
  profileName: string,
  config: SharedConfig | undefined,
): SsoSettings {
  const sessionName = profileString(profile, "sso_session");
  let startUrl = profileString(profile, "sso_start_url");
  let region = profileString(profile, "sso_region");
  if (sessionName !== undefined) {
    const session = ssoSessionSection(config, sessionName, profileName);
    for (const key of ["sso_start_url", "sso_region"] as const) {
      const inProfile = profileString(profile, key);
      const inSession = profileString(session, key);
      if (inProfile !== undefined && inSession !== undefined && inProfile !== inSession) {
        throw new CredentialsError(
          `The ${key} of profile "${profileName}" differs from that of sso-session "${sessionName}"`,
        );
      }
    }
    startUrl = profileString(session, "sso_start_url");
    region = profileString(session, "sso_region");
  }
  const accountId = profileString(profile, "sso_account_id");
  const roleName = profileString(profile, "sso_role_name");
  const missing: string[] = [];
  if (!startUrl) missing.push("sso_start_url");
  if (!region) missing.push("sso_region");
  if (!accountId) missing.push("sso_account_id");
  if (!roleName) missing.push("sso_role_name");
  if (missing.length > 0) {
    throw new CredentialsError(
      `Profile "${profileName}" is configured for SSO but lacks ${missing.join(", ")}${sessionName !== undefined ? ` (with sso-session "${sessionName}")` : ""}`,
    );
  }
  return {
    startUrl: startUrl!,
    region: region!,
    accountId: accountId!,
    roleName: roleName!,
    ...(sessionName !== undefined ? { sessionName } : {}),
  };
}

/** The cache file of an SSO token: sha1 hex of the session name (or legacy start URL) + ".json". */
export function ssoCacheFile(directory: string, key: string): string {
  return join(directory, createHash("sha1").update(key, "utf8").digest("hex") + ".json");
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  const doc = parseJson(text);
  return typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
}

function endpointFor(serviceId: "SSO" | "SSO OIDC", region: string, options: FromSsoOptions): string {
  const configured = configuredEndpointUrl({
    serviceId,
    env: options.env ?? processEnv(),
    ...(options.profileName !== undefined ? { profile: options.profileName } : {}),
    ...(options.sharedConfig ? { sharedConfig: options.sharedConfig } : {}),
  });
  if (configured) return configured;
  return serviceId === "SSO"
    ? `https://portal.sso.${region}.${dnsSuffix(region)}`
    : `https://oidc.${region}.${dnsSuffix(region)}`;
}

/** What reading a cached token needs: the legacy start URL, or an sso-session (its name, start URL and region). */
type TokenSettings = Pick<SsoSettings, "startUrl" | "region" | "sessionName">;

/** Loads the SSO access token, refreshing it through SSO-OIDC when it is an sso-session token near expiry. */
async function loadToken(settings: TokenSettings, options: FromSsoOptions): Promise<{ accessToken: string; expiresAt: Date }> {
  const env = options.env ?? processEnv();
  const directory = options.cacheDirectory ?? join(await homeDirectory(env, options.homedir), ".aws", "sso", "cache");
  const file = ssoCacheFile(directory, settings.sessionName ?? settings.startUrl);
  const login =
    settings.sessionName !== undefined ? `aws sso login --sso-session ${settings.sessionName}` : "aws sso login";
  const token = await readJson(file);
  const accessToken = str(token, "accessToken");
  const expiresAt = parseTimestamp(str(token, "expiresAt"));
  if (!token || !accessToken || !expiresAt) {
    throw new CredentialsError(`No valid SSO token in the cache (${file}); run \`${login}\``);
  }
  const now = (options.now ?? Date.now)();
  if (settings.sessionName !== undefined && expiresAt.getTime() - now < REFRESH_WINDOW_MS) {
    const refreshed = await refreshToken(token, settings, options, now).catch(() => undefined);
    if (refreshed) {
      await writeJsonAtomic(file, refreshed).catch(() => undefined);
      return { accessToken: refreshed.accessToken as string, expiresAt: parseTimestamp(refreshed.expiresAt as string)! };
    }
  }
  if (expiresAt.getTime() <= now) {
    throw new CredentialsError(`The SSO token in the cache has expired; run \`${login}\``);
  }
  return { accessToken, expiresAt };
}

async function refreshToken(
  token: Record<string, unknown>,
  settings: TokenSettings,
  options: FromSsoOptions,
  now: number,
): Promise<Record<string, unknown> | undefined> {
  const clientId = str(token, "clientId");
  const clientSecret = str(token, "clientSecret");
  const refresh = str(token, "refreshToken");
  const registrationExpiresAt = parseTimestamp(str(token, "registrationExpiresAt"));
  if (!clientId || !clientSecret || !refresh) return undefined;
  if (registrationExpiresAt && registrationExpiresAt.getTime() <= now) return undefined;
  const url = joinUrl(endpointFor("SSO OIDC", settings.region, options), "/token");
  const response = await send(
    options.fetch ?? defaultFetch(),
    "SSO-OIDC CreateToken",
    url,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientId, clientSecret, grantType: "refresh_token", refreshToken: refresh }),
    },
    options.timeoutMs ?? 10_000,
  );
  if (response.status !== 200) return undefined;
  const body = parseJson(response.body);
  const accessToken = str(body, "accessToken");
  const expiresIn = (body as { expiresIn?: unknown } | undefined)?.expiresIn;
  if (!accessToken || typeof expiresIn !== "number") return undefined;
  return {
    ...token,
    accessToken,
    expiresAt: cacheTimestamp(now + expiresIn * 1000),
    refreshToken: str(body, "refreshToken") ?? refresh,
  };
}

export function fromSso(options: FromSsoOptions = {}): CredentialProvider {
  return async (): Promise<Credentials> => {
    const settings =
      options.settings ??
      (options.profile
        ? ssoSettingsFromProfile(options.profile, options.profileName ?? "default", options.sharedConfig)
        : undefined);
    if (!settings) throw new CredentialsError("fromSso needs `settings` or a `profile`");
    const { accessToken } = await loadToken(settings, options);
    const query = `role_name=${encodeURIComponent(settings.roleName)}&account_id=${encodeURIComponent(settings.accountId)}`;
    const url = joinUrl(endpointFor("SSO", settings.region, options), `/federation/credentials?${query}`);
    const response = await send(
      options.fetch ?? defaultFetch(),
      "SSO GetRoleCredentials",
      url,
      { method: "GET", headers: { "x-amz-sso_bearer_token": accessToken, accept: "application/json" } },
      options.timeoutMs ?? 10_000,
    );
    const body = parseJson(response.body);
    if (response.status !== 200) {
      const type = response.headers.get("x-amzn-errortype")?.split(":")[0] ?? str(body, "__type");
      const hint =
        response.status === 401 || response.status === 403
          ? "; the SSO session may have expired, run `aws sso login`"
          : "";
      throw new CredentialsError(
        `SSO GetRoleCredentials failed (HTTP ${response.status}${type ? `, ${type}` : ""})${hint}`,
      );
    }
    const creds = (body as { roleCredentials?: unknown } | undefined)?.roleCredentials;
    const accessKeyId = str(creds, "accessKeyId");
    const secretAccessKey = str(creds, "secretAccessKey");
    const expiration = (creds as { expiration?: unknown } | undefined)?.expiration;
    if (!accessKeyId || !secretAccessKey || typeof expiration !== "number") {
      throw new CredentialsError("SSO GetRoleCredentials returned incomplete credentials");
    }
    return makeCredentials({
      accessKeyId,
      secretAccessKey,
      sessionToken: str(creds, "sessionToken"),
      expiration: new Date(expiration),
      accountId: settings.accountId,
    });
  };
}

/** The sso-session a profile names, with its start URL and region (botocore's SSOTokenProvider._load_sso_config). */
function ssoSessionSettings(profile: IniSection | undefined, profileName: string, config: SharedConfig | undefined): TokenSettings {
  const sessionName = profileString(profile, "sso_session");
  if (sessionName === undefined) {
    const files = config && config.configFiles.length > 0 ? config.configFiles.join(", ") : "no shared config file";
    throw new CredentialsError(`profile "${profileName}" names no sso_session (${files})`);
  }
  const session = ssoSessionSection(config, sessionName, profileName);
  const startUrl = profileString(session, "sso_start_url");
  const region = profileString(session, "sso_region");
  const missing = [...(startUrl ? [] : ["sso_start_url"]), ...(region ? [] : ["sso_region"])];
  if (missing.length > 0) {
    throw new CredentialsError(`sso-session "${sessionName}" (profile "${profileName}") lacks ${missing.join(", ")}`);
  }
  return { startUrl: startUrl!, region: region!, sessionName };
}

/**
 * The bearer token of the profile's sso_session, as botocore's SSOTokenProvider gives it to
 * services that authenticate with a token (CodeCatalyst): the access token `aws sso login
 * --sso-session <name>` cached in ~/.aws/sso/cache/<sha1 of the session name>.json, refreshed
 * through SSO-OIDC CreateToken within 15 minutes of expiry (and written back) with the cached
 * client registration, the cached token used while valid when a refresh fails. A token is kept
 * until it enters that window; then the cache is read again, at most once a minute while the
 * kept token is still valid. Only the sso-session form: the legacy sso_start_url form has no
 * refreshable token and botocore offers it no token provider either.
 */
export function fromSsoSessionToken(options: FromSsoOptions = {}): () => Promise<{ token: string; expiration: Date }> {
  let kept: { token: string; expiration: Date } | undefined;
  let nextRead = 0;
  return async () => {
    const now = (options.now ?? Date.now)();
    if (kept) {
      const left = kept.expiration.getTime() - now;
      if (left > REFRESH_WINDOW_MS || (left > 0 && now < nextRead)) return kept;
    }
    const settings = ssoSessionSettings(options.profile, options.profileName ?? "default", options.sharedConfig);
    const { accessToken, expiresAt } = await loadToken(settings, options);
    nextRead = now + 60_000;
    kept = { token: accessToken, expiration: expiresAt };
    return kept;
  };
}
