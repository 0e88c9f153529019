// JMESPath -> TypeScript compiler for the generator: waiter acceptor `argument`s and
// paginator token/result paths become plain typed expressions, so generated code needs no
// JMESPath interpreter and tsc checks every path against the service's output types (a
// member that does not exist fails the build).
//
// The expression is parsed by the runtime parser (runtime/jmespath/parser.ts), and each AST
// node becomes a TypeScript expression over the code of its input:
//   field        `a.b`            -> `o.a?.b`   (`?.` everywhere below the root)
//   index        `a[0]`, `a[-1]`  -> `o.a?.[0]`, `o.a?.at(-1)`
//   slice        `a[1:3]`         -> `o.a?.slice(1, 3)` (step 1 only)
//   projection   `a[*].b`         -> `o.a?.map((e) => e?.b).filter((v) => v != null)`
//   flatten      `a[]`            -> `o.a?.flat()` (then projected like `[*]`)
//   object `*`   `a.*.b`          -> `Object.values` of the map, then as a projection
//   filter       `a[?b == 'x']`   -> `o.a?.filter((e) => e?.b === "x")` (+ map/filter when projected further)
//   comparisons, `&&`, `||`, `!`, multi-select lists/hashes, literals, `@`, pipes, and the
//   functions length, contains, starts_with, ends_with, not_null.
// JMESPath semantics are kept where they differ from JavaScript's: truthiness (0 is true,
// [] and {} are false) is emitted per operand kind; projections drop nulls; a missing value
// is `undefined` (JMESPath null); where JMESPath raises a type error (`length` of null,
// `contains` on null) the compiled code throws a TypeError too (a `!` assertion keeps tsc
// quiet, the property read fails at run time); the caller treats a throw as "no match".
// The compiled code assumes data of the declared types: where JMESPath returns null for a
// type mismatch (a field of a string, `[0]` of an object), tsc rejects the expression
// instead. Equality with a literal is `===`; between two computed operands both must be
// scalars, which a `satisfies` clause makes tsc check. Strings are measured in UTF-16 units.
// Unsupported constructs (other functions, `&expr`, slices with a step, comparing with
// list/object literals) throw JmesPathCompileError naming the construct.
import { parse, type Node } from "../runtime/jmespath/parser.ts";

export class JmesPathCompileError extends Error {
  override name = "JmesPathCompileError";
}

export interface CompileOptions {
  /** The expression must produce a list (pathAll / pathAny matchers); null becomes `[]`. */
  list?: boolean;
}

type Kind = "bool" | "num" | "str" | "list" | "null" | "any";

interface Code {
  ts: string;
  kind: Kind;
  /** Safe to use as an operand or as the object of a member access without parentheses. */
  atom: boolean;
  /** Known non-null (the root): members are read with `.` instead of `?.`. */
  nonNull?: boolean;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
/** A property-access chain: cheap and pure, so it may be repeated instead of bound. */
const CHAIN = /^[A-Za-z_$][\w$]*(\??\.[A-Za-z_$][\w$]*|(\?\.)?\[("(?:[^"\\]|\\.)*"|\d+)\])*$/;
const SUPPORTED_FUNCTIONS = ["length", "contains", "starts_with", "ends_with", "not_null"];
const SCALAR = "string | number | boolean | null | undefined";

const op = (ts: string, kind: Kind): Code => ({ ts, kind, atom: false });
const atom = (ts: string, kind: Kind): Code => ({ ts, kind, atom: true });
const paren = (c: Code): string => (c.atom ? c.ts : `(${c.ts})`);
/** An optional chain whose value, unless the chain short-circuited, is a list. */
const chain = (ts: string): Code => ({ ts, kind: "list", atom: true, nonNull: true });
const dot = (c: Code): string => (c.nonNull ? `${paren(c)}.` : `${paren(c)}?.`);

/**
 * Compiles `expression` to a TypeScript expression over the variable `root`, e.g.
 * `compileToTs("Table.TableStatus", "o")` is `o.Table?.TableStatus`. With `{ list: true }`
 * the expression must be a projection and the result is always an array.
 */
export function compileToTs(expression: string, root: string, options: CompileOptions = {}): string {
  if (!IDENT.test(root)) throw new JmesPathCompileError(`root ${JSON.stringify(root)} is not an identifier`);
  let ast: Node;
  try {
    ast = parse(expression);
  } catch (e) {
    throw new JmesPathCompileError(`cannot compile JMESPath ${JSON.stringify(expression)}: ${(e as Error).message}`);
  }
  const code = new Compiler(expression, root).emit(ast, { ts: root, kind: "any", atom: true, nonNull: true });
  if (!options.list) return code.ts;
  if (code.kind !== "list")
    throw new JmesPathCompileError(
      `JMESPath ${JSON.stringify(expression)} does not produce a list (a projection is needed)`,
    );
  return `${paren(code)} ?? []`;
}

class Compiler {
  private used = new Set<string>();

  constructor(
    private readonly expression: string,
    root: string,
  ) {
    this.used.add(root);
  }

  private unsupported(what: string): never {
    throw new JmesPathCompileError(
      `cannot compile JMESPath ${JSON.stringify(this.expression)}: ${what} is not supported`,
    );
  }

  /** A parameter name not used by any enclosing function. */
  private fresh(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }

  /** Builds code that uses `c` possibly several times: repeats a property chain, else binds it. */
  private bind(c: Code, body: (v: Code) => Code): Code {
    if (CHAIN.test(c.ts)) return body(c);
    const name = this.fresh("b");
    const inner = body({ ts: name, kind: c.kind, atom: true });
    return atom(`((${name}) => ${inner.ts})(${c.ts})`, inner.kind);
  }

  /** Runs `f` with a fresh parameter name, released afterwards (sibling functions reuse it). */
  private lambda(base: string, f: (param: string) => string): string {
    const name = this.fresh(base);
    try {
      return `(${name}) => ${f(name)}`;
    } finally {
      this.used.delete(name);
    }
  }

  /** JMESPath truthiness of `c` as a JavaScript boolean-valued expression. */
  private truthy(c: Code): Code {
    switch (c.kind) {
      case "bool":
        return c;
      case "null":
        return atom("false", "bool");
      case "num":
        return op(`${paren(c)} != null`, "bool");
      case "str":
        return op(`!!${paren(c)}`, "bool");
      case "list":
        return op(`!!${paren(c)}?.length`, "bool");
      case "any":
        return atom(
          `((t: unknown) => t != null && t !== false && t !== "" && (typeof t !== "object" || t instanceof Date || Object.keys(t).length > 0))(${c.ts})`,
          "bool",
        );
    }
  }

  /** `list` with nulls dropped after applying `right` to each element (a projection). */
  private project(list: Code, right: Node, keep?: Node): Code {
    let ts = `${dot(list)}`;
    if (keep) ts += `filter(${this.lambda("e", (e) => this.truthy(this.emit(keep, this.param(e))).ts)}).`;
    if (right.type !== "current") ts += `map(${this.lambda("e", (e) => this.emit(right, this.param(e)).ts)}).`;
    return chain(`${ts}filter((v) => v != null)`);
  }

  private param(name: string): Code {
    return { ts: name, kind: "any", atom: true };
  }

  emit(node: Node, input: Code): Code {
    switch (node.type) {
      case "current":
        return input;
      case "literal": {
        const v = node.value;
        if (v !== null && typeof v === "object") return atom(JSON.stringify(v), Array.isArray(v) ? "list" : "any");
        const kind: Kind = v === null ? "null" : typeof v === "number" ? "num" : typeof v === "string" ? "str" : "bool";
        return atom(JSON.stringify(v), kind);
      }
      case "field":
        if (IDENT.test(node.name)) return atom(`${dot(input)}${node.name}`, "any");
        return atom(`${paren(input)}${input.nonNull ? "" : "?."}[${JSON.stringify(node.name)}]`, "any");
      case "index":
        return atom(node.index >= 0 ? `${paren(input)}?.[${node.index}]` : `${dot(input)}at(${node.index})`, "any");
      case "slice": {
        if (node.step !== null && node.step !== 1) this.unsupported("a slice with a step");
        const args = node.stop === null ? `${node.start ?? 0}` : `${node.start ?? 0}, ${node.stop}`;
        return chain(`${dot(input)}slice(${args})`);
      }
      case "sub":
      case "pipe":
        return this.emit(node.right, this.emit(node.left, input));
      case "flatten":
        return chain(`${dot(this.emit(node.child, input))}flat()`);
      case "project":
        return this.project(this.emit(node.left, input), node.right);
      case "filter":
        return this.project(this.emit(node.left, input), node.right, node.cond);
      case "valueProject":
        return this.bind(this.emit(node.left, input), (m) =>
          op(
            `${m.ts} != null && typeof ${m.ts} === "object" && !Array.isArray(${m.ts}) ? ${this.project(chain(`Object.values(${m.ts})`), node.right).ts} : undefined`,
            "list",
          ),
        );
      case "multiList":
        return this.bind(input, (v) => {
          const list = `[${node.items.map((n) => this.emit(n, v).ts).join(", ")}]`;
          return input.nonNull ? chain(list) : op(`${v.ts} == null ? undefined : ${list}`, "list");
        });
      case "multiHash":
        return this.bind(input, (v) => {
          const hash = `{ ${node.entries.map(([k, n]) => `${JSON.stringify(k)}: ${this.emit(n, v).ts}`).join(", ")} }`;
          return input.nonNull ? atom(`(${hash})`, "any") : op(`${v.ts} == null ? undefined : ${hash}`, "any");
        });
      case "not":
        return op(`!${paren(this.truthy(this.emit(node.child, input)))}`, "bool");
      case "and":
      case "or": {
        const left = this.emit(node.left, input);
        const right = this.emit(node.right, input);
        const kind: Kind = left.kind === right.kind ? left.kind : "any";
        // JavaScript's && and || agree with JMESPath when the left operand is a boolean or a string.
        if (left.kind === "bool" || left.kind === "str" || left.kind === "null")
          return op(`${paren(left)} ${node.type === "and" ? "&&" : "||"} ${paren(right)}`, kind);
        return this.bind(left, (l) => {
          const t = paren(this.truthy(l));
          return op(
            node.type === "and" ? `${t} ? ${paren(right)} : ${l.ts}` : `${t} ? ${l.ts} : ${paren(right)}`,
            kind,
          );
        });
      }
      case "compare":
        return this.compare(node.op, this.emit(node.left, input), this.emit(node.right, input), node);
      case "call":
        return this.call(
          node.name,
          node.args.map((a) =>
            a.type === "expref" ? this.unsupported("an expression reference (&)") : this.emit(a, input),
          ),
        );
      case "expref":
        return this.unsupported("an expression reference (&)");
    }
  }

  private compare(operator: string, a: Code, b: Code, node: Node & { type: "compare" }): Code {
    const isLiteral = (n: Node) => n.type === "literal";
    if (operator === "==" || operator === "!=") {
      for (const c of [a, b])
        if (c.kind === "list" || (c.kind === "any" && c.ts.startsWith("{")))
          this.unsupported("comparing lists or objects");
      if (a.kind === "null" || b.kind === "null") {
        const other = a.kind === "null" ? b : a;
        return op(`${paren(other)} ${operator} null`, "bool");
      }
      const eq = operator === "==" ? "===" : "!==";
      if (isLiteral(node.left) || isLiteral(node.right)) return op(`${paren(a)} ${eq} ${paren(b)}`, "bool");
      if (a.kind !== "any" && b.kind !== "any") return op(`${paren(a)} ${eq} ${paren(b)}`, "bool");
      const side = (c: Code) => (c.kind === "any" ? `(((${c.ts}) satisfies ${SCALAR}) ?? null)` : paren(c));
      return op(`${side(a)} ${eq} ${side(b)}`, "bool");
    }
    // Ordering: numbers only, else null (undefined).
    if (a.kind === "num" && b.kind === "num") return op(`${paren(a)} ${operator} ${paren(b)}`, "bool");
    const x = this.fresh("x");
    const y = this.fresh("y");
    this.used.delete(x);
    this.used.delete(y);
    const checks = [
      a.kind === "num" ? "" : `typeof ${x} === "number"`,
      b.kind === "num" ? "" : `typeof ${y} === "number"`,
    ].filter(Boolean);
    return atom(
      `((${x}, ${y}) => ${checks.join(" && ")} ? ${x} ${operator} ${y} : undefined)(${a.ts}, ${b.ts})`,
      "bool",
    );
  }

  private call(name: string, args: Code[]): Code {
    if (!SUPPORTED_FUNCTIONS.includes(name))
      this.unsupported(`the function ${name}() (supported: ${SUPPORTED_FUNCTIONS.join(", ")})`);
    const arity = name === "length" ? 1 : name === "not_null" ? -1 : 2;
    if (arity >= 0 ? args.length !== arity : args.length === 0)
      throw new JmesPathCompileError(
        `cannot compile JMESPath ${JSON.stringify(this.expression)}: wrong number of arguments to ${name}()`,
      );
    const [a, b] = args as [Code, Code];
    switch (name) {
      case "length":
        return atom(`(${a.ts})!.length`, "num");
      case "contains":
        return atom(`(${a.ts})!.includes((${b.ts}) satisfies ${SCALAR})`, "bool");
      case "starts_with":
        return atom(`(${a.ts})!.startsWith((${b.ts})!)`, "bool");
      case "ends_with":
        return atom(`(${a.ts})!.endsWith((${b.ts})!)`, "bool");
      default: // not_null
        return op(
          args.map((c) => paren(c)).join(" ?? "),
          args.every((c) => c.kind === args[0]!.kind) ? args[0]!.kind : "any",
        );
    }
  }
}
