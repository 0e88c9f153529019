// The few HTTP exchanges credential providers make (STS, SSO, SSO-OIDC, Sign-In, the container
// endpoint, IMDS) are small request/response pairs, so they go through fetch (injectable; Node 20
// and browsers have it) with a per-attempt timeout, rather than through a service client: a
// credential provider must not depend on the client that needs its credentials. Bodies are read
// whole as text. Errors name the endpoint's host and the HTTP status, never headers or bodies
// sent (tokens travel in them).

import { CredentialsError } from "../errors.js";
import { makeCredentials, type Credentials } from "./types.js";

export type FetchLike = (
  input: string,
  init: {
    method: string;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
  },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface SimpleResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: string;
}

/** No answer at all: the connection failed or timed out. */
export class CredentialsNetworkError extends CredentialsError {
  override name = "CredentialsNetworkError";
}

export function defaultFetch(): FetchLike {
  const f = (globalThis as { fetch?: unknown }).fetch;
  if (typeof f !== "function") throw new CredentialsError("no fetch implementation is available: pass `fetch`");
  return f as FetchLike;
}

/** Sends one request; rejects with a CredentialsError naming `what` on network failure or timeout. */
export async function send(
  fetchImpl: FetchLike,
  what: string,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<SimpleResponse> {
  const controller = new AbortController();
  const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(), timeoutMs) : undefined;
  try {
    const response = await fetchImpl(url, { ...init, signal: controller.signal });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  } catch (err) {
    const timedOut = controller.signal.aborted;
    throw new CredentialsNetworkError(
      `${what}: ${timedOut ? `no response within ${timeoutMs} ms` : "request failed"} (${describeUrl(url)})`,
      { cause: err },
    );
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Scheme, host and path of a URL, without query or credentials, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "an invalid URL";
  }
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Joins an endpoint (which may carry a base path) and a request path. */
export function joinUrl(endpoint: string, path: string): string {
  return endpoint.replace(/\/+$/, "") + path;
}

/** The DNS suffix of the partition a region belongs to. */
export function dnsSuffix(region: string): string {
  if (region.startsWith("cn-")) return "amazonaws.com.cn";
  if (region.startsWith("us-isob-")) return "sc2s.sgov.gov";
  if (region.startsWith("us-iso-")) return "c2s.ic.gov";
  if (region.startsWith("us-isof-")) return "csp.hci.ic.gov";
  if (region.startsWith("eu-isoe-")) return "cloud.adc-e.uk";
  if (region.startsWith("eusc-")) return "amazonaws.eu";
  return "amazonaws.com";
}

/** A string member of a JSON object, or undefined. */
export function str(obj: unknown, key: string): string | undefined {
  if (typeof obj !== "object" || obj === null) return undefined;
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === "string" ? v : undefined;
}

/**
 * Credentials from the JSON document the container and instance metadata endpoints serve
 * (AccessKeyId, SecretAccessKey, Token, AccountId), with the expiration the caller settled.
 */
export function metadataCredentials(
  body: unknown,
  accessKeyId: string,
  secretAccessKey: string,
  expiration: Date | undefined,
): Credentials {
  return makeCredentials({
    accessKeyId,
    secretAccessKey,
    sessionToken: str(body, "Token"),
    expiration,
    accountId: str(body, "AccountId"),
  });
}
