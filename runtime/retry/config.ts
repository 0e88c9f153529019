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

/**
 * @internal The first of `sources` ([value, where it came from] pairs, in precedence order)
 * that sets a value, read by `read` (which names the source when it throws); undefined when
 * none does. Undefined, null and "" set nothing.
 */
export function firstSet<V, T>(sources: readonly (readonly [V | undefined | null | "", string])[], read: (value: V, source: string) => T): T | undefined {
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
  const mode = firstSet(
    [
      [config?.mode, "client config retryMode"],
      [env?.["AWS_RETRY_MODE"], "AWS_RETRY_MODE"],
      [profile?.["retry_mode"], "profile retry_mode"],
      [sources.defaultsRetryMode, "defaults mode retryMode"],
    ],
    oneOf(RETRY_MODES, "retry mode"),
  );
  const maxAttempts = firstSet<number | string, number>(
    [
      [config?.maxAttempts, "client config maxAttempts"],
      [env?.["AWS_MAX_ATTEMPTS"], "AWS_MAX_ATTEMPTS"],
      [profile?.["max_attempts"], "profile max_attempts"],
    ],
    parseAttempts,
  );
  return { mode: mode ?? "standard", maxAttempts };
}
