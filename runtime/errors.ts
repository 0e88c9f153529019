// Every error the SDK throws is a TsawsError; errors sent by a service are ServiceErrors,
// and each modeled error is a generated subclass made by `errorClass`, so
// `err instanceof ResourceNotFoundException` narrows. Messages never hold secrets:
// nothing here formats credentials, request bodies or sensitive members.

/** Metadata of the HTTP exchange behind an output or an error. */
export interface ResponseMetadata {
  /** HTTP status code, when a response arrived. */
  readonly httpStatusCode?: number;
  /** `x-amzn-requestid` / `x-amz-request-id`, or the id from the error body. */
  readonly requestId?: string;
  /** S3's `x-amz-id-2`. */
  readonly extendedRequestId?: string;
  /** CloudFront's `x-amz-cf-id`. */
  readonly cfId?: string;
  /** How many attempts the call made (1 when it was not retried). */
  readonly attempts: number;
  /** Milliseconds spent waiting between retries. */
  readonly totalRetryDelay: number;
}

/** Base class of every error the SDK throws. */
export class TsawsError extends Error {
  override name = "TsawsError";
}

/** An error response from a service. `code` is the wire error code. */
export class ServiceError extends TsawsError {
  override name: string;
  /** The service's error code, e.g. `ThrottlingException`. */
  readonly code: string;
  /** "client" when the request was at fault, "server" otherwise. */
  readonly $fault: "client" | "server";
  readonly $metadata: ResponseMetadata;
  /** Set when the error can be retried (throttling, transient faults). */
  $retryable?: { throttling: boolean };

  constructor(
    code: string,
    message: string | undefined,
    metadata: ResponseMetadata,
    fault: "client" | "server" = (metadata.httpStatusCode ?? 500) >= 500 ? "server" : "client",
  ) {
    super(message || code);
    this.name = code;
    this.code = code;
    this.$fault = fault;
    this.$metadata = metadata;
  }
}

/** The constructor of a generated modeled error class. */
export interface ModeledErrorClass<T extends ServiceError = ServiceError> {
  new (message: string | undefined, fields: Record<string, unknown>, metadata: ResponseMetadata): T;
}

/**
 * Makes the class of one modeled error. The generated module calls this once per error
 * (marked pure, so unused errors are tree-shaken); the modeled members are copied onto
 * the instance, so `err.CancellationReasons` reads like any other field. With `registry`
 * (the service's `ex`, a prototype-less object), the class is entered under its wire code
 * and its name, so any operation of the service can find it.
 */
export function errorClass<S extends { readonly er?: readonly [string, number, "client" | "server"] }>(
  name: string,
  shape: S,
  registry?: Record<string, unknown>,
): ModeledErrorClass & { readonly $s: S } {
  const fault = shape.er?.[2] ?? "client";
  const code = shape.er?.[0] ?? name;
  const cls = class extends ServiceError {
    static readonly $s = shape;
    constructor(message: string | undefined, fields: Record<string, unknown>, metadata: ResponseMetadata) {
      super(code, message, metadata, fault);
      this.name = name;
      for (const key of Object.keys(fields)) {
        if (key !== "message" && key !== "Message" && !(key in this)) (this as Record<string, unknown>)[key] = fields[key];
      }
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  if (registry) {
    registry[code] ??= cls;
    registry[name] ??= cls;
  }
  return cls;
}

/** A request that cannot be formed: a missing URI or host label, an invalid value. Nothing was sent. */
export class RequestFormError extends TsawsError {
  override name = "RequestFormError";
}

/** A response that cannot be read in the protocol's format (malformed or truncated body). */
export class ResponseParseError extends TsawsError {
  override name = "ResponseParseError";
  readonly statusCode: number;
  constructor(message: string, statusCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.statusCode = statusCode;
  }
}

/** No credentials could be found, or a provider failed. The message says where it looked. */
export class CredentialsError extends TsawsError {
  override name = "CredentialsError";
}

/** The endpoint could not be resolved (invalid region, unsupported FIPS/dual-stack, bad bucket name). */
export class EndpointError extends TsawsError {
  override name = "EndpointError";
}

/** Configuration is missing or invalid (no region, a malformed profile). */
export class ConfigError extends TsawsError {
  override name = "ConfigError";
}

/** The connection failed, was reset, or the body ended early. Usually retryable. */
export class NetworkError extends TsawsError {
  override name = "NetworkError";
  readonly code: string | undefined;
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = options?.code;
  }
}

/** A connection or request timeout expired. */
export class TimeoutError extends NetworkError {
  override name = "TimeoutError";
}

/** The caller's AbortSignal fired. `cause` holds the signal's reason. */
export class AbortError extends TsawsError {
  override name = "AbortError";
}

/**
 * A response's body does not match the checksum the service sent with it (x-amz-checksum-*):
 * the data was corrupted on the way. Raised by the read that reaches the end of a streamed body
 * (or by the call, for a body read whole). Holds only checksums, never the data.
 */
export class ChecksumMismatchError extends TsawsError {
  override name = "ChecksumMismatchError";
  /** The algorithm, e.g. "CRC32". */
  readonly algorithm: string;
  /** The checksum the response header gave (base64). */
  readonly expected: string;
  /** The checksum of the bytes received (base64). */
  readonly computed: string;
  constructor(operation: string, algorithm: string, expected: string, computed: string) {
    super(`${operation}: the response body's ${algorithm} checksum is ${computed}, but x-amz-checksum-${algorithm.toLowerCase()} says ${expected}`);
    this.algorithm = algorithm;
    this.expected = expected;
    this.computed = computed;
  }
}
