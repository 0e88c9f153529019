// Node-only: console-login credentials (`aws login`, profile key `login_session`), as the AWS SDKs'
// login provider reads them. The CLI caches a token document at
// $AWS_LOGIN_CACHE_DIRECTORY or ~/.aws/login/cache/<sha256 hex of login_session>.json holding
// accessToken {accessKeyId, secretAccessKey, sessionToken, accountId, expiresAt}, refreshToken,
// clientId, idToken and dpopKey (a PEM EC P-256 private key). Credentials valid for more than
// 5 more minutes are returned as they are. Otherwise the token is refreshed with AWS Sign-In
// CreateOAuth2Token (POST /v1/token, JSON {clientId, refreshToken, grantType: "refresh_token"}),
// the request carrying a DPoP proof (RFC 9449: an ES256 JWT with typ dpop+jwt, the public key as
// a JWK, and claims jti, htm, htu, iat) signed with the cached key; the answer
// {accessToken, expiresIn, refreshToken} is written back into the cache file, other fields kept.
// The endpoint is the configured "Signin" one or https://<region>.signin.aws.amazon.com
// (region: the profile's, then AWS_REGION, then us-east-1). Clock and jti source are injected.

import { createHash, createPrivateKey, createPublicKey, randomUUID, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CredentialsError } from "../errors.js";
import { configuredEndpointUrl } from "../config/endpoint-url.js";
import { homeDirectory } from "../config/shared.js";
import { processEnv, profileString, type Env, type SharedConfig } from "../config/profiles.js";
import type { IniSection } from "../config/ini.js";
import { makeCredentials, parseTimestamp, type Clock, type CredentialProvider, type Credentials } from "./types.js";
import { defaultFetch, joinUrl, parseJson, send, str, type FetchLike } from "./http.js";
import { cacheTimestamp, writeJsonAtomic } from "./cache-file.js";

export interface FromLoginOptions {
  /** The login_session value; else the profile's. */
  loginSession?: string;
  profile?: IniSection;
  profileName?: string;
  sharedConfig?: SharedConfig;
  env?: Env;
  homedir?: string;
  /** Defaults to AWS_LOGIN_CACHE_DIRECTORY or ~/.aws/login/cache. */
  cacheDirectory?: string;
  region?: string;
  fetch?: FetchLike;
  now?: Clock;
  /** The DPoP proof's jti source. */
  randomUUID?: () => string;
  /** Refresh when the credentials expire within this many ms. Default 300000. */
  refreshWindowMs?: number;
  timeoutMs?: number;
}

/** The cache file for a login session: sha256 hex of the (trimmed) session + ".json". */
export function loginCacheFile(directory: string, loginSession: string): string {
  return join(directory, createHash("sha256").update(loginSession.trim(), "utf8").digest("hex") + ".json");
}

function base64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString("base64url");
}

/** Builds a DPoP proof JWT for one request, signed with the PEM P-256 private key. */
export function dpopProof(pem: string, method: string, url: string, iatSeconds: number, jti: string): string {
  let key;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new CredentialsError("The login token cache holds a dpopKey that is not a valid PEM private key");
  }
  const jwk = createPublicKey(key).export({ format: "jwk" });
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.x || !jwk.y) {
    throw new CredentialsError("The login token cache's dpopKey is not an EC P-256 key");
  }
  const header = { typ: "dpop+jwt", alg: "ES256", jwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y } };
  const payload = { jti, htm: method, htu: url, iat: iatSeconds };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign("sha256", Buffer.from(signingInput), { key, dsaEncoding: "ieee-p1363" });
  return `${signingInput}.${base64url(signature)}`;
}

function signinHost(region: string): string {
  if (region.startsWith("cn-")) return `https://${region}.signin.amazonaws.cn`;
  if (region.startsWith("us-gov-")) return `https://${region}.signin.amazonaws-us-gov.com`;
  if (region.startsWith("eusc-")) return `https://${region}.signin.amazonaws-eusc.eu`;
  return `https://${region}.signin.aws.amazon.com`;
}

const REFRESH_ERRORS: Record<string, string> = {
  TOKEN_EXPIRED: "the login session has expired; run `aws login` again",
  USER_CREDENTIALS_CHANGED: "the password changed since login; run `aws login` again",
  INSUFFICIENT_PERMISSIONS: "missing permission for signin:CreateOAuth2Token",
};

export function fromLogin(options: FromLoginOptions = {}): CredentialProvider {
  return async (): Promise<Credentials> => {
    const env = options.env ?? processEnv();
    const loginSession = options.loginSession ?? profileString(options.profile, "login_session");
    if (!loginSession) throw new CredentialsError("fromLogin needs a login_session");
    const directory =
      options.cacheDirectory ??
      (env.AWS_LOGIN_CACHE_DIRECTORY || join(await homeDirectory(env, options.homedir), ".aws", "login", "cache"));
    const file = loginCacheFile(directory, loginSession);
    let doc: unknown;
    try {
      doc = parseJson(await readFile(file, "utf8"));
    } catch {
      throw new CredentialsError(`No cached login token (${file}); run \`aws login\``);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new CredentialsError(`The login token cache ${file} is not a JSON object; run \`aws login\``);
    }
    const cache = doc as Record<string, unknown>;
    const access = cache.accessToken;
    const accessKeyId = str(access, "accessKeyId");
    const secretAccessKey = str(access, "secretAccessKey");
    const sessionToken = str(access, "sessionToken");
    const accountId = str(access, "accountId");
    const expiresAt = parseTimestamp(str(access, "expiresAt"));
    const refreshToken = str(cache, "refreshToken");
    const clientId = str(cache, "clientId");
    const dpopKey = str(cache, "dpopKey");
    const missing: string[] = [];
    if (!accessKeyId || !secretAccessKey || !sessionToken || !expiresAt) missing.push("accessToken");
    if (!refreshToken) missing.push("refreshToken");
    if (!clientId) missing.push("clientId");
    if (!dpopKey) missing.push("dpopKey");
    if (missing.length > 0) {
      throw new CredentialsError(`The login token cache ${file} lacks ${missing.join(", ")}; run \`aws login\``);
    }
    const now = (options.now ?? Date.now)();
    if (expiresAt!.getTime() - (options.refreshWindowMs ?? 300_000) > now) {
      return makeCredentials({
        accessKeyId: accessKeyId!,
        secretAccessKey: secretAccessKey!,
        sessionToken,
        expiration: expiresAt,
        accountId,
      });
    }

    const region =
      options.region ??
      (profileString(options.profile, "region") || env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1");
    const endpoint =
      configuredEndpointUrl({
        serviceId: "Signin",
        env,
        ...(options.profileName !== undefined ? { profile: options.profileName } : {}),
        ...(options.sharedConfig ? { sharedConfig: options.sharedConfig } : {}),
      }) ?? signinHost(region);
    const url = joinUrl(endpoint, "/v1/token");
    const proof = dpopProof(dpopKey!, "POST", url, Math.floor(now / 1000), (options.randomUUID ?? randomUUID)());
    const response = await send(
      options.fetch ?? defaultFetch(),
      "Sign-In CreateOAuth2Token",
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", dpop: proof },
        body: JSON.stringify({ clientId, refreshToken, grantType: "refresh_token" }),
      },
      options.timeoutMs ?? 10_000,
    );
    const body = parseJson(response.body);
    if (response.status !== 200) {
      const code = str(body, "error");
      const hint = code ? REFRESH_ERRORS[code] : undefined;
      throw new CredentialsError(
        `Refreshing the login session failed (HTTP ${response.status}${code ? `, ${code}` : ""})${hint ? `: ${hint}` : ""}`,
      );
    }
    const fresh = (body as { accessToken?: unknown } | undefined)?.accessToken;
    const newKey = str(fresh, "accessKeyId");
    const newSecret = str(fresh, "secretAccessKey");
    const newToken = str(fresh, "sessionToken");
    const expiresIn = (body as { expiresIn?: unknown }).expiresIn;
    if (!newKey || !newSecret || !newToken || typeof expiresIn !== "number") {
      throw new CredentialsError("Sign-In CreateOAuth2Token returned incomplete credentials");
    }
    const expiration = new Date(now + expiresIn * 1000);
    const updated: Record<string, unknown> = {
      ...cache,
      accessToken: {
        accessKeyId: newKey,
        secretAccessKey: newSecret,
        sessionToken: newToken,
        ...(accountId ? { accountId } : {}),
        expiresAt: cacheTimestamp(expiration.getTime()),
      },
      refreshToken: str(body, "refreshToken") ?? refreshToken,
    };
    await writeJsonAtomic(file, updated);
    return makeCredentials({
      accessKeyId: newKey,
      secretAccessKey: newSecret,
      sessionToken: newToken,
      expiration,
      accountId,
    });
  };
}
