// Turns botocore shapes into the runtime's compact shape data (runtime/schema.ts).
//
// One builder serves two users: the emitter, which prints the data as JS constants in
// dependency order (a reference to a shape not yet declared becomes a thunk), and the
// conformance runners, which build live objects straight from a test suite's shapes.
// Only wire-relevant traits survive; docs, constraints and enum values go to types.
import type { BotoMemberRef, BotoOperation, BotoServiceModel, BotoShape } from "./model.ts";
import { chooseProtocol } from "./model.ts";
import type {
  ChecksumTrait,
  Member,
  MemberTraits,
  OperationSchema,
  ScalarKind,
  ScalarShape,
  ServiceSchema,
  Shape,
  StructureShape,
  TimestampFormat,
  XmlNamespace,
} from "../runtime/schema.ts";

const SCALAR_KIND: Record<string, ScalarKind> = {
  string: 0,
  boolean: 1,
  integer: 2,
  long: 2,
  short: 2,
  byte: 2,
  float: 3,
  double: 3,
  blob: 4,
  timestamp: 5,
  document: 6,
  bigInteger: 7,
  bigDecimal: 7,
  // Old botocore models (and the legacy protocol tests) still use `character`: a string.
  character: 0,
};

function xmlNamespace(ns: BotoShape["xmlNamespace"]): XmlNamespace | undefined {
  if (ns === undefined) return undefined;
  if (typeof ns === "string") return { uri: ns };
  return ns.prefix !== undefined ? { uri: ns.uri, prefix: ns.prefix } : { uri: ns.uri };
}

function timestampFormat(f: string | undefined): TimestampFormat | undefined {
  if (f === undefined) return undefined;
  if (f === "iso8601" || f === "rfc822" || f === "unixTimestamp") return f;
  throw new Error(`unknown timestampFormat ${f}`);
}

/** Drops undefined fields so emitted objects and deep-equality checks stay clean. */
function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export interface BuildOptions {
  /** rest-xml and query need structure names for root elements; others only for errors/events. */
  protocol: string;
  /** The service's auth schemes (`serviceAuth`): an operation without a list of its own takes a service-wide noAuth. */
  auth?: readonly string[] | undefined;
}

const ANONYMOUS = new Set(["none", "smithy.api#noAuth"]);

/**
 * An operation's `au`: ["v4-unsigned-body"] for an unsigned payload; ["none"] when it is sent
 * unsigned (every scheme its list names is none / smithy.api#noAuth, or it names none and the
 * service's first scheme is noAuth); else its own list without the anonymous entries (a signer
 * is chosen whenever one is listed); undefined when the model gives the operation no list.
 */
export function operationAuth(op: Pick<BotoOperation, "auth" | "authtype" | "unsignedPayload">, serviceAuth?: readonly string[]): string[] | undefined {
  if (op.unsignedPayload) return ["v4-unsigned-body"];
  const listed = op.auth ?? (op.authtype ? [op.authtype] : undefined);
  if (listed === undefined) return serviceAuth?.[0] === "smithy.api#noAuth" ? ["none"] : undefined;
  if (listed.length > 0 && listed.every((a) => ANONYMOUS.has(a))) return ["none"];
  return listed.filter((a) => !ANONYMOUS.has(a));
}

/**
 * Builds live shape objects from a botocore shape map. Structures are created before
 * their members are filled, so recursive shapes become real object cycles here; the
 * emitter breaks them with thunks.
 */
export class SchemaBuilder {
  readonly shapes: Record<string, BotoShape>;
  readonly protocol: string;
  private readonly auth: readonly string[] | undefined;
  private readonly built = new Map<string, Shape>();
  private readonly keepNames: boolean;

  constructor(shapes: Record<string, BotoShape>, options: BuildOptions) {
    this.shapes = shapes;
    this.protocol = options.protocol;
    this.auth = options.auth;
    this.keepNames = options.protocol === "rest-xml" || options.protocol === "query" || options.protocol === "ec2";
  }

  /** Every shape built so far, by model name. */
  builtShapes(): IterableIterator<[string, Shape]> {
    return this.built.entries();
  }

  /** The model name of a built aggregate shape object, if it is one. */
  shapeNameOf(shape: object): string | undefined {
    let name = this.names.get(shape);
    if (name === undefined) {
      for (const [n, s] of this.built) if (typeof s === "object") this.names.set(s, n);
      name = this.names.get(shape);
    }
    return name;
  }
  private readonly names = new Map<object, string>();

  shape(name: string): Shape {
    const done = this.built.get(name);
    if (done !== undefined) return done;
    const s = this.shapes[name];
    if (!s) throw new Error(`shape ${name} is not defined`);
    const scalar = s.document ? 6 : SCALAR_KIND[s.type];
    if (scalar !== undefined && s.type !== "structure") {
      const traits: ScalarShape = clean({
        t: scalar,
        tf: timestampFormat(s.timestampFormat),
        st: s.streaming ? 1 : undefined,
        rl: s.requiresLength ? 1 : undefined,
        j: s.jsonvalue ? 1 : undefined,
        s: s.sensitive ? 1 : undefined,
      } as ScalarShape);
      const out: Shape = Object.keys(traits).length === 1 ? scalar : traits;
      this.built.set(name, out);
      return out;
    }
    if (s.type === "structure" && s.document) {
      this.built.set(name, 6);
      return 6;
    }
    if (s.type === "structure") {
      const out = { t: 8, m: {} } as { t: 8; m: Record<string, Member> } & Record<string, unknown>;
      this.built.set(name, out as StructureShape);
      const isError = !!(s.exception || s.error);
      if (this.keepNames || isError || s.event) out.n = name;
      if (s.payload) out.p = s.payload;
      const ns = xmlNamespace(s.xmlNamespace);
      if (ns) out.x = ns;
      if (s.locationName) out.ln = s.locationName;
      if (s.union) out.u = 1;
      if (s.eventstream) out.es = 1;
      if (s.event) out.ev = 1;
      if (s.sensitive) out.s = 1;
      if (isError) {
        const status = s.error?.httpStatusCode ?? (s.fault ? 500 : 400);
        const fault = s.error?.senderFault === false || (s.fault && !s.error?.senderFault) ? "server" : "client";
        out.er = [s.error?.code ?? name, status, fault];
      }
      for (const [m, ref] of Object.entries(s.members ?? {})) out.m[m] = this.member(ref);
      return out as StructureShape;
    }
    if (s.type === "list") {
      if (!s.member) throw new Error(`list ${name} has no member`);
      const out = { t: 9 } as Record<string, unknown>;
      this.built.set(name, out as unknown as Shape);
      out.m = this.member(s.member);
      if (s.flattened) out.f = 1;
      if (s.sparse) out.sp = 1;
      return out as unknown as Shape;
    }
    if (s.type === "map") {
      if (!s.key || !s.value) throw new Error(`map ${name} has no key or value`);
      const out = { t: 10 } as Record<string, unknown>;
      this.built.set(name, out as unknown as Shape);
      out.k = this.member(s.key);
      out.v = this.member(s.value);
      if (s.flattened) out.f = 1;
      if (s.sparse) out.sp = 1;
      return out as unknown as Shape;
    }
    throw new Error(`shape ${name} has unknown type ${String(s.type)}`);
  }

  member(ref: BotoMemberRef): Member {
    let shape = this.shape(ref.shape);
    // `streaming` on the member (as S3's Body has it) marks the payload as a stream.
    if (ref.streaming && (typeof shape === "number" || shape.t < 8)) {
      shape = typeof shape === "number" ? { t: shape as ScalarKind, st: 1 } : { ...(shape as ScalarShape), st: 1 };
    }
    const t: MemberTraits = clean({
      n: ref.locationName,
      // botocore also honours a `location` set on the target shape itself (older models).
      l: ref.location ?? (this.shapes[ref.shape] as { location?: BotoMemberRef["location"] } | undefined)?.location,
      xa: ref.xmlAttribute ? 1 : undefined,
      x: xmlNamespace(ref.xmlNamespace),
      f: ref.flattened ? 1 : undefined,
      tf: timestampFormat(ref.timestampFormat),
      j: ref.jsonvalue ? 1 : undefined,
      hl: ref.hostLabel ? 1 : undefined,
      it: ref.idempotencyToken ? 1 : undefined,
      qn: ref.queryName,
      ep: ref.eventpayload ? 1 : undefined,
      eh: ref.eventheader ? 1 : undefined,
    } as MemberTraits);
    return Object.keys(t).length ? [shape, t] : shape;
  }

  /** The input or output structure of an operation, with the reference's own traits applied. */
  topLevel(ref: BotoMemberRef | undefined): StructureShape | undefined {
    if (!ref) return undefined;
    const shape = this.shape(ref.shape);
    if (typeof shape === "number" || shape.t !== 8) throw new Error(`${ref.shape} is not a structure`);
    // An operation's input reference may rename the root element or give it a namespace
    // (rest-xml), which belongs to this operation only: copy the shape in that case.
    const ns = xmlNamespace(ref.xmlNamespace);
    // botocore also reads `payload` from the reference (the legacy protocol tests put it there).
    const payload = (ref as { payload?: string }).payload;
    if (ref.locationName === undefined && ns === undefined && payload === undefined) return shape;
    return clean({ ...shape, ln: shape.ln ?? ref.locationName, x: ns ?? shape.x, p: payload ?? shape.p } as StructureShape);
  }

  /** Operation schema without error classes (the emitter and test runners add those). */
  operation(op: BotoOperation): OperationSchema {
    const h: [string, string, number?] = [op.http.method, op.http.requestUri];
    if (op.http.responseCode !== undefined && op.http.responseCode !== 200) h.push(op.http.responseCode);
    const ck = op.httpChecksum;
    const checksum: ChecksumTrait | undefined = ck
      ? clean({
          rq: ck.requestChecksumRequired ? 1 : undefined,
          ra: ck.requestAlgorithmMember,
          vm: ck.requestValidationModeMember,
          rs: ck.responseAlgorithms,
        } as ChecksumTrait)
      : undefined;
    const contextParams: Record<string, string> = {};
    const input = op.input ? this.shapes[op.input.shape] : undefined;
    for (const [m, ref] of Object.entries(input?.members ?? {})) {
      if (ref.contextParam) contextParams[ref.contextParam.name] = m;
    }
    for (const [p, v] of Object.entries(op.operationContextParams ?? {})) contextParams[p] = v.path;
    const staticParams: Record<string, string | boolean> = {};
    for (const [p, v] of Object.entries(op.staticContextParams ?? {})) staticParams[p] = v.value;
    return clean({
      n: op.name,
      h,
      i: this.topLevel(op.input),
      o: this.topLevel(op.output),
      rw: op.output?.resultWrapper,
      hp: op.endpoint?.hostPrefix,
      cr: op.httpChecksumRequired ? 1 : undefined,
      ck: checksum,
      au: operationAuth(op, this.auth),
      cp: Object.keys(contextParams).length ? contextParams : undefined,
      sc: Object.keys(staticParams).length ? staticParams : undefined,
      rc: op.requestcompression?.encodings,
      eb: op.bodyRequiredOn200 ? 1 : undefined,
    } as OperationSchema);
  }
}

/**
 * botocore's `signatureVersion` as the auth scheme id the service's `au` lists, for models that
 * carry no `auth` list (CodeCatalyst: "bearer"; SimpleDB, Import/Export: "v2"). Smithy names no
 * scheme for AWS Signature Version 2: `aws.auth#sigv2` is tsaws's name for botocore's "v2".
 */
export const SIGNATURE_VERSION_SCHEMES: Readonly<Record<string, string>> = {
  v4: "aws.auth#sigv4",
  s3: "aws.auth#sigv4",
  s3v4: "aws.auth#sigv4",
  bearer: "smithy.api#httpBearerAuth",
  v2: "aws.auth#sigv2",
};

/**
 * The service's auth schemes in the model's order of preference: metadata.auth when the model
 * has one, else its signatureVersion's scheme. Throws on a signature version tsaws cannot sign.
 */
export function serviceAuth(m: BotoServiceModel["metadata"]): string[] | undefined {
  if (m.auth && m.auth.length > 0) return m.auth;
  if (m.signatureVersion === undefined) return undefined;
  const scheme = SIGNATURE_VERSION_SCHEMES[m.signatureVersion];
  if (scheme === undefined) throw new Error(`${m.serviceId}: unknown signatureVersion ${m.signatureVersion}`);
  return [scheme];
}

/** SigV4 alone, the runtime's default, which the schema leaves unsaid (no `au`: 392 services save the bytes). */
function sigV4Only(au: string[] | undefined): boolean {
  return au === undefined || (au.length === 1 && au[0] === "aws.auth#sigv4");
}

export function serviceSchema(model: Pick<BotoServiceModel, "metadata">): ServiceSchema {
  const m = model.metadata;
  const au = serviceAuth(m);
  return clean({
    id: m.serviceId,
    p: chooseProtocol(m) as ServiceSchema["p"],
    v: m.apiVersion,
    ep: m.endpointPrefix,
    sn: m.signingName ?? m.endpointPrefix,
    tp: m.targetPrefix,
    jv: m.jsonVersion,
    x: m.xmlNamespace,
    qc: m.awsQueryCompatible ? 1 : undefined,
    au: sigV4Only(au) ? undefined : au,
  } as ServiceSchema);
}
