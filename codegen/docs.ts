// Model documentation (AWS's HTML subset) to short Markdown for JSDoc. A tiny tag-stream
// converter, not an HTML parser: the models use a small, regular subset (p, code, a, ul/ol/li,
// b/i/strong/em, note, important, dl/dt/dd, br), and anything else is dropped to its text.

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Converts model HTML documentation to Markdown lines (no comment markers). */
export function htmlToMarkdown(html: string | undefined): string[] {
  if (!html) return [];
  let out = "";
  const lists: string[] = [];
  let href: string | undefined;
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    const [, close, rawTag, attrs, text, lt] = m;
    if (text !== undefined || lt !== undefined) {
      out += decodeEntities((text ?? lt ?? "").replace(/\s+/g, " "));
      continue;
    }
    const tag = rawTag!.toLowerCase();
    const closing = close === "/";
    switch (tag) {
      case "p":
      case "div":
      case "dl":
        // A paragraph right after a list marker continues the item.
        if (!/\n *- *$/.test(out)) out += "\n\n";
        break;
      case "br":
        out += "\n";
        break;
      case "code":
        out += "`";
        break;
      case "b":
      case "strong":
        out += "**";
        break;
      case "i":
      case "em":
        out += "_";
        break;
      case "note":
      case "important":
        out += closing ? "\n\n" : `\n\n**${tag === "note" ? "Note" : "Important"}:** `;
        break;
      case "ul":
      case "ol":
        if (closing) lists.pop();
        else lists.push(tag);
        out += "\n";
        break;
      case "li":
        if (!closing) out += `\n${"  ".repeat(Math.max(0, lists.length - 1))}- `;
        break;
      case "dt":
        if (!closing) out += "\n- **";
        else out += "**";
        break;
      case "dd":
        if (!closing) out += ": ";
        break;
      case "a":
        if (!closing) {
          const h = /href\s*=\s*"([^"]*)"/i.exec(attrs ?? "");
          href = h?.[1];
          out += "[";
        } else {
          out += href ? `](${href})` : "]";
          href = undefined;
        }
        break;
      default:
        break; // other tags: keep text only
    }
  }
  // Tidy: trim each line, collapse blank runs, drop empty emphasis/code pairs.
  const lines = out
    .replace(/``/g, "")
    .replace(/\*\*\*\*/g, "")
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/g, "").replace(/^ (?=\S)/, ""));
  const result: string[] = [];
  const isItem = (l: string | undefined) => l !== undefined && /^\s*- /.test(l);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^(\s*)-\s+/, "$1- ");
    if (line.trim() === "" && (result.length === 0 || result[result.length - 1] === "")) continue;
    // No blank line between two items of one list.
    if (line.trim() === "" && isItem(result[result.length - 1]) && isItem(lines.slice(i + 1).find((l) => l.trim() !== ""))) continue;
    result.push(isItem(line) ? line : line.trim());
  }
  while (result.length && result[result.length - 1] === "") result.pop();
  return result;
}

/** A JSDoc block at the given indent, or "" when there is nothing to say. */
export function jsdoc(lines: readonly string[], indent = ""): string {
  const safe = lines.map((l) => l.replace(/\*\//g, "*\\/"));
  if (safe.length === 0) return "";
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`;
  return `${indent}/**\n${safe.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join("\n")}\n${indent} */\n`;
}
