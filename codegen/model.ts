// The botocore model format (service-2.json and friends) as TypeScript types, plus the
// loader that reads one service folder from models/. Only what the generator reads is
// typed; everything else in the JSON is ignored.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

export interface BotoMemberRef {
  shape: string;
  documentation?: string;
  location?: "header" | "headers" | "querystring" | "uri" | "statusCode";
  locationName?: string;
  queryName?: string;
  xmlNamespace?: { uri: string; prefix?: string } | string;
  xmlAttribute?: boolean;
  flattened?: boolean;
  jsonvalue?: boolean;
  hostLabel?: boolean;
  idempotencyToken?: boolean;
  eventpayload?: boolean;
  eventheader?: boolean;
  streaming?: boolean;
  timestampFormat?: string;
  deprecated?: boolean;
  deprecatedMessage?: string;
  contextParam?: { name: string };
  box?: boolean;
  resultWrapper?: string;
}

export interface BotoShape {
  type:
    | "structure" | "list" | "map" | "string" | "integer" | "long" | "short" | "byte" | "float"
    | "double" | "boolean" | "blob" | "timestamp" | "bigInteger" | "bigDecimal" | "document";
  members?: Record<string, BotoMemberRef>;
  member?: BotoMemberRef;
  key?: BotoMemberRef;
  value?: BotoMemberRef;
  required?: string[];
  enum?: string[];
  documentation?: string;
  locationName?: string;
  timestampFormat?: string;
  streaming?: boolean;
  requiresLength?: boolean;
  eventstream?: boolean;
  event?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  union?: boolean;
  document?: boolean;
  payload?: string;
  flattened?: boolean;
  sparse?: boolean;
  sensitive?: boolean;
  xmlNamespace?: { uri: string; prefix?: string } | string;
  deprecated?: boolean;
  deprecatedMessage?: string;
  min?: number;
  max?: number;
  pattern?: string;
  wrapper?: boolean;
  jsonvalue?: boolean;
}

export interface BotoOperation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: BotoMemberRef;
  output?: BotoMemberRef;
  errors?: BotoMemberRef[];
  documentation?: string;
  deprecated?: boolean;
  deprecatedMessage?: string;
  idempotent?: boolean;
  endpoint?: { hostPrefix: string };
  httpChecksumRequired?: boolean;
  httpChecksum?: {
    requestChecksumRequired?: boolean;
    requestAlgorithmMember?: string;
    requestValidationModeMember?: string;
    responseAlgorithms?: string[];
  };
  staticContextParams?: Record<string, { value: string | boolean }>;
  operationContextParams?: Record<string, { path: string }>;
  contextParams?: Record<string, unknown>;
  authtype?: string;
  auth?: string[];
  unsignedPayload?: boolean;
  requestcompression?: { encodings: string[] };
  endpointdiscovery?: { required?: boolean };
  /** Not in the models: set by a tsaws customization (customizations.ts) for operations whose 200 answer must carry a body. */
  bodyRequiredOn200?: boolean;
  /**
   * Not in the models: the runtime stages a tsaws customization (customizations.ts) attaches, by
   * their export names in runtime/customizations.ts: `input` rewrite the call's input before it
   * is serialized (and presigned), `request` are body stages run after serializing (headers,
   * body), `output` adjust a parsed output; `discovery` is the endpoint-discovery hook (schema.ts
   * `ed`), `redirect` the region-redirect hook (schema.ts `rr`, S3). A stage is an export's name,
   * or `[factory, ...args]` for one made by a factory from JSON arguments (emitted as `factory(...args)`).
   */
  stages?: { input?: StageRef[]; request?: StageRef[]; output?: StageRef[]; discovery?: StageRef; redirect?: StageRef };
  endpointoperation?: boolean;
}

/** A runtime stage named by a customization: an export of runtime/customizations.ts, or a call of one. */
export type StageRef = string | readonly [factory: string, ...args: unknown[]];

export interface BotoMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: string;
  protocols?: string[];
  serviceId: string;
  serviceFullName: string;
  serviceAbbreviation?: string;
  signatureVersion?: string;
  signingName?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  xmlNamespace?: string;
  awsQueryCompatible?: Record<string, unknown>;
  auth?: string[];
  uid?: string;
  globalEndpoint?: string;
}

export interface BotoServiceModel {
  version?: string;
  metadata: BotoMetadata;
  operations: Record<string, BotoOperation>;
  shapes: Record<string, BotoShape>;
  documentation?: string;
}

export interface ServiceFiles {
  /** The model folder name: the subpath export (`tsaws/<name>`). */
  name: string;
  version: string;
  service: BotoServiceModel;
  paginators?: { pagination: Record<string, unknown> };
  waiters?: { version: number; waiters: Record<string, unknown> };
  ruleset?: unknown;
  resources?: unknown;
}

export const MODELS_DIR = new URL("../models", import.meta.url).pathname;

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : undefined;
}

/** Every service folder name under models/, sorted. */
export function listServices(dir = MODELS_DIR): string[] {
  return readdirSync(dir)
    .filter((n) => n !== "_root" && !n.includes("."))
    .sort();
}

export function loadService(name: string, dir = MODELS_DIR): ServiceFiles {
  const versions = readdirSync(join(dir, name)).sort();
  const version = versions[versions.length - 1];
  if (!version) throw new Error(`models/${name} has no API version folder`);
  const base = join(dir, name, version);
  const service = readJson<BotoServiceModel>(join(base, "service-2.json"));
  if (!service) throw new Error(`models/${name}/${version}/service-2.json is missing`);
  const files: ServiceFiles = { name, version, service };
  const paginators = readJson<ServiceFiles["paginators"]>(join(base, "paginators-1.json"));
  if (paginators) files.paginators = paginators;
  const waiters = readJson<ServiceFiles["waiters"]>(join(base, "waiters-2.json"));
  if (waiters) files.waiters = waiters;
  const ruleset = readJson<unknown>(join(base, "endpoint-rule-set-1.json"));
  if (ruleset) files.ruleset = ruleset;
  const resources = readJson<unknown>(join(base, "resources-1.json"));
  if (resources) files.resources = resources;
  return files;
}

/** botocore's preference when a model lists several protocols. */
const PROTOCOL_PRIORITY = ["json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"];

/**
 * The protocol the runtime speaks for a service, chosen as botocore chooses: the first
 * protocol in its priority order that `metadata.protocols` lists, else `metadata.protocol`.
 * (So CloudWatch, which lists smithy-rpc-v2-cbor, json and query, speaks json.)
 */
export function chooseProtocol(metadata: Pick<BotoMetadata, "protocol" | "protocols">): string {
  const listed = metadata.protocols ?? [];
  return PROTOCOL_PRIORITY.find((p) => listed.includes(p)) ?? metadata.protocol;
}
