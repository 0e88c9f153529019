// The client core every generated client extends. One straight pipeline per call, no
// middleware stack: serialize (protocol) -> resolve endpoint (rule set) -> add checksums and
// SDK headers -> sign (SigV4) -> send (HTTP handler) -> retry loop -> parse (protocol).
// Configuration is resolved once, lazily, on the first call; every dependency (clock, UUID
// source, HTTP handler, credentials) is injectable so tests are deterministic. The retry
// machinery (the error classifier, standard mode's strategy) is imported on a client's first
// failed attempt: a call that succeeds needs none of it, and a bundle carries it as a lazily
// loaded chunk.
import type { Authorize, CallContext, ErrorClassLike, OperationSchema, ServiceSchema, SigV4aOptions, StructureShape } from "./schema.js";
import { target } from "./schema.js";
import type { ParsedError, Protocol, ReceivedResponse, SerializeContext, SerializedRequest } from "./protocols/types.js";
import type { HttpHandler, HttpHandlerOptions, HttpRequest, HttpResponse, RequestBody, ResponseBody } from "./http/types.js";
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
import { randomUUID } from "#crypto-core";
import { signRequestInPlace, type Credentials, type SigningOptions } from "./signer/sigv4.js";
import { createEndpointResolver, type ClientEndpoint, type EndpointResolver } from "./endpoint.js";
import type { RetryStrategy, RetryErrorInfo, RetryStrategyOptions, RetryToken } from "./retry/index.js";
import { createClock, type Clock } from "./retry/clock-skew.js";
import { readBody, utf8Length } from "./http/body.js";
import { Session } from "./session.js";
import { resolveRetryConfig, DEFAULT_MAX_ATTEMPTS } from "./retry/config.js";
import type { DefaultsMode } from "./defaults-mode.js";
import { lazyModule } from "./lazy-module.js";

export { ServiceError, errorClass } from "./errors.js";
export { s3Settings, s3ControlSettings, stsSettings, discoverySettings } from "./service-settings.js";
export { contextPath } from "./endpoints/path.js";
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

/** A bearer token and, when it has one, the time it stops working. The token is a secret: tsaws never logs it or puts it in a message. */
export interface BearerToken {
  token: string;
  expiration?: Date | undefined;
}

/** An async source of bearer tokens, called for each request that needs one (cache it yourself, as credentials providers do). */
export type TokenProvider = () => Promise<BearerToken | string>;

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
  /**
   * A bearer token (`Authorization: Bearer <token>`) for the services whose model allows one:
   * a string, `{ token, expiration }`, or an async provider of either (called per request).
   * CodeCatalyst authenticates only with a token: this, else the session's `token`, else
   * AWS_BEARER_TOKEN_CODECATALYST, else (on Node) the SSO token of the profile's sso_session
   * (`aws sso login`). Bedrock and Bedrock Runtime accept SigV4 or a token: they use the token
   * when one is set here or in the session, or in AWS_BEARER_TOKEN_BEDROCK (the variable is
   * AWS_BEARER_TOKEN_ + the service's signing name in capitals, `-` and spaces as `_`), and
   * SigV4 otherwise. Other services ignore it. A secret: never logged, never in a message.
   */
  token?: string | BearerToken | TokenProvider | undefined;
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
  /**
   * Checksums on responses: "when_supported" (default, as botocore and AWS SDK v3) asks for one
   * where the operation can return one (S3 GetObject's ChecksumMode) and validates it;
   * "when_required" validates only where the call asked (ChecksumMode: "ENABLED").
   * Also AWS_RESPONSE_CHECKSUM_VALIDATION and the profile's response_checksum_validation;
   * requestChecksumCalculation likewise reads AWS_REQUEST_CHECKSUM_CALCULATION and request_checksum_calculation.
   */
  responseChecksumValidation?: "when_supported" | "when_required" | undefined;
  /** Turn off gzip request compression (used by operations that allow it, such as CloudWatch PutMetricData). */
  disableRequestCompression?: boolean | undefined;
  /** Bodies smaller than this many bytes are not compressed (default 10240). */
  requestMinCompressionSizeBytes?: number | undefined;
  /**
   * Endpoint discovery (Timestream, DynamoDB): the operations whose model has it send their calls
   * to the endpoint the service's DescribeEndpoints names (cached as long as it says). Unset (or
   * "auto" in AWS_ENDPOINT_DISCOVERY_ENABLED / the profile's endpoint_discovery_enabled) discovers
   * only for operations that require it (Timestream); true also for those where it is optional
   * (DynamoDB); false never, and an operation that requires it then fails with a ConfigError.
   * A custom `endpoint` (or a configured endpoint URL) turns discovery off.
   */
  endpointDiscoveryEnabled?: boolean | undefined;
  /** Appended to the user agent as `app/<id>`. */
  userAgentAppId?: string | undefined;
  /**
   * The largest response body read into memory (every response but a streamed output such as
   * S3 GetObject's Body), default 256 MiB. A larger one is refused with ResponseParseError as
   * soon as its Content-Length, or its bytes so far, say so; the connection is released.
   */
  maxResponseBodyBytes?: number | undefined;
  logger?: Logger | undefined;
  /** The clock in epoch milliseconds (tests inject one). */
  clock?: (() => number) | undefined;
  /** Source of idempotency tokens and invocation ids (tests inject one). */
  uuid?: (() => string) | undefined;
}

/**
 * An operation constant: its shape data, typed by input and output and branded by its service
 * (the client class name), so a bare client's `send` refuses another service's operation. The
 * phantom fields exist for the compiler only, never at run time.
 */
export type Operation<I, O, S extends string = string> = OperationSchema & {
  readonly __types?: (input: I) => O;
  readonly __service?: S;
};

const VERSION = "0.1.0";
const DEFAULT_MAX_RESPONSE_BODY = 256 * 1024 * 1024;
const EMPTY = new Uint8Array(0);
const NO_HANDLER_OPTIONS: HttpHandlerOptions = Object.freeze({});

interface ResolvedConfig {
  region: string;
  /** The configured credentials (or the session's chain), checked on each call: a CredentialsError when there are none. */
  credentials: CredentialsProvider;
  /** The configured credentials when they are an object, not a provider. */
  staticCredentials: Credentials | undefined;
  handler: HttpHandler;
  /**
   * The retry strategy: the configured one, adaptive or legacy mode's (loaded with the config:
   * adaptive mode paces every call, legacy mode sets the attempts), or standard mode's, which is
   * made on the client's first failed attempt (until then it would only have refunded quota it
   * never spent). `retryOptions` are what it is made from.
   */
  retry: RetryStrategy | undefined;
  retryOptions: RetryStrategyOptions;
  /** Attempts per call, first try included (the strategy's, or the resolved setting). */
  maxAttempts: number;
  endpoint: EndpointResolver;
  /** The signing clock: the configured clock corrected by the skew learnt from server Date headers. */
  clock: Clock;
  uuid: () => string;
  /** What serializers get (idempotency tokens), one object per client. */
  serializeContext: SerializeContext;
  userAgent: string;
  /** The platform's per-request headers from the environment (Node: Lambda's X-Amzn-Trace-Id; LoadedDefaults.requestHeaders). */
  rh: ((headers: Record<string, string>) => void) | undefined;
  maxResponseBodyBytes: number;
  /** The configuration with the settings read from the environment and the profile laid in (what stages see). */
  settings: Readonly<Record<string, unknown>>;
  /** The service's own scheme for this client (a bearer token, SigV2) when it replaces SigV4: what the schema's `ah` hook answered. */
  ah: Authorize | undefined;
  /** What a customization stage knows of a call of `op` with the caller's `input` (`op.pi`, `op.po`). */
  call: (op: OperationSchema, input: Record<string, unknown>) => CallContext;
}

/**
 * A call's input after its operation's input stages (service customizations; `op.pi`): a
 * promise only when a stage had to wait (most return the input at once).
 */
function customizeInput(op: OperationSchema, input: Record<string, unknown>, cfg: ResolvedConfig): Record<string, unknown> | Promise<Record<string, unknown>> {
  const call = cfg.call(op, input);
  const stages = op.pi!;
  const from = (i: number, value: Record<string, unknown>): Record<string, unknown> | Promise<Record<string, unknown>> => {
    for (; i < stages.length; i++) {
      const staged = stages[i]!(value, call);
      if (staged instanceof Promise) return staged.then((v) => from(i + 1, v));
      value = staged;
    }
    return value;
  };
  return from(0, input);
}

/**
 * One signature's options, for either signer: SigV4 reads `region`, SigV4a `regionSet` (each
 * ignores the other), so one object shape serves both and only the endpoint's auth picks.
 */
type CallSigning = SigningOptions & SigV4aOptions & { date: Date };

/** A SigV4a endpoint that names no region set signs for all regions (shared, never changed). */
const ALL_REGIONS: readonly string[] = Object.freeze(["*"]);

/** What presign.ts signs: a call's request record, unsent, its signing options, and whether the endpoint wants SigV4a. */
interface PresignPreparation {
  request: HttpRequest;
  signing: CallSigning;
  sigv4a: boolean;
}

/** @internal The client's side of presign.ts (set by RuntimeClient's static block). */
export let presignPreparation: (client: RuntimeClient, op: OperationSchema, input: Record<string, unknown>) => Promise<PresignPreparation>;

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

  /** The configuration, resolved on first use (callers take `#resolved` first: no promise once it is there). */
  #resolve(): Promise<ResolvedConfig> {
    return (this.#resolving ??= this.#load().then(
      (r) => (this.#resolved = r),
      (e: unknown) => {
        this.#resolving = undefined; // a failed resolution (no region yet, say) is tried again next call
        throw e;
      },
    ));
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
    // Credentials given as an object are used as they are on every call (see #sign).
    const staticCredentials = typeof creds === "object" ? creds : undefined;
    const provider: CredentialsProvider = creds === undefined ? d.credentials : typeof creds === "function" ? creds : () => Promise.resolve(creds);
    const credentials = (): Promise<Credentials> => checkedCredentials(this.service.id, provider);
    const handlerOptions: Record<string, unknown> = { clientName: this.service.id };
    if (c.requestTimeout !== undefined) handlerOptions.requestTimeout = c.requestTimeout;
    const connectionTimeout = c.connectionTimeout ?? defaults.connectTimeoutInMillis;
    if (connectionTimeout !== undefined) handlerOptions.connectionTimeout = connectionTimeout;
    const env = d.env;
    // Every endpoint setting below has one name in the profile and, in capitals after AWS_, in
    // the environment (use_fips_endpoint, AWS_USE_FIPS_ENDPOINT); the environment wins.
    const setting = (name: string): string | undefined => env[`AWS_${name.toUpperCase()}`] ?? d.setting(name);
    const flag = (value: boolean | undefined, name: string): boolean | undefined => {
      if (value !== undefined) return value;
      const raw = setting(name);
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
    endpointConfig.useFipsEndpoint = flag(c.useFipsEndpoint, "use_fips_endpoint");
    endpointConfig.useDualstackEndpoint = flag(c.useDualstackEndpoint, "use_dualstack_endpoint");
    // The service's own settings (S3's addressing style, STS's regional endpoints...): its schema's hook.
    this.service.es?.(endpointConfig, { service: this.service.id, setting, nested: d.nested, defaults });
    const retryOptions: RetryStrategyOptions = { mode: retryConfig.mode, maxAttempts: retryConfig.maxAttempts, now: c.clock, service: this.service.ep };
    const retry =
      c.retryStrategy ?? (retryConfig.mode === "standard" ? undefined : await (await loadRetryModule()).loadRetryStrategy(retryOptions));
    const uuid = c.uuid ?? randomUUID;
    const maxResponseBodyBytes = c.maxResponseBodyBytes ?? DEFAULT_MAX_RESPONSE_BODY;
    if (!(maxResponseBodyBytes > 0)) throw new ConfigError(`${this.service.id}: maxResponseBodyBytes must be a positive number, not ${maxResponseBodyBytes}`);
    const handler = c.httpHandler ?? createHttpHandler(handlerOptions);
    // A client a customization makes from this configuration (an S3 bucket's region, a
    // cross-region copy's source) shares this one's connections (closed by its destroy()) and credentials.
    endpointConfig.httpHandler = handler;
    endpointConfig.credentials = creds ?? provider;
    return {
      ah: await this.service.ah?.(c, d),
      rh: d.requestHeaders,
      maxResponseBodyBytes,
      settings: endpointConfig,
      region,
      credentials,
      staticCredentials,
      handler,
      retry,
      retryOptions,
      maxAttempts: retry?.maxAttempts ?? retryConfig.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      endpoint: createEndpointResolver(this.#ruleset, this.#partitions, this.service, endpointConfig, region),
      clock: createClock({ now: c.clock }),
      uuid,
      serializeContext: { uuid },
      call: (op, input) => ({ client: this, service: this.service, op, config: endpointConfig, region, input }),
      userAgent: `tsaws/${VERSION} api/${this.service.id.replace(/ /g, "_")}#${this.service.v}${c.userAgentAppId ? ` app/${c.userAgentAppId}` : ""}`,
    };
  }

  /** Sends one operation. Rejects with a ServiceError subclass, or another TsawsError. */
  async send<I, O>(operation: Operation<I, O>, rawInput: I, options?: CallOptions): Promise<O> {
    // One async layer per call: the pipeline is inlined here, and signing and parsing only
    // return promises when they really wait (a credentials provider, an event stream).
    const op: OperationSchema = operation;
    const given = (rawInput ?? {}) as Record<string, unknown>;
    let input = given;
    let endpoint: ClientEndpoint | undefined;
    try {
      const signal = options?.signal;
      if (signal?.aborted) throw new AbortError(`${op.n} was aborted before it was sent`, { cause: signal.reason });
      const cfg = this.#resolved ?? (await this.#resolve());
      // S3: a bucket this client found in another region goes there (op.rr, s3-region.ts).
      let moved = op.rr?.(cfg.call(op, given), options);
      if (moved) return moved as Promise<O>;
      if (op.pi) {
        const staged = customizeInput(op, input, cfg);
        input = staged instanceof Promise ? await staged : staged;
      }
      const serialized = this.protocol.serialize(this.service, op, input, cfg.serializeContext);
      endpoint = cfg.endpoint(op, input);
      if (op.ed) {
        const found = op.ed(cfg.call(op, input), endpoint, cfg); // a promise only when discovering
        endpoint = found instanceof Promise ? await found : found;
      }
      const headers = mergeHeaders(serialized.headers, endpoint);
      headers["user-agent"] ??= cfg.userAgent;
      headers["x-amz-user-agent"] ??= cfg.userAgent;
      cfg.rh?.(headers);
      let body = serialized.body;
      if (op.x) {
        for (const stage of op.x) {
          const staged = stage(op, cfg.settings, headers, body, input, serialized);
          body = staged instanceof Promise ? await staged : staged;
        }
      }
      const base = this.#request(serialized, serialized.url ?? endpoint.url, headers, body);
      const invocationId = cfg.uuid();
      let retry = cfg.retry;
      let token: RetryToken | undefined = retry ? await retry.acquireToken() : undefined;
      let attempts = 0;
      let totalRetryDelay = 0;
      // A body that can only be read once (a stream) cannot be replayed: one attempt only.
      const replayable = isReplayable(base.body);
      for (;;) {
        attempts++;
        // Each attempt signs its own copy. Object.assign, not spreads: in V8 every property
        // added to a spread copy costs microseconds (the signer adds five).
        const headers = Object.assign({}, base.headers);
        const request: HttpRequest = { method: base.method, protocol: base.protocol, hostname: base.hostname, path: base.path, query: base.query, headers };
        if (base.port !== undefined) request.port = base.port;
        if (base.body !== undefined) request.body = base.body;
        headers["amz-sdk-invocation-id"] = invocationId;
        headers["amz-sdk-request"] = `attempt=${attempts}; max=${cfg.maxAttempts}`;
        let info: RetryErrorInfo;
        let failure: unknown;
        try {
          let signed = request;
          if (endpoint.auth !== "none") {
            const pending = this.#sign(request, endpoint, cfg);
            signed = pending instanceof Promise ? await pending : pending;
          }
          const response = await cfg.handler.handle(signed, signal ? { signal } : NO_HANDLER_OPTIONS);
          // A streaming output is handed over unread; anything else is read whole before parsing.
          const streaming = response.statusCode < 300 && hasStreamingOutput(op);
          const bytes = streaming ? EMPTY : await readWhole(op, response, cfg.maxResponseBodyBytes);
          if (!streaming) {
            const loading = this.protocol.load?.(); // what parsing needs, on first use (the XML parser)
            if (loading) await loading;
          }
          const handled = this.#handleResponse(op, input, response, streaming, bytes, attempts, totalRetryDelay, cfg, given);
          const result = handled instanceof Promise ? await handled : handled;
          if (!(result instanceof Failed)) {
            cfg.clock.observe(response.headers.date);
            if (token) retry!.recordSuccess(token);
            return result as O;
          }
          failure = result.error;
          // S3: the bucket is in another region: the call is sent there, once (op.rr).
          if ((moved = op.rr?.(cfg.call(op, given), options, result.error, response, bytes, replayable))) break;
          info = { error: failure, statusCode: response.statusCode, code: result.error.code, headers: response.headers };
        } catch (e) {
          if (signal?.aborted) throw new AbortError(`${op.n} was aborted`, { cause: signal.reason });
          if (!(e instanceof TsawsError) || e instanceof CredentialsError || e instanceof ConfigError) throw e;
          failure = e;
          info = { error: e };
        }
        // The retry machinery, on the client's first failure; if it cannot be loaded (a browser
        // gone offline), the failure is reported as it is.
        const retrying = await loadRetryModule().catch(() => {
          throw failure;
        });
        info.clockSkewCorrected = retrying.clockSkewCorrected(cfg.clock, info);
        if (!retry) {
          const made = await retrying.loadRetryStrategy(cfg.retryOptions);
          retry = cfg.retry ??= made; // two calls failing at once keep one strategy (and quota)
        }
        // This call's first failure, in standard mode before the strategy existed: its token now.
        token ??= await retry.acquireToken();
        // Always ask the strategy (adaptive mode measures every response); it counts attempts itself.
        // A one-shot body cannot be resent: the strategy is told, so it grants and charges nothing.
        if (!replayable) info.replayable = false;
        const delay = retry.retryDelay(token, info);
        if (delay === undefined || !replayable) throw failure;
        totalRetryDelay += delay;
        await sleep(delay, signal);
      }
      return moved as Promise<O>;
    } catch (e) {
      // A discovered endpoint the service no longer accepts: evicted, and the call sent again
      // when it came from the cache (then to a freshly discovered one, which is not retried).
      if (endpoint?.evict?.(e)) return this.send(operation, rawInput, options);
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

  /** Signs an attempt's own request record: SigV4 in place, SigV4a into a copy, or the service's own scheme (`ah`). */
  #sign(request: HttpRequest, endpoint: ClientEndpoint, cfg: ResolvedConfig): HttpRequest | Promise<HttpRequest> {
    if (cfg.ah) return cfg.ah(request, cfg);
    // Static credentials are used as they are (no provider promise per call); they are still checked on every call.
    const fixed = cfg.staticCredentials;
    if (fixed && fixed.accessKeyId && fixed.secretAccessKey) return this.#signWith(fixed, request, endpoint, cfg);
    return cfg.credentials().then((credentials) => this.#signWith(credentials, request, endpoint, cfg));
  }

  #signWith(credentials: Credentials, request: HttpRequest, endpoint: ClientEndpoint, cfg: ResolvedConfig): HttpRequest | Promise<HttpRequest> {
    const options = this.#signingOptions(credentials, endpoint, cfg);
    if (endpoint.auth === "sigv4a") {
      const v4a = this.service.s4a;
      if (!v4a) throw new ConfigError(`${this.service.id}: the endpoint requires SigV4a signing, which this client does not include`);
      return v4a(request, options);
    }
    const pending = signRequestInPlace(request, options);
    return pending ? pending.then(() => request) : request;
  }

  /**
   * The options of one signature, header or query (presign.ts), at the client's corrected time,
   * for SigV4 (a region) or SigV4a (a region set), whichever the endpoint asks for.
   */
  #signingOptions(credentials: Credentials, endpoint: ClientEndpoint, cfg: ResolvedConfig): CallSigning {
    const escape = !endpoint.disableDoubleEncoding;
    // One literal of one shape (no spreads: see send). S3 (and S3 on Outposts) send and sign
    // the payload hash as `x-amz-content-sha256`.
    const sn = this.service.sn;
    const o: CallSigning = {
      credentials,
      service: endpoint.signingName ?? sn,
      region: endpoint.signingRegion ?? cfg.region,
      regionSet: endpoint.signingRegionSet ?? ALL_REGIONS,
      date: new Date(cfg.clock.now()),
      uriEscapePath: escape,
      normalizePath: escape,
      contentSha256Header: sn === "s3" || sn === "s3-outposts",
    };
    if (endpoint.unsignedPayload) o.payloadHash = "UNSIGNED-PAYLOAD";
    return o;
  }

  static {
    presignPreparation = (client, op, input) => client.#presignPreparation(op, input);
  }

  /** The unsigned request record of a call, formed as `send` forms it, and how to sign it (presign.ts). */
  async #presignPreparation(op: OperationSchema, input: Record<string, unknown>): Promise<PresignPreparation> {
    const cfg = this.#resolved ?? (await this.#resolve());
    if (op.pi) input = await customizeInput(op, input, cfg);
    const serialized = this.protocol.serialize(this.service, op, input, cfg.serializeContext);
    const endpoint = cfg.endpoint(op, input); // never a discovered one (presign.ts takes `ed` off the operation)
    const request = this.#request(serialized, endpoint.url, mergeHeaders(serialized.headers, endpoint), serialized.body);
    return { request, signing: this.#signingOptions(await cfg.credentials(), endpoint, cfg), sigv4a: endpoint.auth === "sigv4a" };
  }

  /** The request record of a serialized call (its body stages, if any, already run). */
  #request(s: SerializedRequest, url: URL, headers: Record<string, string>, body: RequestBody | undefined): HttpRequest {
    const u = urlParts(url);
    let path = u.basePath + s.path;
    if (path.charCodeAt(0) !== 47 /* / */) path = `/${path}`;
    let query = u.query;
    for (const [k, v] of s.query) query += `${query ? "&" : ""}${k}=${v}`;
    if (typeof body === "string" || body instanceof Uint8Array) {
      headers["content-length"] ??= String(typeof body === "string" ? utf8Length(body) : body.byteLength);
    }
    const request: HttpRequest = {
      method: s.method,
      protocol: u.protocol,
      hostname: s.hostPrefix !== undefined ? s.hostPrefix + u.hostname : u.hostname,
      path,
      query,
      headers,
    };
    if (u.port !== undefined) request.port = u.port;
    if (body !== undefined) request.body = body;
    return request;
  }

  /**
   * The output on success (no wrapper allocated), a Failed on a service error; a promise only
   * for an event stream, whose initial response is read first. `bytes` is the body read whole
   * (EMPTY when `streaming`: the body is then handed over unread).
   */
  #handleResponse(
    op: OperationSchema,
    input: Record<string, unknown>,
    response: HttpResponse,
    streaming: boolean,
    bytes: Uint8Array,
    attempts: number,
    totalRetryDelay: number,
    cfg: ResolvedConfig,
    given: Record<string, unknown>,
  ): Record<string, unknown> | Failed | Promise<Record<string, unknown>> {
    const h = response.headers;
    const status = response.statusCode;
    const received: ReceivedResponse = { statusCode: status, headers: h, body: bytes };
    if (streaming) received.stream = response.body;
    if (status === 200 && op.eb && bytes.length === 0 && !streaming) {
      // An operation that must answer with a body sent none: the work may not have happened
      // (S3 CopyObject...). A server fault, so it is retried, as botocore does.
      const metadata = responseMetadata(response, attempts, totalRetryDelay);
      return new Failed(new ServiceError("InternalError", `${op.n} answered 200 without a body`, metadata, "server"));
    }
    // S3 reports some failures of CopyObject, UploadPartCopy and CompleteMultipartUpload in a 200 body (rest-xml's errorIn200).
    if (status >= 300 || (status === 200 && bytes.length > 0 && this.protocol.errorIn200?.(bytes) === true)) {
      let parsed: ParsedError;
      try {
        parsed = this.protocol.parseError(this.service, op, received);
      } catch (cause) {
        throw unreadable(op, status, cause);
      }
      const withId = responseMetadata(response, attempts, totalRetryDelay, parsed.requestId);
      const cls = parsed.errorClass as (ErrorClassLike & (new (m: string | undefined, f: Record<string, unknown>, md: ResponseMetadata) => ServiceError)) | undefined;
      const error = cls ? new cls(parsed.message, parsed.fields, withId) : new ServiceError(parsed.code, parsed.message, withId);
      return new Failed(error);
    }
    let output: Record<string, unknown>;
    try {
      output = this.protocol.parse(this.service, op, received);
    } catch (cause) {
      throw unreadable(op, status, cause);
    }
    // Service customizations of the output (S3's URL-encoded listings, response checksums...).
    if (op.po) {
      const call = cfg.call(op, given);
      for (const transform of op.po) transform(output, received, call, input);
    }
    // An event stream: the member becomes an AsyncIterable of events (RPC protocols first read the initial-response).
    // (The reader is attached to event-stream operations only: `op.ev`, runtime/eventstream.ts.)
    if (received.stream && op.ev) {
      const meta = (): ResponseMetadata => responseMetadata(response, attempts, totalRetryDelay);
      return op.ev(this.protocol, this.service, op, received, output, meta).then(() => withMetadata(output, meta()));
    }
    return withMetadata(output, responseMetadata(response, attempts, totalRetryDelay));
  }

}

/** The retry strategies and error classifier, imported once, on the first failed attempt of any client (again after a failed import). */
const loadRetryModule = lazyModule(() => import("./retry/standard.js")).load;

/** The provider's credentials, checked: a CredentialsError (naming the service) when it fails or gives no keys. */
async function checkedCredentials(service: string, provider: CredentialsProvider): Promise<Credentials> {
  try {
    const c = await provider();
    if (!c || !c.accessKeyId || !c.secretAccessKey) throw new CredentialsError("the credentials provider returned no access key");
    return c;
  } catch (e) {
    if (e instanceof CredentialsError) throw e;
    throw new CredentialsError(`${service}: could not load credentials: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/**
 * A response body read whole, refused (ResponseParseError, the rest cancelled) once it is
 * known to be larger than `max`: from Content-Length before reading, else while reading.
 */
function readWhole(op: OperationSchema, response: HttpResponse, max: number): Promise<Uint8Array> {
  const declared = response.headers["content-length"];
  const tooLarge = (size: string): ResponseParseError =>
    new ResponseParseError(`${op.n}: the response body (${size} bytes) exceeds maxResponseBodyBytes (${max})`, response.statusCode);
  if (declared !== undefined) {
    if (Number(declared) <= max) return response.body.transformToByteArray();
    return response.body.cancel().then(() => Promise.reject(tooLarge(declared)));
  }
  return readBody(response.body, max, () => tooLarge(`more than ${max}`));
}

/**
 * What a protocol threw while reading a response: a typed error as it is, anything else (a
 * header value that does not convert, say) as a ResponseParseError, so a bad response never
 * surfaces as a bare TypeError.
 */
function unreadable(op: OperationSchema, status: number, cause: unknown): TsawsError {
  if (cause instanceof TsawsError) return cause;
  const why = cause instanceof Error ? cause.message : String(cause);
  return new ResponseParseError(`${op.n}: the response does not match the model: ${why} (HTTP ${status})`, status, { cause });
}

/** A failed attempt's service error, as #handleResponse returns it (a successful output is returned bare). */
class Failed {
  constructor(readonly error: ServiceError) {}
}

// The $metadata descriptor, filled and emptied around each (synchronous) defineProperty.
const METADATA: PropertyDescriptor = { value: undefined, enumerable: false, writable: false };

function withMetadata(output: Record<string, unknown>, metadata: ResponseMetadata): Record<string, unknown> {
  METADATA.value = metadata;
  Object.defineProperty(output, "$metadata", METADATA);
  METADATA.value = undefined;
  return output;
}

/** The metadata of a response; `bodyRequestId` (an error body's) serves when no header carries the request id. */
function responseMetadata(response: HttpResponse, attempts: number, totalRetryDelay: number, bodyRequestId?: string): ResponseMetadata {
  const h = response.headers;
  const m: { -readonly [K in keyof ResponseMetadata]: ResponseMetadata[K] } = {
    httpStatusCode: response.statusCode,
    attempts,
    totalRetryDelay,
  };
  const requestId = (h["x-amzn-requestid"] ?? h["x-amz-request-id"] ?? h["x-amzn-request-id"]) || bodyRequestId;
  if (requestId) m.requestId = requestId;
  if (h["x-amz-id-2"]) m.extendedRequestId = h["x-amz-id-2"];
  if (h["x-amz-cf-id"]) m.cfId = h["x-amz-cf-id"];
  return m;
}

function hasStreamingOutput(op: OperationSchema): boolean {
  const o = op.o;
  if (!o) return false;
  if (op.ev) return true; // an event stream (the payload, or any member in RPC protocols)
  if (!o.p) return false;
  const m = o.m[o.p];
  if (m === undefined) return false;
  const t = target(m);
  if (typeof t !== "object") return false;
  if (t.t === 8) return (t as StructureShape).es === 1; // an event stream
  return "st" in t && t.st === 1;
}

interface UrlParts {
  /** The endpoint's path without its trailing slash ("" for "/"). */
  basePath: string;
  /** The endpoint's own query, without "?". */
  query: string;
  protocol: "http:" | "https:";
  hostname: string;
  port: number | undefined;
}

// What requests take from an endpoint URL, read once per URL object (the endpoint resolver
// keeps one URL per endpoint string and never changes it).
const urlPartsCache = new WeakMap<URL, UrlParts>();

function urlParts(url: URL): UrlParts {
  let u = urlPartsCache.get(url);
  if (u === undefined) {
    const pathname = url.pathname;
    u = {
      basePath: pathname === "/" ? "" : pathname.replace(/\/$/, ""),
      query: url.search.length > 1 ? url.search.slice(1) : "",
      protocol: url.protocol === "http:" ? "http:" : "https:",
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
    };
    urlPartsCache.set(url, u);
  }
  return u;
}

/** The serialized call's headers with the endpoint's merged in (lower-cased), the same object. */
function mergeHeaders(headers: Record<string, string>, endpoint: ClientEndpoint): Record<string, string> {
  for (const k in endpoint.headers) headers[k.toLowerCase()] = endpoint.headers[k]!;
  return headers;
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
