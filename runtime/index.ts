// The package root (`import { ServiceError } from "tsaws"`): the error classes, the shared
// config and client types, and the user-facing helpers that are not tied to one service.
export {
  TsawsError,
  ServiceError,
  RequestFormError,
  ResponseParseError,
  CredentialsError,
  EndpointError,
  ConfigError,
  NetworkError,
  TimeoutError,
  AbortError,
  ChecksumMismatchError,
} from "./errors.js";
export type { ResponseMetadata } from "./errors.js";
export type {
  BearerToken,
  CallOptions,
  ClientConfig,
  Credentials,
  CredentialsProvider,
  DocumentType,
  Logger,
  Operation,
  StreamingBlobInput,
  StreamingBody,
  TokenProvider,
} from "./client.js";
export type { HttpHandler, HttpRequest, HttpResponse } from "./http/types.js";
export { Session, type SessionOptions } from "./session.js";
export { presign, type PresignOptions, type PresignedRequest } from "./presign.js";
export { presignPost, type PresignPostInput, type PresignedPost, type PostPolicyCondition } from "./presign-post.js";
export type { DefaultsMode } from "./defaults-mode.js";
export type { RetryStrategy } from "./retry/index.js";
export { WaiterError, WaiterFailureError, WaiterTimeoutError } from "./waiter.js";
export type { WaiterOptions, WaiterResult } from "./waiter.js";
export { PaginationError } from "./paginate.js";
export type { FullResult, PageSizeOptions, PaginateOptions, Paginator } from "./paginate.js";
export { search, compile as compileJmesPath, JmesPathError } from "./jmespath/index.js";
export type { CompiledExpression, JmesPathErrorKind } from "./jmespath/index.js";
