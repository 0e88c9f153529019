// Node-only: AssumeRoleWithWebIdentity from a token file, as botocore's
// AssumeRoleWithWebIdentityProvider does it. The token file, role ARN and session name come from
// explicit options, else AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN / AWS_ROLE_SESSION_NAME, else
// the profile's web_identity_token_file / role_arn / role_session_name (the environment wins, as in
// botocore). The file is re-read on every call because EKS and others rotate it. The STS call is
// unsigned and goes through the injected StsCaller.

import { readFile } from "node:fs/promises";
import { CredentialsError } from "../errors.js";
import { processEnv, profileString, type Env } from "../config/profiles.js";
import type { IniSection } from "../config/ini.js";
import { CredentialsNotFoundError, type Clock, type CredentialProvider, type Credentials } from "./types.js";
import { createStsCaller, type StsCaller } from "./sts.js";

export interface FromWebIdentityOptions {
  env?: Env;
  /** Profile settings to fall back on (web_identity_token_file, role_arn, role_session_name, duration_seconds). */
  profile?: IniSection;
  /** When true, only the profile's settings are used (a source profile in a role chain). */
  ignoreEnv?: boolean;
  webIdentityTokenFile?: string;
  roleArn?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  region?: string;
  sts?: StsCaller;
  now?: Clock;
}

export function fromWebIdentity(options: FromWebIdentityOptions = {}): CredentialProvider {
  return async (): Promise<Credentials> => {
    const env = options.ignoreEnv ? {} : (options.env ?? processEnv());
    const setting = (envName: string, profileKey: string): string | undefined =>
      env[envName] || profileString(options.profile, profileKey) || undefined;
    const tokenFile = options.webIdentityTokenFile ?? setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    if (!tokenFile) {
      throw new CredentialsNotFoundError(
        "web identity",
        "AWS_WEB_IDENTITY_TOKEN_FILE / web_identity_token_file is not set",
      );
    }
    const roleArn = options.roleArn ?? setting("AWS_ROLE_ARN", "role_arn");
    if (!roleArn) {
      throw new CredentialsError("A web identity token file is configured but no role ARN (AWS_ROLE_ARN / role_arn)");
    }
    let token: string;
    try {
      token = (await readFile(tokenFile, "utf8")).trim();
    } catch (err) {
      throw new CredentialsError(
        `Unable to read the web identity token file ${tokenFile}: ${(err as { code?: string }).code ?? "read failed"}`,
      );
    }
    if (!token) throw new CredentialsError(`The web identity token file ${tokenFile} is empty`);
    const now = options.now ?? Date.now;
    const params: Record<string, string> = {
      RoleArn: roleArn,
      RoleSessionName:
        options.roleSessionName ?? setting("AWS_ROLE_SESSION_NAME", "role_session_name") ?? `tsaws-session-${now()}`,
      WebIdentityToken: token,
    };
    const duration = options.durationSeconds ?? profileString(options.profile, "duration_seconds");
    if (duration !== undefined) params.DurationSeconds = String(duration);
    const region =
      options.region ??
      (env.AWS_REGION || env.AWS_DEFAULT_REGION || profileString(options.profile, "region") || "us-east-1");
    const sts = options.sts ?? createStsCaller({ env, now });
    return sts("AssumeRoleWithWebIdentity", params, region);
  };
}
