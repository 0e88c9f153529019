// The client core every generated client extends. One straight pipeline per call, no
// middleware stack: serialize (protocol) -> resolve endpoint (rule set) -> add checksums and
// SDK headers -> sign (SigV4) -> send (HTTP handler) -> retry loop -> parse (protocol).
// Configuration is resolved once, lazily, on the first call; every dependency (clock, UUID
// source, HTTP handler, credentials) is injectable so tests are deterministic.
import type { ErrorClassLike, OperationSchema, ServiceSchema, StructureShape } from "./schema.js";
import { target } from "./schema.js";
import type { Protocol, ReceivedResponse, SerializedRequest } from "./protocols/types.js";
import type { HttpHandler, HttpRequest, HttpResponse, RequestBody, ResponseBody } from "./http/types.js";
import {
  AbortError,
  ConfigError,
  CredentialsError,
  ResponseParseError,
  ServiceError,
  TsawsError,
  type ResponseMetadata,
} from "./errors.js";
import { createHttpHandler } from "#http";
import { randomUUID } from "#crypto";
import { signRequest, type Credentials } from "./signer/sigv4.js";
import { createEndpointResolver, type ClientEndpoint, type EndpointResolver } from "./endpoint.js";
import { createRetryStrategy, type RetryStrategy, type RetryErrorInfo } from "./retry/index.js";
import { createClock, clockSkewCorrected, type Clock } from "./retry/clock-skew.js";
import { readBody, utf8Length } from "./http/body.js";
import { Session } from "./session.js";
import { resolveRetryConfig } from "./retry/config.js";
import { eventStreamMember, readEventStreamOutput } from "./eventstream.js";
import type { DefaultsMode } from "./defaults-mode.js";

export { ServiceError, errorClass } from "./errors.js";
export type { ResponseMetadata } from "./errors.js";
export type { Credentials } from "./signer/sigv4.js";
export type { RetryStrategy } from "./retry/index.js";

/** A JSON value, for model `document` members. */
export type DocumentType = null | boolean | number | string | DocumentType[] | { [key: string]: DocumentType };

/** What a streaming blob input accepts: bytes, text, a Blob, a web stream, or a node Readable. */
export type StreamingBlobInput = Uint8Array | string | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** A streaming output body: read it once with `transformToString()`, `transformToByteArray()` or as a stream. */
export type StreamingBody = ResponseBody;

/** An async source of credentials (compatible with @smithy/types identity providers). */
export type CredentialsProvider = () => Promise<Credentials>;

/** Options for one call. */
export interface CallOptions {
  /** Aborts the call (and its retries); the call rejects with AbortError. */
  signal?: AbortSignal | undefined;
}

/** A log sink. Messages never contain secrets. */
export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** Configuration shared by every client. */
export interface ClientConfig {
  /** The session whose profile, region and credentials this client uses (see `Session`). */
  session?: Session | undefined;
  /** The shared-config profile to use when no session is given (default AWS_PROFILE, then "default"). */
  profile?: string | undefined;
  /** Ignore endpoint URLs from AWS_ENDPOINT_URL* and the shared config. */
  ignoreConfiguredEndpointUrls?: boolean | undefined;
  /** The AWS region, e.g. "us-east-1". Defaults to AWS_REGION / AWS_DEFAULT_REGION or the profile. */
  region?: string | undefined;
  /** A custom endpoint URL (e.g. "http://127.0.0.1:4569"), used instead of the resolved one. */
  endpoint?: string | undefined;
  /** Static credentials or an async provider; defaults to the standard credential chain. */
  credentials?: Credentials | CredentialsProvider | undefined;
  /** Use FIPS endpoints. */
  useFipsEndpoint?: boolean | undefined;
  /** Use dual-stack (IPv6) endpoints. */
  useDualstackEndpoint?: boolean | undefined;
  /** Total attempts per call, including the first (default 3). */
  maxAttempts?: number | undefined;
  /** Retry mode (default "standard"). */
  retryMode?: "standard" | "adaptive" | "legacy" | undefined;
  /** A retry strategy of your own (overrides retryMode and maxAttempts). */
  retryStrategy?: RetryStrategy | undefined;
  /** The HTTP transport; defaults to node:http(s) on Node and fetch elsewhere. */
  httpHandler?: HttpHandler | undefined;
  /** Milliseconds to wait for a response (and between body chunks). */
  requestTimeout?: number | undefined;
  /** Milliseconds to wait for a connection. */
  connectionTimeout?: number | undefined;
  /**
   * The defaults mode: a named set of defaults for the retry mode, regional STS and S3 endpoints
   * and the connect timeout (sdk-default-configuration.json), used where nothing else sets them.
   * "standard", "in-region" (calls stay in the region the code runs in: short timeouts),
   * "cross-region", "mobile" (long timeouts), "auto" (in-region or cross-region by comparing this
   * client's region with the one the code runs in: AWS_REGION in an AWS execution environment,
   * else the EC2 instance metadata region; mobile on mobile browsers), or "legacy" (the SDK's
   * own defaults, no connect timeout imposed). Default: the session's, AWS_DEFAULTS_MODE, the
   * profile's defaults_mode, then "legacy".
   */
  defaultsMode?: DefaultsMode | undefined;
  /**
   * Checksums on requests: "when_supported" (default, as AWS SDKs since 2025) or "when_required"
   * (only where the operation requires one; what S3-compatible stores expect).
   */
  requestChecksumCalculation?: "when_supported" | "when_required" | undefined;
  /** Turn off gzip request compression (used by operations that allow it, such as CloudWatch PutMetricData). */
  disableRequestCompression?: boolean | undefined;
  /** Bodies smaller than this many bytes are not compressed (default 10240). */
  requestMinCompressionSizeBytes?: number | undefined;
  /** Appended to the user agent as `app/<id>`. */
  userAgentAppId?: string | undefined;
  logger?: Logger | undefined;
  /** The clock in epoch milliseconds (tests inject one). */
  clock?: (() => number) | undefined;
  /** Source of idempotency tokens and invocation ids (tests inject one). */
  uuid?: (() => string) | undefined;
}

/**
 * A generated operation: its shape data, with the input and output types attached for the
 * compiler only (the phantom field never exists at run time).
 */
export type Operation<I, O> = OperationSchema & { readonly __types?: (input: I) => O };

const VERSION = "0.1.0";
const EMPTY = new Uint8Array(0);

interface ResolvedConfig {
  region: string;
  credentials: CredentialsProvider;
  handler: HttpHandler;
  retry: RetryStrategy;
  endpoint: EndpointResolver;
  /** The signing clock: the configured clock corrected by the skew learnt from server Date headers. */
  clock: Clock;
  uuid: () => string;
  userAgent: string;
}

function isProvider(c: ClientConfig["credentials"]): c is CredentialsProvider {
  return typeof c === "function";
}

/** The base of every generated client. */
export class RuntimeClient {
  /** The configuration as given. */
  readonly config: Readonly<ClientConfig>;
  /** @internal */
  protected readonly service: ServiceSchema;
  /** @internal */
  protected readonly protocol: Protocol;
  readonly #ruleset: unknown;
  readonly #partitions: unknown;
  #resolved: ResolvedConfig | undefined;
  #resolving: Promise<ResolvedConfig> | undefined;

  constructor(config: ClientConfig | undefined, service: ServiceSchema, protocol: Protocol, ruleset: unknown, partitions: unknown) {
    this.config = { ...config };
    this.service = service;
    this.protocol = protocol;
    this.#ruleset = ruleset;
    this.#partitions = partitions;
  }

  /** Closes pooled connections of the default HTTP handler. */
  destroy(): void {
    this.#resolved?.handler.destroy?.();
  }

  #resolve(): Promise<ResolvedConfig> {
    if (this.#resolved) return Promise.resolve(this.#resolved);
    this.#resolving ??= this.#load().then(
      (r) => (this.#resolved = r),
      (e: unknown) => {
        this.#resolving = undefined; // a failed resolution (no region yet, say) is tried again next call
        throw e;
      },
    );
    return this.#resolving;
  }

  async #load(): Promise<ResolvedConfig> {
    const c = this.config;
    const session = c.session ?? new Session(c.profile !== undefined ? { profile: c.profile } : {});
    const d = await session.defaults();
    const region = c.region ?? d.region;
    if (!region) {
      throw new ConfigError(
        `${this.service.id}: no region configured. Looked in ${d.regionSources}. Set \`region\` in the client or session config, AWS_REGION, or region in your profile.`,
      );
    }
    const defaults = await d.defaultsMode(c.defaultsMode, region);
    const creds = c.credentials;
    const credentials: CredentialsProvider = creds === undefined ? d.credentials : isProvider(creds) ? creds : () => Promise.resolve(creds);
    const handlerOptions: Record<string, unknown> = { clientName: this.service.id };
    if (c.requestTimeout !== undefined) handlerOptions.requestTimeout = c.requestTimeout;
    if (c.connectionTimeout !== undefined) handlerOptions.connectionTimeout = c.connectionTimeout;
    else if (defaults.connectTimeoutInMillis !== undefined) handlerOptions.connectionTimeout = defaults.connectTimeoutInMillis;
    const env = d.env;
    const flag = (value: boolean | undefined, envName: string, key: string): boolean | undefined => {
      if (value !== undefined) return value;
      const raw = env[envName] ?? d.setting(key);
      return raw === undefined ? undefined : raw.trim().toLowerCase() === "true";
    };
    const retryConfig = resolveRetryConfig({
      config: { mode: c.retryMode, maxAttempts: c.maxAttempts },
      env,
      profile: { retry_mode: d.setting("retry_mode"), max_attempts: d.setting("max_attempts") },
      defaultsRetryMode: defaults.retryMode,
    });
    // The endpoint inputs: client config first, then the environment and the profile.
    const endpointConfig: Record<string, unknown> = { ...c };
    const endpoint = c.endpoint ?? d.endpointUrl(this.service.id, c.ignoreConfiguredEndpointUrls);
    if (endpoint !== undefined) endpointConfig.endpoint = endpoint;
    endpointConfig.useFipsEndpoint = flag(c.useFipsEndpoint, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
    endpointConfig.useDualstackEndpoint = flag(c.useDualstackEndpoint, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
    // Regional or global (legacy) endpoints for STS and S3 in us-east-1: client config, the
    // environment, the profile, then the defaults mode.
    const regional = (key: string, envName: string, setting: string, fallback: string): void => {
      const raw = endpointConfig[key] ?? env[envName] ?? d.setting(setting);
      const v = typeof raw === "string" && raw !== "" ? raw.trim().toLowerCase() : fallback;
      if (v !== "regional" && v !== "legacy") {
        throw new ConfigError(`${this.service.id}: ${key} / ${envName} / ${setting} must be "regional" or "legacy", not ${JSON.stringify(raw)}`);
      }
      endpointConfig[key] = v;
    };
    if (this.service.ep === "sts") regional("stsRegionalEndpoints", "AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints", defaults.stsRegionalEndpoints);
    if (this.service.ep === "s3")
      regional("s3UsEast1RegionalEndpoint", "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "s3_us_east_1_regional_endpoint", defaults.s3UsEast1RegionalEndpoints);
    if (this.service.cc) {
      const cfg = endpointConfig as Record<string, unknown>;
      if (cfg.forcePathStyle === undefined && d.nested("s3", "addressing_style") === "path") cfg.forcePathStyle = true;
      if (cfg.useAccelerateEndpoint === undefined && d.nested("s3", "use_accelerate_endpoint") === "true") cfg.useAccelerateEndpoint = true;
      cfg.useArnRegion ??= flag(undefined, "AWS_S3_USE_ARN_REGION", "s3_use_arn_region");
    }
    return {
      region,
      credentials,
      handler: c.httpHandler ?? createHttpHandler(handlerOptions),
      retry:
        c.retryStrategy ??
        createRetryStrategy({ mode: retryConfig.mode, maxAttempts: retryConfig.maxAttempts, now: c.clock, service: this.service.ep }),
      endpoint: createEndpointResolver(this.#ruleset, this.#partitions, this.service, endpointConfig, region),
      clock: createClock({ now: c.clock }),
      uuid: c.uuid ?? randomUUID,
      userAgent: `tsaws/${VERSION} api/${this.service.id.replace(/ /g, "_")}#${this.service.v}${c.userAgentAppId ? ` app/${c.userAgentAppId}` : ""}`,
    };
  }

  /** Sends one operation. Rejects with a ServiceError subclass, or another TsawsError. */
  async send<I, O>(operation: Operation<I, O>, input: I, options?: CallOptions): Promise<O> {
    try {
      return (await this.#send(operation, (input ?? {}) as Record<string, unknown>, options)) as O;
    } catch (e) {
      // Re-capture the stack here so it shows the caller's frames (async stack traces), not
      // only the socket callback that produced the error.
      if (e instanceof TsawsError && typeof Error.captureStackTrace === "function") {
        const original = e.stack;
        Error.captureStackTrace(e);
        if (original && e.stack) e.stack = `${e.stack}\n    --- raised at ---\n${original.split("\n").slice(1).join("\n")}`;
      }
      throw e;
    }
  }

  async #send(op: OperationSchema, input: Record<string, unknown>, options: CallOptions | undefined): Promise<unknown> {
    const signal = options?.signal;
    if (signal?.aborted) throw new AbortError(`${op.n} was aborted before it was sent`, { cause: signal.reason });
    const cfg = await this.#resolve();
    const serialized = this.protocol.serialize(this.service, op, input, { uuid: cfg.uuid });
    const endpoint = cfg.endpoint(op, input);
    const base = await this.#request(op, serialized, endpoint.url, endpoint.headers, input);
    const invocationId = cfg.uuid();
    const retry = cfg.retry;
    const token = await retry.acquireToken();
    let attempts = 0;
    let totalRetryDelay = 0;
    // A body that can only be read once (a stream) cannot be replayed: one attempt only.
    const replayable = isReplayable(base.body);
    for (;;) {
      attempts++;
      const request: HttpRequest = { ...base, headers: { ...base.headers } };
      request.headers["amz-sdk-invocation-id"] = invocationId;
      request.headers["amz-sdk-request"] = `attempt=${attempts}; max=${retry.maxAttempts}`;
      let info: RetryErrorInfo;
      let failure: unknown;
      try {
        const signed = endpoint.auth === "none" ? request : await this.#sign(request, endpoint, cfg);
        const response = await cfg.handler.handle(signed, signal ? { signal } : {});
        const result = await this.#handleResponse(op, response, attempts, totalRetryDelay);
        if (result.ok) {
          cfg.clock.observe(response.headers.date);
          retry.recordSuccess(token);
          return result.output;
        }
        failure = result.error;
        info = { error: failure, statusCode: response.statusCode, code: result.error.code, headers: response.headers };
        info.clockSkewCorrected = clockSkewCorrected(cfg.clock, info);
      } catch (e) {
        if (signal?.aborted) throw new AbortError(`${op.n} was aborted`, { cause: signal.reason });
        if (!(e instanceof TsawsError) || e instanceof CredentialsError || e instanceof ConfigError) throw e;
        failure = e;
        info = { error: e };
      }
      // Always ask the strategy (adaptive mode measures every response); it counts attempts itself.
      const delay = retry.retryDelay(token, info);
      if (delay === undefined || !replayable) throw failure;
      totalRetryDelay += delay;
      await sleep(delay, signal);
    }
  }

  async #sign(request: HttpRequest, endpoint: ClientEndpoint, cfg: ResolvedConfig): Promise<HttpRequest> {
    const common = {
      credentials: await this.#credentials(cfg),
      service: endpoint.signingName ?? this.service.sn,
      date: new Date(cfg.clock.now()),
      uriEscapePath: !endpoint.disableDoubleEncoding,
      normalizePath: !endpoint.disableDoubleEncoding,
      contentSha256Header: this.service.sn === "s3" || this.service.sn === "s3-outposts",
      ...(endpoint.unsignedPayload ? { payloadHash: "UNSIGNED-PAYLOAD" } : {}),
    };
    if (endpoint.auth === "sigv4a") {
      const v4a = this.service.s4a;
      if (!v4a) throw new ConfigError(`${this.service.id}: the endpoint requires SigV4a signing, which this client does not include`);
      return v4a(request, { ...common, regionSet: endpoint.signingRegionSet ?? ["*"] });
    }
    return signRequest(request, { ...common, region: endpoint.signingRegion ?? cfg.region });
  }

  async #credentials(cfg: ResolvedConfig): Promise<Credentials> {
    try {
      const c = await cfg.credentials();
      if (!c || !c.accessKeyId || !c.secretAccessKey) throw new CredentialsError("the credentials provider returned no access key");
      return c;
    } catch (e) {
      if (e instanceof CredentialsError) throw e;
      throw new CredentialsError(`${this.service.id}: could not load credentials: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  async #request(
    op: OperationSchema,
    s: SerializedRequest,
    url: URL,
    endpointHeaders: Record<string, string>,
    input: Record<string, unknown>,
  ): Promise<HttpRequest> {
    const cfg = this.#resolved!;
    const basePath = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
    let path = basePath + s.path;
    if (!path.startsWith("/")) path = `/${path}`;
    let query = url.search.length > 1 ? url.search.slice(1) : "";
    for (const [k, v] of s.query) query += `${query ? "&" : ""}${k}=${v}`;
    const headers = s.headers;
    for (const [k, v] of Object.entries(endpointHeaders)) headers[k.toLowerCase()] = v;
    headers["user-agent"] ??= cfg.userAgent;
    headers["x-amz-user-agent"] ??= cfg.userAgent;
    let body = s.body;
    if (op.x) for (const stage of op.x) body = await stage(op, this.config as Readonly<Record<string, unknown>>, headers, body, input);
    if (typeof body === "string" || body instanceof Uint8Array) {
      headers["content-length"] ??= String(typeof body === "string" ? utf8Length(body) : body.byteLength);
    }
    const request: HttpRequest = {
      method: s.method,
      protocol: url.protocol === "http:" ? "http:" : "https:",
      hostname: (s.hostPrefix ?? "") + url.hostname,
      path,
      query,
      headers,
    };
    if (url.port) request.port = Number(url.port);
    if (body !== undefined) request.body = body;
    return request;
  }

  async #handleResponse(
    op: OperationSchema,
    response: HttpResponse,
    attempts: number,
    totalRetryDelay: number,
  ): Promise<{ ok: true; output: unknown } | { ok: false; error: ServiceError }> {
    const h = response.headers;
    const meta = (): ResponseMetadata => {
      const m: { -readonly [K in keyof ResponseMetadata]: ResponseMetadata[K] } = {
        httpStatusCode: response.statusCode,
        attempts,
        totalRetryDelay,
      };
      const requestId = h["x-amzn-requestid"] ?? h["x-amz-request-id"] ?? h["x-amzn-request-id"];
      if (requestId) m.requestId = requestId;
      if (h["x-amz-id-2"]) m.extendedRequestId = h["x-amz-id-2"];
      if (h["x-amz-cf-id"]) m.cfId = h["x-amz-cf-id"];
      return m;
    };
    const status = response.statusCode;
    const streaming = status < 300 && hasStreamingOutput(op);
    const received: ReceivedResponse = { statusCode: status, headers: h, body: EMPTY };
    if (streaming) received.stream = response.body;
    else received.body = await readBody(response.body);
    if (status >= 300 || (status === 200 && this.#isErrorIn200(op, received))) {
      const parsed = this.protocol.parseError(this.service, op, received);
      const metadata = meta();
      const withId = parsed.requestId && !metadata.requestId ? { ...metadata, requestId: parsed.requestId } : metadata;
      const cls = parsed.errorClass as (ErrorClassLike & (new (m: string | undefined, f: Record<string, unknown>, md: ResponseMetadata) => ServiceError)) | undefined;
      const error = cls ? new cls(parsed.message, parsed.fields, withId) : new ServiceError(parsed.code, parsed.message, withId);
      return { ok: false, error };
    }
    const output = this.protocol.parse(this.service, op, received);
    // An event stream: the member becomes an AsyncIterable of events (RPC protocols first read the initial-response).
    if (received.stream && eventStreamMember(op.o) !== undefined) await readEventStreamOutput(this.protocol, this.service, op, received, output, meta);
    Object.defineProperty(output, "$metadata", { value: meta(), enumerable: false, writable: false });
    return { ok: true, output };
  }

  /** S3 reports some failures of CopyObject, UploadPartCopy and CompleteMultipartUpload in a 200 body. */
  #isErrorIn200(op: OperationSchema, r: ReceivedResponse): boolean {
    if (this.service.p !== "rest-xml" || r.body.length === 0 || hasStreamingOutput(op)) return false;
    let i = 0;
    const b = r.body;
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
    if (b[i] === 0x3c && b[i + 1] === 0x3f) {
      // skip the XML declaration
      while (i < b.length && b[i] !== 0x3e) i++;
      i++;
      while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
    }
    return b[i] === 0x3c && b[i + 1] === 0x45 && b[i + 2] === 0x72 && b[i + 3] === 0x72 && b[i + 4] === 0x6f && b[i + 5] === 0x72 && b[i + 6] === 0x3e;
  }
}

function hasStreamingOutput(op: OperationSchema): boolean {
  const o = op.o;
  if (!o) return false;
  if (eventStreamMember(o) !== undefined) return true; // an event stream (the payload, or any member in RPC protocols)
  if (!o.p) return false;
  const m = o.m[o.p];
  if (m === undefined) return false;
  const t = target(m);
  if (typeof t !== "object") return false;
  if (t.t === 8) return (t as StructureShape).es === 1; // an event stream
  return "st" in t && t.st === 1;
}

function isReplayable(body: RequestBody | undefined): boolean {
  return body === undefined || typeof body === "string" || body instanceof Uint8Array || (typeof Blob !== "undefined" && body instanceof Blob);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortError("aborted while waiting to retry", { cause: signal?.reason }));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export { ResponseParseError };
