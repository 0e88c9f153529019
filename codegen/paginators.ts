// Emits a service's paginators (paginators-1.json) and, through emitHelpers, joins them with
// its waiters (waiters.ts) into the pieces emit.ts places in the service's files:
// - index.js: one spec constant per paginator (tokens and `more_results` compiled from
//   JMESPath to code at generation time; result and non-aggregate keys as member paths), a
//   standalone `paginateX(client, input, options)` export, and the full client's `paginate`;
// - index.d.ts: `<Cls>Paginators` (the type of `client.paginate`) and the standalone
//   functions, typed from the operation's Input/Output (items: the primary result key's element);
// - checks.ts (type-checked by `make typecheck`, never shipped): every path in its typed form
//   over the operation's types, so a path that does not fit the model fails the build. Output
//   tokens are assigned to the input token members, which also checks their types agree.
// A paginator the generator cannot express is not generated, and says why in a comment in
// index.js and index.d.ts; a token expression the JMESPath compiler does not support is kept
// as a string for the runtime interpreter (and noted the same way). Neither happens with the
// current models; codegen tests count both.
import { transformSync } from "esbuild";
import type { BotoShape, ServiceFiles } from "./model.ts";
import { compileToTs, JmesPathCompileError } from "./jmespath.ts";
import { jsdoc } from "./docs.ts";
import { emitWaiters } from "./waiters.ts";

/** An operation as emit.ts names it. */
export interface HelperOp {
  name: string;
  constName: string;
  method: string;
  /** The input has no required member (so the input argument is optional). */
  optional: boolean;
}

export interface HelperContext {
  files: ServiceFiles;
  /** The full client class name, e.g. "S3". */
  cls: string;
  ops: readonly HelperOp[];
  /** Converts a model name to a method name (emit.ts's methodName). */
  methodName: (name: string) => string;
}

/** What one kind of helper (paginators or waiters) contributes. */
export interface HelperPart {
  /** Module-level TypeScript for index.js (turned into JS by emitHelpers). */
  ts: string;
  /** Comments for index.js (kept out of the transformed code, which drops comments). */
  notes: string[];
  /** The full client's property, e.g. `paginate = $bindPaginators(this, $paginators);` (empty: none). */
  classJs: string;
  /** index.d.ts declarations and the full client's property declaration. */
  dts: string;
  classDts: string;
  /** checks.ts functions. */
  checks: string;
  /** Runtime imports: module -> [value names], [type names]. */
  imports: { module: string; values: string[]; types: string[] };
  /** How many the model has and how many were generated. */
  total: number;
  generated: number;
}

/**
 * What the paginator and waiter emitters start from: an empty part for `total` helpers that
 * import from the runtime `module`, the operations by name, the client variable of the doc
 * examples (`s3`, `dynamoDB`, `acm`), the collected members, entries and method names, and
 * `skip`, which records (as a note and a `// tsaws:` line) why a helper is not generated.
 */
export function startPart(ctx: HelperContext, kind: "paginator" | "waiter", module: string, total: number) {
  const part: HelperPart = { ts: "", notes: [], classJs: "", dts: "", classDts: "", checks: "", imports: { module, values: [], types: [] }, total, generated: 0 };
  const methods = new Set<string>();
  const skip = (name: string, why: string): void => {
    part.notes.push(`${kind} ${name} is not generated: ${why}`);
    part.dts += `// tsaws: ${kind} ${name} is not generated: ${why}\n`;
  };
  return {
    part,
    byName: new Map(ctx.ops.map((o) => [o.name, o])),
    v: exampleName(ctx.cls),
    members: [] as string[],
    entries: [] as string[],
    methods,
    skip,
    /** The helper's method name, or undefined (and skipped) when another helper has it. */
    claim(name: string): string | undefined {
      const method = ctx.methodName(name);
      if (methods.has(method)) {
        skip(name, `its method name ${method} is taken`);
        return undefined;
      }
      methods.add(method);
      return method;
    },
  };
}

/** Everything emit.ts needs from paginators and waiters. */
export interface Helpers {
  importsJs: string;
  importsDts: string;
  js: string;
  dts: string;
  classJs: string;
  classDts: string;
  /** checks.ts, or undefined when the service has neither paginators nor waiters. */
  checks: string | undefined;
  paginators: { total: number; generated: number };
  waiters: { total: number; generated: number };
  notes: string[];
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
export const prop = (k: string) => (IDENT.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/** Compiles a JMESPath expression for index.js (typed TS) or returns why it cannot. */
export function compileOrExplain(expression: string, root: string, list = false): { ts: string } | { error: string } {
  try {
    return { ts: compileToTs(expression, root, list ? { list: true } : {}) };
  } catch (e) {
    if (e instanceof JmesPathCompileError) return { error: e.message };
    throw e;
  }
}

/** `T.XOutput["A"]` then `NonNullable<...>["B"]`: the type at a member path, for d.ts files. */
export function typeAt(root: string, path: readonly string[]): string {
  let t = root;
  path.forEach((seg, n) => {
    t = n === 0 ? `${t}[${JSON.stringify(seg)}]` : `NonNullable<${t}>[${JSON.stringify(seg)}]`;
  });
  return t;
}

/** The shape a member path leads to, or undefined. */
export function shapeAt(shapes: Record<string, BotoShape>, start: string | undefined, path: readonly string[]): BotoShape | undefined {
  let name = start;
  for (const seg of path) {
    const s = name === undefined ? undefined : shapes[name];
    const m = s?.type === "structure" ? s.members?.[seg] : undefined;
    if (!m) return undefined;
    name = m.shape;
  }
  return name === undefined ? undefined : shapes[name];
}

interface BotoPaginator {
  input_token?: string | string[];
  output_token?: string | string[];
  limit_key?: string;
  result_key?: string | string[];
  more_results?: string;
  non_aggregate_keys?: string[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function emitPaginators(ctx: HelperContext): HelperPart {
  const { files, cls } = ctx;
  const shapes = files.service.shapes;
  const table = (files.paginators?.pagination ?? {}) as Record<string, BotoPaginator>;
  const start = startPart(ctx, "paginator", "#runtime/paginate", Object.keys(table).length);
  const { part, byName, v, members, entries, methods } = start;
  for (const name of Object.keys(table).sort()) {
    const p = table[name]!;
    const skip = (why: string): void => start.skip(name, why);
    const op = byName.get(name);
    const model = files.service.operations[name];
    if (!op || !model) {
      skip("the operation is not in the service model");
      continue;
    }
    const inputs = list(p.input_token);
    const outputs = list(p.output_token);
    const results = list(p.result_key);
    if (inputs.length === 0 || inputs.length !== outputs.length) {
      skip(`${inputs.length} input tokens for ${outputs.length} output tokens`);
      continue;
    }
    const inShape = model.input?.shape;
    const outShape = model.output?.shape;
    const missing = inputs.find((t) => !shapeAt(shapes, inShape, [t]));
    if (missing) {
      skip(`the input token ${missing} is not an input member`);
      continue;
    }
    if (p.limit_key && !shapeAt(shapes, inShape, [p.limit_key])) {
      skip(`the limit key ${p.limit_key} is not an input member`);
      continue;
    }
    const badKey = [...results, ...(p.non_aggregate_keys ?? [])].find((k) => !DOTTED.test(k) || !shapeAt(shapes, outShape, k.split(".")));
    if (results.length === 0 || badKey !== undefined) {
      skip(badKey === undefined ? "no result key" : `the ${results.includes(badKey) ? "result" : "non-aggregate"} key ${badKey} is not a member path of the output`);
      continue;
    }
    const method = start.claim(name);
    if (method === undefined) continue;

    // Output tokens and more_results: compiled, or kept for the interpreter.
    const typed: string[] = [];
    const tokens = outputs.map((expr) => {
      const c = compileOrExplain(expr, "p");
      if ("error" in c) part.notes.push(`paginator ${name}: output token ${JSON.stringify(expr)} runs in the JMESPath interpreter (${c.error})`);
      return c;
    });
    const tokenJs = tokens.every((c) => "ts" in c)
      ? `(p) => [${tokens.map((c) => (c as { ts: string }).ts).join(", ")}]`
      : `[${outputs.map((e) => JSON.stringify(e)).join(", ")}]`;
    tokens.forEach((c, n) => {
      // Output enums are open (`Known | (string & {})`), input enums closed: an enum token is cast,
      // which still rejects a token of another type.
      const closed = shapeAt(shapes, inShape, [inputs[n]!])?.enum ? ` as T.${name}Input[${JSON.stringify(inputs[n])}]` : "";
      if ("ts" in c) typed.push(`  i${prop(inputs[n]!)} = ${closed ? `(${c.ts})${closed}` : c.ts};`);
      else typed.push(`  // output token ${JSON.stringify(outputs[n])} is not compiled: ${c.error}`);
    });
    let moreJs: string | undefined;
    if (p.more_results) {
      const c = compileOrExplain(p.more_results, "p");
      if ("ts" in c) {
        moreJs = `(p) => ${c.ts}`;
        typed.push(`  void (${c.ts});`);
      } else {
        part.notes.push(`paginator ${name}: more_results ${JSON.stringify(p.more_results)} runs in the JMESPath interpreter (${c.error})`);
        moreJs = JSON.stringify(p.more_results);
        typed.push(`  // more_results ${JSON.stringify(p.more_results)} is not compiled: ${c.error}`);
      }
    }
    if (p.limit_key) {
      const limitShape = shapeAt(shapes, inShape, [p.limit_key])!;
      typed.push(`  i${prop(p.limit_key)} = ${limitShape.type === "string" ? '"1"' : "1"};`);
    }

    // Result keys: the primary one is the first list (else the first).
    const paths = results.map((k) => k.split("."));
    const kinds = paths.map((path) => kindOf(shapeAt(shapes, outShape, path)!));
    const primary = Math.max(0, kinds.indexOf("l"));
    const kind = kinds[primary]!;
    const page = `T.${name}Output`;
    const at = typeAt(page, paths[primary]!);
    const item = kind === "l" ? `NonNullable<${at}>[number]` : kind === "m" ? `[string, NonNullable<${at}>[string]]` : `NonNullable<${at}>`;
    [...results, ...(p.non_aggregate_keys ?? [])].forEach((k, n) => {
      const c = compileOrExplain(k, "p");
      if ("error" in c) typed.push(`  // ${JSON.stringify(k)} is not compiled: ${c.error}`);
      else if (n === primary && kind === "l") typed.push(`  const items: readonly (${item})[] | undefined = ${c.ts};`);
      else typed.push(`  void (${c.ts});`);
    });

    const fields = [
      `o: ${op.constName}`,
      `i: ${JSON.stringify(inputs)}`,
      `t: ${tokenJs}`,
      ...(p.limit_key ? [`l: ${JSON.stringify(p.limit_key)}`] : []),
      ...(p.limit_key && shapeAt(shapes, inShape, [p.limit_key])!.type === "string" ? ["ls: 1"] : []),
      `r: ${JSON.stringify(paths)}`,
      ...(primary ? [`p: ${primary}`] : []),
      ...(kind !== "l" ? [`k: ${JSON.stringify(kind)}`] : []),
      ...(moreJs ? [`m: ${moreJs}`] : []),
      ...(p.non_aggregate_keys?.length ? [`n: ${JSON.stringify(p.non_aggregate_keys.map((k) => k.split(".")))}`] : []),
    ];
    part.ts += `//!\nconst p_${name} = { ${fields.join(", ")} };\n`;
    part.ts += `export function paginate${name}(client, input, options) {\n  return $paginate(client, p_${name}, input, options);\n}\n`;
    entries.push(`${JSON.stringify(method)}: p_${name}`);

    const options = p.limit_key ? "PageSizeOptions" : "PaginateOptions";
    const input = `input${op.optional ? "?" : ""}: T.${name}Input`;
    const result = `Paginator<${page}, ${item}>`;
    const itemsDoc = kind === "l" ? `\`items()\` yields the elements of \`${results[primary]}\`` : kind === "m" ? `\`items()\` yields the [key, value] entries of \`${results[primary]}\`` : `\`items()\` yields \`${results[primary]}\` of each page`;
    const doc = [`Pages of {@link ${cls}.${op.method}}, requested until the last one; ${itemsDoc}.`];
    if (p.limit_key) doc.push(`\`pageSize\` sets \`${p.limit_key}\`.`);
    members.push(`${jsdoc(doc, "  ")}  ${method}(${input}, options?: ${options}): ${result};\n`);
    part.dts += `${jsdoc([...doc, "", `The standalone form of \`${v}.paginate.${method}\`, for the bare {@link ${cls}Client}.`])}`;
    part.dts += `export declare function paginate${name}(client: ${cls}Client, ${input}, options?: ${options}): ${result};\n`;
    part.checks += `export function paginate${name}(p: ${page}, i: T.${name}Input): void {\n${typed.join("\n")}\n}\n\n`;
    part.generated++;
    for (const t of [options, "Paginator"]) if (!part.imports.types.includes(t)) part.imports.types.push(t);
  }
  if (part.generated > 0) {
    part.imports.values.push("paginate as $paginate", "bindPaginators as $bindPaginators");
    part.ts += `//!\nconst $paginators = { ${entries.join(", ")} };\n`;
    part.classJs = `paginate = $bindPaginators(this, $paginators);\n`;
    part.dts = `/** The paginators of {@link ${cls}}, as \`${v}.paginate\`: \`for await (const page of ${v}.paginate.x(input))\`. */\nexport interface ${cls}Paginators {\n${members.join("")}}\n\n${part.dts}`;
    part.classDts = `  /** Paginators: \`for await (const page of ${v}.paginate.${[...methods][0]}(input, { pageSize }))\`, or \`.items()\`. */\n  readonly paginate: ${cls}Paginators;\n`;
  }
  return part;
}

/** A variable name for a client in doc examples: `s3`, `ec2`, `dynamoDB`, `apiGateway`. */
export function exampleName(cls: string): string {
  const run = /^[A-Z]+/.exec(cls)?.[0] ?? "";
  const rest = cls.slice(run.length);
  if (run.length > 1 && /^[a-z]/.test(rest)) return run.slice(0, -1).toLowerCase() + run.slice(-1) + rest;
  return run.toLowerCase() + rest;
}

function kindOf(shape: BotoShape): "l" | "m" | "s" | "o" {
  return shape.type === "list" ? "l" : shape.type === "map" ? "m" : shape.type === "string" ? "s" : "o";
}


/** Joins paginators and waiters into the pieces emit.ts places in index.js, index.d.ts and checks.ts. */
export function emitHelpers(ctx: HelperContext, header: string): Helpers {
  const parts = [emitPaginators(ctx), emitWaiters(ctx)];
  const [pag, wait] = parts as [HelperPart, HelperPart];
  const methodNames = new Set(ctx.ops.map((o) => o.method));
  for (const prop of ["paginate", "waitFor"]) {
    if (methodNames.has(prop)) throw new Error(`${ctx.files.name}: an operation's method is named ${prop}`);
  }
  for (const t of [`${ctx.cls}Paginators`, `${ctx.cls}Waiters`]) {
    if (ctx.files.service.shapes[t]) throw new Error(`${ctx.files.name}: a shape is named ${t}, which the client's helper types use`);
  }
  const notes = parts.flatMap((p) => p.notes);
  const ts = parts.map((p) => p.ts).join("");
  // esbuild strips the types of the compiled expressions; it drops blank lines and comments
  // except `//!` ones, so blank lines are written as `//!` and restored.
  const js = ts ? transformSync(ts, { loader: "ts", target: "es2022" }).code.replace(/^\/\/!$/gm, "") : "";
  const importsJs = parts
    .filter((p) => p.imports.values.length)
    .map((p) => `import { ${p.imports.values.join(", ")} } from "${p.imports.module}";\n`)
    .join("");
  const importsDts = parts
    .filter((p) => p.imports.types.length)
    .map((p) => `import type { ${p.imports.types.sort().join(", ")} } from "${p.imports.module}";\n`)
    .join("");
  const body = parts.map((p) => p.checks).join("");
  const checks =
    pag.total + wait.total === 0
      ? undefined
      : `${header}\n` +
        "// Type-check only (tsconfig.generated.json; not shipped, never run): the typed form of every\n" +
        "// JMESPath path the paginators and waiters of index.js compile, over the operation's types,\n" +
        "// so a path that does not fit the model fails `make typecheck`.\n" +
        `import type * as T from "./types.js";\n\n${body || "export {};\n"}`;
  return {
    importsJs,
    importsDts,
    js: `${notes.map((n) => `// tsaws: ${n}\n`).join("")}${js}`,
    dts: parts.map((p) => p.dts).join("\n"),
    classJs: parts.map((p) => p.classJs).join(""),
    classDts: parts.map((p) => p.classDts).join(""),
    checks,
    paginators: { total: pag.total, generated: pag.generated },
    waiters: { total: wait.total, generated: wait.generated },
    notes,
  };
}
