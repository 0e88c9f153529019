// Resolves the retry mode and max attempts from their sources, in the AWS SDKs' order:
// client config, then the environment (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS), then the shared
// config profile (retry_mode, max_attempts), then the defaults mode's retryMode, then
// "standard". Max attempts default to the mode's own (3, or legacy's 5 / per service).
// A pure function over plain values: the caller reads the environment and the profile.
// Invalid values throw ConfigError naming the source (values are not secrets).
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

function parseMode(value: string, source: string): RetryMode {
  const v = value.trim().toLowerCase();
  if ((RETRY_MODES as readonly string[]).includes(v)) return v as RetryMode;
  throw new ConfigError(
    `${source}: invalid retry mode ${JSON.stringify(value)} (expected standard, adaptive or legacy)`,
  );
}

function parseAttempts(value: number | string, source: string): number {
  const n = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${source}: invalid max attempts ${JSON.stringify(value)} (expected an integer >= 1)`);
  return n;
}

function present<T>(v: T | undefined | null | ""): v is T {
  return v !== undefined && v !== null && v !== "";
}

export function resolveRetryConfig(sources: RetryConfigSources = {}): ResolvedRetryConfig {
  const { config, env, profile } = sources;
  let mode: RetryMode = "standard";
  if (present(config?.mode)) mode = parseMode(config.mode, "client config retryMode");
  else if (present(env?.["AWS_RETRY_MODE"])) mode = parseMode(env["AWS_RETRY_MODE"], "AWS_RETRY_MODE");
  else if (present(profile?.["retry_mode"])) mode = parseMode(profile["retry_mode"], "profile retry_mode");
  else if (present(sources.defaultsRetryMode)) mode = parseMode(sources.defaultsRetryMode, "defaults mode retryMode");

  let maxAttempts: number | undefined;
  if (present(config?.maxAttempts)) maxAttempts = parseAttempts(config.maxAttempts, "client config maxAttempts");
  else if (present(env?.["AWS_MAX_ATTEMPTS"])) maxAttempts = parseAttempts(env["AWS_MAX_ATTEMPTS"], "AWS_MAX_ATTEMPTS");
  else if (present(profile?.["max_attempts"]))
    maxAttempts = parseAttempts(profile["max_attempts"], "profile max_attempts");
  return { mode, maxAttempts };
}
