// Resolves the retry mode and max attempts from their sources, in the AWS SDKs' order:
// client config, then the environment (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS), then the shared
// config profile (retry_mode, max_attempts), then the defaults mode's retryMode, then
// "standard". Max attempts default to the mode's own (3, or legacy's 5 / per service).
// A pure function over plain values: the caller reads the environment and the profile.
// Invalid values throw ConfigError naming the source (values are not secrets).
// `firstSet` and `oneOf` are the ladder both this and the defaults mode name
// (defaults-mode-name.ts) walk: the first source that sets a value wins, and is checked.
import { ConfigError } from "../errors.js";
import type { RetryMode } from "./index.js";

export const RETRY_MODES: readonly RetryMode[] = ["standard", "adaptive", "legacy"];

/** Standard and adaptive modes' attempts per call, first try included, when nothing sets them. */
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface RetryConfigSources {
  /** Client config values. */
  config?: { mode?: string | undefined; maxAttempts?: number | string | undefined } | undefined;
  /** The environment (only AWS_RETRY_MODE and AWS_MAX_ATTEMPTS are read). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The active profile's keys (only retry_mode and max_attempts are read). */
  profile?: Readonly<Record<string, string | undefined>> | undefined;
  /** The defaults mode's retryMode (defaults-mode.ts), used when nothing else sets one. */
  defaultsRetryMode?: string | undefined;
}

export interface ResolvedRetryConfig {
  mode: RetryMode;
  /** Undefined when no source sets it: the strategy's mode default applies. */
  maxAttempts: number | undefined;
}

type Values = Readonly<Record<string, string | undefined>> | undefined;

/**
 * @internal The setting `name` (a profile key, e.g. max_attempts) from the first source that
 * sets it: the client config's value (its option `option`), the environment (AWS_ and the name
 * in capitals, AWS_MAX_ATTEMPTS), the profile, then `fallback` when given. Read by `read`,
 * which names the source when it throws; undefined when nothing sets it (undefined, null and
 * "" set nothing).
 */
export function firstSet<V, T>(
  name: string,
  option: string,
  configured: V | string | undefined,
  env: Values,
  profile: Values,
  read: (value: V | string, source: string) => T,
  fallback?: readonly [string | undefined, string],
): T | undefined {
  const envName = `AWS_${name.toUpperCase()}`;
  const sources: readonly (readonly [V | string | undefined | null, string])[] = [
    [configured, `client config ${option}`],
    [env?.[envName], envName],
    [profile?.[name], `profile ${name}`],
    fallback ?? [undefined, ""],
  ];
  for (const [value, source] of sources) if (value !== undefined && value !== null && value !== "") return read(value, source);
  return undefined;
}

/** @internal One of `names`, case and surrounding spaces ignored; ConfigError naming the source otherwise. */
export function oneOf<N extends string>(names: readonly N[], what: string): (value: string, source: string) => N {
  return (value, source) => {
    const v = value.trim().toLowerCase();
    if ((names as readonly string[]).includes(v)) return v as N;
    throw new ConfigError(`${source}: invalid ${what} ${JSON.stringify(value)} (expected ${names.join(", ")})`);
  };
}

function parseAttempts(value: number | string, source: string): number {
  const n = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${source}: invalid max attempts ${JSON.stringify(value)} (expected an integer >= 1)`);
  return n;
}

export function resolveRetryConfig(sources: RetryConfigSources = {}): ResolvedRetryConfig {
  const { config, env, profile } = sources;
  const mode = firstSet("retry_mode", "retryMode", config?.mode, env, profile, oneOf(RETRY_MODES, "retry mode"), [
    sources.defaultsRetryMode,
    "defaults mode retryMode",
  ]);
  const maxAttempts = firstSet("max_attempts", "maxAttempts", config?.maxAttempts, env, profile, parseAttempts);
  return { mode: mode ?? "standard", maxAttempts };
}
