// Node-only: loads the shared config and credentials files as botocore does. Paths come from
// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (defaults ~/.aws/config and ~/.aws/credentials),
// with `~` and `$VAR` expanded; a missing file is no error, a malformed one is a ConfigError.
// Several files of one kind merge as botocore's `multi_file_load_config`: the first file that
// defines a profile (or sso-session, or services section) supplies all of it. The environment is
// an injected record, so tests and concurrent sessions never share process state; nothing is cached
// here (callers memoize).
//
// Start-up: node:fs and node:os are taken when the files are first read (os only when no HOME-like
// variable is set), not when the runtime loads, and through process.getBuiltinModule where Node has
// it (20.16+): `import("node:fs")` would build fs's ES namespace, which reads every export and so
// loads fs's lazy parts (streams, watchers, readline), about a millisecond of a client's first call.
// The files are read with the callback API, which costs less per file than fs/promises' FileHandles.

import { ConfigError } from "../errors.js";
import { buildProfileMap, parseIni, type IniSection } from "./ini.js";
import { type Env, type SharedConfig, processEnv } from "./profiles.js";

export type { IniFile, IniSection, IniSubsection, IniValue } from "./ini.js";
export * from "./profiles.js";

export interface LoadSharedConfigOptions {
  /** Defaults to process.env. */
  env?: Env;
  /** Config file path(s); defaults to AWS_CONFIG_FILE or ~/.aws/config. */
  configFile?: string | readonly string[];
  /** Credentials file path(s); defaults to AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials. */
  credentialsFile?: string | readonly string[];
  /** Home directory for `~`; defaults to HOME / USERPROFILE from env, then os.homedir(). */
  homedir?: string;
}

type NodeFs = typeof import("node:fs");
type NodeOs = typeof import("node:os");

/** A Node builtin: process.getBuiltinModule where Node has it, else a dynamic import. */
function builtin<T>(id: "node:fs" | "node:os", load: () => Promise<T>): T | Promise<T> {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return get !== undefined ? (get(id) as T) : load();
}

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The home directory: an explicit value, then HOME/USERPROFILE/HOMEDRIVE+HOMEPATH, then the OS. */
export async function homeDirectory(env: Env, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEDRIVE && env.HOMEPATH) return env.HOMEDRIVE + env.HOMEPATH;
  return (await builtin<NodeOs>("node:os", () => import("node:os"))).homedir();
}

/** Expands `$VAR`, `${VAR}` (left as is when unset, like os.path.expandvars) and a leading `~`. */
export function expandPath(path: string, env: Env, home: string): string {
  let out = path.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, a: string | undefined, b: string | undefined) => {
    const value = env[(a ?? b)!];
    return value === undefined ? whole : value;
  });
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) out = home + out.slice(1);
  return out;
}

function readFile(fs: NodeFs, path: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => fs.readFile(path, (err, data) => (err ? reject(err) : resolve(data))));
}

async function readIfPresent(fs: NodeFs, path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(fs, path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
    throw new ConfigError(`Unable to read config file ${path}: ${code ?? "read failed"}`, { cause: err });
  }
}

function mergeFirstWins(target: Record<string, IniSection>, source: Record<string, IniSection>): void {
  for (const key of Object.keys(source)) if (!(key in target)) target[key] = source[key]!;
}

function paths(value: string | readonly string[] | undefined, fallback: string): string[] {
  if (value === undefined) return [fallback];
  return typeof value === "string" ? [value] : [...value];
}

/** Reads and parses the shared config and credentials files. */
export async function loadSharedConfig(options: LoadSharedConfigOptions = {}): Promise<SharedConfig> {
  const env = options.env ?? processEnv();
  const home = await homeDirectory(env, options.homedir);
  const configFiles = paths(options.configFile, env.AWS_CONFIG_FILE || "~/.aws/config").map((p) =>
    expandPath(p, env, home),
  );
  const credentialsFiles = paths(options.credentialsFile, env.AWS_SHARED_CREDENTIALS_FILE || "~/.aws/credentials").map(
    (p) => expandPath(p, env, home),
  );

  const config: SharedConfig = {
    profiles: record(),
    ssoSessions: record(),
    services: record(),
    credentials: record(),
    configFiles,
    credentialsFiles,
  };
  const fs = await builtin<NodeFs>("node:fs", () => import("node:fs"));
  const read = (path: string): Promise<Uint8Array | undefined> => readIfPresent(fs, path);
  const [configBytes, credentialBytes] = await Promise.all([
    Promise.all(configFiles.map(read)),
    Promise.all(credentialsFiles.map(read)),
  ]);
  configFiles.forEach((path, i) => {
    const bytes = configBytes[i];
    if (!bytes) return;
    const map = buildProfileMap(parseIni(bytes, { path }));
    mergeFirstWins(config.profiles, map.profiles);
    mergeFirstWins(config.ssoSessions, map.ssoSessions);
    mergeFirstWins(config.services, map.services);
  });
  credentialsFiles.forEach((path, i) => {
    const bytes = credentialBytes[i];
    if (!bytes) return;
    mergeFirstWins(config.credentials, parseIni(bytes, { path }));
  });
  return config;
}
