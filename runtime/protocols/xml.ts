// The XML half of the query, ec2 and rest-xml protocols (botocore's BaseXMLResponseParser
// and RestXMLSerializer): a small element tree, a schema-walking reader and writer, and the
// error-body and request-id helpers the three protocols share.
//
// Parsing: fast-xml-parser tokenises (ordered mode, everything kept as strings, no entity
// processing at all, so a DOCTYPE cannot expand anything); the XML validator rejects
// malformed text first. xml-parser.ts then decodes the five predefined entities and
// character references (its `decodeEntities`), keeps CDATA verbatim, and builds
// `XmlElement`s. It is imported on first use (`loadXmlParser`, package.json `#xml-parser`): a
// response without an XML body never loads fast-xml-parser, and a bundle carries it as a
// lazily loaded chunk. Browsers get xml-parser-dom.ts instead (the platform's DOMParser, the
// same trees; no XML library in the bundle). Values are
// converted by the shape, never guessed: text stays text until the schema says it is a
// number, boolean, timestamp or blob. Namespaces are ignored when reading (elements and
// attributes match by local name), as botocore does. A union with no known member set
// reads its first unknown child as `{ $unknown: [name, text or XmlElement] }` (forward
// compatible, as AWS SDK v3).
//
// Names: a member's element is its locationName, else (for a list shape that is itself
// flattened, botocore's older style) the list member's locationName, else the member name.
// Lists are wrapped (`<member>` or the member's locationName) unless flattened; maps are
// `<entry><key/><value/></entry>` (custom key/value names; no `entry` when flattened).
// Scalars are converted to and from text by http-binding.ts's per-kind tables (strict XML
// mode); wrapped and flattened collections are read and written by one function each.
import { fromUtf8 } from "../encoding.js";
import { lazyModule } from "../lazy-module.js";
import type { ListShape, MapShape, Member, Shape, StructureShape, XmlNamespace } from "../schema.js";
import { kind, target, traits } from "../schema.js";
import { absent, formError, scalarFromText, scalarText as bindingText } from "./http-binding.js";

// ---------------------------------------------------------------------------------------
// Element tree

/** One XML element: qualified name as written (`baz:foo`), attributes, child elements and its own text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA children, concatenated, entities decoded). */
  readonly text: string;
}

/** xml-parser.ts (its parseXmlDocument parses a whole document into its root element), loaded by `loadXmlParser`. */
const parserModule = lazyModule(() => import("#xml-parser"));

/**
 * Loads the XML parser (fast-xml-parser, in xml-parser.ts) on first use: an operation whose
 * response has no XML body (S3 GetObject) never loads it, and in a bundle it is a lazily
 * loaded chunk. Returns undefined once loaded. The protocols' `load` (protocols/types.ts),
 * which the client awaits before parsing a body, calls this.
 */
export function loadXmlParser(): Promise<unknown> | undefined {
  return parserModule.value ? undefined : parserModule.load(); // a failed load (a chunk that did not arrive) is tried again
}

/**
 * Parses an XML document into its root element. Malformed text (or anything that is not
 * one well-formed element) throws ResponseParseError carrying the status code. The parser
 * must have been loaded (`await loadXmlParser()`).
 */
export function parseXml(body: Uint8Array | string, statusCode: number): XmlElement {
  const parser = parserModule.value;
  if (!parser) throw new Error("the XML parser is not loaded: await loadXmlParser() first");
  return parser.parseXmlDocument(body, statusCode);
}

/** `baz:foo` -> `foo`. */
export function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The first child element with this local name. */
export function childElement(el: XmlElement, name: string): XmlElement | undefined {
  const local = localName(name);
  return el.children.find((c) => localName(c.name) === local);
}

/** Text of a child element, if present. */
export function childText(el: XmlElement, name: string): string | undefined {
  return childElement(el, name)?.text;
}

// ---------------------------------------------------------------------------------------
// Names shared by reader and writer

/** Flattened on the member or on the list/map shape. */
export function isFlattened(member: Member, shape: Shape): boolean {
  return !!(traits(member).f || (shape as ListShape | MapShape).f);
}

/**
 * The element name of a structure member: its locationName; else, for a list shape that
 * is flattened itself, the list member's locationName (botocore's style, e.g. SimpleDB's
 * `Attribute`); else the member name.
 */
export function memberElementName(name: string, member: Member): string {
  const n = traits(member).n;
  if (n !== undefined) return n;
  const shape = target(member);
  if (kind(shape) === 9 && (shape as ListShape).f) {
    const itemName = traits((shape as ListShape).m).n;
    if (itemName !== undefined) return itemName;
  }
  return name;
}

// ---------------------------------------------------------------------------------------
// Reading

function childElements(el: XmlElement, name: string): XmlElement[] {
  const local = localName(name);
  return el.children.filter((c) => localName(c.name) === local);
}

function attribute(el: XmlElement, name: string): string | undefined {
  const exact = el.attrs[name];
  if (exact !== undefined) return exact;
  const local = localName(name);
  for (const [k, v] of Object.entries(el.attrs)) if (!k.startsWith("xmlns") && localName(k) === local) return v;
  return undefined;
}

/** Converts one element by the member's shape (scalars as http-binding.ts reads XML text); `undefined` means "no value". */
export function readXmlValue(member: Member, el: XmlElement): unknown {
  const shape = target(member);
  const k = kind(shape);
  if (k < 8) return scalarFromText(el.text, member, true);
  if (k === 8) return readXmlStructure(shape as StructureShape, el);
  return k === 9 ? readListItems(shape as ListShape, el.children) : readMapEntries(shape as MapShape, childElements(el, "entry"));
}

/** A list's items (wrapped: the list element's children; flattened: the member's elements). */
function readListItems(shape: ListShape, items: readonly XmlElement[]): unknown[] {
  return items.map((c) => readXmlValue(shape.m, c)).filter((v) => v !== undefined);
}

/** A map's entries (wrapped: the map element's `<entry>`s; flattened: the member's elements). */
function readMapEntries(shape: MapShape, entries: readonly XmlElement[]): Record<string, unknown> {
  const keyName = traits(shape.k).n ?? "key";
  const valueName = traits(shape.v).n ?? "value";
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const key = childElement(entry, keyName);
    const value = childElement(entry, valueName);
    if (key === undefined || value === undefined) continue;
    const v = readXmlValue(shape.v, value);
    if (v !== undefined) out[key.text] = v;
  }
  return out;
}

/** Reads a structure's members (or `members`, a subset) from its element. Absent members are left out. */
export function readXmlStructure(shape: StructureShape, el: XmlElement, members?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of members ?? Object.keys(shape.m)) {
    const member = shape.m[name];
    if (member === undefined) continue;
    const wire = memberElementName(name, member);
    let value: unknown;
    if (traits(member).xa) {
      const text = attribute(el, wire);
      if (text !== undefined) value = scalarFromText(text, member, true); // attributes are scalars
    } else {
      const mshape = target(member);
      const k = kind(mshape);
      if (k > 8 && isFlattened(member, mshape)) {
        const found = childElements(el, wire);
        if (found.length === 0) continue;
        value = k === 9 ? readListItems(mshape as ListShape, found) : readMapEntries(mshape as MapShape, found);
      } else {
        const child = childElement(el, wire);
        if (child !== undefined) value = readXmlValue(member, child);
      }
    }
    if (value !== undefined) out[name] = value;
  }
  if (shape.u && !members && Object.keys(out).length === 0) {
    // A union member this model does not know: kept as `$unknown: [name, text or element]`.
    const known = new Set(Object.entries(shape.m).map(([name, m]) => localName(memberElementName(name, m))));
    const unknown = el.children.find((c) => !known.has(localName(c.name)));
    if (unknown) return { $unknown: [localName(unknown.name), unknown.children.length > 0 ? unknown : unknown.text] };
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Writing

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\r": "&#xD;",
  "\n": "&#xA;",
  "\t": "&#x9;",
};
const escapeChar = (c: string): string => XML_ESCAPES[c]!;

/** Escapes character data. `\r` is written as a reference so parsers do not fold it into `\n`. */
export function escapeXmlText(text: string): string {
  return text.replace(/[&<>\r]/g, escapeChar);
}

/** Escapes an attribute value (quotes and the whitespace that attribute normalisation would fold, too). */
export function escapeXmlAttribute(text: string): string {
  return text.replace(/[&<>"\r\n\t]/g, escapeChar);
}

function namespaceAttr(ns: XmlNamespace | undefined): string {
  if (!ns) return "";
  return ` ${ns.prefix ? `xmlns:${ns.prefix}` : "xmlns"}="${escapeXmlAttribute(ns.uri)}"`;
}

/** The text of a scalar value for XML bodies and query strings (iso8601 timestamps by default; strict, see http-binding.ts). */
export function scalarText(value: unknown, member: Member): string {
  return bindingText(value, member, "iso8601", true);
}

/** The value as a record, else a RequestFormError naming `what`. */
function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) formError(`expected an object for ${what}`);
  return value as Record<string, unknown>;
}

function element(name: string, attrs: string, content: string): string {
  return `<${name}${attrs}>${content}</${name}>`;
}

/**
 * Writes `value` as element `name` by the member's shape. The namespace declared on the
 * element is `ns` when given, else the member's, else the structure shape's own.
 */
export function writeXmlValue(name: string, member: Member, value: unknown, ns?: XmlNamespace): string {
  const shape = target(member);
  const k = kind(shape);
  const attrs = namespaceAttr(ns ?? traits(member).x ?? (k === 8 ? (shape as StructureShape).x : undefined));
  if (k < 8) return element(name, attrs, escapeXmlText(scalarText(value, member)));
  if (k === 8) return writeStructureElement(name, shape as StructureShape, value, attrs);
  return element(name, attrs, collectionContent(name, shape as ListShape | MapShape, value));
}

/**
 * The content of a list or map: one element per item or entry, named `itemName` when the
 * collection is flattened into its parent (declaring `ns`), else the list member's
 * locationName or `member` / `entry`. `label` names the collection in errors.
 */
function collectionContent(label: string, shape: ListShape | MapShape, value: unknown, itemName?: string, ns?: XmlNamespace): string {
  let out = "";
  if (kind(shape) === 9) {
    if (!Array.isArray(value)) formError(`expected a list for ${label}`);
    // Each item declares the given namespace, else the list member's own.
    const item = (shape as ListShape).m;
    const name = itemName ?? traits(item).n ?? "member";
    for (const v of value) if (!absent(v)) out += writeXmlValue(name, item, v, ns);
    return out;
  }
  const entries = Object.entries(expectObject(value, "a map"));
  const map = shape as MapShape;
  const keyName = traits(map.k).n ?? "key";
  const valueName = traits(map.v).n ?? "value";
  const entryAttrs = namespaceAttr(ns);
  for (const [k, v] of entries) {
    if (!absent(v)) out += element(itemName ?? "entry", entryAttrs, writeXmlValue(keyName, map.k, k) + writeXmlValue(valueName, map.v, v));
  }
  return out;
}

function writeStructureElement(
  name: string,
  shape: StructureShape,
  value: unknown,
  nsAttr: string,
  members?: readonly string[],
): string {
  const record = expectObject(value, name);
  let attrs = nsAttr;
  let content = "";
  for (const m of members ?? Object.keys(shape.m)) {
    const member = shape.m[m];
    const v = record[m];
    if (member === undefined || absent(v)) continue;
    const t = traits(member);
    const wire = memberElementName(m, member);
    const mshape = target(member);
    if (t.xa) attrs += ` ${wire}="${escapeXmlAttribute(scalarText(v, member))}"`;
    // A flattened list or map: its items or entries sit in the parent, named like the member.
    else if (kind(mshape) > 8 && isFlattened(member, mshape)) content += collectionContent(m, mshape as ListShape | MapShape, v, wire, t.x);
    else content += writeXmlValue(wire, member, v);
  }
  return element(name, attrs, content);
}

/**
 * Writes a structure as a whole document element named `name` (the root of a rest-xml
 * body or payload), with `ns` declared on it; `members` limits which members are written.
 */
export function writeXmlDocument(
  name: string,
  shape: StructureShape,
  value: Record<string, unknown>,
  ns?: XmlNamespace,
  members?: readonly string[],
): string {
  return writeStructureElement(name, shape, value, namespaceAttr(ns), members);
}

// ---------------------------------------------------------------------------------------
// Errors and metadata

/** The fields every XML error body may carry, found wherever the protocol nests them. */
export interface XmlErrorBody {
  /** The `<Error>` element (its members are the modeled error's members). */
  error: XmlElement;
  code?: string;
  message?: string;
  type?: string;
  requestId?: string;
}

const REQUEST_ID_NAMES = ["RequestId", "RequestID", "requestId"];

function findRequestId(...els: (XmlElement | undefined)[]): string | undefined {
  for (const el of els) {
    for (const n of REQUEST_ID_NAMES) {
      const id = el && childText(el, n)?.trim();
      if (id) return id;
    }
  }
  return undefined;
}

/**
 * Finds the error in an XML error document: `<Error>` at the root (S3, rest-xml without
 * wrapping), `<ErrorResponse><Error>` (query, rest-xml) or `<Response><Errors><Error>` (ec2).
 * Returns undefined when the document is none of these.
 */
export function findXmlError(root: XmlElement): XmlErrorBody | undefined {
  const errors = childElement(root, "Errors");
  const error = localName(root.name) === "Error" ? root : (childElement(root, "Error") ?? (errors && childElement(errors, "Error")));
  if (!error) return undefined;
  const out: XmlErrorBody = { error };
  const code = childText(error, "Code")?.trim();
  if (code) out.code = code;
  const message = childText(error, "Message") ?? childText(error, "message");
  if (message !== undefined) out.message = message;
  const type = childText(error, "Type")?.trim();
  if (type) out.type = type;
  const requestId = findRequestId(error, root);
  if (requestId !== undefined) out.requestId = requestId;
  return out;
}

/**
 * The request id an XML body carries: `<ResponseMetadata><RequestId>` (query),
 * `<requestId>` (ec2), `<RequestId>`/`<RequestID>` at the root or in the error (errors).
 * Returns undefined for bodies without one, including bodies that are not XML.
 */
export function xmlRequestId(body: Uint8Array | string): string | undefined {
  let root: XmlElement;
  try {
    root = parseXml(body, 0);
  } catch {
    return undefined;
  }
  const error = findXmlError(root);
  if (error?.requestId !== undefined) return error.requestId;
  return findRequestId(childElement(root, "ResponseMetadata"), root);
}

/** Whether a body is empty or only whitespace. */
export function isBlank(body: Uint8Array): boolean {
  for (const b of body) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  return true;
}

/**
 * The root of an error body, or undefined when the body is not an XML document at all:
 * empty, plain text, or an HTML page from a proxy or load balancer (`<!DOCTYPE html>`,
 * `<html>`), which the caller turns into a status-derived error. A body that looks like
 * XML but is malformed throws ResponseParseError.
 */
export function parseErrorDocument(body: Uint8Array, statusCode: number): XmlElement | undefined {
  if (isBlank(body)) return undefined;
  const head = fromUtf8(body.subarray(0, 256)).replace(/^\uFEFF/, "").trimStart();
  if (!head.startsWith("<") || /^<(?:!doctype\s+html|html[\s>])/i.test(head)) return undefined;
  return parseXml(body, statusCode);
}

const ERROR_ROOT = /^(?:\uFEFF)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<Error[\s>]/;

/**
 * Whether a (successful-status) body is an XML error document whose root is `<Error>`:
 * S3's CopyObject, UploadPartCopy and CompleteMultipartUpload may answer 200 with one.
 * Only the start of the body is examined.
 */
export function isErrorBody(body: Uint8Array | string): boolean {
  const head = typeof body === "string" ? body.slice(0, 512) : fromUtf8(body.subarray(0, 512));
  return ERROR_ROOT.test(head);
}
