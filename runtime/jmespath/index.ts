// JMESPath for tsaws: `search(expression, data)` and `compile(expression)`, a complete
// implementation of the JMESPath specification (lexer -> Pratt parser -> AST ->
// interpreter, plus the built-in functions), checked against the JMESPath compliance
// suite. Failures throw JmesPathError with a `kind`. Parsed expressions are kept in a
// small cache (most recent 64), since callers tend to reuse a handful of expressions.
// The generated SDK never needs this module (waiters and paginators are compiled to
// TypeScript at generation time); it ships only to users who import it.
import { parse, type Node } from "./parser.js";
import { evaluate } from "./interpreter.js";

export { JmesPathError, type JmesPathErrorKind } from "./errors.js";
export type { Node as JmesPathNode } from "./parser.js";

export interface CompiledExpression {
  search(data: unknown): unknown;
}

const CACHE_SIZE = 64;
const cache = new Map<string, Node>();

function parseCached(expression: string): Node {
  let ast = cache.get(expression);
  if (ast) {
    cache.delete(expression); // refresh its position (Map keeps insertion order)
  } else {
    ast = parse(expression);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(expression, ast);
  return ast;
}

/** Parses `expression` once (throws JmesPathError "syntax" when malformed). */
export function compile(expression: string): CompiledExpression {
  const ast = parseCached(expression);
  return { search: (data) => evaluate(ast, data) ?? null };
}

/** Evaluates `expression` against `data`. */
export function search(expression: string, data: unknown): unknown {
  return evaluate(parseCached(expression), data) ?? null;
}
