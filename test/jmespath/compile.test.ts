// The generation-time JMESPath compiler (codegen/jmespath.ts), checked against the runtime
// engine. Every waiter acceptor `argument` and every paginator path (input_token,
// output_token, result_key, more_results, non_aggregate_keys) in models/ is compiled; the
// emitted TypeScript is stripped of types with esbuild, turned into a function, and run on
// synthetic data built from the operation's output (input, for input_token) shape: one
// with every member missing, one with every list/map empty, and random ones (seeded) whose
// strings come from the expression's literals and the shapes' enums, so comparisons and
// filters take both branches. The compiled result must equal `search`'s (undefined reads
// as null; for pathAll/pathAny the compiled list must equal the runtime list, or [] when
// that is not a list), or both must throw. Hand-written cases cover what the models do not
// use (JMESPath truthiness of 0, [] and {}, multi-selects, slices, ordering) and the errors
// for unsupported constructs; their data, like the model samples, fits the types the
// expression implies (type mismatches are tsc's job: the compiler documents that). A
// second test writes every compiled model expression as a typed function over
// generated/<service>/types.d.ts and runs tsc on it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { transformSync } from "esbuild";
import { JmesPathCompileError, compileToTs } from "../../codegen/jmespath.js";
import { listServices, loadService, type BotoShape } from "../../codegen/model.js";
import { search } from "../../runtime/jmespath/index.js";
import { parse, type Node } from "../../runtime/jmespath/parser.js";
import { mulberry32 as rng } from "../support/prng.ts";

interface ModelExpression {
  service: string;
  operation: string;
  /** "waiter <name>" or "paginator <field>". */
  where: string;
  expression: string;
  list: boolean;
  shape: string | undefined;
}

const PAGINATOR_FIELDS = ["input_token", "output_token", "result_key", "more_results", "non_aggregate_keys"] as const;

function collect(): { expressions: ModelExpression[]; shapes: Map<string, Record<string, BotoShape>> } {
  const expressions: ModelExpression[] = [];
  const shapes = new Map<string, Record<string, BotoShape>>();
  for (const name of listServices()) {
    const files = loadService(name);
    shapes.set(name, files.service.shapes as Record<string, BotoShape>);
    const ops = files.service.operations as Record<string, { input?: { shape: string }; output?: { shape: string } }>;
    const waiters = (files.waiters?.waiters ?? {}) as Record<
      string,
      { operation: string; acceptors: { matcher: string; argument?: string }[] }
    >;
    for (const [wname, w] of Object.entries(waiters))
      for (const a of w.acceptors)
        if (a.argument !== undefined)
          expressions.push({
            service: name,
            operation: w.operation,
            where: `waiter ${wname} (${a.matcher})`,
            expression: a.argument,
            list: a.matcher === "pathAll" || a.matcher === "pathAny",
            shape: ops[w.operation]?.output?.shape,
          });
    const pages = (files.paginators?.pagination ?? {}) as Record<
      string,
      Partial<Record<(typeof PAGINATOR_FIELDS)[number], string | string[]>>
    >;
    for (const [op, p] of Object.entries(pages))
      for (const field of PAGINATOR_FIELDS)
        for (const expression of [p[field] ?? []].flat())
          expressions.push({
            service: name,
            operation: op,
            where: `paginator ${field}`,
            expression,
            list: false,
            shape: field === "input_token" ? ops[op]?.input?.shape : ops[op]?.output?.shape,
          });
  }
  return { expressions, shapes };
}


function stringLiterals(node: Node, out: string[] = []): string[] {
  if (node.type === "literal" && typeof node.value === "string") out.push(node.value);
  for (const v of Object.values(node)) {
    if (Array.isArray(v))
      for (const x of v) if (x && typeof x === "object") stringLiterals((Array.isArray(x) ? x[1] : x) as Node, out);
    if (v && typeof v === "object" && "type" in v) stringLiterals(v as Node, out);
  }
  return out;
}

type Mode = "missing" | "empty" | "random";

/** A value of `shapeName` (`undefined` for an omitted member). */
function sample(
  shapes: Record<string, BotoShape>,
  shapeName: string,
  mode: Mode,
  random: () => number,
  strings: string[],
  depth = 0,
): unknown {
  const shape = shapes[shapeName];
  if (!shape) return undefined;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      if (depth > 7) return out;
      for (const [m, ref] of Object.entries(shape.members ?? {})) {
        if (mode === "missing" && depth === 0) continue;
        if (mode === "random" && random() < 0.25) continue;
        const v = sample(shapes, ref.shape, mode, random, strings, depth + 1);
        if (v !== undefined) out[m] = v;
      }
      return out;
    }
    case "list": {
      if (mode !== "random" || depth > 7) return [];
      const n = pick([0, 1, 1, 2, 3]);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const v = sample(shapes, shape.member!.shape, mode, random, strings, depth + 1);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    case "map": {
      if (mode !== "random" || depth > 7) return {};
      const out: Record<string, unknown> = {};
      for (let i = pick([0, 1, 2]); i > 0; i--) {
        const v = sample(shapes, shape.value!.shape, mode, random, strings, depth + 1);
        if (v !== undefined) out[`k${i}`] = v;
      }
      return out;
    }
    case "string":
      return mode === "empty" ? "" : pick([...strings, ...(shape.enum ?? []), "", "other"]);
    case "boolean":
      return random() < 0.5;
    case "integer":
    case "long":
    case "short":
    case "byte":
    case "float":
    case "double":
    case "bigInteger":
    case "bigDecimal":
      return pick([0, 1, 1, 2]);
    case "timestamp":
      return new Date(Date.UTC(2024, 0, 1 + pick([0, 1])));
    case "blob":
      return new Uint8Array(pick([0, 2]));
    default:
      return undefined; // documents: never reached by the model paths
  }
}

/** Evaluates emitted TypeScript expressions as functions of `o` (one esbuild call for all). */
function toFunctions(sources: string[]): ((o: unknown) => unknown)[] {
  const js = transformSync(`return [\n${sources.map((ts) => `(o) => (${ts}),\n`).join("")}];`, { loader: "ts" }).code;
  return new Function(js)() as ((o: unknown) => unknown)[];
}
const toFunction = (ts: string) => toFunctions([ts])[0]!;

/** Equality after reading undefined as null. */
function same(a: unknown, b: unknown): boolean {
  a ??= null;
  b ??= null;
  if (a === b) return true;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Uint8Array) return b instanceof Uint8Array && a.join() === b.join();
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

type Outcome = { value: unknown } | { threw: string };
const run = (f: () => unknown): Outcome => {
  try {
    return { value: f() };
  } catch (e) {
    return { threw: String(e) };
  }
};

/** Compares compiled and runtime evaluation on `data`; null when they agree. */
function compare(fn: (o: unknown) => unknown, expression: string, list: boolean, data: unknown): string | null {
  const want = run(() => {
    const v = search(expression, data);
    return list && !Array.isArray(v) ? [] : v;
  });
  const got = run(() => fn(data));
  if ("threw" in want || "threw" in got)
    return "threw" in want && "threw" in got
      ? null
      : `runtime ${JSON.stringify(want)}, compiled ${JSON.stringify(got)}`;
  if (list && !Array.isArray(got.value)) return `compiled list mode gave a non-list ${JSON.stringify(got.value)}`;
  return same(got.value, want.value)
    ? null
    : `runtime ${JSON.stringify(want.value)}, compiled ${JSON.stringify(got.value)}`;
}

const { expressions, shapes } = collect();
const summary = {
  expressions: expressions.length,
  unique: 0,
  compiled: 0,
  failed: [] as string[],
  samples: 0,
  threwBoth: 0,
  varied: 0,
  constant: [] as string[],
};

test("model expressions compile and agree with the runtime engine", () => {
  const mismatches: string[] = [];
  const distinct = new Map<string, { e: ModelExpression; ts: string }>();
  for (const e of expressions) {
    try {
      const ts = compileToTs(e.expression, "o", { list: e.list });
      summary.compiled++;
      distinct.set(`${e.service}:${e.shape}:${e.list}:${e.expression}`, { e, ts });
    } catch (err) {
      summary.failed.push(
        `${e.service} ${e.operation} ${e.where}: ${JSON.stringify(e.expression)}: ${(err as Error).message}`,
      );
    }
  }
  summary.unique = distinct.size;
  const entries = [...distinct.values()];
  const fns = toFunctions(entries.map((x) => x.ts));
  entries.forEach(({ e, ts }, n) => {
    const fn = fns[n]!;
    const strings = [...new Set(stringLiterals(parse(e.expression)))];
    const svcShapes = shapes.get(e.service)!;
    const random = rng(n + 1);
    const inputs: unknown[] = [{}];
    if (e.shape) {
      inputs.push(
        sample(svcShapes, e.shape, "missing", random, strings),
        sample(svcShapes, e.shape, "empty", random, strings),
      );
      for (let i = 0; i < 6; i++) inputs.push(sample(svcShapes, e.shape, "random", random, strings));
    }
    const outcomes = new Set<string>();
    for (const data of inputs) {
      summary.samples++;
      const want = run(() => search(e.expression, data));
      if ("threw" in want) summary.threwBoth++;
      outcomes.add(JSON.stringify(want));
      const problem = compare(fn, e.expression, e.list, data);
      if (problem)
        mismatches.push(
          `${e.service} ${e.operation} ${e.where}: ${JSON.stringify(e.expression)} -> ${ts}\n    on ${JSON.stringify(data)}: ${problem}`,
        );
    }
    if (outcomes.size > 1) summary.varied++;
    else summary.constant.push(`${e.service} ${e.operation} ${e.expression} -> ${[...outcomes][0]}`);
  });
  assert.ok(expressions.length > 10000, `only ${expressions.length} model expressions found`);
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches`);
  assert.deepEqual(summary.failed, [], "every model expression compiles");
});

const ROOT = new URL("../..", import.meta.url).pathname;

test("compiled model expressions type-check against the generated service types", () => {
  // One file: a typed function per expression over generated/<service>/types.d.ts, with the
  // operation's Output (Input for input_token) as the root's type; list mode must give an
  // array. One deliberately wrong path at the end must be the only error (so the check bites).
  const lines: string[] = [];
  const imports = new Set<string>();
  let n = 0;
  for (const e of expressions) {
    if (!e.shape) continue;
    const alias = `S_${e.service.replace(/\W/g, "_")}`;
    const types = join(ROOT, "generated", e.service, "types.d.ts");
    if (!imports.has(alias)) {
      assert.ok(existsSync(types), `${types} is missing: run make generate`);
      imports.add(alias);
      lines.unshift(`import type * as ${alias} from ${JSON.stringify(types.replace(/\.d\.ts$/, ".js"))};`);
    }
    const type = `${alias}.${e.operation}${e.where === "paginator input_token" ? "Input" : "Output"}`;
    lines.push(
      `export const f${n++} = (o: ${type})${e.list ? ": readonly unknown[]" : ""} => ${compileToTs(e.expression, "o", { list: e.list })};`,
    );
  }
  lines.push(
    `export const wrong = (o: S_ec2.DescribeInstancesOutput) => ${compileToTs("Reservations[].Instances[].NoSuchMember", "o")};`,
  );
  const dir = mkdtempSync(join(tmpdir(), "tsaws-jmespath-"));
  try {
    writeFileSync(join(dir, "paths.ts"), lines.join("\n") + "\n");
    const compilerOptions = {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2022"],
      types: [],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["paths.ts"] }));
    const r = spawnSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
    const errors = r.stdout.split("\n").filter((l) => l.includes("error TS"));
    assert.equal(errors.length, 1, errors.slice(0, 20).join("\n") + r.stderr);
    assert.match(errors[0]!, new RegExp(`paths\\.ts\\(${lines.length},.*Property 'NoSuchMember' does not exist`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Hand-written expressions and data for what the models do not exercise.
const HAND: [string, unknown[]][] = [
  ["a || b", [{ a: 0, b: 1 }, { a: [], b: 1 }, { a: {}, b: 2 }, { a: "", b: 3 }, { a: false, b: 4 }, { a: "x" }, {}]],
  ["a && b", [{ a: 0, b: 1 }, { a: [], b: 1 }, { a: {}, b: 2 }, { a: "x", b: 3 }, {}]],
  ["!a", [{ a: 0 }, { a: [] }, { a: {} }, { a: "" }, { a: [1] }, { a: { k: 1 } }, {}]],
  [
    "a[?b].c",
    [{ a: [{ b: 0, c: 1 }, { b: [], c: 2 }, { b: {}, c: 3 }, { b: true }, { b: "s", c: 5 }] }, { a: [] }, {}],
  ],
  ["a[?b == c]", [{ a: [{ b: 1, c: 1 }, { b: 1, c: 2 }, {}, { b: "x", c: "x" }] }, {}]],
  ["a[?b > `1`].b", [{ a: [{ b: 1 }, { b: 2 }, { b: "3" }, {}] }]],
  [
    "a[?b < c]",
    [
      {
        a: [
          { b: 1, c: 2 },
          { b: 2, c: 1 },
          { b: "a", c: "b" },
        ],
      },
    ],
  ],
  ["a[?b != null]", [{ a: [{ b: 1 }, {}, { b: null }] }]],
  ["a[*].b[*].c", [{ a: [{ b: [{ c: 1 }, {}] }, { b: [] }, {}] }, { a: [] }, {}]],
  ["a[].b", [{ a: [[{ b: 1 }], { b: 2 }, [{ b: 3 }, {}]] }, {}]],
  ["a[]", [{ a: [[1, null], 2, [[3]]] }, {}]],
  ["a.*.b", [{ a: { x: { b: 1 }, y: {}, z: { b: 2 } } }, { a: {} }, {}]],
  ["a[1:3]", [{ a: [1, 2, 3, 4] }, { a: [] }, {}]],
  ["a[-2:].x", [{ a: [{ x: 1 }, { x: 2 }, { x: 3 }] }]],
  ["a[0].b", [{ a: [{ b: 1 }] }, { a: [] }, {}]],
  ["a[-1]", [{ a: [1, 2] }, { a: [] }]],
  ["[a, b.c]", [{ a: 1, b: { c: 2 } }, {}]],
  ["a[*].[b, c]", [{ a: [{ b: 1 }, { c: 2 }] }]],
  ["a[*].{x: b, y: c}", [{ a: [{ b: 1 }, { c: 2 }] }]],
  ["a | b", [{ a: { b: 1 } }, {}]],
  ["a[*].b | [0]", [{ a: [{ b: 1 }, { b: 2 }] }, {}]],
  ["length(a)", [{ a: [1, 2] }, { a: "abc" }, {}]],
  ["length(a[?b])", [{ a: [{ b: true }, { b: false }] }, {}]],
  ["contains(a, 'x')", [{ a: ["x", "y"] }, { a: ["y"] }, { a: "axb" }, {}]],
  ["starts_with(a, 'x')", [{ a: "xy" }, { a: "yx" }, {}]],
  ["ends_with(a, 'x')", [{ a: "yx" }, { a: "xy" }]],
  ["not_null(a, b, `3`)", [{ a: 1 }, { b: 2 }, {}]],
  ["a == `null`", [{ a: 1 }, {}]],
  ["a != 'x'", [{ a: "x" }, { a: "y" }, {}]],
  ["a == `true`", [{ a: true }, { a: false }, {}]],
  ["`1` < `2`", [{}]],
  ['"with space".b', [{ "with space": { b: 1 } }, {}]],
  ['a."x-y"', [{ a: { "x-y": 1 } }, {}]],
  ["`[1, 2]`", [{}]],
  ["@", [{ a: 1 }]],
  ["a", [{ a: new Date(0) }, { a: new Uint8Array([1]) }]],
];

test("hand-written expressions agree with the runtime engine", () => {
  const mismatches: string[] = [];
  for (const [expression, inputs] of HAND) {
    const fn = toFunction(compileToTs(expression, "o"));
    for (const data of inputs) {
      const problem = compare(fn, expression, false, data);
      if (problem) mismatches.push(`${expression} on ${JSON.stringify(data)}: ${problem}`);
    }
  }
  assert.deepEqual(mismatches, []);
});

test("emitted code for typical paths", () => {
  assert.equal(compileToTs("Table.TableStatus", "o"), "o.Table?.TableStatus");
  assert.equal(
    compileToTs("Reservations[].Instances[].State.Name", "o", { list: true }),
    "o.Reservations?.flat().map((e) => e?.Instances).filter((v) => v != null).flat().map((e) => e?.State?.Name).filter((v) => v != null) ?? []",
  );
  assert.equal(compileToTs("length(Items) > `0`", "out"), "(out.Items)!.length > 0");
  assert.equal(compileToTs("a[?b == 'x']", "o"), 'o.a?.filter((e) => e?.b === "x").filter((v) => v != null)');
});

test("list mode yields a list", () => {
  const fn = toFunction(compileToTs("a[].b", "o", { list: true }));
  assert.deepEqual(fn({}), []);
  assert.deepEqual(fn({ a: [{ b: 1 }] }), [1]);
  assert.throws(() => compileToTs("a.b", "o", { list: true }), JmesPathCompileError);
});

test("unsupported constructs throw JmesPathCompileError", () => {
  for (const expression of ["sort_by(a, &b)", "a[::2]", "a == `[1]`", "a[*] == b", "abs(a)", "a.[", "length(a, b)"])
    assert.throws(() => compileToTs(expression, "o"), JmesPathCompileError, expression);
  assert.throws(() => compileToTs("a", "not an identifier"), JmesPathCompileError);
});

after(() => {
  console.log(
    `jmespath compile: ${summary.compiled}/${summary.expressions} model expressions compiled (${summary.unique} distinct per shape), ` +
      `${summary.failed.length} not compiled; ${summary.samples} samples compared (${summary.threwBoth} where both throw); ` +
      `${summary.varied}/${summary.unique} expressions saw at least two different results`,
  );
  for (const f of summary.failed) console.log(`  not compiled: ${f}`);
  for (const c of summary.constant) console.log(`  same result on every sample: ${c}`);
});
