// The shape data the generator emits and every protocol walks.
//
// Design: generated code holds no per-shape serde functions, only these small constants.
// A scalar shape without wire traits is a bare number (its kind), so most members cost one
// digit; aggregates are plain objects with one-letter keys. A member is its target shape,
// or `[target, traits]` when it carries member traits (wire name, HTTP location, ...).
// References that would form a cycle in constant declaration order are thunks
// (`() => shape`), resolved by `target()`. Everything here is data: side-effect free,
// tree-shakable, and readable by the protocol serializers and parsers in protocols/.
import type { HttpRequest, RequestBody } from "./http/types.js";
import type { Protocol, ReceivedResponse, SerializedRequest } from "./protocols/types.js";
import type { ResponseMetadata, ServiceError } from "./errors.js";
import type { DefaultsModeValues } from "./defaults-mode-name.js";
import type { ClientConfig } from "./client.js";
import type { LoadedDefaults } from "./defaults/types.js";
import type { Credentials } from "./signer/core.js";
import type { ClientEndpoint } from "./endpoint.js";

/** Shape kinds. Scalars are 0-7; aggregates are 8-10. */
export const K = {
  String: 0,
  Boolean: 1,
  /** integer, long, short, byte: a JS number (longs beyond 2^53 lose precision, as JSON.parse does). */
  Integer: 2,
  /** float, double: a JS number; NaN and infinities travel as the strings the protocols define. */
  Float: 3,
  Blob: 4,
  Timestamp: 5,
  /** An untyped JSON document (`document: true`). */
  Document: 6,
  /** bigInteger / bigDecimal: kept as a decimal string so no precision is lost. */
  BigNumber: 7,
  Structure: 8,
  List: 9,
  Map: 10,
} as const;
export type ScalarKind = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Timestamp wire formats (the model's `timestampFormat`). */
export type TimestampFormat = "iso8601" | "rfc822" | "unixTimestamp";

/** An XML namespace: `xmlns[:prefix]="uri"`. */
export interface XmlNamespace {
  readonly uri: string;
  readonly prefix?: string;
}

/** A scalar that carries shape-level wire traits. */
export interface ScalarShape {
  readonly t: ScalarKind;
  /** timestampFormat */
  readonly tf?: TimestampFormat;
  /** streaming payload (blob or string) */
  readonly st?: 1;
  /** requiresLength on a streaming blob */
  readonly rl?: 1;
  /** jsonvalue: a string holding JSON (header values are base64 of it) */
  readonly j?: 1;
  /** the shape is sensitive: never printed */
  readonly s?: 1;
}

export interface StructureShape {
  readonly t: 8;
  /** Members in model order: wire name resolution happens through member traits. */
  readonly m: Readonly<Record<string, Member>>;
  /** Shape name, kept for errors and events (the code matched against the wire). */
  readonly n?: string;
  /** The member bound to the HTTP payload (`payload`). */
  readonly p?: string;
  /** xmlNamespace */
  readonly x?: XmlNamespace;
  /** The wire element name of the structure itself (`locationName` on the shape). */
  readonly ln?: string;
  /** union: exactly one member set */
  readonly u?: 1;
  /** eventstream: a union of events */
  readonly es?: 1;
  /** event: one event of an event stream */
  readonly ev?: 1;
  /** error: [code on the wire, HTTP status, "client" | "server"] */
  readonly er?: readonly [code: string, status: number, fault: "client" | "server"];
  /** sensitive */
  readonly s?: 1;
}

export interface ListShape {
  readonly t: 9;
  readonly m: Member;
  /** flattened (XML) */
  readonly f?: 1;
  /** sparse: nulls are kept */
  readonly sp?: 1;
}

export interface MapShape {
  readonly t: 10;
  readonly k: Member;
  readonly v: Member;
  /** flattened (XML) */
  readonly f?: 1;
  /** sparse: null values are kept */
  readonly sp?: 1;
}

export type Shape = ScalarKind | ScalarShape | StructureShape | ListShape | MapShape;
export type ShapeRef = Shape | (() => Shape);

/** Where an HTTP-bound member travels (the model's `location`). */
export type Location =
  | "header"
  | "headers" // prefix headers; `n` is the prefix
  | "querystring"
  | "uri"
  | "statusCode";

export interface MemberTraits {
  /** Wire name: locationName (XML element, header, query key, JSON key, URI label). */
  readonly n?: string;
  /** HTTP location */
  readonly l?: Location;
  /** xmlAttribute */
  readonly xa?: 1;
  /** xmlNamespace on the member */
  readonly x?: XmlNamespace;
  /** flattened on the member (XML) */
  readonly f?: 1;
  /** timestampFormat on the member */
  readonly tf?: TimestampFormat;
  /** jsonvalue on the member */
  readonly j?: 1;
  /** hostLabel: fills `{name}` in the operation's host prefix */
  readonly hl?: 1;
  /** idempotencyToken: filled with a UUID when absent */
  readonly it?: 1;
  /** queryName (EC2) */
  readonly qn?: string;
  /** eventpayload / eventheader */
  readonly ep?: 1;
  readonly eh?: 1;
  /** required: used for URI labels and host labels, which must be present */
  readonly r?: 1;
}

export type Member = ShapeRef | readonly [ShapeRef, MemberTraits];

/** The HTTP binding of an operation: [method, requestUri, success status]. */
export type HttpTrait = readonly [method: string, requestUri: string, responseCode?: number];

export interface ChecksumTrait {
  /** requestChecksumRequired */
  readonly rq?: 1;
  /** requestAlgorithmMember */
  readonly ra?: string;
  /** requestValidationModeMember */
  readonly vm?: string;
  /** responseAlgorithms */
  readonly rs?: readonly string[];
}

/** An error class generated for a modeled error; `$s` is its structure shape. */
export interface ErrorClassLike {
  new (message: string, fields: Record<string, unknown>, metadata: unknown): Error;
  readonly $s: StructureShape;
}

/**
 * A request-body stage attached to the operations that need it (compression, checksums), so
 * a bundle only carries the stages its operations use. Runs after serializing, before signing.
 * `request` is the serialized call (the client passes it; request-body.ts's `prepareBody` does
 * not): a service customization may change its method, path or query, or set its `url` to send
 * the call elsewhere (CloudSearch Domain's POST Search, Machine Learning's Predict endpoint).
 */
export type BodyStage = (
  op: OperationSchema,
  config: Readonly<Record<string, unknown>>,
  headers: Record<string, string>,
  body: RequestBody | undefined,
  input: Record<string, unknown>,
  request?: SerializedRequest,
) => RequestBody | undefined | Promise<RequestBody | undefined>; // a promise only when it had to wait

export interface OperationSchema {
  /** Operation name (the wire action / target suffix). */
  readonly n: string;
  readonly h: HttpTrait;
  readonly i?: StructureShape;
  readonly o?: StructureShape;
  /** Modeled errors, as the generated error classes (thunks keep classes tree-shakable). */
  readonly e?: readonly (ErrorClassLike | (() => ErrorClassLike))[];
  /** query protocols: the output `resultWrapper` element */
  readonly rw?: string;
  /** endpoint host prefix, e.g. "{AccountId}.data." */
  readonly hp?: string;
  /** httpChecksumRequired (Content-MD5 or a checksum must be sent) */
  readonly cr?: 1;
  /** httpChecksum */
  readonly ck?: ChecksumTrait;
  /**
   * The operation's own auth (codegen/schema.ts `operationAuth`): ["none"] when it is sent
   * unsigned, ["v4-unsigned-body"] for an unsigned payload, else the schemes its model lists.
   */
  readonly au?: readonly string[];
  /**
   * endpoint rule parameters bound from the input: param name -> input member name, or the
   * getter of an operationContextParams path (`contextPath("keys(RequestItems)")`)
   */
  readonly cp?: Readonly<Record<string, string | ((input: unknown) => unknown)>>;
  /** static endpoint context params */
  readonly sc?: Readonly<Record<string, string | boolean>>;
  /** request compression encodings */
  readonly rc?: readonly string[];
  /** A 200 answer without a body is a failure (S3 CopyObject, UploadPartCopy, CompleteMultipartUpload). */
  readonly eb?: 1;
  /** body stages this operation runs, in order (see `BodyStage`) */
  readonly x?: readonly BodyStage[];
  /** input stages (service customizations), in order (see `InputStage`) */
  readonly pi?: readonly InputStage[];
  /** output transforms (service customizations), in order (see `OutputTransform`) */
  readonly po?: readonly OutputTransform[];
  /**
   * The event-stream output reader (runtime/eventstream.ts `readEventStreamOutput`), attached
   * only to operations whose output is an event stream, so other bundles never carry it.
   */
  readonly ev?: OutputStage;
  /**
   * Endpoint discovery (runtime/customizations/endpoint-discovery.ts), on the operations whose
   * model says `endpointdiscovery` (Timestream: required; DynamoDB: optional): the endpoint a
   * call is sent to, the regular one or a discovered one.
   */
  readonly ed?: EndpointDiscovery;
  /**
   * S3's region redirects (runtime/customizations/s3-region.ts), on the operations with a
   * `Bucket`: asked by `send` before a call (a bucket known to be elsewhere) and after a failed
   * attempt; a promise means the call went elsewhere and this is its outcome.
   */
  readonly rr?: RegionRedirect;
}

/**
 * Sends a call elsewhere, or answers undefined to go on as usual. Asked without `error` before
 * the call is sent; with the error, the response (its headers) and body after a failed attempt
 * (`replayable`: whether the request body could be sent again).
 */
export type RegionRedirect = (
  call: CallContext,
  options: { signal?: AbortSignal | undefined } | undefined,
  error?: ServiceError,
  response?: { readonly headers: Readonly<Record<string, string>> },
  body?: Uint8Array,
  replayable?: boolean,
) => Promise<unknown> | undefined;

/**
 * Picks the endpoint of a call to an operation with endpoint discovery: `regular` (the rule
 * set's) or a copy with a discovered URL and an `evict` hook (the client asks it, on a failure,
 * whether to send the call again: once, when the endpoint came from the cache). Reads
 * `endpointDiscoveryEnabled` from `call.config` (the service's settings hook, `es`, lays the
 * environment's and the profile's value in). Throws a ConfigError when discovery is off but the
 * operation requires it, or the setting is not true, false or auto. Asked without `regular`
 * (presign.ts): only those checks.
 */
export interface EndpointDiscovery {
  (call: CallContext, regular: ClientEndpoint, client: DiscoveryClient): ClientEndpoint | Promise<ClientEndpoint>;
  (call: CallContext): unknown;
}

/** What endpoint discovery reads of the client's resolved configuration. */
export interface DiscoveryClient {
  /** The client's checked credentials (their access key is part of the cache key). */
  readonly credentials: () => Promise<Credentials>;
}

/**
 * What an input stage or output transform knows of its call: the client (to send or presign
 * another call), the service and operation, the configuration as given with the settings the
 * client read from the environment and the profile laid in (`client.config` is it as given),
 * the region, and the call's input as the caller gave it (before any input stage).
 */
export interface CallContext {
  readonly client: RuntimeClientLike;
  readonly service: ServiceSchema;
  readonly op: OperationSchema;
  readonly config: Readonly<ClientConfig>;
  readonly region: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** The part of RuntimeClient a stage may use (a structural type: schema.ts imports no classes). */
export interface RuntimeClientLike {
  readonly config: Readonly<ClientConfig>;
  send<I, O>(operation: OperationSchema, input: I, options?: { signal?: AbortSignal | undefined }): Promise<O>;
}

/**
 * A service customization run on a call's input before it is serialized or presigned (botocore's
 * `before-parameter-build` handlers: Route 53's resource ids, S3's SSE-C keys...). It returns
 * the input to use, a copy when it changed anything: the caller's object is never modified.
 * A promise only when it had to wait.
 */
export interface InputStage {
  (input: Record<string, unknown>, call: CallContext): Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Run by `send` only, not when presigning (presign.ts leaves it out, so the client core carries
   * no presign case): for a stage about the response, which the URL's holder reads.
   */
  readonly sendOnly?: 1;
}

/**
 * A service customization run on a parsed output, in place, before the caller sees it. `sent` is
 * the input as sent (after the input stages: S3 GetObject's ChecksumMode as enabled); `call.input`
 * is what the caller gave (S3's listings are decoded only when the caller chose no EncodingType).
 */
export type OutputTransform = (
  output: Record<string, unknown>,
  response: ReceivedResponse,
  call: CallContext,
  sent: Readonly<Record<string, unknown>>,
) => void;

/** Reads a streamed output into `output` after the protocol parsed the rest (event streams). */
export type OutputStage = (
  protocol: Protocol,
  service: ServiceSchema,
  op: OperationSchema,
  response: ReceivedResponse,
  output: Record<string, unknown>,
  metadata: () => ResponseMetadata,
) => Promise<void>;

export type ProtocolName = "json" | "rest-json" | "rest-xml" | "query" | "ec2" | "smithy-rpc-v2-cbor";

export interface ServiceSchema {
  /** serviceId, e.g. "DynamoDB" */
  readonly id: string;
  /** The protocol the runtime uses (chosen at generation time, as botocore chooses). */
  readonly p: ProtocolName;
  /** apiVersion */
  readonly v: string;
  /** endpointPrefix */
  readonly ep: string;
  /** signingName (defaults to endpointPrefix) */
  readonly sn: string;
  /** targetPrefix (json, cbor) */
  readonly tp?: string;
  /** jsonVersion (json) */
  readonly jv?: string;
  /** xmlNamespace (rest-xml, query) */
  readonly x?: string;
  /** awsQueryCompatible */
  readonly qc?: 1;
  /**
   * The service's auth schemes in the model's order of preference (metadata.auth, else its
   * signatureVersion's scheme): "aws.auth#sigv4", "aws.auth#sigv4a", "smithy.api#httpBearerAuth",
   * "smithy.api#noAuth", or "aws.auth#sigv2" (botocore's "v2", which Smithy does not name).
   * Absent when the service signs with SigV4 alone (the default).
   */
  readonly au?: readonly string[];
  /** client context params: endpoint rule parameter name -> client config key */
  readonly cc?: Readonly<Record<string, string>>;
  /**
   * The service's own settings from the environment, the profile and the defaults mode, laid
   * into its endpoint config (S3, S3 Control and STS only: runtime/service-settings.ts).
   */
  readonly es?: (config: Record<string, unknown>, from: SettingSources) => void;
  /**
   * The SigV4a signer, present only in services whose endpoints or auth can ask for it (S3
   * multi-region access points, EventBridge global endpoints...), so other bundles never carry
   * the P-256 code.
   */
  readonly s4a?: (request: HttpRequest, options: SigV4aOptions) => Promise<HttpRequest>;
  /**
   * The service's own authentication, present only where the model names a scheme other than
   * SigV4 (bearer tokens: runtime/auth/bearer.ts; SigV2: runtime/signer/sigv2.ts), so other
   * bundles never carry that code. Asked once per client (its module imported then): an
   * `Authorize` replaces SigV4 for every signed call of that client, undefined keeps SigV4.
   */
  readonly ah?: (config: Readonly<ClientConfig>, defaults: LoadedDefaults) => Promise<Authorize | undefined>;
  /**
   * The service's modeled error classes present in this program, by wire code and by shape
   * name: each registers itself here when it is made (errors.ts `errorClass`). An error code an
   * operation does not list still gets its class from here, as botocore and AWS SDK v3 match
   * error codes against the whole service; a bundle keeps only the classes it uses.
   */
  readonly ex?: Readonly<Record<string, ErrorClassLike>>;
}

/**
 * Authorizes one attempt's request record in place of SigV4 (a bearer token in Authorization,
 * SigV2 in the form body or query), at the client's corrected time, with its credentials when
 * the scheme needs them (`client` is the client's resolved configuration).
 */
export type Authorize = (request: HttpRequest, client: AuthContext) => HttpRequest | Promise<HttpRequest>;

/** What an `Authorize` reads of its client. */
export interface AuthContext {
  /** The signing clock: the configured clock corrected by the skew learnt from responses. */
  readonly clock: { now(): number };
  /** The client's credentials, checked: rejects with a CredentialsError when there are none. */
  readonly credentials: () => Promise<Credentials>;
}

/** What a service's settings hook (`es`) reads: the client core builds it once per client. */
export interface SettingSources {
  /** The client's service id, for messages. */
  readonly service: string;
  /** The environment's AWS_<NAME>, else the profile's <name>. */
  setting(name: string): string | undefined;
  /** A setting in a block of the profile (s3 -> addressing_style). */
  nested(section: string, key: string): string | undefined;
  /** The defaults mode's values. */
  readonly defaults: DefaultsModeValues;
}

/** What the client passes to the SigV4a signer (runtime/signer/sigv4a.ts SigV4aSigningOptions). */
export interface SigV4aOptions {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  service: string;
  regionSet: readonly string[];
  date?: Date;
  payloadHash?: string;
  uriEscapePath?: boolean;
  normalizePath?: boolean;
  contentSha256Header?: boolean;
}

/** Resolves a member to its shape, unwrapping traits and thunks. */
export function target(member: Member): Shape {
  const ref = Array.isArray(member) ? (member as readonly [ShapeRef, MemberTraits])[0] : (member as ShapeRef);
  return typeof ref === "function" ? ref() : ref;
}

const NO_TRAITS: MemberTraits = {};

/** The member's own traits (an empty object when it has none). */
export function traits(member: Member): MemberTraits {
  return Array.isArray(member) ? (member as readonly [ShapeRef, MemberTraits])[1] : NO_TRAITS;
}

/** The kind of a shape (scalar number or aggregate `t`). */
export function kind(shape: Shape): number {
  return typeof shape === "number" ? shape : shape.t;
}

/** Shape-level scalar traits, or an empty object for a bare scalar. */
export function scalarTraits(shape: Shape): ScalarShape | typeof NO_TRAITS {
  return typeof shape === "number" ? NO_TRAITS : (shape as ScalarShape);
}
