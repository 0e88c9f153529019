// JMESPath lexer: one left-to-right scan of the expression into tokens. Punctuation is
// matched greedily (`||` before `|`, `[?` and `[]` before `[`); quoted identifiers are
// JSON strings, raw strings `'...'` only unescape `\'`, and JSON literals `` `...` ``
// unescape `` \` `` and parse as JSON, falling back (as the reference implementation
// does) to the legacy form where an unquoted literal is read as a string. Token `start`
// offsets feed error messages.
import { fail } from "./errors.js";

export type TokenType =
  | "ident" // unquoted identifier
  | "qident" // quoted identifier
  | "lit" // JSON literal or raw string
  | "num"
  | "eof"
  | "."
  | "*"
  | "@"
  | "["
  | "]"
  | "{"
  | "}"
  | "("
  | ")"
  | ","
  | ":"
  | "|"
  | "||"
  | "&"
  | "&&"
  | "!"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "[?"
  | "[]";

export interface Token {
  type: TokenType;
  value?: unknown;
  start: number;
}

const SINGLE = ".*@]{}(),:";
// Two-character operators first, then their one-character prefixes ("=" alone is invalid).
const DOUBLE = ["||", "&&", "!=", "==", "<=", ">=", "[?", "[]"];
const PREFIX = "|&!<>[";

const isIdentStart = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isDigit = (c: string) => c >= "0" && c <= "9";

export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // Reads up to the closing `quote`, keeping escapes verbatim (the caller unescapes).
  const until = (quote: string): string => {
    const start = i++;
    let out = "";
    while (i < expr.length && expr[i] !== quote) {
      if (expr[i] === "\\" && i + 1 < expr.length) out += expr[i++];
      out += expr[i++];
    }
    if (i >= expr.length) fail("syntax", `unterminated ${quote} at ${start}`);
    i++;
    return out;
  };
  while (i < expr.length) {
    const c = expr[i]!;
    const start = i;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (isIdentStart(c)) {
      while (i < expr.length && (isIdentStart(expr[i]!) || isDigit(expr[i]!))) i++;
      tokens.push({ type: "ident", value: expr.slice(start, i), start });
    } else if (isDigit(c) || (c === "-" && isDigit(expr[i + 1] ?? ""))) {
      i++;
      while (i < expr.length && isDigit(expr[i]!)) i++;
      tokens.push({ type: "num", value: Number(expr.slice(start, i)), start });
    } else if (c === '"') {
      const body = until('"');
      let value: unknown;
      try {
        value = JSON.parse(`"${body}"`);
      } catch {
        fail("syntax", `invalid quoted identifier at ${start}`);
      }
      tokens.push({ type: "qident", value, start });
    } else if (c === "'") {
      tokens.push({ type: "lit", value: until("'").replace(/\\'/g, "'"), start });
    } else if (c === "`") {
      const body = until("`").replace(/\\`/g, "`");
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        try {
          value = JSON.parse(`"${body.trimStart()}"`); // legacy: `foo` means "foo"
        } catch {
          fail("syntax", `invalid JSON literal at ${start}`);
        }
      }
      tokens.push({ type: "lit", value, start });
    } else {
      const two = expr.slice(i, i + 2);
      if (DOUBLE.includes(two)) {
        tokens.push({ type: two as TokenType, start });
        i += 2;
      } else if (SINGLE.includes(c) || PREFIX.includes(c)) {
        tokens.push({ type: c as TokenType, start });
        i++;
      } else {
        fail("syntax", `unexpected character ${JSON.stringify(c)} at ${start}`);
      }
    }
  }
  tokens.push({ type: "eof", start: expr.length });
  return tokens;
}
