// botocore's legacy retry mode (retryhandler.py), driven by models/_root/_retry.json:
// the general `__default__` config with the service's own `__default__` merged over it
// (policies added, max_attempts and delay replaced), `$ref`s resolved from `definitions`.
// A failure is retried when any policy matches: a response condition (HTTP status, and the
// service error code when the policy names one) or `socket_errors` (a connection failure
// or timeout). The delay is base * growth_factor^(attempt - 1) seconds, with base "rand"
// meaning a fresh random() in [0, 1); there is no cap and no retry quota, as in botocore.
//
// Not supported: the `crc32body` policy (DynamoDB's x-amz-crc32 check needs the body,
// which the retry layer does not see; a CRC mismatch must be raised as a retryable error
// by the caller) and per-operation entries (none exist in the data today).
//
// The failure comes in classified (status, code, network failure: classify.ts, which the
// caller has loaded anyway): this lazily loaded module imports only its data, so it shares no
// module with the client's initial load (a shared module would become a chunk of its own).
import retryData from "#root/retry";
import type { RetryCondition, RetryConfig, RetryDelay, RetryPolicy } from "#root/retry";

export interface LegacyPolicy {
  /** Total attempts (first try included). */
  readonly maxAttempts: number;
  readonly delay: RetryDelay;
  readonly conditions: readonly RetryCondition[];
}

function resolve(policy: RetryPolicy): RetryCondition | undefined {
  if ("$ref" in policy) return retryData.definitions[policy.$ref];
  return policy;
}

function isRetryConfig(v: unknown): v is RetryConfig {
  return typeof v === "object" && v !== null;
}

/** The merged legacy policy of a service (botocore service name / endpoint prefix); the general one without. */
export function legacyPolicy(service?: string): LegacyPolicy {
  const general = retryData.retry.__default__;
  const entry = service !== undefined && service !== "__default__" ? retryData.retry[service] : undefined;
  const specific = entry !== undefined ? (entry as Readonly<Record<string, RetryConfig>>)["__default__"] : undefined;
  const policies: Record<string, RetryPolicy> = { ...general.policies };
  if (isRetryConfig(specific)) Object.assign(policies, specific.policies);
  const conditions: RetryCondition[] = [];
  for (const p of Object.values(policies)) {
    const c = resolve(p);
    if (c) conditions.push(c);
  }
  const delay = specific?.delay ?? general.delay ?? { type: "exponential", base: "rand", growth_factor: 2 };
  return { maxAttempts: specific?.max_attempts ?? general.max_attempts ?? 5, delay, conditions };
}

/**
 * Whether one of the policy's conditions matches the failure: its HTTP status and service
 * error code (classify.ts statusOf / codeOf) and whether it is a connection failure
 * (isNetworkFailure).
 */
export function legacyMatches(policy: LegacyPolicy, status: number | undefined, code: string | undefined, networkFailure: boolean): boolean {
  for (const c of policy.conditions) {
    const when = c.applies_when;
    if (when.socket_errors && networkFailure) return true;
    const r = when.response;
    if (!r || r.crc32body !== undefined) continue;
    if (r.http_status_code !== undefined && r.http_status_code !== status) continue;
    if (r.service_error_code !== undefined && r.service_error_code !== code) continue;
    if (r.http_status_code !== undefined || r.service_error_code !== undefined) return true;
  }
  return false;
}

/** Delay in milliseconds before the attempt after `attempt` (1-based). */
export function legacyDelay(policy: LegacyPolicy, attempt: number, random: () => number): number {
  const base = policy.delay.base === "rand" ? random() : policy.delay.base;
  return base * policy.delay.growth_factor ** (attempt - 1) * 1000;
}
