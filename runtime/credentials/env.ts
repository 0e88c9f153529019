// Credentials from environment variables, as botocore's EnvProvider reads them:
// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN (or the legacy
// AWS_SECURITY_TOKEN), AWS_CREDENTIAL_EXPIRATION (ISO 8601) and AWS_ACCOUNT_ID. Empty values count
// as unset; one key without the other is an error, not a fall-through. The environment record is
// injected (default: process.env where it exists), so this module runs anywhere.

import { CredentialsError } from "../errors.js";
import { processEnv, type Env } from "../config/profiles.js";
import { CredentialsNotFoundError, makeCredentials, parseTimestamp, type CredentialProvider } from "./types.js";

export interface FromEnvOptions {
  env?: Env;
}

export function fromEnv(options: FromEnvOptions = {}): CredentialProvider {
  return async () => {
    const env = options.env ?? processEnv();
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId && !secretAccessKey) {
      throw new CredentialsNotFoundError(
        "environment variables",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
      );
    }
    if (!accessKeyId || !secretAccessKey) {
      throw new CredentialsError(
        `Partial credentials in environment variables: ${accessKeyId ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"}` +
          ` is set but ${accessKeyId ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"} is not`,
      );
    }
    let expiration: Date | undefined;
    if (env.AWS_CREDENTIAL_EXPIRATION) {
      expiration = parseTimestamp(env.AWS_CREDENTIAL_EXPIRATION);
      if (!expiration) {
        throw new CredentialsError("AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 timestamp");
      }
    }
    return makeCredentials({
      accessKeyId,
      secretAccessKey,
      sessionToken: env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN,
      expiration,
      accountId: env.AWS_ACCOUNT_ID,
    });
  };
}
