// JMESPath parser: top-down operator precedence (Pratt), as the specification describes.
// Each token type has a binding power; `nud` parses a token that starts an expression,
// `led` one that continues the expression on its left while its power exceeds the
// caller's. Projections (`[*]`, `*`, `[]`, `[?...]`, slices) parse their right-hand side
// with `projectionRhs`, which stops at tokens binding weaker than PROJECTION_STOP, so
// `a[*].b | c` projects `.b` but pipes the whole projection into `c`. The AST is a plain
// discriminated union, shared by the interpreter and the generation-time compiler
// (codegen/jmespath.ts).
import { fail } from "./errors.js";
import { tokenize, type Token, type TokenType } from "./lexer.js";

export type Comparator = "==" | "!=" | "<" | "<=" | ">" | ">=";

export type Node =
  | { type: "field"; name: string }
  | { type: "current" }
  | { type: "literal"; value: unknown }
  | { type: "index"; index: number }
  | { type: "slice"; start: number | null; stop: number | null; step: number | null }
  /** `left` then `right` on its result (`a.b`, `a[0]`). */
  | { type: "sub"; left: Node; right: Node }
  /** List projection: `right` on each element of the array `left`, nulls dropped. */
  | { type: "project"; left: Node; right: Node }
  /** Object projection (`*`): `right` on each value of the object `left`. */
  | { type: "valueProject"; left: Node; right: Node }
  /** Filter projection: `right` on each element of `left` where `cond` is truthy. */
  | { type: "filter"; left: Node; right: Node; cond: Node }
  | { type: "flatten"; child: Node }
  | { type: "multiList"; items: Node[] }
  | { type: "multiHash"; entries: [string, Node][] }
  | { type: "or"; left: Node; right: Node }
  | { type: "and"; left: Node; right: Node }
  | { type: "not"; child: Node }
  | { type: "pipe"; left: Node; right: Node }
  | { type: "compare"; op: Comparator; left: Node; right: Node }
  | { type: "call"; name: string; args: Node[] }
  | { type: "expref"; child: Node };

const BP: Partial<Record<TokenType, number>> = {
  "|": 1,
  "||": 2,
  "&&": 3,
  "==": 5,
  "!=": 5,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "[]": 9,
  "*": 20,
  "[?": 21,
  ".": 40,
  "!": 45,
  "{": 50,
  "[": 55,
  "(": 60,
};
const PROJECTION_STOP = 10;
const CURRENT: Node = { type: "current" };

export function parse(expression: string): Node {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = (n = 0): Token => tokens[Math.min(pos + n, tokens.length - 1)]!;
  const bp = (t: Token) => BP[t.type] ?? 0;
  const unexpected = (t: Token): never =>
    fail(
      "syntax",
      `unexpected ${t.type === "eof" ? "end of expression" : `"${t.type}"`} at ${t.start} in ${JSON.stringify(expression)}`,
    );
  const match = (type: TokenType) => {
    if (peek().type !== type) unexpected(peek());
    pos++;
  };

  const expr = (rbp = 0): Node => {
    const token = peek();
    pos++;
    let left = nud(token);
    while (rbp < bp(peek())) {
      const t = peek();
      pos++;
      left = led(t, left);
    }
    return left;
  };

  const nud = (t: Token): Node => {
    switch (t.type) {
      case "lit":
        return { type: "literal", value: t.value };
      case "ident":
        return { type: "field", name: t.value as string };
      case "qident":
        if (peek().type === "(") fail("syntax", `quoted identifier cannot name a function at ${t.start}`);
        return { type: "field", name: t.value as string };
      case "*":
        return { type: "valueProject", left: CURRENT, right: peek().type === "]" ? CURRENT : projectionRhs(BP["*"]!) };
      case "[?":
        return filter(CURRENT);
      case "{":
        return multiHash();
      case "(": {
        const inner = expr();
        match(")");
        return inner;
      }
      case "[]":
        return { type: "project", left: { type: "flatten", child: CURRENT }, right: projectionRhs(BP["[]"]!) };
      case "!":
        return { type: "not", child: expr(BP["!"]) };
      case "@":
        return CURRENT;
      case "&":
        return { type: "expref", child: expr() };
      case "[":
        if (peek().type === "num" || peek().type === ":") return indexOrSlice(CURRENT);
        if (peek().type === "*" && peek(1).type === "]") {
          pos += 2;
          return { type: "project", left: CURRENT, right: projectionRhs(BP["*"]!) };
        }
        return multiList();
      default:
        return unexpected(t);
    }
  };

  const led = (t: Token, left: Node): Node => {
    switch (t.type) {
      case ".":
        if (peek().type === "*") {
          pos++;
          return { type: "valueProject", left, right: projectionRhs(BP["."]!) };
        }
        return { type: "sub", left, right: dotRhs(BP["."]!) };
      case "|":
        return { type: "pipe", left, right: expr(BP["|"]) };
      case "||":
        return { type: "or", left, right: expr(BP["||"]) };
      case "&&":
        return { type: "and", left, right: expr(BP["&&"]) };
      case "==":
      case "!=":
      case "<":
      case "<=":
      case ">":
      case ">=":
        return { type: "compare", op: t.type, left, right: expr(BP[t.type]) };
      case "[]":
        return { type: "project", left: { type: "flatten", child: left }, right: projectionRhs(BP["[]"]!) };
      case "[?":
        return filter(left);
      case "[":
        if (peek().type === "num" || peek().type === ":") return indexOrSlice(left);
        match("*");
        match("]");
        return { type: "project", left, right: projectionRhs(BP["*"]!) };
      case "(": {
        if (left.type !== "field") return unexpected(t);
        const args: Node[] = [];
        while (peek().type !== ")") {
          args.push(expr());
          if (peek().type === ",") {
            pos++;
            if (peek().type === ")") unexpected(peek());
          } else if (peek().type !== ")") unexpected(peek());
        }
        pos++;
        return { type: "call", name: left.name, args };
      }
      default:
        return unexpected(t);
    }
  };

  const filter = (left: Node): Node => {
    const cond = expr();
    match("]");
    const right = peek().type === "[]" ? CURRENT : projectionRhs(BP["[?"]!);
    return { type: "filter", left, right, cond };
  };

  // After `[` followed by a number or a colon: `[0]` or a slice (which projects).
  const indexOrSlice = (left: Node): Node => {
    if (peek(1).type !== ":" && peek().type !== ":") {
      const index = peek().value as number;
      pos++;
      match("]");
      return { type: "sub", left, right: { type: "index", index } };
    }
    const parts: (number | null)[] = [null, null, null];
    let n = 0;
    while (peek().type !== "]") {
      const t = peek();
      if (t.type === ":" && n < 2) n++;
      else if (t.type === "num" && parts[n] === null) parts[n] = t.value as number;
      else unexpected(t);
      pos++;
    }
    pos++;
    const [start, stop, step] = parts as [number | null, number | null, number | null];
    if (step === 0) fail("invalid-value", "slice step cannot be 0");
    return {
      type: "project",
      left: { type: "sub", left, right: { type: "slice", start, stop, step } },
      right: projectionRhs(BP["*"]!),
    };
  };

  const projectionRhs = (rbp: number): Node => {
    const t = peek();
    if (bp(t) < PROJECTION_STOP) return CURRENT;
    if (t.type === "[" || t.type === "[?") return expr(rbp);
    if (t.type === ".") {
      pos++;
      return dotRhs(rbp);
    }
    return unexpected(t);
  };

  const dotRhs = (rbp: number): Node => {
    const t = peek();
    if (t.type === "ident" || t.type === "qident" || t.type === "*") return expr(rbp);
    pos++;
    if (t.type === "[") return multiList();
    if (t.type === "{") return multiHash();
    return unexpected(t);
  };

  const multiList = (): Node => {
    const items: Node[] = [];
    for (;;) {
      items.push(expr());
      if (peek().type === "]") break;
      match(",");
    }
    pos++;
    return { type: "multiList", items };
  };

  const multiHash = (): Node => {
    const entries: [string, Node][] = [];
    for (;;) {
      const key = peek();
      if (key.type !== "ident" && key.type !== "qident") unexpected(key);
      pos++;
      match(":");
      entries.push([key.value as string, expr()]);
      if (peek().type === "}") break;
      match(",");
    }
    pos++;
    return { type: "multiHash", entries };
  };

  const ast = expr();
  if (peek().type !== "eof") unexpected(peek());
  return ast;
}
