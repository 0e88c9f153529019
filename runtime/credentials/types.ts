// Shared vocabulary of the credential providers. A provider is a lazy async function returning
// Credentials; it is assignable to @smithy/types' AwsCredentialIdentityProvider, and the chain
// accepts any such provider. A provider that is simply not configured throws
// CredentialsNotFoundError (tryNextLink = true, the same flag smithy's ProviderError uses) saying
// where it looked, so a chain can move on and finally list every place; any other error (a
// malformed profile, a failed STS call) stops the chain. Messages never include secret values.

import { CredentialsError } from "../errors.js";
import type { Credentials as SignerCredentials } from "../signer/sigv4.js";

/**
 * AWS credentials: the signer's Credentials (runtime/signer/sigv4.ts: accessKeyId,
 * secretAccessKey, sessionToken?, expiration?) plus the account they belong to when the source
 * says so; structurally an @smithy/types AwsCredentialIdentity.
 */
export interface Credentials extends SignerCredentials {
  accountId?: string;
}

/** A lazy credentials source. Takes smithy's optional identity properties and ignores them. */
export type CredentialProvider = (identityProperties?: Record<string, unknown>) => Promise<Credentials>;

/** Raised by a provider that has nothing configured: the chain tries the next one. */
export class CredentialsNotFoundError extends CredentialsError {
  override name = "CredentialsNotFoundError";
  /** Smithy's flag for "try the next provider in the chain". */
  readonly tryNextLink = true;
  /** Short description of the source, e.g. "environment variables". */
  readonly source: string;
  /** Where the provider looked and what it found missing (no secrets). */
  readonly looked: readonly string[];
  /** True when each `looked` entry already names its source ("web identity: ..."). */
  readonly qualified: boolean;
  constructor(source: string, looked: string | readonly string[], options: { qualified?: boolean } = {}) {
    const list = typeof looked === "string" ? [looked] : looked;
    super(
      list.length === 1
        ? `No credentials from ${source}: ${list[0]}`
        : `No credentials from ${source}. Looked in:\n${list.map((l) => `  - ${l}`).join("\n")}`,
    );
    this.source = source;
    this.looked = list;
    this.qualified = options.qualified ?? false;
  }
}

/** True for an error that means "this provider is not configured, try the next". */
export function isTryNext(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { tryNextLink?: unknown }).tryNextLink === true;
}

/** Parses an ISO-8601 / RFC 3339 timestamp (or epoch milliseconds) into a Date; undefined when invalid. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value);
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Builds a Credentials object without undefined-valued optional members. */
export function makeCredentials(parts: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
  accountId?: string | undefined;
}): Credentials {
  const out: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
    accountId?: string;
  } = { accessKeyId: parts.accessKeyId, secretAccessKey: parts.secretAccessKey };
  if (parts.sessionToken) out.sessionToken = parts.sessionToken;
  if (parts.expiration) out.expiration = parts.expiration;
  if (parts.accountId) out.accountId = parts.accountId;
  return out;
}

/** The account id inside an ARN such as arn:aws:sts::123456789012:assumed-role/x/y. */
export function accountIdFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Milliseconds since the epoch; injected everywhere time matters. */
export type Clock = () => number;
