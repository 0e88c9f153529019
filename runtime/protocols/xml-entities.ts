// XML entity decoding for the two places that read XML text as written: the fast-xml-parser
// tokenizer (xml-parser.ts, which turns entity processing off so nothing can expand) and the
// credential providers' minimal STS reader (credentials/sts.ts). A module of its own, so that
// neither pulls the other in, and a browser page (which reads XML with DOMParser) carries none.

const XML_PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * Decodes XML's five predefined entities and `&#...;` character references in text; any
 * other `&name;` (and a reference beyond U+10FFFF) is left as written, never expanded.
 */
export function decodeXmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return XML_PREDEFINED[ref] ?? whole;
  });
}
