// Node-only: credentials from the ECS / EKS Pod Identity container endpoint, as botocore's
// ContainerProvider fetches them. AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a path on
// http://169.254.170.2; otherwise AWS_CONTAINER_CREDENTIALS_FULL_URI is used as is when it is https,
// or http to an allowed host (loopback, the ECS 169.254.170.2 and EKS 169.254.170.23 /
// [fd00:ec2::23] addresses). The Authorization header comes from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
// (re-read every call, the agent rotates it) or AWS_CONTAINER_AUTHORIZATION_TOKEN. The JSON answer
// is {AccessKeyId, SecretAccessKey, Token, Expiration, AccountId?}. Three attempts, 2 s each, as
// botocore; messages name the host but never the token.

import { readFile } from "node:fs/promises";
import { CredentialsError } from "../errors.js";
import { processEnv, type Env } from "../config/profiles.js";
import { CredentialsNotFoundError, parseTimestamp, type CredentialProvider } from "./types.js";
import { defaultFetch, describeUrl, metadataCredentials, parseJson, send, sleep, str, type FetchLike } from "./http.js";

export interface FromContainerOptions {
  env?: Env;
  fetch?: FetchLike;
  /** Base URL for RELATIVE_URI. Default http://169.254.170.2 (tests point it at a local server). */
  relativeUriHost?: string;
  /** Per-attempt timeout, ms. Default 2000. */
  timeoutMs?: number;
  /** Attempts. Default 3. */
  maxAttempts?: number;
  /** Wait between attempts, ms. Default 1000. */
  retryDelayMs?: number;
}

const ECS_HOST = "http://169.254.170.2";
const ALLOWED_HTTP_HOSTS = new Set(["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]"]);

function isAllowedFullUri(url: URL): boolean {
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const host = url.hostname.toLowerCase();
  return ALLOWED_HTTP_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The credentials URL from the environment, or undefined when none is set. */
export function containerCredentialsUrl(env: Env, relativeUriHost = ECS_HOST): string | undefined {
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  if (relative) return relativeUriHost.replace(/\/+$/, "") + (relative.startsWith("/") ? "" : "/") + relative;
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!full) return undefined;
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    throw new CredentialsError("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL");
  }
  if (!isAllowedFullUri(url)) {
    throw new CredentialsError(
      `AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback or container-metadata address; got ${url.protocol}//${url.host}`,
    );
  }
  return full;
}

async function authorizationToken(env: Env): Promise<string | undefined> {
  const file = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  let token: string | undefined;
  if (file) {
    try {
      token = (await readFile(file, "utf8")).trim();
    } catch (err) {
      throw new CredentialsError(
        `Unable to read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (${file}): ${(err as { code?: string }).code ?? "read failed"}`,
      );
    }
  } else {
    token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  }
  if (token && /[\r\n]/.test(token))
    throw new CredentialsError("The container authorization token contains a line break");
  return token || undefined;
}

export function fromContainer(options: FromContainerOptions = {}): CredentialProvider {
  return async () => {
    const env = options.env ?? processEnv();
    const url = containerCredentialsUrl(env, options.relativeUriHost);
    if (!url) {
      throw new CredentialsNotFoundError(
        "the container credentials endpoint",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
      );
    }
    const fetchImpl = options.fetch ?? defaultFetch();
    const maxAttempts = options.maxAttempts ?? 3;
    let lastError: CredentialsError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(options.retryDelayMs ?? 1000);
      const token = await authorizationToken(env);
      const headers: Record<string, string> = { accept: "application/json" };
      if (token) headers.authorization = token;
      try {
        const response = await send(
          fetchImpl,
          "Container credentials endpoint",
          url,
          { method: "GET", headers },
          options.timeoutMs ?? 2000,
        );
        if (response.status !== 200) {
          lastError = new CredentialsError(
            `Container credentials endpoint ${describeUrl(url)} answered HTTP ${response.status}`,
          );
          if (response.status >= 400 && response.status < 500 && response.status !== 429) break;
          continue;
        }
        const body = parseJson(response.body);
        const accessKeyId = str(body, "AccessKeyId");
        const secretAccessKey = str(body, "SecretAccessKey");
        if (!accessKeyId || !secretAccessKey) {
          lastError = new CredentialsError(
            `Container credentials endpoint ${describeUrl(url)} returned no credentials`,
          );
          continue;
        }
        const expirationText = str(body, "Expiration");
        const expiration = parseTimestamp(expirationText);
        if (expirationText && !expiration) {
          throw new CredentialsError("Container credentials endpoint returned an invalid Expiration");
        }
        return metadataCredentials(body, accessKeyId, secretAccessKey, expiration);
      } catch (err) {
        if (!(err instanceof CredentialsError)) throw err;
        lastError = err;
      }
    }
    throw lastError ?? new CredentialsError("Container credentials endpoint failed");
  };
}
