// The XML tokenizer of xml.ts, kept apart so that it loads only when a body must be parsed
// (xml.ts `loadXmlParser`, a dynamic import): fast-xml-parser and its dependencies are most
// of an XML protocol's bytes, and S3's streaming operations never need them on success.
//
// fast-xml-parser tokenises (ordered mode, everything kept as strings, no entity processing
// at all, so a DOCTYPE cannot expand anything); its validator rejects malformed text first.
// Entities and character references are decoded here (`decodeEntities`), CDATA is
// kept verbatim, and the result is xml.ts's `XmlElement` tree.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { fromUtf8 } from "../encoding.js";
import { decodeXmlEntities as decodeEntities } from "./xml-entities.js";
import { ResponseParseError } from "../errors.js";
import type { XmlElement } from "./xml.js";


const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // No entity processing in the tokenizer: DOCTYPE entities are never expanded (no
  // billion-laughs), and the predefined entities are decoded below exactly once.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: "#cdata",
  commentPropName: false,
  removeNSPrefix: false,
  // Bounded nesting, and element names such as `__proto__` are errors, never object keys.
  maxNestedTags: 100,
  strictReservedNames: true,
});

type RawNode = Record<string, unknown>;

function toElement(name: string, node: RawNode): XmlElement {
  const rawAttrs = (node[":@"] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = decodeEntities(String(v));
  const children: XmlElement[] = [];
  let text = "";
  for (const child of (node[name] ?? []) as RawNode[]) {
    if ("#text" in child) text += decodeEntities(String(child["#text"]));
    else if ("#cdata" in child) {
      for (const c of child["#cdata"] as RawNode[]) text += String(c["#text"] ?? "");
    } else {
      const childName = Object.keys(child).find((k) => k !== ":@");
      if (childName !== undefined) children.push(toElement(childName, child));
    }
  }
  return { name, attrs, children, text };
}

/**
 * Parses an XML document into its root element. Malformed text (or anything that is not
 * one well-formed element) throws ResponseParseError carrying the status code.
 */
export function parseXmlDocument(body: Uint8Array | string, statusCode: number): XmlElement {
  const text = (typeof body === "string" ? body : fromUtf8(body)).replace(/^\uFEFF/, "");
  const fail = (why: string, cause?: unknown): never => {
    throw new ResponseParseError(`response body is not valid XML (HTTP ${statusCode}): ${why}`, statusCode, { cause });
  };
  const valid = XMLValidator.validate(text);
  if (valid !== true) fail(valid.err.msg);
  let nodes: RawNode[];
  try {
    nodes = parser.parse(text) as RawNode[];
  } catch (cause) {
    return fail(cause instanceof Error ? cause.message : String(cause), cause);
  }
  const roots = nodes.filter((n) => !("#text" in n) && !("#cdata" in n));
  const root = roots[0];
  const name = root && Object.keys(root).find((k) => k !== ":@");
  if (roots.length !== 1 || root === undefined || name === undefined) return fail("expected exactly one root element");
  return toElement(name, root);
}

