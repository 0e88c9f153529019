// The page of test/browser/xml-parser.test.ts: the browser's XML tokenizer
// (runtime/protocols/xml-parser-dom.ts, DOMParser) run over a list of documents.
import { parseXmlDocument } from "../../runtime/protocols/xml-parser-dom.ts";
import { parseXmlDocument as parseWithFastXmlParser } from "../../runtime/protocols/xml-parser.ts";
import type { XmlOutcome } from "./xml-parser.test.ts";

/** Each outcome as JSON text: deep trees are more than the page bridge serialises. */
function parseAll(bodies: string[]): string[] {
  return bodies.map((body) => {
    let outcome: XmlOutcome;
    try {
      outcome = { tree: parseXmlDocument(body, 200) };
    } catch (e) {
      outcome = { error: (e as Error).name };
    }
    return JSON.stringify(outcome);
  });
}

(globalThis as unknown as { parseAll: typeof parseAll }).parseAll = parseAll;
/** Which tokenizer the browser module chose: DOMParser, or its fallback where there is none. */
(globalThis as unknown as { xmlEngine: string }).xmlEngine = parseXmlDocument === parseWithFastXmlParser ? "fast-xml-parser" : "DOMParser";
