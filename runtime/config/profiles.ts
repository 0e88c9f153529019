// Platform-neutral view of loaded shared config: the SharedConfig record, profile lookup with
// botocore's config-over-credentials merge, and the injected environment type. Loading files is
// node-only (shared.ts); everything here also runs in browsers.

import { buildProfileMap, parseIni, type IniSection } from "./ini.js";

/** An environment: variable name to value (process.env or a test's own record). */
export type Env = Readonly<Record<string, string | undefined>>;

export interface SharedConfig {
  /** Profiles from the config file(s): `[default]` and `[profile name]`. */
  profiles: Record<string, IniSection>;
  /** `[sso-session name]` sections. */
  ssoSessions: Record<string, IniSection>;
  /** `[services name]` sections (nested per-service settings such as `endpoint_url`). */
  services: Record<string, IniSection>;
  /** Profiles from the credentials file(s): every section is a profile name, no prefix. */
  credentials: Record<string, IniSection>;
  /** The files that were looked at, for messages (absent ones included). */
  configFiles: readonly string[];
  credentialsFiles: readonly string[];
}

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** process.env where there is one (Node, Deno, Bun), else an empty record (browsers). */
export function processEnv(): Env {
  const p = (globalThis as { process?: { env?: Env } }).process;
  return p?.env ?? {};
}

/** The profile name from the environment: AWS_PROFILE, then AWS_DEFAULT_PROFILE, then "default". */
export function profileFromEnv(env: Env): string {
  return env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || "default";
}

/** Builds a SharedConfig from file contents already in memory (tests, bundlers, browsers). */
export function sharedConfigFromText(configText = "", credentialsText = ""): SharedConfig {
  const map = buildProfileMap(parseIni(configText, { path: "config" }));
  return {
    profiles: map.profiles,
    ssoSessions: map.ssoSessions,
    services: map.services,
    credentials: parseIni(credentialsText, { path: "credentials" }),
    configFiles: [],
    credentialsFiles: [],
  };
}

/**
 * The settings of one profile: the config file's `[profile name]` (or `[default]`) with the
 * credentials file's `[name]` laid over it, as botocore's `full_config` merges them.
 * Undefined when neither file has the profile.
 */
export function resolveProfile(config: SharedConfig, name: string): IniSection | undefined {
  const fromConfig = own(config.profiles, name);
  const fromCredentials = own(config.credentials, name);
  if (!fromConfig && !fromCredentials) return undefined;
  const out = record<IniSection[string]>();
  if (fromConfig) for (const k of Object.keys(fromConfig)) out[k] = fromConfig[k]!;
  if (fromCredentials) for (const k of Object.keys(fromCredentials)) out[k] = fromCredentials[k]!;
  return out;
}

/** An own entry of a record (never an inherited one such as `constructor`). */
export function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** A string setting of a profile (nested blocks are not strings and read as undefined). */
export function profileString(profile: IniSection | undefined, key: string): string | undefined {
  const v = profile ? own(profile, key) : undefined;
  return typeof v === "string" ? v : undefined;
}
