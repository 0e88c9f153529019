// Waiters, as botocore's waiter.py and the Smithy waiters specification define them. The
// generator turns each waiters-2.json entry into a spec: the operation, the model's delay and
// attempt count, and the acceptors in order; a path acceptor carries its JMESPath compiled to
// a function at generation time (an expression the generator could not compile is kept as a
// string and run by the JMESPath interpreter, loaded only then).
//
// Each attempt calls the operation once (the client's own retries happen inside it), then the
// first acceptor that matches decides: success returns, failure throws WaiterFailureError,
// retry waits and tries again. A service error no acceptor matches is a failure (botocore and
// Smithy agree); other errors (network, credentials) propagate unchanged.
//
// Matchers: `path` (value == expected), `pathAll` (a non-empty list, every element ==
// expected), `pathAny` (some element == expected), `status` (HTTP status of the response or
// the error), `error` (the error code or modeled name == expected; `true`: any service error,
// `false`: no error). A path that throws (JMESPath type errors such as length(null)) does not match.
//
// Delays, in seconds:
// - default (botocore): `delay` (from the model) between attempts, at most `maxAttempts`
//   (from the model) attempts; both can be overridden;
// - with `maxWaitSeconds` (Smithy): exponential backoff with jitter between `minDelay`
//   (default: the model's delay) and `maxDelay` (default: max(120, minDelay)): attempt n waits
//   random(minDelay, min(maxDelay, minDelay * 2^(n-1))), shortened so the next attempt starts
//   at least `minDelay` before the deadline; when no such wait is left the waiter times out.
//   `maxAttempts` still applies when given. Total time is bounded by maxWaitSeconds plus the
//   duration of the last call.
// Time comes from the client's `clock` and jitter from `options.random`, so tests can inject both.
import type { Operation, RuntimeClient } from "./client.js";
import type { OperationSchema } from "./schema.js";
import { AbortError, ServiceError, TsawsError } from "./errors.js";

type Data = Record<string, unknown>;
type State = "success" | "failure" | "retry";

/** One generated acceptor (not a public API: the shape of the constants in index.js). */
export type AcceptorSpec =
  | { readonly s: State; readonly m: "path" | "pathAll" | "pathAny"; readonly a: string; readonly e: unknown; readonly f?: (output: Data) => unknown }
  | { readonly s: State; readonly m: "status"; readonly e: number }
  | { readonly s: State; readonly m: "error"; readonly e: string | boolean };

/** One generated waiter. */
export interface WaiterSpec {
  /** The waiter's model name, e.g. "TableExists". */
  readonly n: string;
  readonly o: OperationSchema;
  /** Seconds between attempts. */
  readonly d: number;
  /** Attempts. */
  readonly a: number;
  readonly c: readonly AcceptorSpec[];
}

/** How long and how often to poll. All times in seconds. */
export interface WaiterOptions {
  /**
   * Give up after this many seconds: switches to Smithy-style exponential backoff with jitter
   * between `minDelay` and `maxDelay`. Without it the waiter polls every `delay` seconds up to
   * `maxAttempts` times, as botocore.
   */
  maxWaitSeconds?: number | undefined;
  /** Smithy mode: the shortest wait between attempts (default: the model's delay). */
  minDelay?: number | undefined;
  /** Smithy mode: the longest wait between attempts (default: 120, or minDelay when larger). */
  maxDelay?: number | undefined;
  /** botocore mode: seconds between attempts (default: the model's). */
  delay?: number | undefined;
  /** Attempts before a timeout (default: the model's; unbounded in Smithy mode unless given). */
  maxAttempts?: number | undefined;
  /** Aborts the wait (and the call in flight): rejects with AbortError. */
  signal?: AbortSignal | undefined;
  /** The jitter source in [0, 1) (default Math.random); tests inject one. */
  random?: (() => number) | undefined;
  /**
   * Waits between attempts (default: a timer that the signal cancels). Tests inject one that
   * advances the client's `clock`, so backoff and deadlines are checked without real time.
   */
  sleep?: ((ms: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
}

/** A waiter that reached its success state. */
export interface WaiterResult<Output> {
  readonly state: "success";
  /** Which acceptor matched, in words. */
  readonly reason: string;
  /** Attempts made, including the last. */
  readonly attempts: number;
  /** The response that matched; absent when the success acceptor matched an error. */
  readonly lastResponse?: Output;
  /** The error that matched (e.g. ResourceNotFoundException for a "not exists" waiter). */
  readonly lastError?: ServiceError;
}

/** A waiter did not reach success. `lastResponse` / `lastError` hold the last call's outcome. */
export class WaiterError extends TsawsError {
  override name = "WaiterError";
  /** The waiter's model name, e.g. "TableExists". */
  readonly waiter: string;
  readonly state: "failure" | "timeout";
  readonly reason: string;
  readonly attempts: number;
  readonly lastResponse: unknown;
  readonly lastError: ServiceError | undefined;

  constructor(
    waiter: string,
    state: "failure" | "timeout",
    reason: string,
    attempts: number,
    last: { response?: unknown; error?: ServiceError | undefined },
  ) {
    super(`Waiter ${waiter} ${state === "timeout" ? "timed out" : "failed"}: ${reason}`, last.error ? { cause: last.error } : undefined);
    this.waiter = waiter;
    this.state = state;
    this.reason = reason;
    this.attempts = attempts;
    this.lastResponse = last.response;
    this.lastError = last.error;
  }
}

/** The waiter reached a failure state, or the service answered with an error no acceptor expects. */
export class WaiterFailureError extends WaiterError {
  override name = "WaiterFailureError";
}

/** The waiter ran out of attempts or of time (`maxWaitSeconds`). */
export class WaiterTimeoutError extends WaiterError {
  override name = "WaiterTimeoutError";
}

/** Runs one waiter (the generated `waitForX(client, input, options)`). */
export async function waitUntil<Output>(
  client: RuntimeClient,
  spec: WaiterSpec,
  input: object | undefined,
  options: WaiterOptions = {},
): Promise<WaiterResult<Output>> {
  const { signal } = options;
  const clock = client.config.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const smithy = options.maxWaitSeconds !== undefined;
  const delay = options.delay ?? spec.d;
  const minDelay = options.minDelay ?? delay;
  const maxDelay = options.maxDelay ?? Math.max(120, minDelay);
  const maxAttempts = options.maxAttempts ?? (smithy ? Infinity : spec.a);
  for (const [k, v] of [["delay", delay], ["minDelay", minDelay], ["maxDelay", maxDelay]] as const) {
    if (!(v >= 0 && Number.isFinite(v))) throw new TsawsError(`waiter ${spec.n}: ${k} must be a non-negative number of seconds`);
  }
  if (!(maxAttempts >= 1)) throw new TsawsError(`waiter ${spec.n}: maxAttempts must be at least 1`);
  if (smithy && !(options.maxWaitSeconds! > 0)) throw new TsawsError(`waiter ${spec.n}: maxWaitSeconds must be positive`);
  if (smithy && minDelay > maxDelay) throw new TsawsError(`waiter ${spec.n}: minDelay is larger than maxDelay`);
  const deadline = smithy ? clock() + options.maxWaitSeconds! * 1000 : Infinity;
  const callOptions = signal ? { signal } : {};

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new AbortError(`waiter ${spec.n} was aborted`, { cause: signal.reason });
    let output: Data | undefined;
    let error: ServiceError | undefined;
    try {
      output = (await client.send(spec.o as Operation<object, Data>, input ?? {}, callOptions)) as Data;
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      error = e;
    }
    const last = error ? { error } : { response: output };
    let matched: AcceptorSpec | undefined;
    for (const acceptor of spec.c) {
      if (await matches(acceptor, output, error)) {
        matched = acceptor;
        break;
      }
    }
    if (matched?.s === "success") {
      const result: { -readonly [K in keyof WaiterResult<Output>]: WaiterResult<Output>[K] } = {
        state: "success",
        reason: `matched ${describe(matched)}`,
        attempts: attempt,
      };
      if (error) result.lastError = error;
      else result.lastResponse = output as Output;
      return result;
    }
    if (matched?.s === "failure") throw new WaiterFailureError(spec.n, "failure", `matched failure acceptor ${describe(matched)}`, attempt, last);
    if (!matched && error) {
      throw new WaiterFailureError(spec.n, "failure", `unexpected error ${error.code}: ${error.message}`, attempt, last);
    }
    if (attempt >= maxAttempts) throw new WaiterTimeoutError(spec.n, "timeout", `max attempts (${attempt}) exceeded`, attempt, last);
    let wait: number;
    if (smithy) {
      const ceiling = Math.log(maxDelay / minDelay) / Math.log(2) + 1;
      const cap = minDelay === 0 ? maxDelay : attempt > ceiling ? maxDelay : Math.min(maxDelay, minDelay * 2 ** (attempt - 1));
      wait = minDelay + random() * (cap - minDelay);
      const remaining = (deadline - clock()) / 1000;
      if (remaining - wait <= minDelay) wait = remaining - minDelay;
      if (wait <= 0 || remaining <= 0) {
        throw new WaiterTimeoutError(spec.n, "timeout", `maxWaitSeconds (${options.maxWaitSeconds}) exceeded after ${attempt} attempts`, attempt, last);
      }
    } else wait = delay;
    if (options.sleep) await options.sleep(wait * 1000, signal);
    else await sleep(wait * 1000, signal, spec.n);
  }
}

/** The `waitFor` object of a full client: one method per waiter of the service. */
export function bindWaiters(
  client: RuntimeClient,
  table: Readonly<Record<string, WaiterSpec>>,
): Record<string, (input?: object, options?: WaiterOptions) => Promise<WaiterResult<unknown>>> {
  const out: Record<string, (input?: object, options?: WaiterOptions) => Promise<WaiterResult<unknown>>> = {};
  for (const name of Object.keys(table)) out[name] = (input, options) => waitUntil(client, table[name]!, input, options);
  return out;
}

async function matches(acceptor: AcceptorSpec, output: Data | undefined, error: ServiceError | undefined): Promise<boolean> {
  switch (acceptor.m) {
    case "status":
      return (error ? error.$metadata.httpStatusCode : (output?.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode) === acceptor.e;
    case "error":
      if (acceptor.e === true) return error !== undefined;
      if (acceptor.e === false) return error === undefined;
      return error !== undefined && (error.code === acceptor.e || error.name === acceptor.e);
    default: {
      if (error || !output) return false;
      let value: unknown;
      try {
        if (acceptor.f) value = acceptor.f(output);
        else {
          const { search } = await import("./jmespath/index.js");
          value = search(acceptor.a, output);
        }
      } catch {
        return false;
      }
      if (acceptor.m === "path") return equal(value, acceptor.e);
      if (!Array.isArray(value) || value.length === 0) return false;
      return acceptor.m === "pathAll" ? value.every((v) => equal(v, acceptor.e)) : value.some((v) => equal(v, acceptor.e));
    }
  }
}

/** JMESPath equality (deep, by value). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return a === null || b === null;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => equal((a as Data)[k], (b as Data)[k]));
}

function describe(a: AcceptorSpec): string {
  switch (a.m) {
    case "status":
      return `status ${a.e}`;
    case "error":
      return a.e === true ? "any error" : a.e === false ? "no error" : `error ${a.e}`;
    default:
      return `${a.m} ${a.a} == ${JSON.stringify(a.e)}`;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined, waiter: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(`waiter ${waiter} was aborted`, { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
