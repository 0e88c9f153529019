// awsQuery (botocore's QuerySerializer / QueryParser), and the form walker that ec2.ts
// reuses with its own naming: EC2 is Query with two settings.
//
// Requests: POST to the operation's URI with a form body
// `Action=Op&Version=apiVersion&...`, `Content-Type: application/x-www-form-urlencoded;
// charset=utf-8`. Nested structures are `A.B`, lists `A.member.N` (flattened: `A.N`, a
// list member's locationName replaces `member`), maps `A.entry.N.key/value` (custom
// key/value names; flattened: `A.N.key`). Timestamps are ISO-8601 unless the model says
// otherwise, blobs base64, booleans lower case, special floats spelled out. An empty list
// is sent as `A=` (so a service can tell "clear" from "unchanged"); an empty map is not
// sent. Keys and values are RFC 3986 percent-encoded.
//
// Responses: `<OpResponse><OpResult>members</OpResult><ResponseMetadata>` (the result
// element is the operation's `resultWrapper`, or `{Op}Result` when the model names none);
// errors: `<ErrorResponse><Error><Type/><Code/><Message/>members</Error><RequestId/>`.
import type { ListShape, MapShape, Member, OperationSchema, ServiceSchema, StructureShape } from "../schema.js";
import { kind, target, traits } from "../schema.js";
import { RequestFormError } from "../errors.js";
import { expandHostPrefix, setContentLength } from "./http-binding.js";
import { convertResponse, findErrorClass } from "./json-codec.js";
import { fillIdempotencyTokens, uriEncode } from "./shared.js";
import type { ParsedError, Protocol, ReceivedResponse, SerializeContext, SerializedRequest } from "./types.js";
import {
  childElement,
  findXmlError,
  isBlank,
  isFlattened,
  localName,
  memberElementName,
  parseErrorDocument,
  loadXmlParser,
  parseXml,
  readXmlStructure,
  scalarText,
} from "./xml.js";
import type { XmlElement } from "./xml.js";

/** How a dialect names things on the wire. */
export interface QueryDialect {
  /** The key of a structure member. */
  memberName(name: string, member: Member): string;
  /** Lists: ec2 always flattens and never sends empty lists. */
  readonly alwaysFlatten: boolean;
  readonly sendEmptyLists: boolean;
}

/** awsQuery naming: the XML element name (locationName, else a flattened list shape's item name, else the member name). */
export const QUERY_DIALECT: QueryDialect = {
  memberName: memberElementName,
  alwaysFlatten: false,
  sendEmptyLists: true,
};

type Pairs = [string, string][];

function absent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

function writeValue(out: Pairs, prefix: string, member: Member, value: unknown, d: QueryDialect): void {
  if (absent(value)) return;
  const shape = target(member);
  switch (kind(shape)) {
    case 8: {
      if (typeof value !== "object" || Array.isArray(value)) throw new RequestFormError(`expected an object for ${prefix}`);
      writeStructure(out, `${prefix}.`, shape as StructureShape, value as Record<string, unknown>, d);
      return;
    }
    case 9: {
      if (!Array.isArray(value)) throw new RequestFormError(`expected a list for ${prefix}`);
      const list = shape as ListShape;
      if (value.length === 0) {
        if (d.sendEmptyLists) out.push([prefix, ""]);
        return;
      }
      const itemPrefix =
        d.alwaysFlatten || isFlattened(member, shape) ? prefix : `${prefix}.${traits(list.m).n ?? "member"}`;
      value.forEach((v, i) => writeValue(out, `${itemPrefix}.${i + 1}`, list.m, v, d));
      return;
    }
    case 10: {
      if (typeof value !== "object" || Array.isArray(value)) throw new RequestFormError(`expected an object for ${prefix}`);
      const map = shape as MapShape;
      const keyName = traits(map.k).n ?? "key";
      const valueName = traits(map.v).n ?? "value";
      const entryPrefix = isFlattened(member, shape) ? prefix : `${prefix}.entry`;
      let i = 0;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (absent(v)) continue;
        i++;
        out.push([`${entryPrefix}.${i}.${keyName}`, k]);
        writeValue(out, `${entryPrefix}.${i}.${valueName}`, map.v, v, d);
      }
      return;
    }
    default:
      out.push([prefix, scalarText(value, member)]);
  }
}

function writeStructure(out: Pairs, prefix: string, shape: StructureShape, value: Record<string, unknown>, d: QueryDialect): void {
  for (const [name, member] of Object.entries(shape.m) as [string, Member][]) {
    const v = value[name];
    if (absent(v)) continue;
    writeValue(out, prefix + d.memberName(name, member), member, v, d);
  }
}

/** The form pairs of an input (without Action and Version), in model order. */
export function queryPairs(shape: StructureShape | undefined, input: Record<string, unknown>, d: QueryDialect): Pairs {
  const out: Pairs = [];
  if (shape) writeStructure(out, "", shape, input, d);
  return out;
}

/** Serializes a query or ec2 request. */
export function serializeQuery(
  service: ServiceSchema,
  op: OperationSchema,
  rawInput: Record<string, unknown>,
  ctx: SerializeContext,
  d: QueryDialect,
): SerializedRequest {
  const input = fillIdempotencyTokens(op.i, rawInput ?? {}, () => ctx.uuid());
  const pairs: Pairs = [["Action", op.n], ["Version", service.v], ...queryPairs(op.i, input, d)];
  const body = pairs.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join("&");
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  setContentLength(headers, body);
  // Query operations are modeled as `POST /`; the form body carries everything.
  const uri = op.h[1] || "/";
  const q = uri.indexOf("?");
  const request: SerializedRequest = {
    method: op.h[0] || "POST",
    path: (q < 0 ? uri : uri.slice(0, q)) || "/",
    query: [],
    headers,
    body,
  };
  const hostPrefix = expandHostPrefix(op, input);
  if (hostPrefix !== undefined) request.hostPrefix = hostPrefix;
  return request;
}

/** The element holding the output members: the result wrapper when present, else the root. */
function resultElement(op: OperationSchema, root: XmlElement): XmlElement {
  const wrapper = op.rw ?? `${op.n}Result`;
  if (localName(root.name) === wrapper) return root;
  return childElement(root, wrapper) ?? root;
}

/** Parses a query response body into the output members. */
export function parseQueryOutput(op: OperationSchema, response: ReceivedResponse, wrapped: boolean): Record<string, unknown> {
  const shape = op.o;
  if (!shape || response.body.length === 0 || isBlank(response.body)) return {};
  const root = parseXml(response.body, response.statusCode);
  const el = wrapped ? resultElement(op, root) : root;
  return convertResponse(response.statusCode, () => readXmlStructure(shape, el));
}

/**
 * Parses a query/ec2 error response. A body that is not an XML error document (empty, an
 * HTML page from a proxy) gives the code `Http<status>` (e.g. `Http502`), as the JSON
 * protocols do; XML that is malformed throws ResponseParseError.
 */
export function parseQueryError(service: ServiceSchema, op: OperationSchema, response: ReceivedResponse): ParsedError {
  const status = response.statusCode;
  const root = parseErrorDocument(response.body, status);
  const found = root ? findXmlError(root) : undefined;
  if (!found?.code) {
    const parsed: ParsedError = { code: `Http${status}`, fields: {} };
    if (found?.message !== undefined) parsed.message = found.message;
    else if (!isBlank(response.body)) parsed.message = `HTTP ${status} response without an error code`;
    if (found?.requestId !== undefined) parsed.requestId = found.requestId;
    return parsed;
  }
  const parsed: ParsedError = { code: found.code, fields: {} };
  if (found.message !== undefined) parsed.message = found.message;
  if (found.type !== undefined) parsed.type = found.type;
  if (found.requestId !== undefined) parsed.requestId = found.requestId;
  const errorClass = findErrorClass(service, op, found.code);
  if (errorClass) {
    parsed.errorClass = errorClass;
    parsed.fields = convertResponse(status, () => readXmlStructure(errorClass.$s, found.error));
  }
  return parsed;
}

export const protocol: Protocol = {
  serialize(service, op, input, ctx) {
    return serializeQuery(service, op, input, ctx, QUERY_DIALECT);
  },
  load: loadXmlParser,
  parse(_service, op, response) {
    return parseQueryOutput(op, response, true);
  },
  parseError(service, op, response) {
    return parseQueryError(service, op, response);
  },
};
