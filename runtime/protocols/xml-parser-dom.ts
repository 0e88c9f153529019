// The XML tokenizer of xml.ts for browsers: the platform's own DOMParser instead of
// fast-xml-parser, so a browser page loads no XML library at all (package.json
// `#xml-parser`, "browser" condition; Node and the "worker" condition of edge runtimes, which
// have no DOMParser, get xml-parser.ts). Where a browser build runs without DOMParser (a web
// worker or service worker), this module loads xml-parser.ts instead, once, when it is first
// imported: a lazily loaded chunk that a page never fetches. Same contract and same results
// as xml-parser.ts, checked element by element in Chromium against it over every XML body of
// the conformance suites (test/browser/xml-parser.test.ts):
// - no DOCTYPE is ever given to the parser (it is cut out before parsing), and a named
//   entity other than the five predefined ones stays literal text (`&z;`), exactly as
//   xml-parser.ts leaves it: nothing can expand;
// - CDATA is verbatim, comments and processing instructions are dropped, an element's
//   text is its text and CDATA children concatenated; names keep their prefixes;
// - malformed text (the parser's `parsererror` document), elements nested more than 100
//   deep below the root (fast-xml-parser's `maxNestedTags`), or an element or attribute name that is a JavaScript prototype key is a
//   ResponseParseError carrying the status code.
import { fromUtf8 } from "../encoding.js";
import { ResponseParseError } from "../errors.js";
import type { XmlElement } from "./xml.js";

const RESERVED = new Set(["__proto__", "constructor", "prototype"]);
const MAX_DEPTH = 100;
// CDATA and comments are skipped as they are; a DOCTYPE (with its internal subset) is cut;
// a named reference that is not one of the five predefined ones is escaped so that it reads
// back literally.
const LEXICAL =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>|&(?!(?:lt|gt|amp|quot|apos);)([A-Za-z_][\w.-]*);/g;

function neutralise(text: string): string {
  return text.replace(LEXICAL, (whole, name: string | undefined) =>
    name !== undefined ? `&amp;${name};` : whole.startsWith("<!D") ? "" : whole,
  );
}

/**
 * Parses an XML document into its root element. Malformed text (or anything that is not
 * one well-formed element) throws ResponseParseError carrying the status code.
 */
export const parseXmlDocument: (body: Uint8Array | string, statusCode: number) => XmlElement =
  typeof DOMParser === "function" ? parseWithDom : (await import("./xml-parser.js")).parseXmlDocument;

function parseWithDom(body: Uint8Array | string, statusCode: number): XmlElement {
  const text = (typeof body === "string" ? body : fromUtf8(body)).replace(/^\uFEFF/, "");
  const fail = (why: string): never => {
    throw new ResponseParseError(`response body is not valid XML (HTTP ${statusCode}): ${why}`, statusCode);
  };
  // Element and attribute names that are JavaScript prototype keys are refused.
  const checkName = (what: string, name: string): void => {
    if (RESERVED.has(name)) fail(`invalid ${what} name ${name}`);
  };
  const doc = new DOMParser().parseFromString(neutralise(text), "application/xml");
  const root = doc.documentElement;
  // Chromium and WebKit put a <parsererror> into the document; Firefox makes it the root.
  const error = root?.localName === "parsererror" ? root : doc.getElementsByTagName("parsererror")[0];
  if (!root || error) return fail((error?.textContent ?? "not XML").trim().split("\n")[0]!.slice(0, 200));

  const toElement = (el: Element, depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail(`more than ${MAX_DEPTH} levels of nested elements`);
    checkName("element", el.tagName);
    const attrs: Record<string, string> = {};
    for (const a of Array.from(el.attributes)) {
      checkName("attribute", a.name);
      attrs[a.name] = a.value;
    }
    const children: XmlElement[] = [];
    let own = "";
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1) children.push(toElement(n as Element, depth + 1));
      else if (n.nodeType === 3 || n.nodeType === 4) own += (n as CharacterData).data;
    }
    return { name: el.tagName, attrs, children, text: own };
  };
  return toElement(root, 0);
}
