// Resolves the retry mode and max attempts from their sources, in the AWS SDKs' order:
// client config, then the environment (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS), then the shared
// config profile (retry_mode, max_attempts), then the defaults mode's retryMode, then
// "standard". Max attempts default to the mode's own (3, or legacy's 5 / per service).
// A pure function over plain values: the caller reads the environment and the profile.
// Invalid values throw ConfigError naming the source (values are not secrets).
// The ladder is config/setting.ts's `firstSet`, which the defaults mode name walks too.
import { ConfigError } from "../errors.js";
import { firstSet, oneOf } from "../config/setting.js";
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
