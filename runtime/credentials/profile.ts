// Node-only: credentials from a shared-config profile, resolved as botocore resolves them. For one
// profile the sources are tried in botocore's order:
//   1. assume role: role_arn (without web_identity_token_file) with exactly one of source_profile
//      or credential_source (Environment | Ec2InstanceMetadata | EcsContainer); external_id,
//      duration_seconds, role_session_name, mfa_serial (the code comes from `mfaCodeProvider`);
//   2. web identity: web_identity_token_file + role_arn (plus the AWS_* variables in the default chain);
//   3. SSO: sso_session or the legacy sso_* keys;           4. login: login_session;
//   5. static keys from the credentials file;               6. credential_process;
//   7. static keys from the config file.
// A source_profile is resolved with the same sources minus the environment: when it has static
// keys or no role_arn its own sources give the credentials (so `source_profile = self` with keys
// works), otherwise it assumes its own role first, so chains of any depth resolve, root first.
// A loop (A -> B -> A) is a ConfigError-style CredentialsError naming the chain. Config files are
// read once per resolution; STS goes through the injected StsCaller (default: sts.ts).

import { CredentialsError } from "../errors.js";
import { loadSharedConfig } from "../config/shared.js";
import {
  own,
  processEnv,
  profileFromEnv,
  profileString,
  resolveProfile,
  type Env,
  type SharedConfig,
} from "../config/profiles.js";
import type { IniSection } from "../config/ini.js";
import {
  CredentialsNotFoundError,
  isTryNext,
  makeCredentials,
  type Clock,
  type CredentialProvider,
  type Credentials,
} from "./types.js";
import { firstCredentials } from "./chain.js";
import { fromEnv } from "./env.js";
import { fromContainer, type FromContainerOptions } from "./container.js";
import { fromInstanceMetadata, type InstanceMetadataOptions } from "./imds.js";
import { fromWebIdentity } from "./web-identity.js";
import { fromProcess } from "./process.js";
import { fromSso, hasSsoSettings, ssoSettingsFromProfile } from "./sso.js";
import { fromLogin } from "./login.js";
import { createStsCaller, type StsCaller } from "./sts.js";
import type { FetchLike } from "./http.js";

export interface FromProfileOptions {
  /** Profile name; defaults to AWS_PROFILE / AWS_DEFAULT_PROFILE / "default". */
  profile?: string;
  /** Defaults to process.env. */
  env?: Env;
  /** Already-loaded config; else the files are read on each resolution. */
  sharedConfig?: SharedConfig;
  configFile?: string | readonly string[];
  credentialsFile?: string | readonly string[];
  homedir?: string;
  /** Region for STS calls; defaults to AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1. */
  region?: string;
  /** STS transport; defaults to the hand-written awsQuery caller. */
  sts?: StsCaller;
  /** Returns the current MFA code for an mfa_serial. */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  fetch?: FetchLike;
  now?: Clock;
  /** Overrides for the SSO and login token cache directories. */
  ssoCacheDirectory?: string;
  loginCacheDirectory?: string;
  /** credential_process timeout, ms (default none). */
  processTimeoutMs?: number;
  /** Options for credential_source = EcsContainer / Ec2InstanceMetadata. */
  container?: Omit<FromContainerOptions, "env">;
  imds?: Omit<InstanceMetadataOptions, "env">;
}

/** Everything one resolution shares: the config read once, the environment, STS. */
export interface ProfileContext {
  options: FromProfileOptions;
  env: Env;
  config: SharedConfig;
  profileName: string;
  /** True when the name was chosen (option or AWS_PROFILE), not the fallback "default". */
  explicitProfile: boolean;
  region: string;
  sts: StsCaller;
  now: Clock;
}

export async function createProfileContext(options: FromProfileOptions): Promise<ProfileContext> {
  const env = options.env ?? processEnv();
  const config =
    options.sharedConfig ??
    (await loadSharedConfig({
      env,
      ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
      ...(options.credentialsFile !== undefined ? { credentialsFile: options.credentialsFile } : {}),
      ...(options.homedir !== undefined ? { homedir: options.homedir } : {}),
    }));
  const profileName = options.profile ?? profileFromEnv(env);
  const explicitProfile = options.profile !== undefined || Boolean(env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE);
  const now = options.now ?? Date.now;
  const region =
    options.region ||
    env.AWS_REGION ||
    env.AWS_DEFAULT_REGION ||
    profileString(resolveProfile(config, profileName), "region") ||
    "us-east-1";
  const sts =
    options.sts ??
    createStsCaller({
      env,
      sharedConfig: config,
      profile: profileName,
      now,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  return { options, env, config, profileName, explicitProfile, region, sts, now };
}

function filesLooked(config: SharedConfig): string {
  const files = [...config.configFiles, ...config.credentialsFiles];
  return files.length > 0 ? files.join(", ") : "the given shared config";
}

const CREDENTIAL_KEYS =
  "role_arn, web_identity_token_file, sso_session / sso_start_url, login_session, aws_access_key_id, credential_process";

function hasStatic(section: IniSection | undefined): boolean {
  return profileString(section, "aws_access_key_id") !== undefined;
}

function hasAssumeRoleVars(profile: IniSection | undefined): boolean {
  return (
    profileString(profile, "role_arn") !== undefined && profileString(profile, "web_identity_token_file") === undefined
  );
}

function staticFrom(section: IniSection | undefined, name: string, file: string, source: string): CredentialProvider {
  return async () => {
    if (!hasStatic(section))
      throw new CredentialsNotFoundError(source, `profile "${name}" has no aws_access_key_id in the ${file} file`);
    const accessKeyId = profileString(section, "aws_access_key_id")!;
    const secretAccessKey = profileString(section, "aws_secret_access_key");
    if (!accessKeyId || !secretAccessKey) {
      throw new CredentialsError(
        `Partial credentials in profile "${name}" (${file} file): aws_access_key_id needs aws_secret_access_key`,
      );
    }
    return makeCredentials({
      accessKeyId,
      secretAccessKey,
      sessionToken: profileString(section, "aws_session_token") || profileString(section, "aws_security_token"),
      accountId: profileString(section, "aws_account_id"),
    });
  };
}

export type ProfileStep = { source: string; provider: CredentialProvider };

/**
 * The sources of one profile, in botocore's order. `withRole` includes step 1 (a source profile
 * that is resolved through its own sources leaves it out); `webIdentityEnv` lets the AWS_*
 * web-identity variables count (only in the default chain, as botocore).
 */
export function profileSteps(
  ctx: ProfileContext,
  name: string,
  opts: { withRole: boolean; webIdentityEnv: boolean; visited: string[] },
): ProfileStep[] {
  const o = ctx.options;
  const profile = resolveProfile(ctx.config, name);
  const src = `profile "${name}"`;
  const steps: ProfileStep[] = [];
  if (opts.withRole) {
    steps.push({
      source: "assume role",
      provider: async () => {
        if (!hasAssumeRoleVars(profile)) throw new CredentialsNotFoundError(src, "no role_arn");
        return assumeRole(ctx, name, opts.visited);
      },
    });
  }
  steps.push({
    source: "web identity",
    provider: async () => {
      const useEnv = opts.webIdentityEnv;
      if (!useEnv && profileString(profile, "web_identity_token_file") === undefined) {
        throw new CredentialsNotFoundError(src, "no web_identity_token_file");
      }
      return fromWebIdentity({
        env: ctx.env,
        ignoreEnv: !useEnv,
        ...(profile ? { profile } : {}),
        region: ctx.region,
        sts: ctx.sts,
        now: ctx.now,
      })();
    },
  });
  steps.push({
    source: "SSO",
    provider: async () => {
      if (!profile || !hasSsoSettings(profile))
        throw new CredentialsNotFoundError(src, "no sso_session or sso_* settings");
      return fromSso({
        settings: ssoSettingsFromProfile(profile, name, ctx.config),
        profileName: ctx.profileName,
        sharedConfig: ctx.config,
        env: ctx.env,
        now: ctx.now,
        ...(o.homedir !== undefined ? { homedir: o.homedir } : {}),
        ...(o.ssoCacheDirectory !== undefined ? { cacheDirectory: o.ssoCacheDirectory } : {}),
        ...(o.fetch ? { fetch: o.fetch } : {}),
      })();
    },
  });
  steps.push({
    source: "login",
    provider: async () => {
      const loginSession = profileString(profile, "login_session");
      if (!loginSession) throw new CredentialsNotFoundError(src, "no login_session");
      return fromLogin({
        loginSession,
        ...(profile ? { profile } : {}),
        profileName: ctx.profileName,
        sharedConfig: ctx.config,
        env: ctx.env,
        now: ctx.now,
        ...(o.homedir !== undefined ? { homedir: o.homedir } : {}),
        ...(o.loginCacheDirectory !== undefined ? { cacheDirectory: o.loginCacheDirectory } : {}),
        ...(o.fetch ? { fetch: o.fetch } : {}),
      })();
    },
  });
  steps.push({
    source: "credentials file",
    provider: staticFrom(own(ctx.config.credentials, name), name, "credentials", src),
  });
  steps.push({
    source: "credential_process",
    provider: async () => {
      const command = profileString(profile, "credential_process");
      if (!command) throw new CredentialsNotFoundError(src, "no credential_process");
      return fromProcess({
        command,
        env: ctx.env,
        profileName: name,
        ...(profileString(profile, "aws_account_id") ? { accountId: profileString(profile, "aws_account_id")! } : {}),
        ...(o.processTimeoutMs !== undefined ? { timeoutMs: o.processTimeoutMs } : {}),
      })();
    },
  });
  steps.push({ source: "config file", provider: staticFrom(own(ctx.config.profiles, name), name, "config", src) });
  return steps;
}

/** Resolves a profile's own sources (no environment variables), as for a source_profile. */
async function credentialsForSourceProfile(ctx: ProfileContext, name: string, visited: string[]): Promise<Credentials> {
  const profile = resolveProfile(ctx.config, name);
  if (!profile) throw new CredentialsError(`source_profile "${name}" does not exist in ${filesLooked(ctx.config)}`);
  if (hasStatic(profile) || !hasAssumeRoleVars(profile)) {
    const steps = profileSteps(ctx, name, { withRole: false, webIdentityEnv: false, visited });
    try {
      return await firstCredentials(
        steps.map((s) => s.provider),
        `source profile "${name}"`,
      );
    } catch (err) {
      if (isTryNext(err))
        throw new CredentialsError(`The source profile "${name}" must have credentials`, { cause: err });
      throw err;
    }
  }
  return assumeRole(ctx, name, visited);
}

async function credentialSource(ctx: ProfileContext, name: string, kind: string): Promise<Credentials> {
  let provider: CredentialProvider;
  if (kind === "Environment") provider = fromEnv({ env: ctx.env });
  else if (kind === "Ec2InstanceMetadata")
    provider = fromInstanceMetadata({
      ...ctx.options.imds,
      env: ctx.env,
      profile: resolveProfile(ctx.config, name) ?? {},
    });
  else if (kind === "EcsContainer") provider = fromContainer({ ...ctx.options.container, env: ctx.env });
  else {
    throw new CredentialsError(
      `Profile "${name}" has an unsupported credential_source "${kind}" (use Environment, Ec2InstanceMetadata or EcsContainer)`,
    );
  }
  try {
    return await provider();
  } catch (err) {
    if (isTryNext(err)) {
      throw new CredentialsError(`credential_source ${kind} of profile "${name}" found no credentials`, { cause: err });
    }
    throw err;
  }
}

/** Assumes the role of profile `name`, resolving its source first. */
async function assumeRole(ctx: ProfileContext, name: string, visited: string[]): Promise<Credentials> {
  const profile = resolveProfile(ctx.config, name)!;
  const roleArn = profileString(profile, "role_arn")!;
  const sourceProfile = profileString(profile, "source_profile");
  const source = profileString(profile, "credential_source");
  if (sourceProfile !== undefined && source !== undefined) {
    throw new CredentialsError(`Profile "${name}" has both source_profile and credential_source; use one`);
  }
  if (sourceProfile === undefined && source === undefined) {
    throw new CredentialsError(`Profile "${name}" has role_arn but neither source_profile nor credential_source`);
  }
  let sourceCredentials: Credentials;
  if (sourceProfile !== undefined) {
    const target = resolveProfile(ctx.config, sourceProfile);
    if (!target)
      throw new CredentialsError(
        `source_profile "${sourceProfile}" of profile "${name}" does not exist in ${filesLooked(ctx.config)}`,
      );
    if (visited.includes(sourceProfile) && (sourceProfile !== name || !hasStatic(target))) {
      throw new CredentialsError(
        `Infinite loop in role chain: ${[...visited, sourceProfile].map((p) => `"${p}"`).join(" -> ")}`,
      );
    }
    sourceCredentials = await credentialsForSourceProfile(ctx, sourceProfile, [...visited, sourceProfile]);
  } else {
    sourceCredentials = await credentialSource(ctx, name, source!);
  }

  const params: Record<string, string> = {
    RoleArn: roleArn,
    RoleSessionName: profileString(profile, "role_session_name") || `tsaws-session-${ctx.now()}`,
  };
  const externalId = profileString(profile, "external_id");
  if (externalId) params.ExternalId = externalId;
  const duration = profileString(profile, "duration_seconds");
  if (duration) {
    if (!/^\d+$/.test(duration))
      throw new CredentialsError(`duration_seconds of profile "${name}" is not a whole number`);
    params.DurationSeconds = duration;
  }
  const mfaSerial = profileString(profile, "mfa_serial");
  if (mfaSerial) {
    const mfa = ctx.options.mfaCodeProvider;
    if (!mfa)
      throw new CredentialsError(
        `Profile "${name}" requires an MFA code (mfa_serial) but no mfaCodeProvider was given`,
      );
    params.SerialNumber = mfaSerial;
    params.TokenCode = (await mfa(mfaSerial)).trim();
  }
  return ctx.sts("AssumeRole", params, ctx.region, sourceCredentials);
}

/** Runs the profile's steps (all of them) for the context's profile. */
export async function resolveProfileCredentials(ctx: ProfileContext, webIdentityEnv: boolean): Promise<Credentials> {
  const name = ctx.profileName;
  const exists = resolveProfile(ctx.config, name) !== undefined;
  if (!exists && ctx.explicitProfile) {
    throw new CredentialsError(`The profile "${name}" was not found in ${filesLooked(ctx.config)}`);
  }
  if (!exists && !webIdentityEnv) {
    throw new CredentialsNotFoundError(
      "the shared config",
      `shared config profile "${name}": not in ${filesLooked(ctx.config)}`,
      { qualified: true },
    );
  }
  const steps = profileSteps(ctx, name, { withRole: true, webIdentityEnv, visited: [name] });
  try {
    return await firstCredentials(
      steps.map((s) => s.provider),
      `profile "${name}"`,
    );
  } catch (err) {
    if (err instanceof CredentialsNotFoundError) {
      const looked = [
        exists
          ? `shared config profile "${name}" (${filesLooked(ctx.config)}): none of ${CREDENTIAL_KEYS}`
          : `shared config profile "${name}": not in ${filesLooked(ctx.config)}`,
      ];
      if (webIdentityEnv) looked.push("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set");
      throw new CredentialsNotFoundError("the shared config", looked, { qualified: true });
    }
    throw err;
  }
}

/** Credentials from one profile of the shared config and credentials files. */
export function fromProfile(options: FromProfileOptions = {}): CredentialProvider {
  return async () => resolveProfileCredentials(await createProfileContext(options), false);
}
