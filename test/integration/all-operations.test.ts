// The sweep: EVERY operation of EVERY generated service, sent through its generated client.
//
// Each operation is called twice, with an input built from its shape data: once with only the
// members the model requires (plus URI and host labels, which must be present), once with every
// member, optional ones too, to a bounded depth and size, so headers, query strings, prefix
// headers, host prefixes, timestamp formats, nested lists and maps, flattened XML, unions,
// documents, streams, compression and checksums are all exercised. Both get the protocol's
// canned empty success. A third call (every protocol but CBOR, outputs that do not stream)
// sends the required input again and answers with a response carrying every output member,
// written here by the protocol's rules (headers, prefix headers, JSON, XML with the query
// wrapper or ec2 element), which the client must read back exactly. The model (models/<service>) supplies
// what the runtime's shape data leaves out on purpose: which members are required, enum values,
// and big integers vs big decimals. Values are deterministic (a seeded PRNG picks union members
// and enum values in the fuller variant).
//
// The client is the real generated one (us-east-1, static credentials, one attempt, a fixed
// clock and UUID source, a hermetic session); its transport records the request and answers
// with a canned success for the protocol. Every call must either
//   - be sent: method, a path starting with "/", a valid DNS host name, a Content-Length that
//     matches the body, a body well-formed for the protocol, and the model's scheme: a SigV4 /
//     SigV4a signature that test/support/sigv4-verify.ts (an implementation of its own) accepts;
//     for signatureVersion "v2" (SimpleDB, Import/Export) a SigV2 signature that
//     test/support/sigv2-verify.ts accepts; for a service that allows a bearer token exactly
//     `Authorization: Bearer <the configured token>` and no SigV4 headers (CodeCatalyst, whose
//     only scheme it is, on every call; Bedrock and Bedrock Runtime on the calls of the client given
//     a token, SigV4 on the full variant's client, which has none); or no signature at all
//     where the model says the operation is anonymous; every top-level member the input set
//     found where its binding puts it (header, prefix headers, query, path, host, body key), its
//     scalar text as the protocol writes it (timestamp formats, base64 blobs, numbers: worked
//     out here, not by the runtime), idempotency tokens the input left out filled; and the
//     answer parsed into an output whose $metadata says 200 (an output event stream an async
//     iterable that ends); or
//   - fail before anything is sent, with a TsawsError, for a reason listed in EXPECTED below.
// Anything else (a TypeError, a failure after sending, a wrong signature, a listed operation
// that no longer fails) fails the protocol's test, naming the service, operation and variant.
import assert from "node:assert/strict";
import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { Session, TsawsError } from "tsaws";
import { RuntimeClient } from "../../runtime/client.ts";
import { decodeCbor } from "../../runtime/protocols/cbor.ts";
import type { HttpHandler, HttpRequest, HttpResponse, RequestBody } from "../../runtime/http/types.ts";
import type { ListShape, MapShape, Member, OperationSchema, ScalarShape, ServiceSchema, StructureShape, TimestampFormat } from "../../runtime/schema.ts";
import { kind, scalarTraits, target, traits } from "../../runtime/schema.ts";
import { textBody } from "../support/bodies.ts";
import { countedTests } from "../support/counted.ts";
import { verifySigV4 } from "../support/sigv4-verify.ts";
import { verifySigV2 } from "../support/sigv2-verify.ts";
import { mulberry32 } from "../support/prng.ts";

const check = countedTests("integration all operations");

const ROOT = new URL("../..", import.meta.url).pathname;
const GENERATED = join(ROOT, "generated");
const MODELS = join(ROOT, "models");
const NOW = Date.UTC(2024, 4, 6, 7, 8, 9);
const CREDENTIALS = { accessKeyId: "AKIDSWEEP", secretAccessKey: "sweep-secret-key", sessionToken: "sweep-session-token" };
/** The bearer token the clients of services that allow one are given (see `schemes`). */
const TOKEN = "sweep-bearer-token";
const STAMP = new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789));
const NO_FILE = join(tmpdir(), "tsaws-sweep-no-such-file");

const INPUT_EVENT_STREAM = {
  error: "RequestFormError",
  match: /is an input event stream, which tsaws cannot send yet/,
  why: "an input event stream (signed event messages, a bidirectional HTTP/2 stream): the runtime has no writer for them and refuses the call",
};
/**
 * Operations that cannot be sent with any synthetic input, each with why: `error` is the
 * TsawsError subclass it must fail with (before sending), `match` its message. Keys are
 * `service/Operation`. A listed operation that sends both variants fails the sweep (the entry
 * must go).
 */
const EXPECTED: Record<string, { error: string; match: RegExp; why: string }> = {
  "bedrock-runtime/InvokeModelWithBidirectionalStream": INPUT_EVENT_STREAM,
  "connecthealth/StartMedicalScribeListeningSession": INPUT_EVENT_STREAM,
  "lexv2-runtime/StartConversation": INPUT_EVENT_STREAM,
  "polly/StartSpeechSynthesisStream": INPUT_EVENT_STREAM,
  "qbusiness/Chat": INPUT_EVENT_STREAM,
};

/**
 * Endpoint rule parameters that must be ARNs of a given kind (the rule sets parse them), by
 * `service.Parameter`, for the members named *Arn that bind them. Every other member bound to a
 * rule parameter gets a lower-case alphanumeric string, as labels do.
 */
const ENDPOINT_ARNS: Record<string, string> = {
  "cloudfront-keyvaluestore.KvsARN": "arn:aws:cloudfront::123456789012:key-value-store/abc123",
  "dynamodb.ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/abc123",
  "kinesis.StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/abc123",
  "kinesis.ResourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/abc123",
  "kinesis.ConsumerARN": "arn:aws:kinesis:us-east-1:123456789012:stream/abc123/consumer/abc123:1715000000",
};

/**
 * Operations whose `SourceRegion` the SDK reads itself (runtime/customizations/source-region.ts),
 * by `service/Operation`: "rds" (RDS, Neptune, DocumentDB: SourceRegion is tsaws's addition to
 * the input, not in models/, never sent; a PreSignedUrl presigned for it is sent unless the input
 * has one) or "ec2" (EC2 CopySnapshot: PresignedUrl and DestinationRegion made from it unless
 * the input has a PresignedUrl). The input gets a region name there, and what is checked against
 * the wire is the input as the SDK sends it, the URL checked on its own (see `asSent`).
 */
const SOURCE_REGION: Record<string, "rds" | "ec2"> = {
  "rds/CopyDBClusterSnapshot": "rds",
  "rds/CreateDBCluster": "rds",
  "rds/CopyDBSnapshot": "rds",
  "rds/CreateDBInstanceReadReplica": "rds",
  "rds/StartDBInstanceAutomatedBackupsReplication": "rds",
  "neptune/CopyDBClusterSnapshot": "rds",
  "neptune/CreateDBCluster": "rds",
  "docdb/CopyDBClusterSnapshot": "rds",
  "docdb/CreateDBCluster": "rds",
  "ec2/CopySnapshot": "ec2",
};
const SOURCE = "us-west-2";

/** Operations whose output cannot be written unambiguously for the response variant, with why. */
const NO_RESPONSE_VARIANT: Record<string, string> = {
  "s3/GetBucketNotification":
    "the deprecated configurations have Event (a string) and Events (a flattened list of Event): both read the same <Event> elements",
};

/**
 * Service customizations (runtime/customizations/) that change a call after it is serialized,
 * by `service/Operation` (input stages need no entry: see callOnce): `input` sets what the
 * synthesized input cannot guess (a real URL); `host` is where the call must go; `unsent` checks
 * the request as sent (its signature included) and gives it back in the shape the model
 * describes, for the remaining checks.
 */
interface Customized {
  input?: (input: Record<string, unknown>) => Record<string, unknown>;
  host?: string;
  unsent?: (request: HttpRequest, body: Uint8Array) => { problems: string[]; request: HttpRequest; body: Uint8Array };
}
const PREDICT_HOST = "realtime.machinelearning.us-east-1.amazonaws.com";
const CUSTOMIZED: Record<string, Customized> = {
  // Predict goes to the host of its PredictEndpoint (botocore's switch_host_machinelearning).
  "machinelearning/Predict": { input: (i) => ({ ...i, PredictEndpoint: `https://${PREDICT_HOST}` }), host: PREDICT_HOST },
  // Search is a POST whose form body is the modeled query string (botocore's change_get_to_post).
  "cloudsearchdomain/Search": {
    unsent(request, body) {
      const problems: string[] = [];
      const verdict = verifySigV4(
        { method: request.method, path: request.path, query: request.query, headers: request.headers, body },
        { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: NOW },
      );
      if (!verdict.ok) problems.push(`signature: ${verdict.reason.split("\n")[0]}`);
      if (request.method !== "POST" || request.query !== "") problems.push(`sent as ${request.method} with query ${JSON.stringify(request.query)}`);
      if (request.headers["content-type"] !== "application/x-www-form-urlencoded") problems.push(`content-type ${request.headers["content-type"]}`);
      const { "content-type": _t, "content-length": _l, ...headers } = request.headers;
      return { problems, request: { ...request, method: "GET", query: new TextDecoder().decode(body), headers }, body: new Uint8Array(0) };
    },
  },
};

/**
 * The checksum algorithms the runtime computes (runtime/request-body.ts). S3's ChecksumAlgorithm
 * enum also names XXHASH3, XXHASH64 and XXHASH128, which the runtime refuses before sending
 * (botocore computes them only with the CRT): the full variant picks an algorithm member's value
 * among these, and one check at the end asserts the refusal, so a change on either side shows.
 */
const COMPUTED_CHECKSUMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5"];

// ---------------------------------------------------------------------------------------
// The services, their protocols and models

type ProtocolName = "json" | "rest-json" | "rest-xml" | "query" | "ec2" | "smithy-rpc-v2-cbor";
const PROTOCOL_FILES: Record<string, ProtocolName> = {
  json: "json",
  "rest-json": "rest-json",
  "rest-xml": "rest-xml",
  query: "query",
  ec2: "ec2",
  "rpcv2-cbor": "smithy-rpc-v2-cbor",
};

/** The protocol module a generated service imports (read from the head of its index.js, not by importing it). */
function protocolOf(service: string): ProtocolName {
  const fd = openSync(join(GENERATED, service, "index.js"), "r");
  const head = Buffer.alloc(2048);
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const m = /#runtime\/protocols\/([a-z0-9-]+)"/.exec(head.toString("utf8"));
  const p = m ? PROTOCOL_FILES[m[1]!] : undefined;
  if (!p) throw new Error(`${service}: no protocol import in generated/${service}/index.js`);
  return p;
}

const SERVICES = readdirSync(GENERATED)
  .filter((s) => s !== "_root" && !s.startsWith("."))
  .sort();
const BY_PROTOCOL = new Map<ProtocolName, string[]>();
for (const s of SERVICES) {
  const p = protocolOf(s);
  BY_PROTOCOL.set(p, [...(BY_PROTOCOL.get(p) ?? []), s]);
}

interface MRef {
  shape: string;
  location?: string;
  locationName?: string;
  streaming?: boolean;
}
interface MShape {
  type: string;
  members?: Record<string, MRef>;
  member?: MRef;
  key?: MRef;
  value?: MRef;
  required?: string[];
  enum?: string[];
  union?: boolean;
  eventstream?: boolean;
  streaming?: boolean;
  payload?: string;
}
interface MOperation {
  name: string;
  input?: MRef;
  output?: MRef;
  auth?: string[];
  authtype?: string;
}
interface Model {
  metadata: { targetPrefix?: string; auth?: string[]; signatureVersion?: string };
  operations: Record<string, MOperation>;
  shapes: Record<string, MShape>;
}

/** The model the generator used: the last API version folder (codegen/model.ts loadService). */
function loadModel(service: string): Model {
  const versions = readdirSync(join(MODELS, service)).sort();
  return JSON.parse(readFileSync(join(MODELS, service, versions[versions.length - 1]!, "service-2.json"), "utf8")) as Model;
}

const NO_AUTH = new Set(["none", "smithy.api#noAuth"]);

/** Whether the model says the operation is sent unsigned. */
function anonymous(model: Model, op: MOperation): boolean {
  const auth = op.auth ?? (op.authtype ? [op.authtype] : undefined);
  if (auth && auth.length > 0) return auth.every((a) => NO_AUTH.has(a));
  return model.metadata.auth?.[0] === "smithy.api#noAuth";
}

const BEARER = "smithy.api#httpBearerAuth";
/** The SigV4 request headers, none of which a bearer or SigV2 request carries. */
const SIGV4_HEADERS = ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];
/** The parameters SigV2 adds to a form. */
const SIGV2_PARAMS = new Set(["AWSAccessKeyId", "SignatureVersion", "SignatureMethod", "Timestamp", "SecurityToken", "Signature"]);

/** How the model says a service authenticates: SigV2 (signatureVersion "v2"), bearer only, bearer or SigV4, or SigV4. */
function modelScheme(model: Model): "sigv2" | "bearer" | "bearer-or-sigv4" | "sigv4" {
  const { auth, signatureVersion } = model.metadata;
  if (signatureVersion === "v2") return "sigv2";
  if (auth && auth.length > 0) {
    if (!auth.includes(BEARER)) return "sigv4";
    return auth.some((a) => a.startsWith("aws.auth#sigv4")) ? "bearer-or-sigv4" : "bearer";
  }
  return signatureVersion === "bearer" ? "bearer" : "sigv4";
}

/**
 * Whether each variant's client is given the bearer token, and so the scheme its requests must
 * carry: a bearer-only service's always; a service that allows bearer or SigV4, the token for the
 * required and response variants, none (SigV4) for the full one; SigV4 and SigV2 services, none.
 */
function schemes(model: Model): Record<Variant, Expected> {
  const m = modelScheme(model);
  if (m === "bearer") return { required: "bearer", full: "bearer", response: "bearer" };
  if (m === "bearer-or-sigv4") return { required: "bearer", full: "sigv4", response: "bearer" };
  return { required: m, full: m, response: m };
}
type Expected = "sigv4" | "sigv2" | "bearer";

/** What the output streams, by the model: an event stream, a streaming blob payload, or nothing. */
function outputStreams(model: Model, op: MOperation): "events" | "blob" | undefined {
  const out = op.output ? model.shapes[op.output.shape] : undefined;
  if (!out) return undefined;
  for (const [name, ref] of Object.entries(out.members ?? {})) {
    const s = model.shapes[ref.shape];
    if (s?.eventstream) return "events";
    if (name === out.payload && (s?.streaming || ref.streaming)) return "blob";
  }
  return undefined;
}

/** Whether the input sets a member the model says is an event stream (an input event stream). */
function eventStreamSet(c: { model: Model; mop: MOperation }, input: Record<string, unknown>): boolean {
  const shape = c.mop.input ? c.model.shapes[c.mop.input.shape] : undefined;
  return Object.entries(shape?.members ?? {}).some(([name, ref]) => input[name] !== undefined && c.model.shapes[ref.shape]?.eventstream === true);
}

// ---------------------------------------------------------------------------------------
// Synthetic inputs


function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * required: only required members (and labels); full: every member; response: the required
 * input again, answered with a response that carries every output member, which must be read back.
 */
type Variant = "required" | "full" | "response";
/** Depth to which the full variant fills optional members; required members go to HARD_DEPTH. */
const FULL_DEPTH = 7;
const HARD_DEPTH = 12;
/** Values the full variant makes before it stops adding optional members (keeps QuickSight-sized inputs bounded). */
const FULL_BUDGET = 1000;
const LABEL = "abc123";
const TEXT = "Synth value/+&=~*\u00e9\u2713";
const HEADER_TEXT = "Synth value/+&=~*";

/** Where a value goes, for the text it gets. */
interface Place {
  /** A URI label, host label or endpoint context parameter: a lower-case alphanumeric string (or an ARN a rule set parses). */
  label?: string;
  /** The member naming the request checksum algorithm: one the runtime computes. */
  checksumAlgorithm?: boolean;
  /** A header (or prefix-header) value: ASCII text. */
  header?: string;
}

class InputBuilder {
  private nodes = 0;
  constructor(
    private readonly service: string,
    private readonly model: Model,
    private readonly variant: "required" | "full",
    private readonly rng: () => number,
    /** Building an output: no XML attributes (the response writer here has none), big numbers a double holds exactly. */
    private readonly forOutput = false,
  ) {}

  private get full(): boolean {
    return this.variant === "full";
  }

  /** Every member of an operation's output, to the full variant's depth and size. */
  output(op: OperationSchema, mop: MOperation): Record<string, unknown> {
    const mshape = mop.output ? this.model.shapes[mop.output.shape] : undefined;
    if (!op.o || !mshape) throw new Error(`no output shape for ${op.n}`);
    return this.structure(op.o, mshape, 0);
  }

  input(op: OperationSchema, mop: MOperation): Record<string, unknown> {
    if (!op.i) return {};
    const mshape = mop.input ? this.model.shapes[mop.input.shape] : undefined;
    if (!mshape) throw new Error(`no model input shape for ${op.n}`);
    // Top-level members that endpoint rules read (context params): a label, or the ARN the rule set parses.
    const endpointValues = new Map<string, string>();
    for (const [param, path] of Object.entries(op.cp ?? {})) {
      if (/^\w+$/.test(path)) endpointValues.set(path, (/arn$/i.test(path) ? ENDPOINT_ARNS[`${this.service}.${param}`] : undefined) ?? LABEL);
    }
    return this.structure(op.i, mshape, 0, { endpointValues, checksumMember: op.ck?.ra });
  }

  /** `top` is set for the input structure itself: its endpoint-bound members and its checksum algorithm member. */
  private structure(
    shape: StructureShape,
    mshape: MShape | undefined,
    depth: number,
    top?: { endpointValues: Map<string, string>; checksumMember: string | undefined },
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const names = Object.keys(shape.m);
    if (shape.u) {
      if (names.length === 0) return out;
      const name = names[this.full ? Math.floor(this.rng() * names.length) : 0]!;
      const v = this.value(shape.m[name]!, mshape?.members?.[name], depth + 1, {});
      if (v !== undefined) out[name] = v;
      return out;
    }
    const required = new Set(mshape?.required ?? []);
    const elements = new Set<string>();
    for (const name of names) {
      const member = shape.m[name]!;
      const t = traits(member);
      if (t.l === "statusCode" || (this.forOutput && t.xa)) continue;
      if (this.forOutput) {
        // Two members read from one element name (S3's deprecated Event and Events) cannot both be written back.
        const ms = target(member);
        const el = (kind(ms) === 9 && (t.f || (ms as ListShape).f) ? traits((ms as ListShape).m).n : undefined) ?? t.n ?? name;
        if (elements.has(el)) continue;
        elements.add(el);
      }
      const must = required.has(name) || (top !== undefined && (t.l === "uri" || t.hl === 1));
      if (!must && !(this.full && depth < FULL_DEPTH && this.nodes < FULL_BUDGET)) continue;
      const place: Place = {};
      if (top !== undefined && (t.l === "uri" || t.hl === 1)) place.label = LABEL;
      if (top?.endpointValues.has(name)) place.label = top.endpointValues.get(name)!;
      if (top !== undefined && name === top.checksumMember) place.checksumAlgorithm = true;
      if (t.l === "header" || t.l === "headers") place.header = (t.n ?? name).toLowerCase();
      const v = this.value(member, mshape?.members?.[name], depth + 1, place, t.l === "headers");
      if (v !== undefined) out[name] = v;
    }
    return out;
  }

  private value(member: Member, mref: MRef | undefined, depth: number, place: Place, prefixHeaders = false): unknown {
    if (depth > HARD_DEPTH) return undefined;
    this.nodes++;
    const shape = target(member);
    const mshape = mref ? this.model.shapes[mref.shape] : undefined;
    switch (kind(shape)) {
      case 0: {
        let en = mshape?.enum;
        if (place.checksumAlgorithm && en) en = en.filter((a) => COMPUTED_CHECKSUMS.includes(a));
        // A label honours an enum through a value that is a valid label itself.
        if (en && place.label !== undefined) en = place.label === LABEL ? en.filter((v) => DNS_LABEL.test(v)) : [];
        if (en && en.length > 0) return en[this.full ? Math.floor(this.rng() * en.length) : 0];
        if (traits(member).j || (scalarTraits(shape) as ScalarShape).j) return '{"key":"value","n":[1,2]}';
        if (place.label !== undefined) return place.label;
        if (place.header !== undefined) return this.full ? HEADER_TEXT : "synth";
        return this.full ? TEXT : "synth";
      }
      case 1:
        return true;
      case 2:
        return place.header === "content-length" ? 3 : this.full ? 42 : 1;
      case 3:
        return this.full ? 2.5 : 1;
      case 4: {
        // S3's SSE-C keys (headers *-customer-key) must be 256 bits: the runtime refuses others.
        if (place.header?.endsWith("-customer-key")) return new Uint8Array(32).fill(7);
        const bytes = new Uint8Array([115, 0, 255]);
        // The full variant sends a streaming payload as a web stream (one that can be read only once).
        if (this.full && (scalarTraits(shape) as ScalarShape).st) {
          return new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(bytes);
              c.close();
            },
          });
        }
        return bytes;
      }
      case 5:
        return STAMP;
      case 6:
        return { key: "value", list: [1, true, "x"], nested: { a: null } };
      case 7:
        if (this.forOutput) return mshape?.type === "bigDecimal" ? "3.25" : "12345";
        return mshape?.type === "bigDecimal" ? "3.14159" : "123456789012345678901234567890";
      case 8: {
        const s = shape as StructureShape;
        if (s.es) {
          // An input event stream: one event, as an async iterable.
          const event = this.structure({ t: 8, m: s.m, u: 1 }, mshape, depth, undefined);
          return (async function* () {
            yield event;
          })();
        }
        return this.structure(s, mshape, depth);
      }
      case 9: {
        const list = shape as ListShape;
        const n = this.full ? 2 : 1;
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const v = this.value(list.m, mshape?.member, depth + 1, { ...(place.header !== undefined ? { header: place.header } : {}) });
          if (v !== undefined) out.push(v);
        }
        return out;
      }
      case 10: {
        const map = shape as MapShape;
        const keyShape = mshape?.key ? this.model.shapes[mshape.key.shape] : undefined;
        const n = this.full ? 2 : 1;
        const keys = new Set<string>();
        const en = keyShape?.enum;
        const start = en && this.full ? Math.floor(this.rng() * en.length) : 0;
        for (let i = 0; i < n; i++) {
          if (en && en.length > 0) keys.add(en[(start + i) % en.length]!);
          else if (prefixHeaders || place.header !== undefined || place.label !== undefined) keys.add(`meta${i + 1}`);
          else keys.add(this.full ? `Key ${i + 1}/\u00e9` : `key${i + 1}`);
        }
        const out: Record<string, unknown> = {};
        for (const k of keys) {
          const valuePlace: Place = prefixHeaders ? { header: "x-prefix" } : {};
          const v = this.value(map.v, mshape?.value, depth + 1, valuePlace);
          if (v !== undefined) out[k] = v;
        }
        return out;
      }
      default:
        throw new Error(`unknown shape kind ${kind(shape)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// The transport

const enc = new TextEncoder();

async function bodyBytes(body: RequestBody | undefined): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array(0);
  if (typeof body === "string") return enc.encode(body);
  if (body instanceof Uint8Array) return body;
  if (typeof Blob !== "undefined" && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  const parts: Uint8Array[] = [];
  if (typeof (body as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      parts.push(r.value);
    }
  } else {
    for await (const c of body as AsyncIterable<Uint8Array | string>) parts.push(typeof c === "string" ? enc.encode(c) : c);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** The canned success of one protocol for one operation. */
function cannedResponse(protocol: ProtocolName, op: OperationSchema, streams: "events" | "blob" | undefined): HttpResponse {
  const headers: Record<string, string> = { "x-amzn-requestid": "sweep-request-id", date: new Date(NOW).toUTCString() };
  let body: string | Uint8Array = "";
  if (streams === "events") headers["content-type"] = "application/vnd.amazon.eventstream";
  else if (streams === "blob") headers["content-type"] = "application/octet-stream";
  else if (protocol === "json") {
    headers["content-type"] = "application/x-amz-json-1.1";
    body = "{}";
  } else if (protocol === "rest-json") {
    headers["content-type"] = "application/json";
    body = "{}";
  } else if (protocol === "rest-xml") {
    headers["content-type"] = "application/xml";
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<${op.n}Output></${op.n}Output>`;
  } else if (protocol === "query") {
    headers["content-type"] = "text/xml";
    const result = op.rw ?? `${op.n}Result`;
    body = `<${op.n}Response xmlns="https://sweep.example/doc/"><${result}/><ResponseMetadata><RequestId>sweep-request-id</RequestId></ResponseMetadata></${op.n}Response>`;
  } else if (protocol === "ec2") {
    headers["content-type"] = "text/xml;charset=UTF-8";
    body = `<${op.n}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>sweep-request-id</requestId></${op.n}Response>`;
  } else {
    headers["content-type"] = "application/cbor";
    headers["smithy-protocol"] = "rpc-v2-cbor";
    body = new Uint8Array([0xa0]); // an empty CBOR map
  }
  const bytes = typeof body === "string" ? enc.encode(body) : body;
  if (streams === undefined) headers["content-length"] = String(bytes.length);
  const response = textBody(typeof body === "string" ? body : "");
  if (typeof body !== "string") {
    response.transformToByteArray = async () => bytes;
    response[Symbol.asyncIterator] = async function* () {
      yield bytes;
    };
  }
  return { statusCode: 200, headers, body: response };
}

function escapeXml(text: string, attribute = false): string {
  const out = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return attribute ? out.replace(/"/g, "&quot;") : out;
}

/** XML text of a node of xmlExpected's tree. */
function xmlText(name: string, node: unknown): string {
  if (typeof node === "string") return `<${name}>${escapeXml(node)}</${name}>`;
  let attrs = "";
  let children = "";
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k.startsWith("@")) attrs += ` ${k.slice(1)}="${escapeXml(String(v), true)}"`;
    else for (const child of v as unknown[]) children += xmlText(k, child);
  }
  return `<${name}${attrs}>${children}</${name}>`;
}

/** A header's text for an output member, or undefined for what this writer leaves out (timestamp lists, aggregates). */
function headerText(member: Member, value: unknown): string | undefined {
  const shape = target(member);
  const k = kind(shape);
  if (k === 9) {
    const item = (shape as ListShape).m;
    if (kind(target(item)) === 5 || kind(target(item)) > 7) return undefined;
    return (value as unknown[]).map((v) => expectedText(item, v, "rfc822")).join(", ");
  }
  if (k > 7 || k === 6) return undefined;
  if (k === 0 && (traits(member).j || (scalarTraits(shape) as ScalarShape).j)) return Buffer.from(value as string).toString("base64");
  return expectedText(member, value, "rfc822");
}

/** A value as it reads back: timestamps written as HTTP-dates (rfc822) lose their milliseconds. */
function asRead(member: Member, value: unknown, defaultFormat: TimestampFormat): unknown {
  const shape = target(member);
  switch (kind(shape)) {
    case 5:
      return timestampFormatOf(member, defaultFormat) === "rfc822" ? new Date(Math.floor((value as Date).getTime() / 1000) * 1000) : value;
    case 8:
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asRead((shape as StructureShape).m[k]!, v, defaultFormat)]));
    case 9:
      return (value as unknown[]).map((v) => asRead((shape as ListShape).m, v, defaultFormat));
    case 10:
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asRead((shape as MapShape).v, v, defaultFormat)]));
    default:
      return value;
  }
}

/** Dates and bytes as comparable text, at any depth. */
function comparable(v: unknown): unknown {
  if (v instanceof Date) return `date ${v.toISOString()}`;
  if (v instanceof Uint8Array) return `bytes ${Buffer.from(v).toString("base64")}`;
  if (Array.isArray(v)) return v.map(comparable);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, comparable(x)]));
  return v;
}

/**
 * A success carrying `output` (every output member, to a bounded depth), written here by the
 * protocol's rules: bound members in headers, the rest in the body (JSON, or XML with the query
 * result wrapper, the ec2 response element, or rest-xml's root); and the output the client must
 * read from it (what was written, plus the status code members and empty prefix-header maps).
 */
function richResponse(c: OpContext, output: Record<string, unknown>): { response: () => HttpResponse; expected: Record<string, unknown> } {
  const shape = c.op.o!;
  const p = c.protocol;
  const rest = p === "rest-json" || p === "rest-xml";
  const headers: Record<string, string> = {
    "x-amzn-requestid": "sweep-request-id",
    date: new Date(NOW).toUTCString(),
    "content-type": p === "json" ? "application/x-amz-json-1.1" : p === "rest-json" ? "application/json" : "text/xml",
  };
  const expected: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  let payload: string | Uint8Array | undefined;
  /** Members read from Content-Length: the length of the body written below. */
  const lengthMembers: string[] = [];
  /** Prefix-header maps with an empty prefix: every header of the response. */
  const allHeaders: string[] = [];
  for (const [name, member] of Object.entries(shape.m)) {
    const t = traits(member);
    const wire = t.n ?? name;
    const v = output[name];
    if (rest && t.l === "statusCode") expected[name] = 200;
    else if (rest && t.l === "headers" && wire === "") allHeaders.push(name);
    else if (rest && t.l === "headers") {
      const map: Record<string, unknown> = {};
      for (const [k, x] of Object.entries((v ?? {}) as Record<string, unknown>)) {
        const text = expectedText((target(member) as MapShape).v, x, "rfc822");
        if (text === undefined) continue;
        headers[(wire + k).toLowerCase()] = text;
        map[k.toLowerCase()] = x;
      }
      expected[name] = map;
    } else if (v === undefined) continue;
    else if (rest && t.l === "header" && wire.toLowerCase() === "content-length") lengthMembers.push(name);
    else if (rest && t.l === "header") {
      const text = headerText(member, v);
      if (text === undefined) continue;
      headers[wire.toLowerCase()] = text;
      expected[name] = asRead(member, v, "rfc822");
    } else if (rest && name === shape.p) {
      const k = kind(target(member));
      expected[name] = v;
      if (k === 4) payload = v as Uint8Array;
      else if (k === 0) payload = v as string;
      else if (p === "rest-json") payload = JSON.stringify(jsonExpected(member, v));
      else payload = xmlText("Payload", xmlExpected(member, v));
    } else {
      body[name] = v;
      expected[name] = asRead(member, v, p === "json" || p === "rest-json" ? "unixTimestamp" : "iso8601");
    }
  }
  const struct: Member = { t: 8, m: shape.m };
  let text: string | Uint8Array;
  if (payload !== undefined) text = payload;
  else if (p === "json" || p === "rest-json") text = JSON.stringify(jsonExpected(struct, body));
  else if (p === "rest-xml") text = xmlText(`${c.op.n}Output`, xmlExpected(struct, body));
  else if (p === "query") {
    const result = xmlText(c.op.rw ?? `${c.op.n}Result`, xmlExpected(struct, body));
    text = `<${c.op.n}Response xmlns="https://sweep.example/doc/">${result}<ResponseMetadata><RequestId>sweep-request-id</RequestId></ResponseMetadata></${c.op.n}Response>`;
  } else text = xmlText(`${c.op.n}Response`, xmlExpected(struct, body));
  const bytes = typeof text === "string" ? enc.encode(text) : text;
  headers["content-length"] = String(bytes.length);
  for (const name of lengthMembers) expected[name] = bytes.length;
  for (const name of allHeaders) expected[name] = { ...headers };
  const response = (): HttpResponse => {
    const b = textBody("");
    b.transformToByteArray = async () => bytes;
    b[Symbol.asyncIterator] = async function* () {
      yield bytes;
    };
    return { statusCode: 200, headers: { ...headers }, body: b };
  };
  return { response, expected };
}

/** Records each request (with its body read) and answers with the current operation's canned success. */
class Recorder implements HttpHandler {
  calls = 0;
  request: HttpRequest | undefined;
  body: Uint8Array = new Uint8Array(0);
  answer: (() => HttpResponse) | undefined;
  /** The operation under test discovers its endpoint (Timestream): its DescribeEndpoints calls are answered, not recorded. */
  discovers = false;

  reset(answer: () => HttpResponse, discovers = false): void {
    this.calls = 0;
    this.request = undefined;
    this.body = new Uint8Array(0);
    this.answer = answer;
    this.discovers = discovers;
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    // Endpoint discovery is tested in test/customizations/endpoint-discovery.test.ts; here the call itself is checked.
    if (this.discovers && request.headers["x-amz-target"]?.endsWith(".DescribeEndpoints")) {
      const body = JSON.stringify({ Endpoints: [{ Address: "cell1.discovered.example.com", CachePeriodInMinutes: 60 }] });
      return { statusCode: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: textBody(body) };
    }
    this.calls++;
    this.request = request;
    this.body = await bodyBytes(request.body);
    return this.answer!();
  }
}

// ---------------------------------------------------------------------------------------
// Checks of a sent request

const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function validHostname(host: string): boolean {
  return host.length > 0 && host.length <= 253 && host.split(".").every((l) => DNS_LABEL.test(l));
}

interface OpContext {
  service: string;
  /** The scheme each variant's requests must carry (anonymous operations aside). */
  auth: Record<Variant, Expected>;
  protocol: ProtocolName;
  model: Model;
  op: OperationSchema;
  mop: MOperation;
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** Whether a value holds any scalar (a structure, list or map of empty structures writes no form pairs). */
function hasScalar(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v !== "object" || v instanceof Date || v instanceof Uint8Array) return true;
  return Object.values(v).some(hasScalar);
}

const STAMP_TEXT: Record<TimestampFormat, string> = {
  iso8601: "2024-02-29T12:34:56.789Z",
  rfc822: "Thu, 29 Feb 2024 12:34:56 GMT",
  unixTimestamp: "1709210096.789",
};

/**
 * The text a top-level scalar value must have on the wire, worked out here from the protocol
 * rules (not by the runtime): timestamps in the member's format, else the location's default;
 * blobs base64; numbers and booleans as JSON writes them. Undefined where this check does not
 * look (lists, structures, documents, jsonvalue strings).
 */
function expectedText(member: Member, value: unknown, defaultFormat: TimestampFormat): string | undefined {
  const shape = target(member);
  const k = kind(shape);
  if (k === 5) return STAMP_TEXT[traits(member).tf ?? (scalarTraits(shape) as ScalarShape).tf ?? defaultFormat];
  if (k === 0) return traits(member).j || (scalarTraits(shape) as ScalarShape).j ? undefined : (value as string);
  if (k === 4) return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : undefined;
  if (k === 1 || k === 2 || k === 3 || k === 7) return String(value);
  return undefined;
}

/** The recorded form pairs, decoded. */
function formPairs(text: string): [string, string][] {
  return text
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf("=");
      return [decodeURIComponent(pair.slice(0, eq < 0 ? pair.length : eq)), eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1))];
    });
}

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false, parseAttributeValue: false, trimValues: false, removeNSPrefix: true });

/**
 * Whether the top-level scalar members the input set have the right text where they were sent:
 * headers, query parameters, and the body (JSON key, XML element or attribute, form pair, CBOR key).
 */
function valueProblems(c: OpContext, input: Record<string, unknown>, request: HttpRequest, text: string, body: Uint8Array): string[] {
  const shape = c.op.i;
  if (!shape) return [];
  const problems: string[] = [];
  const p = c.protocol;
  const rest = p === "rest-json" || p === "rest-xml";
  const query = formPairs(request.query);
  let json: Record<string, unknown> | undefined;
  let xml: Record<string, unknown> | undefined;
  let cbor: Record<string, unknown> | undefined;
  let form: [string, string][] | undefined;
  const bodyIsMembers = shape.p === undefined && text.length > 0 && !eventStreamSet(c, input);
  if (bodyIsMembers && (p === "json" || p === "rest-json")) json = JSON.parse(text) as Record<string, unknown>;
  if (bodyIsMembers && p === "rest-xml") {
    const doc = xmlParser.parse(text) as Record<string, unknown>;
    const root = Object.keys(doc).find((k) => !k.startsWith("?"));
    xml = root === undefined ? undefined : (doc[root] as Record<string, unknown>);
  }
  if (p === "smithy-rpc-v2-cbor" && body.length > 0) cbor = decodeCbor(body) as Record<string, unknown>;
  if (p === "query" || p === "ec2") form = formPairs(text);
  const differ = (name: string, where: string, got: unknown, want: unknown): void => {
    if (got !== want) problems.push(`${name} sent as ${JSON.stringify(got)} in ${where}, expected ${JSON.stringify(want)}`);
  };
  for (const [name, value] of Object.entries(input)) {
    const member = shape.m[name];
    if (member === undefined || value === undefined || value === null || name === shape.p) continue;
    const t = traits(member);
    const wire: string = t.n ?? name;
    const k = kind(target(member));
    if (rest && t.l === "header") {
      const want = expectedText(member, value, "rfc822");
      if (want !== undefined && !(wire.toLowerCase() === "content-length")) differ(name, "its header", request.headers[wire.toLowerCase()], want);
    } else if (rest && t.l === "querystring") {
      const want = expectedText(member, value, "iso8601");
      if (want !== undefined) differ(name, "the query", query.find(([q]) => q === wire)?.[1], want);
    } else if (rest && t.l !== undefined) {
      continue;
    } else if (json) {
      const got: unknown = json[wire];
      if (k === 5) {
        const f = t.tf ?? (scalarTraits(target(member)) as ScalarShape).tf ?? "unixTimestamp";
        differ(name, "the JSON body", got, f === "unixTimestamp" ? Number(STAMP_TEXT.unixTimestamp) : STAMP_TEXT[f]);
      } else if (k === 1 || k === 2 || k === 3) differ(name, "the JSON body", got, value);
      else if (k === 6) assert.deepEqual(got, value, `${name} in the JSON body`);
      else if (k === 0 || k === 4) {
        const want = expectedText(member, value, "unixTimestamp");
        if (want !== undefined) differ(name, "the JSON body", got, want);
      }
    } else if (xml) {
      const want = expectedText(member, value, "iso8601");
      if (want !== undefined) differ(name, "the XML body", t.xa ? xml[`@${wire}`] : xml[wire.replace(/^.*:/, "")], want);
    } else if (cbor) {
      const got: unknown = cbor[wire];
      if (k === 0 || k === 1 || k === 2) differ(name, "the CBOR body", got, value);
      else if (k === 4) differ(name, "the CBOR body", got instanceof Uint8Array ? Buffer.from(got).toString("base64") : got, "cwD/");
    } else if (form) {
      const want = expectedText(member, value, "iso8601");
      const key = p === "ec2" ? (t.qn ?? capitalize(wire)) : wire;
      if (want !== undefined && k !== 9) differ(name, "the form", form.find(([f]) => f === key)?.[1], want);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// The whole body, as the protocol rules say it must be (a second, small implementation of each
// body format's writer, after botocore's serializers), compared with what was sent.

function timestampFormatOf(member: Member, fallback: TimestampFormat): TimestampFormat {
  return traits(member).tf ?? (scalarTraits(target(member)) as ScalarShape).tf ?? fallback;
}

/** A JSON body value (awsJson, rest-json): wire names, epoch-second timestamps, base64 blobs. */
function jsonExpected(member: Member, value: unknown): unknown {
  const shape = target(member);
  switch (kind(shape)) {
    case 4:
      return Buffer.from(value as Uint8Array).toString("base64");
    case 5: {
      const f = timestampFormatOf(member, "unixTimestamp");
      return f === "unixTimestamp" ? Number(STAMP_TEXT.unixTimestamp) : STAMP_TEXT[f];
    }
    case 7:
      return Number(value); // JSON.parse reads the exact literal as a double too
    case 8: {
      const out: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        const m = (shape as StructureShape).m[name]!;
        out[traits(m).n ?? name] = jsonExpected(m, v);
      }
      return out;
    }
    case 9:
      return (value as unknown[]).map((v) => jsonExpected((shape as ListShape).m, v));
    case 10:
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonExpected((shape as MapShape).v, v)]));
    default:
      return value;
  }
}

/**
 * A value in the XML tree fast-xml-parser gives with every element an array (`xmlTree`): a
 * scalar's text, or a structure's children by element name (attributes as `@name`).
 */
function xmlExpected(member: Member, value: unknown): unknown {
  const shape = target(member);
  const k = kind(shape);
  if (k === 5) return STAMP_TEXT[timestampFormatOf(member, "iso8601")];
  if (k === 4) return Buffer.from(value as Uint8Array).toString("base64");
  if (k !== 8) return String(value);
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const m = (shape as StructureShape).m[name]!;
    const t = traits(m);
    const el = (t.n ?? name).replace(/^.*:/, "");
    const ms = target(m);
    // Two members may share an element name (S3's deprecated CloudFunctionConfiguration has
    // Event and Events, a flattened list of Event): their elements follow each other.
    const add = (nodes: unknown[]): void => void (out[el] = [...((out[el] as unknown[] | undefined) ?? []), ...nodes]);
    if (t.xa) out[`@${el}`] = xmlExpected(m, v);
    else if (kind(ms) === 9) {
      const list = ms as ListShape;
      const items = (v as unknown[]).map((x) => xmlExpected(list.m, x));
      if (t.f || list.f) {
        const item = traits(list.m).n;
        if (item !== undefined && item !== el) out[item] = [...((out[item] as unknown[] | undefined) ?? []), ...items];
        else add(items);
      }
      else add([items.length === 0 ? "" : { [traits(list.m).n ?? "member"]: items }]);
    } else if (kind(ms) === 10) {
      const map = ms as MapShape;
      const entries = Object.entries(v as Record<string, unknown>).map(([key, x]) => ({
        [traits(map.k).n ?? "key"]: [key],
        [traits(map.v).n ?? "value"]: [xmlExpected(map.v, x)],
      }));
      add(t.f || map.f ? entries : [{ entry: entries }]);
    } else add([xmlExpected(m, v)]);
  }
  return Object.keys(out).length === 0 ? "" : out;
}

const xmlTreeParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** The parsed XML with namespace declarations dropped (they are checked by well-formedness only). */
function xmlTree(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(xmlTree);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== "@xmlns" && !k.startsWith("@xmlns:")) out[k] = xmlTree(v);
  return Object.keys(out).length === 0 ? "" : out;
}

/** The form pairs of a value (awsQuery, or ec2 with its naming and always-flat lists). */
function formExpected(out: [string, string][], prefix: string, member: Member, value: unknown, ec2: boolean): void {
  const shape = target(member);
  const k = kind(shape);
  if (k === 8) {
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      const m = (shape as StructureShape).m[name]!;
      const t = traits(m);
      const ms = target(m);
      let key = ec2 ? (t.qn ?? capitalize(t.n ?? name)) : (t.n ?? name);
      const list = kind(ms) === 9 ? (ms as ListShape) : undefined;
      // botocore: a flattened list whose item has a name is keyed by that name.
      if (!ec2 && list && (t.f || list.f) && traits(list.m).n !== undefined) key = traits(list.m).n!;
      formExpected(out, `${prefix}${key}`, m, v, ec2);
    }
    // A member of a nested structure goes under `prefix.`; the top level has no prefix.
    return;
  }
  if (k === 9) {
    const list = shape as ListShape;
    const items = value as unknown[];
    if (items.length === 0) {
      if (!ec2) out.push([prefix, ""]);
      return;
    }
    const flat = ec2 || traits(member).f || list.f;
    const itemPrefix = flat ? prefix : `${prefix}.${traits(list.m).n ?? "member"}`;
    items.forEach((v, i) => formExpected(out, `${itemPrefix}.${i + 1}`, list.m, v, ec2));
    return;
  }
  if (k === 10) {
    const map = shape as MapShape;
    const entryPrefix = traits(member).f || map.f ? prefix : `${prefix}.entry`;
    Object.entries(value as Record<string, unknown>).forEach(([key, v], i) => {
      out.push([`${entryPrefix}.${i + 1}.${traits(map.k).n ?? "key"}`, key]);
      formExpected(out, `${entryPrefix}.${i + 1}.${traits(map.v).n ?? "value"}`, map.v, v, ec2);
    });
    return;
  }
  out.push([prefix, k === 5 ? STAMP_TEXT[timestampFormatOf(member, "iso8601")] : k === 4 ? Buffer.from(value as Uint8Array).toString("base64") : String(value)]);
}

/** Nested structures write `A.B`: formExpected's structure case gets the dot from here. */
function formOf(shape: StructureShape, input: Record<string, unknown>, ec2: boolean): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, s: StructureShape, value: Record<string, unknown>): void => {
    for (const [name, v] of Object.entries(value)) {
      const m = s.m[name]!;
      const t = traits(m);
      const ms = target(m);
      let key = ec2 ? (t.qn ?? capitalize(t.n ?? name)) : (t.n ?? name);
      const list = kind(ms) === 9 ? (ms as ListShape) : undefined;
      if (!ec2 && list && (t.f || list.f) && traits(list.m).n !== undefined) key = traits(list.m).n!;
      if (kind(ms) === 8) walk(`${prefix}${key}.`, ms as StructureShape, v as Record<string, unknown>);
      else formItems(`${prefix}${key}`, m, v);
    }
  };
  const formItems = (prefix: string, member: Member, value: unknown): void => {
    const shape = target(member);
    if (kind(shape) === 8) return walk(`${prefix}.`, shape as StructureShape, value as Record<string, unknown>);
    if (kind(shape) === 9) {
      const list = shape as ListShape;
      const items = value as unknown[];
      if (items.length === 0) return void (ec2 ? undefined : out.push([prefix, ""]));
      const itemPrefix = ec2 || traits(member).f || list.f ? prefix : `${prefix}.${traits(list.m).n ?? "member"}`;
      return items.forEach((v, i) => formItems(`${itemPrefix}.${i + 1}`, list.m, v));
    }
    if (kind(shape) === 10) {
      const map = shape as MapShape;
      const entryPrefix = traits(member).f || map.f ? prefix : `${prefix}.entry`;
      return Object.entries(value as Record<string, unknown>).forEach(([key, v], i) => {
        out.push([`${entryPrefix}.${i + 1}.${traits(map.k).n ?? "key"}`, key]);
        formItems(`${entryPrefix}.${i + 1}.${traits(map.v).n ?? "value"}`, map.v, v);
      });
    }
    formExpected(out, prefix, member, value, ec2);
  };
  walk("", shape, input);
  return out;
}

/** The input with the idempotency tokens the client filled in (taken from what it sent), of the members `keep` keeps. */
function withTokens(
  shape: StructureShape,
  input: Record<string, unknown>,
  keep: (name: string) => boolean,
  sent: (wire: string) => unknown,
): Record<string, unknown> {
  const out = { ...input };
  for (const [name, m] of Object.entries(shape.m)) {
    if (traits(m).it && out[name] === undefined && keep(name)) out[name] = sent(traits(m).n ?? name);
  }
  return out;
}

/**
 * The input as the SDK sends it for a SOURCE_REGION operation (RDS's SourceRegion gone, the
 * presigned URL it made, EC2's DestinationRegion), and what is wrong with the URL it made: it
 * must be for the source region, name the operation and the destination region, and carry a
 * signature the verifier accepts.
 */
function asSent(c: OpContext, input: Record<string, unknown>, body: Uint8Array): { input: Record<string, unknown>; problems: string[] } {
  const kind = SOURCE_REGION[`${c.service}/${c.op.n}`];
  if (!kind || input.SourceRegion === undefined) return { input, problems: [] };
  const urlMember = kind === "rds" ? "PreSignedUrl" : "PresignedUrl";
  const sent = { ...input };
  if (kind === "rds") delete sent.SourceRegion;
  if (input[urlMember] !== undefined) return { input: sent, problems: [] };
  const problems: string[] = [];
  const raw = new Map(formPairs(new TextDecoder().decode(body))).get(urlMember);
  if (raw === undefined) return { input: sent, problems: [`no ${urlMember} made from SourceRegion`] };
  const url = new URL(raw);
  const query = new Map(formPairs(url.search.slice(1)));
  if (!url.hostname.split(".").includes(SOURCE)) problems.push(`the ${urlMember} host ${url.hostname} is not the source region's`);
  if (query.get("Action") !== c.op.n) problems.push(`the ${urlMember} Action is ${query.get("Action")}`);
  if (query.get("DestinationRegion") !== "us-east-1") problems.push(`the ${urlMember} DestinationRegion is ${query.get("DestinationRegion")}`);
  if (!(query.get("X-Amz-Credential") ?? "").includes(`/${SOURCE}/`)) problems.push(`the ${urlMember} is not signed for ${SOURCE}`);
  const verdict = verifySigV4({ method: "GET", path: url.pathname, query: url.search.slice(1), headers: { host: url.host }, body: new Uint8Array(0) }, { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: NOW });
  if (!verdict.ok) problems.push(`the ${urlMember} signature: ${verdict.reason}`);
  sent[urlMember] = raw;
  if (kind === "ec2") sent.DestinationRegion = "us-east-1";
  return { input: sent, problems };
}

/** Differences between the body sent and the body the protocol rules give for the input. */
function bodyProblems(c: OpContext, input: Record<string, unknown>, text: string): string[] {
  const shape = c.op.i;
  const p = c.protocol;
  if (!shape || eventStreamSet(c, input)) return [];
  const inBody = (rest: boolean) => (name: string) => !rest || (traits(shape.m[name]!).l === undefined && name !== shape.p);
  const bodyMembers = (rest: boolean): Record<string, unknown> =>
    Object.fromEntries(Object.entries(input).filter(([name, v]) => v !== undefined && inBody(rest)(name)));
  const diff = (what: string, got: unknown, want: unknown): string[] => {
    try {
      assert.deepStrictEqual(got, want);
      return [];
    } catch (e) {
      return [`the ${what} body differs from the protocol's: ${(e as Error).message.split("\n").slice(0, 24).join(" | ").slice(0, 1200)}`];
    }
  };
  if (p === "json" || (p === "rest-json" && shape.p === undefined)) {
    const members = bodyMembers(p === "rest-json");
    if (text === "" && (p === "rest-json" || Object.keys(members).length === 0)) return Object.keys(members).length === 0 ? [] : ["the JSON body is missing"];
    const got = JSON.parse(text) as Record<string, unknown>;
    return diff("JSON", got, jsonExpected({ t: 8, m: shape.m }, withTokens(shape, members, inBody(p === "rest-json"), (w) => got[w])));
  }
  if (p === "rest-json" && shape.p !== undefined) {
    const pm = shape.m[shape.p]!;
    const v = input[shape.p];
    if (v === undefined || (kind(target(pm)) !== 8 && kind(target(pm)) !== 6)) return [];
    return diff("JSON payload", JSON.parse(text), jsonExpected(pm, v));
  }
  if (p === "rest-xml") {
    let want: unknown;
    if (shape.p !== undefined) {
      const pm = shape.m[shape.p]!;
      const v = input[shape.p];
      if (v === undefined || kind(target(pm)) !== 8) return [];
      want = xmlExpected(pm, v);
    } else {
      // No body member set: no body (what botocore sends), or an empty root element (what this runtime sends).
      const members = bodyMembers(true);
      if (Object.keys(members).length === 0 && text === "") return [];
      want = xmlExpected({ t: 8, m: shape.m }, members);
    }
    const doc = xmlTree(xmlTreeParser.parse(text)) as Record<string, unknown[]>;
    const roots = Object.keys(doc).filter((k) => !k.startsWith("?"));
    if (roots.length !== 1) return [`the XML body has ${roots.length} root elements`];
    return diff("XML", doc[roots[0]!]![0], want);
  }
  if (p === "query" || p === "ec2") {
    const sent = formPairs(text).filter(([k]) => k !== "Action" && k !== "Version" && !(c.auth.required === "sigv2" && SIGV2_PARAMS.has(k)));
    const full = withTokens(shape, input, () => true, (w) => sent.find(([k]) => k === (p === "ec2" ? capitalize(w) : w))?.[1]);
    const sort = (pairs: [string, string][]) => pairs.map(([k, v]) => `${k}=${v}`).sort();
    return diff("form", sort(sent), sort(formOf(shape, full, p === "ec2")));
  }
  return [];
}

/**
 * Whether every top-level member the input set went where its binding says: a header, prefix
 * headers, a query parameter, the path or host (labels), the host (host labels), or the body
 * (by its wire name); and whether idempotency tokens the input left out were filled.
 */
function bindingProblems(c: OpContext, input: Record<string, unknown>, request: HttpRequest, body: Uint8Array): string[] {
  const shape = c.op.i;
  if (!shape) return [];
  const problems: string[] = [];
  const h = request.headers;
  const p = c.protocol;
  const rest = p === "rest-json" || p === "rest-xml";
  const queryKeys = new Set(request.query.split("&").filter(Boolean).map((pair) => decodeURIComponent(pair.split("=")[0]!)));
  let text = new TextDecoder().decode(body);
  if ((h["content-encoding"] ?? "").includes("gzip")) text = gunzipSync(body).toString("utf8");
  let cbor: Record<string, unknown> | undefined;
  if (p === "smithy-rpc-v2-cbor" && body.length > 0) cbor = decodeCbor(body) as Record<string, unknown>;
  const formKeys = p === "query" || p === "ec2" ? text.split("&").map((pair) => decodeURIComponent(pair.split("=")[0]!)) : [];
  const inBody = (name: string, value: unknown, wire: string): boolean => {
    if (p === "json" || p === "rest-json") return text.includes(JSON.stringify(wire) + ":");
    if (p === "rest-xml") return text.includes(wire);
    if (p === "smithy-rpc-v2-cbor") return cbor !== undefined && wire in cbor;
    if (!hasScalar(value)) return true; // empty structures write no form pairs
    const member = shape.m[name]!;
    const t = traits(member);
    const names = p === "ec2" ? [t.qn ?? capitalize(t.n ?? name)] : [t.n ?? name, name];
    // A flattened list is named by its item's name.
    const item = kind(target(member)) === 9 ? traits((target(member) as ListShape).m).n : undefined;
    if (item !== undefined) names.push(item);
    return formKeys.some((k) => names.some((n) => k === n || k.startsWith(`${n}.`)));
  };
  for (const [name, value] of Object.entries(input)) {
    const member = shape.m[name];
    if (member === undefined || value === undefined || value === null) continue;
    const t = traits(member);
    const wire = t.n ?? name;
    if (t.hl && c.op.hp?.includes(`{${name}}`) && !request.hostname.includes(String(value))) problems.push(`host label ${name} is not in the host ${request.hostname}`);
    if (rest && t.l === "header") {
      if (h[wire.toLowerCase()] === undefined) problems.push(`header member ${name} (${wire}) was not sent`);
    } else if (rest && t.l === "headers") {
      for (const k of Object.keys(value as object)) if (h[(wire + k).toLowerCase()] === undefined) problems.push(`prefix header ${wire}${k} was not sent`);
    } else if (rest && t.l === "querystring") {
      const keys = kind(target(member)) === 10 ? Object.keys(value as object) : [wire];
      for (const k of keys) if (!queryKeys.has(k)) problems.push(`query member ${name} (${k}) was not sent: ${request.query.slice(0, 100)}`);
    } else if (rest && t.l === "uri") {
      const where = request.hostname + request.path;
      if (typeof value === "string" && !where.includes(encodeURIComponent(value)) && !where.includes(encodeURIComponent(value).replace(/%2F/g, "/"))) {
        problems.push(`URI label ${name} is not in ${request.hostname}${request.path}`);
      }
    } else if (rest && name === shape.p) {
      if (body.length === 0) problems.push(`payload member ${name} was set but the body is empty`);
    } else if (!(rest && t.l !== undefined) && !inBody(name, value, wire)) {
      problems.push(`body member ${name} (${wire}) is not in the body: ${text.slice(0, 100)}`);
    }
  }
  if (problems.length === 0 && (c.protocol !== "rest-xml" || !(h["content-type"] ?? "").includes("octet"))) {
    try {
      problems.push(...valueProblems(c, input, request, text, body));
      if (problems.length === 0) problems.push(...bodyProblems(c, input, text));
    } catch (e) {
      problems.push(`the body could not be read back: ${describeError(e)}`);
    }
  }
  for (const [name, member] of Object.entries(shape.m)) {
    if (traits(member).it && input[name] === undefined) {
      const sent = JSON.stringify(h) + request.query + text;
      if (!sent.includes("00000000-0000-4000-8000-")) problems.push(`idempotency token ${name} was not filled`);
    }
  }
  return problems;
}

/** Problems with the recorded request (empty when it is fine). */
function requestProblems(c: OpContext, input: Record<string, unknown>, request: HttpRequest, body: Uint8Array, variant: Variant, verified = false): string[] {
  const problems: string[] = [];
  const h = request.headers;
  if (!/^[A-Z]+$/.test(request.method)) problems.push(`method ${JSON.stringify(request.method)}`);
  if (!request.path.startsWith("/")) problems.push(`path ${JSON.stringify(request.path)} does not start with /`);
  if (!validHostname(request.hostname)) problems.push(`hostname ${JSON.stringify(request.hostname)} is not a DNS name`);
  if (request.protocol !== "https:") problems.push(`protocol ${request.protocol}`);
  for (const [k, v] of Object.entries(h)) {
    if (k !== k.toLowerCase()) problems.push(`header name ${k} is not lower case`);
    if (typeof v !== "string") problems.push(`header ${k} is ${typeof v}`);
    // eslint-disable-next-line no-control-regex
    else if (/[^\t\x20-\x7e\x80-\xff]/.test(v)) problems.push(`header ${k} holds a character a header cannot carry`);
  }
  if (h["content-length"] !== undefined && Number(h["content-length"]) !== body.length) {
    problems.push(`content-length ${h["content-length"]} but the body has ${body.length} bytes`);
  }
  // The signature, checked by the independent verifier; or none where the model says anonymous.
  const scheme = c.auth[variant];
  if (anonymous(c.model, c.mop)) {
    if (h.authorization !== undefined) problems.push("an anonymous operation was signed");
  } else if (scheme === "bearer") {
    if (h.authorization !== `Bearer ${TOKEN}`) problems.push(`not the bearer token: authorization ${JSON.stringify(h.authorization?.slice(0, 40))}`);
    for (const name of SIGV4_HEADERS) if (h[name] !== undefined) problems.push(`a bearer request carries ${name}`);
  } else if (scheme === "sigv2") {
    // The Host header the node handler writes (no port: https on 443).
    const host = request.port !== undefined && request.port !== 443 ? `${request.hostname}:${request.port}` : request.hostname;
    const verdict = verifySigV2(
      { method: request.method, path: request.path, query: request.query, headers: { ...h, host }, body },
      { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: NOW },
    );
    if (!verdict.ok) problems.push(`SigV2 signature: ${verdict.reason.split("\n")[0]}`);
    else if (verdict.params.get("SecurityToken") !== CREDENTIALS.sessionToken) problems.push("no SecurityToken parameter");
    for (const name of ["authorization", ...SIGV4_HEADERS]) if (h[name] !== undefined) problems.push(`a SigV2 request carries ${name}`);
  } else if (!verified) {
    const verdict = verifySigV4(
      { method: request.method, path: request.path, query: request.query, headers: h, body },
      { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: NOW },
    );
    if (!verdict.ok) problems.push(`signature: ${verdict.reason.split("\n")[0]}`);
    if (h["x-amz-security-token"] !== CREDENTIALS.sessionToken) problems.push("no session token header");
  }
  // The body is well formed for the protocol.
  const text = new TextDecoder().decode(body);
  const encoding = h["content-encoding"] ?? "";
  if (encoding.includes("gzip") || body.length === 0) return problems.length > 0 ? problems : bindingProblems(c, input, request, body);
  const p = c.protocol;
  const wellFormed = (what: string, ok: () => boolean): void => {
    let good = false;
    try {
      good = ok();
    } catch {
      good = false;
    }
    if (!good) problems.push(`body is not ${what}: ${text.slice(0, 120)}`);
  };
  const payload = c.op.i?.p !== undefined ? target(c.op.i.m[c.op.i.p]!) : undefined;
  const structuredPayload = payload === undefined || kind(payload) === 8 || kind(payload) === 6;
  if (eventStreamSet(c, input)) {
    if (!(h["content-type"] ?? "").startsWith("application/vnd.amazon.eventstream")) problems.push(`an input event stream sent as ${h["content-type"]}: ${text.slice(0, 80)}`);
  } else if (p === "json") {
    wellFormed("JSON", () => typeof JSON.parse(text) === "object");
    const tp = c.model.metadata.targetPrefix;
    if (tp !== undefined && h["x-amz-target"] !== `${tp}.${c.op.n}`) problems.push(`x-amz-target ${h["x-amz-target"]}`);
  } else if (p === "rest-json" && structuredPayload) {
    wellFormed("JSON", () => JSON.parse(text) !== undefined);
  } else if (p === "rest-xml" && structuredPayload) {
    wellFormed("XML", () => XMLValidator.validate(text) === true);
  } else if (p === "query" || p === "ec2") {
    wellFormed("a form", () => text.split("&").every((pair) => /^[^=&]+=[^=&]*$/.test(pair) && decodeURIComponent(pair) !== undefined));
    if (!text.startsWith(`Action=${c.op.n}&`)) problems.push(`form does not start with Action=${c.op.n}`);
  } else if (p === "smithy-rpc-v2-cbor") {
    wellFormed("CBOR", () => decodeCbor(body) instanceof Object);
  }
  if (problems.length === 0) problems.push(...bindingProblems(c, input, request, body));
  return problems;
}

// ---------------------------------------------------------------------------------------
// The sweep

let unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));

type Auth = "sigv4" | "sigv4a" | "sigv2" | "bearer" | "anonymous";
type Outcome = { kind: "sent"; auth: Auth } | { kind: "listed"; key: string } | { kind: "failed"; why: string };

interface Tally {
  services: number;
  operations: number;
  sent: number;
  listed: number;
  failed: number;
  calls: { sent: number; listed: number; failed: number };
  /** Sent calls by how they were signed. */
  auth: Record<Auth, number>;
  failures: string[];
  reasons: Map<string, number>;
}

/** SWEEP_DUMP=s3/PutObject,ec2/RunInstances prints those requests (debugging). */
const DUMP = (process.env.SWEEP_DUMP ?? "").split(",");
let uuidCounter = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++uuidCounter).padStart(12, "0")}`;
const session = new Session({ env: {}, configFile: NO_FILE, credentialsFile: NO_FILE, defaultsMode: "legacy" });

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`;
  return `non-Error ${typeof e}: ${String(e)}`;
}

async function callOnce(c: OpContext, client: RuntimeClient, recorder: Recorder, variant: Variant): Promise<Outcome> {
  const key = `${c.service}/${c.op.n}`;
  const builder = new InputBuilder(c.service, c.model, variant === "full" ? "full" : "required", mulberry32(fnv1a(`${key}/${variant}`)));
  let input: Record<string, unknown>;
  let rich: ReturnType<typeof richResponse> | undefined;
  const custom = CUSTOMIZED[key];
  try {
    input = builder.input(c.op, c.mop);
    if (SOURCE_REGION[key] && input.SourceRegion !== undefined) input = { ...input, SourceRegion: SOURCE };
    if (custom?.input) input = custom.input(input);
    if (variant === "response") rich = richResponse(c, new InputBuilder(c.service, c.model, "full", mulberry32(fnv1a(`${key}/output`)), true).output(c.op, c.mop));
  } catch (e) {
    return { kind: "failed", why: `the test could not build an input or response: ${describeError(e)}` };
  }
  const streams = outputStreams(c.model, c.mop);
  recorder.reset(rich ? rich.response : () => cannedResponse(c.protocol, c.op, streams), c.op.ed !== undefined);
  // A service customization may rewrite the input before it is serialized (Route 53's prefixed
  // ids...; tested on their own in test/customizations/): the request is checked against the
  // input as the operation's last input stage hands it on.
  let sent = input;
  const op: OperationSchema = c.op.pi ? { ...c.op, pi: [...c.op.pi, (staged) => (sent = staged)] } : c.op;
  let output: unknown;
  try {
    output = await client.send(op, input);
  } catch (e) {
    if (recorder.calls > 0) return { kind: "failed", why: `failed after sending: ${describeError(e)}` };
    if (!(e instanceof TsawsError)) {
      const at = e instanceof Error ? (e.stack ?? "").split("\n").slice(1, 3).map((l) => l.trim()).join(" <- ") : "";
      return { kind: "failed", why: `failed before sending with a non-TsawsError: ${describeError(e)} ${at}` };
    }
    const listed = EXPECTED[key];
    if (listed && e.constructor.name === listed.error && listed.match.test(e.message)) return { kind: "listed", key };
    return { kind: "failed", why: `failed before sending (not listed): ${describeError(e)}` };
  }
  if (recorder.calls !== 1 || !recorder.request) return { kind: "failed", why: `returned after ${recorder.calls} requests` };
  if (DUMP.includes(key)) {
    const r = recorder.request;
    console.log(`--- ${key} [${variant}]\n${r.method} https://${r.hostname}${r.path}${r.query ? `?${r.query}` : ""}\n${JSON.stringify(r.headers, null, 1)}\n${new TextDecoder().decode(recorder.body).slice(0, 3000)}`);
  }
  // The SourceRegion operations' presigned URL is checked on its own (asSent); other input stages
  // are trusted here (each is tested in test/customizations/) and the request is checked against
  // the input they handed on; request-level customizations are undone first (CUSTOMIZED).
  const checked = SOURCE_REGION[key] ? asSent(c, input, recorder.body) : { input: sent, problems: [] };
  const problems: string[] = [...checked.problems];
  let request: HttpRequest = recorder.request;
  let body = recorder.body;
  if (custom?.host !== undefined && request.hostname !== custom.host) problems.push(`sent to ${request.hostname}, not ${custom.host}`);
  if (custom?.unsent) {
    const unsent = custom.unsent(request, body);
    problems.push(...unsent.problems);
    ({ request, body } = unsent);
  }
  problems.push(...requestProblems(c, checked.input, request, body, variant, custom?.unsent !== undefined));
  const meta = (output as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata;
  if (typeof output !== "object" || output === null) problems.push(`the output is ${typeof output}`);
  else if (meta?.httpStatusCode !== 200) problems.push(`$metadata.httpStatusCode is ${meta?.httpStatusCode}`);
  else if (rich) {
    try {
      // A service customization may adjust the output (S3's URL-encoded listings; tested on their
      // own in test/customizations/): the expected output goes through the operation's transforms.
      let expected = rich.expected;
      if (c.op.po) {
        const copy = structuredClone(expected) as Record<string, unknown>;
        const received = { statusCode: 200, headers: {}, body: new Uint8Array(0) };
        const call = { client, service: (client as unknown as { service: ServiceSchema }).service, op: c.op, config: client.config, region: "us-east-1", input };
        for (const t of c.op.po) t(copy, received, call, sent);
        expected = copy;
      }
      assert.deepStrictEqual(comparable(output), comparable(expected));
    } catch (e) {
      problems.push(`the output read from a full response differs: ${(e as Error).message.split("\n").slice(0, 24).join(" | ").slice(0, 1200)}`);
    }
  }
  if (streams === "events") {
    // The event stream member is an async iterable that ends (the canned body has no events).
    const member = Object.values(output as Record<string, unknown>).find((v) => typeof v === "object" && v !== null && Symbol.asyncIterator in v);
    if (!member) problems.push("no async iterable for the event stream");
    else for await (const _ of member as AsyncIterable<unknown>) problems.push("an event from an empty stream");
  }
  if (problems.length > 0) return { kind: "failed", why: problems.join("; ") };
  const authorization = recorder.request.headers.authorization;
  // Checked above against the model's scheme; counted here by what was sent.
  const auth: Auth =
    authorization === undefined
      ? c.auth[variant] === "sigv2" && !anonymous(c.model, c.mop) ? "sigv2" : "anonymous"
      : authorization.startsWith("Bearer ") ? "bearer" : authorization.startsWith("AWS4-ECDSA-P256-SHA256 ") ? "sigv4a" : "sigv4";
  return { kind: "sent", auth };
}

function clientClass(mod: Record<string, unknown>, service: string): new (config: Record<string, unknown>) => RuntimeClient {
  for (const v of Object.values(mod)) {
    if (typeof v === "function" && v.prototype instanceof RuntimeClient) return v as new (config: Record<string, unknown>) => RuntimeClient;
  }
  throw new Error(`${service}: no client class exported`);
}

function operationsOf(mod: Record<string, unknown>): OperationSchema[] {
  const ops = new Set<OperationSchema>();
  for (const v of Object.values(mod)) {
    if (typeof v === "object" && v !== null && typeof (v as OperationSchema).n === "string" && Array.isArray((v as OperationSchema).h)) ops.add(v as OperationSchema);
  }
  return [...ops].sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
}

/** Sent calls by service and scheme, for the check that the schemes other than SigV4 were swept. */
const SEEN = new Map<string, Partial<Record<Auth, number>>>();

async function sweepService(service: string, protocol: ProtocolName, tally: Tally): Promise<void> {
  const mod = (await import(`tsaws/${service}`)) as Record<string, unknown>;
  const Client = clientClass(mod, service);
  const model = loadModel(service);
  const recorder = new Recorder();
  const base = { session, region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 1, clock: () => NOW, uuid, httpHandler: recorder };
  const auth = schemes(model);
  const token = (v: Variant) => (auth[v] === "bearer" ? { token: TOKEN } : {});
  const required = new Client({ ...base, ...token("required") });
  const clients: Record<Variant, RuntimeClient> = {
    required,
    response: required,
    // Compress every body an operation allows compressed (CloudWatch PutMetricData...).
    full: new Client({ ...base, requestMinCompressionSizeBytes: 1, ...token("full") }),
  };
  // Operations by wire name (`name`: CloudFront's keys drop the API version its names carry).
  const byName = new Map(Object.values(model.operations).map((o) => [o.name, o]));
  tally.services++;
  for (const op of operationsOf(mod)) {
    const mop = byName.get(op.n);
    tally.operations++;
    if (!mop) {
      tally.failed++;
      tally.failures.push(`${service}/${op.n}: not in the model`);
      continue;
    }
    const c: OpContext = { service, protocol, model, op, mop, auth };
    const outcomes: Outcome[] = [];
    // The response variant: every protocol but CBOR, for outputs that are neither streamed nor empty.
    const variants: Variant[] = ["required", "full"];
    if (protocol !== "smithy-rpc-v2-cbor" && op.o && mop.output && outputStreams(model, mop) === undefined && !NO_RESPONSE_VARIANT[`${service}/${op.n}`]) {
      variants.push("response");
    }
    for (const variant of variants) {
      const o = await callOnce(c, clients[variant], recorder, variant);
      outcomes.push(o);
      tally.calls[o.kind]++;
      if (o.kind === "failed") tally.failures.push(`${service}/${op.n} [${variant}]: ${o.why}`);
      if (o.kind === "listed") tally.reasons.set(o.key, (tally.reasons.get(o.key) ?? 0) + 1);
      if (o.kind === "sent") {
        tally.auth[o.auth]++;
        const seen = (SEEN.get(service) ?? SEEN.set(service, {}).get(service))!;
        seen[o.auth] = (seen[o.auth] ?? 0) + 1;
      }
    }
    if (outcomes.some((o) => o.kind === "failed")) tally.failed++;
    else if (outcomes.some((o) => o.kind === "listed")) tally.listed++;
    else tally.sent++;
  }
}

const PROTOCOLS: ProtocolName[] = ["json", "rest-json", "rest-xml", "query", "ec2", "smithy-rpc-v2-cbor"];
const started = performance.now();

for (const protocol of PROTOCOLS) {
  const services = BY_PROTOCOL.get(protocol) ?? [];
  check(`${protocol}: every operation of its ${services.length} services is sent and signed, or fails before sending for a listed reason`, async () => {
    const tally: Tally = {
      services: 0,
      operations: 0,
      sent: 0,
      listed: 0,
      failed: 0,
      calls: { sent: 0, listed: 0, failed: 0 },
      auth: { sigv4: 0, sigv4a: 0, sigv2: 0, bearer: 0, anonymous: 0 },
      failures: [],
      reasons: new Map(),
    };
    const t0 = performance.now();
    for (const service of services) await sweepService(service, protocol, tally);
    // A listed operation that no longer fails as listed must leave the list.
    for (const key of Object.keys(EXPECTED)) {
      if (services.includes(key.split("/")[0]!) && !tally.reasons.has(key)) tally.failures.push(`${key}: listed in EXPECTED but never failed as listed`);
    }
    await new Promise((r) => setImmediate(r));
    const ms = Math.round(performance.now() - t0);
    console.log(
      `${protocol}: ${tally.services} services, ${tally.operations} operations: ${tally.sent} sent, ` +
        `${tally.listed} failed before sending for a listed reason, ${tally.failed} failed ` +
        `(calls: ${tally.calls.sent} sent [${tally.auth.sigv4} SigV4, ${tally.auth.sigv4a} SigV4a, ${tally.auth.sigv2} SigV2, ${tally.auth.bearer} bearer, ${tally.auth.anonymous} anonymous], ` +
        `${tally.calls.listed} listed, ${tally.calls.failed} failed; ${ms} ms)`,
    );
    for (const [key, n] of tally.reasons) console.log(`  listed ${key} (${n} calls): ${EXPECTED[key]!.why}`);
    const rejections = unhandled;
    unhandled = [];
    assert.deepEqual(rejections.map(describeError), [], "no unhandled rejection");
    assert.ok(tally.operations > 0, "the protocol has operations");
    assert.equal(tally.failures.length, 0, `${tally.failures.length} failures:\n${tally.failures.slice(0, 60).join("\n")}${tally.failures.length > 60 ? "\n..." : ""}`);
  });
}

check("a checksum algorithm the S3 model names but the runtime does not compute fails before sending with RequestFormError", async () => {
  const { S3 } = (await import("tsaws/s3")) as { S3: new (config: Record<string, unknown>) => { putBucketCors(input: unknown): Promise<unknown> } };
  const recorder = new Recorder();
  const s3 = new S3({ session, region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 1, clock: () => NOW, uuid, httpHandler: recorder });
  const enumValues = loadModel("s3").shapes.ChecksumAlgorithm!.enum!;
  const refused = enumValues.filter((a) => !COMPUTED_CHECKSUMS.includes(a));
  assert.deepEqual(enumValues.filter((a) => COMPUTED_CHECKSUMS.includes(a)).sort(), [...COMPUTED_CHECKSUMS].sort());
  for (const algorithm of refused) {
    recorder.reset(() => cannedResponse("rest-xml", { n: "PutBucketCors", h: ["PUT", "/?cors"] }, undefined));
    const input = { Bucket: LABEL, CORSConfiguration: { CORSRules: [{ AllowedMethods: ["GET"], AllowedOrigins: ["*"] }] }, ChecksumAlgorithm: algorithm };
    const e = await s3.putBucketCors(input).catch((err: unknown) => err);
    assert.ok(e instanceof TsawsError && e.constructor.name === "RequestFormError", `${algorithm}: ${describeError(e)}`);
    assert.match((e as Error).message, new RegExp(`unsupported checksum algorithm ${algorithm}`));
    assert.equal(recorder.calls, 0, `${algorithm}: nothing is sent`);
  }
  console.log(`  S3 ChecksumAlgorithm values refused before sending: ${refused.join(", ")}`);
});

check("the schemes other than SigV4 were swept: bearer for CodeCatalyst (only) and both Bedrock services (and SigV4), SigV2 for SimpleDB and Import/Export", () => {
  const seen = (service: string): string =>
    Object.entries(SEEN.get(service) ?? {})
      .filter(([, n]) => n > 0)
      .map(([k]) => k)
      .sort()
      .join(",");
  for (const [service, schemesSeen] of [
    ["codecatalyst", "bearer"],
    ["bedrock", "bearer,sigv4"],
    ["bedrock-runtime", "bearer,sigv4"],
    ["sdb", "sigv2"],
    ["importexport", "sigv2"],
  ] as const) {
    assert.equal(seen(service), schemesSeen, service);
  }
  // Every other service signed with SigV4 or SigV4a (or sent anonymous calls).
  for (const [service, counts] of SEEN) {
    if (["codecatalyst", "bedrock", "bedrock-runtime", "sdb", "importexport"].includes(service)) continue;
    assert.equal((counts.bearer ?? 0) + (counts.sigv2 ?? 0), 0, service);
  }
  console.log(`  schemes: ${["codecatalyst", "bedrock", "bedrock-runtime", "sdb", "importexport"].map((s) => `${s} ${JSON.stringify(SEEN.get(s))}`).join("; ")}`);
});

check("the sweep covered every generated service", () => {
  const counted = [...BY_PROTOCOL.values()].reduce((n, s) => n + s.length, 0);
  assert.equal(counted, SERVICES.length);
  assert.ok(SERVICES.length >= 400, `${SERVICES.length} services under generated/`);
  console.log(`all operations: ${SERVICES.length} services in ${Math.round(performance.now() - started)} ms`);
});
