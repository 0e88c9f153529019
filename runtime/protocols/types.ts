// The contract between the client core and the wire protocols. A protocol turns typed
// input into a plain request record (easy to test: no I/O, no signing) and a response
// into typed output or a parsed error; the core owns endpoints, signing and transport.
import type { OperationSchema, ServiceSchema, ErrorClassLike } from "../schema.js";
import type { RequestBody, ResponseBody } from "../http/types.js";

/** What a serializer returns: relative to the resolved endpoint, nothing signed yet. */
export interface SerializedRequest {
  method: string;
  /** Encoded path with a leading slash, relative to the endpoint's own path. */
  path: string;
  /** Encoded query parameters in the order they were added: [name, value] pairs. */
  query: [string, string][];
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: RequestBody;
  /** The operation's host prefix with labels filled in, e.g. "foo.bar." */
  hostPrefix?: string;
  /** Sent to this URL instead of the endpoint's (set by a body stage: Machine Learning's Predict). */
  url?: URL;
}

export interface SerializeContext {
  /** Source of idempotency tokens (stubbed in tests). */
  uuid(): string;
}

/** A response whose body has been read, unless the output streams its payload. */
export interface ReceivedResponse {
  statusCode: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The whole body (empty when the output streams its payload). */
  body: Uint8Array;
  /** The unread body, present only when the output has a streaming payload member. */
  stream?: ResponseBody;
}

/** A parsed error response, before the core wraps it into a ServiceError. */
export interface ParsedError {
  /** The error code, without namespace (`ResourceNotFoundException`). */
  code: string;
  message?: string;
  /** The modeled error class matched by code, when there is one. */
  errorClass?: ErrorClassLike;
  /** Members of the modeled error, parsed by its shape (empty for an unmodeled error). */
  fields: Record<string, unknown>;
  /** Request id from the body when the protocol carries one there. */
  requestId?: string;
  /** `Type` from query/rest-xml error bodies ("Sender"/"Receiver"). */
  type?: string;
}

export interface Protocol {
  serialize(service: ServiceSchema, op: OperationSchema, input: Record<string, unknown>, ctx: SerializeContext): SerializedRequest;
  /** Parses a successful response into the output record. */
  parse(service: ServiceSchema, op: OperationSchema, response: ReceivedResponse): Record<string, unknown>;
  /** Parses an error response (status >= 300, or S3's 200-with-error body). */
  parseError(service: ServiceSchema, op: OperationSchema, response: ReceivedResponse): ParsedError;
  /**
   * Loads what `parse` and `parseError` need for a response body, on first use (the XML
   * protocols: the XML parser, xml.ts `loadXmlParser`); undefined when nothing is left to load.
   * The client awaits it before parsing any body but a streaming success's.
   */
  load?(): Promise<unknown> | undefined;
  /**
   * Whether a 200 response's (non-empty) body is an error document: S3 reports some failures
   * of CopyObject, UploadPartCopy and CompleteMultipartUpload that way (rest-xml only).
   */
  errorIn200?(body: Uint8Array): boolean;
}

export { RequestFormError, ResponseParseError } from "../errors.js";
