// The Node prebundle (`make build`, after tsc; `make generate` refreshes it): dist/runtime/*.js
// (tsc's output) and generated/<service>/ relinked by esbuild into dist/node/, which package.json's
// `node` conditions point at. Cold start on Node is dominated by the ESM loader's per-module cost
// (resolve, read, compile, link: roughly half a millisecond to a millisecond a module) and by
// compiling source text; the runtime is ~80 small modules and a service imported 5 package
// specifiers, so `import("tsaws/dynamodb")` used to load ~36 files. Now it loads two. Browsers,
// workers and the default condition keep generated/ and dist/runtime/ as they are (an
// application's bundler tree-shakes those).
//
// Layout (every runtime module is in exactly one output file, so one process never holds two
// copies of a class or a cache, whichever subpath imported it):
//   client.js   the core: one file with everything CORE_FILES' first entries reach through
//               static imports (the client, paginators, waiters, the JSON and REST-JSON
//               protocols: all that 402 of the 429 services need) and the partitions table.
//               `#runtime/client`, `#runtime/paginate`, `#runtime/waiter` and
//               `#runtime/eventstream-stage` resolve to it directly; it also exports each module
//               other files import from it under an internal name (`__<module>$<export>`).
//   client-ext.js
//               the rest of the core, imported (besides client.js) by the services that need it:
//               the XML, query and EC2 protocols, request checksums and compression, the service
//               customizations (S3, Glacier, Route 53...). Compiling source text is most of an
//               import's cost, and client.js is ~130 KB of the ~170: DynamoDB's import and
//               construction went from ~30 to ~25 ms on the bench machine, S3's from ~37 to
//               ~38.5 (one more file). `#runtime/request-body` and `#runtime/customizations`
//               (and each `#runtime/customizations/*`) resolve to it.
//   services/<service>.js
//               one file per generated service: its index.js with its endpoint rule set,
//               importing the runtime from client.js (and client-ext.js when it needs it): what
//               `tsaws/<service>` resolves to.
//   lib/*.js    the package root `tsaws`, the rest of the `#runtime/*` entries, and every module
//               the runtime imports dynamically (the credential chain, TLS, the XML parser,
//               JMESPath, the event-stream reader, the other retry and defaults modes...), built
//               together with code splitting, so they stay separate files loaded on first use;
//               their imports of core modules are rewritten to imports from the core's files. One
//               folder, so that every one of them reaches the core as "../client.js" (and
//               "../client-ext.js").
//   index.js, protocols/rpcv2-cbor.js, signer/sigv4a.js, signer/sigv2.js, auth/bearer.js
//               one-line facades over their lib/ files (where package.json points).
//   protocols/{json,rest-json,rest-xml,query,ec2}.js
//               one-line facades over the core's files (each exports `protocol`), for generated/
//               code imported by path.
//
// The data modules (each service's endpoints.js rule set, generated/_root/*.js) become
// `JSON.parse("…")` of the same value: V8 reads JSON several times faster than it compiles the
// equivalent object literal (S3's rule set is 22 KB). A service's shape constants become one JSON
// text per shape, parsed and linked when a call first needs that shape (shapesAsJson): an
// import no longer builds the ~400 KiB of S3's shapes that one call does not use (S3's import
// and construction: ~38 -> ~30 ms; it was ~43 as object literals). Browsers keep them as
// constants, which their bundlers tree-shake one by one.
//
// The output is minified (whitespace and syntax; names are kept, so stack traces and
// `util.inspect` name the same functions and classes as before) with linked source maps onto
// dist/runtime/ and generated/ (`node --enable-source-maps`). Node builtins, fast-xml-parser and
// the package's own service subpaths (`tsaws/sts`, imported by the credential chain) stay
// external. The output is deterministic (esbuild, fixed inputs, content-hashed chunk names) and
// is written to a fresh directory that replaces dist/node whole.
import * as esbuild from "esbuild";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const SOURCE = "dist/runtime";
const GENERATED = "generated";
const OUT = "dist/node";

/**
 * The core's files and their entry points: a module is in the first file whose entries reach
 * it through static imports (so client-ext.js imports client.js, never the other way round).
 * `customizations/endpoint-discovery` (DynamoDB's, and that of the other services that discover
 * endpoints) is in client.js, so those services need only that file.
 */
export const CORE_FILES = [
  {
    file: "client",
    entries: ["client", "paginate", "waiter", "eventstream-stage", "protocols/json", "protocols/rest-json", "customizations/endpoint-discovery"],
  },
  { file: "client-ext", entries: ["request-body", "customizations", "protocols/rest-xml", "protocols/query", "protocols/ec2"] },
] as const;
/** Entry points of the core. */
export const CORE_ENTRIES: readonly string[] = CORE_FILES.flatMap((f) => f.entries);
/** Entries a core file serves as is (package.json maps them to dist/node/<that file>.js). */
export const DIRECT_CORE_ENTRIES = ["client", "paginate", "waiter", "eventstream-stage", "request-body", "customizations"] as const;
/** The core file ("client", "client-ext") whose entries list `entry`, if any. */
export function coreFileOf(entry: string): string | undefined {
  return CORE_FILES.find((f) => (f.entries as readonly string[]).includes(entry))?.file;
}
/** Core entries with a one-line facade of their own (dist/node/<entry>.js): the protocols. */
const FACADE_ENTRIES = CORE_ENTRIES.filter((e) => e.startsWith("protocols/"));
/** The other `#runtime/*` entry points and the package root (`index`): files of their own. */
export const OUTER_ENTRIES = ["index", "protocols/rpcv2-cbor", "signer/sigv4a", "signer/sigv2", "auth/bearer"] as const;

const PARTITIONS = "generated/_root/partitions.js";
const EXTERNAL = ["node:*", "fast-xml-parser", "tsaws", "tsaws/*"];

const common: esbuild.BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "es2022",
  external: EXTERNAL,
  logLevel: "warning",
  legalComments: "none",
};
const minify: esbuild.BuildOptions = {
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  sourcesContent: false,
};

/** "dist/runtime/config/shared.js" -> "config/shared"; "generated/_root/partitions.js" -> "root/partitions". */
function moduleName(input: string): string {
  if (input.startsWith(`${GENERATED}/_root/`)) return `root/${input.slice(`${GENERATED}/_root/`.length).replace(/\.js$/, "")}`;
  return relative(SOURCE, input).replace(/\.js$/, "");
}

/** The internal export name of `name` of module `mod` in the core. */
function internalName(mod: string, name: string): string {
  return `__${mod.replace(/[^A-Za-z0-9]/g, "_")}$${name}`;
}

/** The lib/ file of an outer entry or lazily loaded module: "credentials/default-chain" -> "credentials-default-chain". */
function libName(input: string): string {
  return moduleName(input).replace(/\//g, "-");
}

function isRuntimeFile(input: string): boolean {
  return input.startsWith(`${SOURCE}/`) || input.startsWith(`${GENERATED}/_root/`);
}

/**
 * Where `#runtime…` / `#root/…` point for every condition but `node` (and `tsaws-source`). A
 * service's `#runtime/customizations/<module>` is served by whichever core file holds that
 * module (package.json's `node` condition maps them all to client-ext.js, whose `customizations`
 * entry re-exports every one).
 */
function packageImportTarget(specifier: string): string | undefined {
  if (specifier === "#runtime") return `${SOURCE}/index.js`;
  if (specifier.startsWith("#runtime/")) return `${SOURCE}/${specifier.slice("#runtime/".length)}.js`;
  if (specifier.startsWith("#root/")) return `${GENERATED}/_root/${specifier.slice("#root/".length)}.js`;
  return undefined;
}

interface Graph {
  /** Every bundled input: its static and dynamic imports (bundled inputs only). */
  inputs: Map<string, { static: string[]; dynamic: string[] }>;
}

/** The module graph esbuild sees from every entry point, dynamic imports included. */
async function analyse(): Promise<Graph> {
  const entries = [...CORE_ENTRIES, ...OUTER_ENTRIES].map((e) => `${SOURCE}/${e}.js`);
  const result = await esbuild.build({ ...common, entryPoints: entries, splitting: true, outdir: "/nonexistent", write: false, metafile: true });
  const inputs = new Map<string, { static: string[]; dynamic: string[] }>();
  for (const [path, input] of Object.entries(result.metafile.inputs)) {
    if (!isRuntimeFile(path)) throw new Error(`node-bundle: unexpected input ${path} (only dist/runtime and generated/_root are bundled)`);
    const node = { static: [] as string[], dynamic: [] as string[] };
    for (const imp of input.imports) {
      if (imp.external) continue;
      (imp.kind === "dynamic-import" ? node.dynamic : node.static).push(imp.path);
    }
    inputs.set(path, node);
  }
  return { inputs };
}

/** Every input statically reachable from `roots`. */
function staticClosure(graph: Graph, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.inputs.get(next)?.static ?? []));
  }
  return seen;
}

/** The export names of each of `modules`, as esbuild links them (re-exports resolved). */
async function exportNames(modules: readonly string[]): Promise<Map<string, string[]>> {
  const result = await esbuild.build({ ...common, entryPoints: [...modules], splitting: true, outdir: "/nonexistent", write: false, metafile: true });
  const names = new Map<string, string[]>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (output.entryPoint) names.set(output.entryPoint, [...output.exports].sort());
  }
  for (const m of modules) if (!names.has(m)) throw new Error(`node-bundle: no exports found for ${m}`);
  return names;
}

/** `export default JSON.parse(…)` of a pure-data module's value, or undefined when JSON cannot carry it. */
async function asJson(file: string): Promise<string | undefined> {
  const value = ((await import(pathToFileURL(join(ROOT, file)).href)) as { default: unknown }).default;
  const json = JSON.stringify(value);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) return undefined;
  return `export default JSON.parse(${JSON.stringify(json)});\n`;
}

/** Loads the data modules as JSON.parse calls (see the header). */
function jsonData(build: esbuild.PluginBuild): void {
  build.onLoad({ filter: /[\\/]generated[\\/]([^/\\]+[\\/]endpoints|_root[\\/][^/\\]+)\.js$/ }, async (args) => {
    const contents = await asJson(relative(ROOT, args.path));
    return contents === undefined ? undefined : { contents, loader: "js" };
  });
}

/**
 * A service's shape constants (`const s_X = …;`, codegen/emit.ts ValueEmitter: pure data whose
 * only identifiers are earlier shape constants and `() => s_X` back references) as one JSON text
 * per shape, parsed and linked when a call first needs it: importing a large service went
 * mostly to building all of its shapes (S3: 420 constants, ~100 KB of JSON, ~400 KiB of objects,
 * ~5 ms), of which one call needs a few. References become `{"$":i}` (to an earlier shape: a
 * constant can only name those; a shape is stored before its references are linked, all the
 * same), back references `{"$t":i}` (a thunk again).
 * An operation's `i: s_X` / `o: s_X` become getters (`get i() { return $shape(i); }`), so a
 * shape is built on the first call that serializes or parses it; any other reference (the error
 * classes' shapes) is built at import. The materialized values are checked against the
 * constants as written, graph for graph, before the text is replaced.
 */
export function shapesAsJson(source: string, file: string): string {
  // Top-level statements: prettier starts each at column 0 (a closing bracket continues one).
  const lines = source.split("\n");
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (l !== "" && !/^[\s})\]]/.test(l)) starts.push(i);
  });
  const shapes: { name: string; from: number; to: number }[] = [];
  starts.forEach((from, k) => {
    const m = /^const (s_[A-Za-z0-9_$]+) = /.exec(lines[from]!);
    if (m) shapes.push({ name: m[1]!, from, to: (starts[k + 1] ?? lines.length) - 1 });
  });
  if (shapes.length === 0) return source;
  const text = shapes.map((x) => lines.slice(x.from, x.to + 1).join("\n")).join("\n");
  const names = shapes.map((x) => x.name);
  let values: unknown[];
  try {
    values = new Function(`"use strict";\n${text}\nreturn [${names.join(", ")}];`)() as unknown[];
  } catch (e) {
    throw new Error(`node-bundle: the shape constants of ${file} are not plain data: ${String(e)}`);
  }
  const index = new Map<unknown, number>(values.map((v, i) => [v, i]));
  const encode = (v: unknown, top: boolean): unknown => {
    if (typeof v === "function") {
      const target = index.get((v as () => unknown)());
      if (target === undefined) throw new Error(`node-bundle: ${file}: a function in the shape data is not a back reference`);
      return { $t: target };
    }
    if (v === null || typeof v !== "object") return v;
    if (!top && index.has(v)) return { $: index.get(v) };
    if (Array.isArray(v)) return v.map((x) => encode(x, false));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "$" || k === "$t") throw new Error(`node-bundle: ${file}: shape data has a key ${k}`);
      out[k] = encode(x, false);
    }
    return out;
  };
  const texts = values.map((v) => JSON.stringify(encode(v, true)));
  const shape = lazyShapes(texts);
  if (!sameGraph(texts.map((_, i) => shape(i)), values)) throw new Error(`node-bundle: ${file}: the linked shape data differs from the constants`);

  // The rest of the module: operations' shapes become getters, other references constants.
  const at = new Map(names.map((name, i) => [name, i]));
  const drop = new Set(shapes.flatMap((x) => Array.from({ length: x.to - x.from + 1 }, (_, i) => x.from + i)));
  const rest = lines.map((l, i) =>
    drop.has(i)
      ? undefined
      : l.replace(/^(\s+)([io]): (s_[A-Za-z0-9_$]+)(,?)$/, (whole, indent: string, key: string, name: string, comma: string) =>
          at.has(name) ? `${indent}get ${key}() { return $shape(${at.get(name)!}); }${comma}` : whole,
        ),
  );
  const used = new Set(rest.flatMap((l) => (l === undefined ? [] : (l.match(/(?<![A-Za-z0-9_$])s_[A-Za-z0-9_$]+/g) ?? []))));
  const eager = names.flatMap((name, i) => (used.has(name) ? [`${name} = $shape(${i})`] : []));
  const replacement = `${LAZY_SOURCE}\nconst $shape = $lazyShapes(${JSON.stringify(texts)});${eager.length ? `\nconst ${eager.join(", ")};` : ""}`;
  const out: string[] = [];
  rest.forEach((l, i) => {
    if (i === shapes[0]!.from) out.push(replacement);
    if (l !== undefined) out.push(l);
  });
  return out.join("\n");
}

/** The shape materializer, as it runs in the service file (and here, to check it). */
const LAZY_SOURCE = `function $lazyShapes(texts) {
  const built = new Array(texts.length);
  const fix = (v) => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = fix(v[i]);
      return v;
    }
    if (v.$ !== undefined) return shape(v.$);
    if (v.$t !== undefined) {
      const i = v.$t;
      return () => shape(i);
    }
    for (const k in v) v[k] = fix(v[k]);
    return v;
  };
  const shape = (i) => {
    let s = built[i];
    if (s === undefined) {
      s = built[i] = JSON.parse(texts[i]);
      if (s !== null && typeof s === "object") for (const k in s) s[k] = fix(s[k]);
    }
    return s;
  };
  return shape;
}`;
const lazyShapes = new Function(`${LAZY_SOURCE}\nreturn $lazyShapes;`)() as (texts: string[]) => (i: number) => unknown;

/** Whether two shape graphs are the same: equal data, shared where the other is shared, thunks to the same place. */
function sameGraph(a: unknown, b: unknown, seen = new Map<unknown, unknown>()): boolean {
  if (typeof a === "function" || typeof b === "function") {
    if (typeof a !== "function" || typeof b !== "function") return false;
    const [x, y] = [(a as () => unknown)(), (b as () => unknown)()];
    return seen.has(x) ? seen.get(x) === y : sameGraph(x, y, seen);
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return Object.is(a, b);
  if (seen.has(a)) return seen.get(a) === b;
  seen.set(a, b);
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameGraph((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], seen));
}

function isNested(args: esbuild.OnResolveArgs): boolean {
  return (args.pluginData as { nested?: boolean } | undefined)?.nested === true;
}

/** Resolves an import as esbuild would, for the plugins below. */
function resolveWith(build: esbuild.PluginBuild, args: esbuild.OnResolveArgs): Promise<esbuild.ResolveResult> {
  return build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { nested: true } });
}

function importPath(fromFile: string, toFile: string): string {
  const rel = relative(dirname(fromFile), toFile);
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** The generated services (generated/<name>/index.js), sorted. */
function services(): string[] {
  const dir = join(ROOT, GENERATED);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name !== "_root" && existsSync(join(dir, name, "index.js")))
    .sort();
}

async function main(): Promise<void> {
  const graph = await analyse();
  // Which core file holds each core module: the first whose entries reach it.
  const fileOf = new Map<string, string>();
  for (const { file, entries } of CORE_FILES) {
    for (const m of staticClosure(graph, entries.map((e) => `${SOURCE}/${e}.js`))) if (!fileOf.has(m)) fileOf.set(m, file);
  }
  fileOf.set(PARTITIONS, "client");
  const core = new Set(fileOf.keys());
  const order = (m: string): number => CORE_FILES.findIndex((f) => f.file === fileOf.get(m));
  const outerEntries = new Set<string>(OUTER_ENTRIES.map((e) => `${SOURCE}/${e}.js`));
  for (const e of outerEntries) if (core.has(e)) throw new Error(`node-bundle: ${e} is an outer entry but the core imports it`);

  // What other files import from each core file (its entries, the partitions, the modules the
  // outer files and the other core file import, each customization module a service may name),
  // and which outer modules are imported dynamically (each becomes an entry of its own under lib/).
  const proxied = new Set<string>([...CORE_ENTRIES.map((e) => `${SOURCE}/${e}.js`), PARTITIONS]);
  for (const m of graph.inputs.get(`${SOURCE}/customizations.js`)?.static ?? []) proxied.add(m);
  const lazy = new Set<string>();
  for (const [from, node] of graph.inputs) {
    for (const to of node.dynamic) if (!core.has(to) && !outerEntries.has(to)) lazy.add(to);
    for (const to of [...node.static, ...node.dynamic]) {
      if (!core.has(to) || fileOf.get(from) === fileOf.get(to)) continue;
      // A later core file imports the earlier ones anyway; the other way round would load it eagerly.
      if (core.has(from) && order(from) < order(to)) throw new Error(`node-bundle: ${from} imports ${to}, from a later core file`);
      proxied.add(to);
    }
  }
  const exported = await exportNames([...proxied].sort());

  // Imports of core modules from another file become imports of that file, renamed back from
  // the internal names (`dir`: where the importing file sits relative to the core's files).
  const coreProxy = (build: esbuild.PluginBuild, dir: string): void => {
    build.onResolve({ filter: /^tsaws-core:/ }, (args) => ({ path: `${dir}${args.path.slice("tsaws-core:".length)}.js`, external: true }));
    build.onLoad({ filter: /.*/, namespace: "tsaws-core-proxy" }, (args) => {
      const mod = moduleName(args.path);
      const names = exported.get(args.path) ?? [];
      const contents = `export { ${names.map((n) => `${internalName(mod, n)} as ${n}`).join(", ")} } from "tsaws-core:${fileOf.get(args.path)!}";\n`;
      return { contents, resolveDir: ROOT, loader: "js" };
    });
  };
  const toCore = (target: string, importer: string): esbuild.OnResolveResult => {
    if (!exported.has(target)) throw new Error(`node-bundle: ${importer} imports core module ${target}, which the core does not re-export`);
    return { path: target, namespace: "tsaws-core-proxy" };
  };

  // Each core file's entry: its direct entries' names as they are (they must not collide), and
  // its proxied modules' names under internal ones.
  const coreBuilds = await Promise.all(
    CORE_FILES.map(({ file }) => {
      const lines: string[] = [];
      const plain = new Map<string, string>();
      for (const e of DIRECT_CORE_ENTRIES) {
        if (coreFileOf(e) !== file) continue;
        const names = exported.get(`${SOURCE}/${e}.js`)!;
        for (const n of names) {
          const owner = plain.get(n);
          if (owner !== undefined && owner !== e) throw new Error(`node-bundle: ${e} and ${owner} both export ${n}`);
          plain.set(n, e);
        }
        lines.push(`export { ${names.filter((n) => plain.get(n) === e).join(", ")} } from ${JSON.stringify(join(ROOT, SOURCE, `${e}.js`))};`);
      }
      for (const m of [...proxied].sort()) {
        const names = exported.get(m)!;
        if (names.length === 0 || fileOf.get(m) !== file) continue;
        const mod = moduleName(m);
        lines.push(`export { ${names.map((n) => `${n} as ${internalName(mod, n)}`).join(", ")} } from ${JSON.stringify(join(ROOT, m))};`);
      }
      const source = lines.join("\n") + "\n";
      return esbuild.build({
        ...common,
        ...minify,
        entryPoints: [{ in: `tsaws-node-core:${file}`, out: file }],
        outdir: OUT,
        write: false,
        plugins: [
          {
            name: "tsaws-core",
            setup(build) {
              jsonData(build);
              coreProxy(build, "./");
              build.onResolve({ filter: /^tsaws-node-core:/ }, (args) => ({ path: args.path, namespace: "tsaws" }));
              build.onLoad({ filter: /.*/, namespace: "tsaws" }, () => ({ contents: source, resolveDir: ROOT, loader: "js" }));
              build.onResolve({ filter: /.*/ }, async (args) => {
                if (isNested(args) || args.namespace === "tsaws" || args.namespace === "tsaws-core-proxy") return undefined;
                const r = await resolveWith(build, args);
                if (r.errors.length || r.external) return undefined;
                const target = relative(ROOT, r.path);
                const home = fileOf.get(target);
                if (home === file) return undefined;
                if (home !== undefined) return toCore(target, args.importer); // an earlier core file (checked above)
                if (args.kind !== "dynamic-import") throw new Error(`node-bundle: core module ${args.importer} imports ${target} statically, which is outside the core`);
                return { path: `./lib/${libName(target)}.js`, external: true };
              });
            },
          },
        ],
      });
    }),
  );

  const outerBuild = await esbuild.build({
    ...common,
    ...minify,
    entryPoints: [...outerEntries, ...[...lazy].sort()].map((m) => ({ in: m, out: libName(m) })),
    splitting: true,
    outdir: `${OUT}/lib`,
    chunkNames: "[name]-[hash]",
    write: false,
    plugins: [
      {
        name: "tsaws-outer",
        setup(build) {
          jsonData(build);
          coreProxy(build, "../");
          build.onResolve({ filter: /.*/ }, async (args) => {
            if (isNested(args) || args.namespace === "tsaws-core-proxy") return undefined;
            const r = await resolveWith(build, args);
            if (r.errors.length || r.external) return undefined;
            const target = relative(ROOT, r.path);
            return core.has(target) ? toCore(target, args.importer) : undefined;
          });
        },
      },
    ],
  });

  // One file per generated service: `#runtime…` and `#root/partitions` from the core's files (or
  // the outer entry files), its own endpoints.js inlined.
  const names = services();
  const serviceBuild = await esbuild.build({
    ...common,
    ...minify,
    entryPoints: names.map((name) => ({ in: `${GENERATED}/${name}/index.js`, out: `services/${name}` })),
    outdir: OUT,
    write: false,
    plugins: [
      {
        name: "tsaws-services",
        setup(build) {
          jsonData(build);
          build.onLoad({ filter: /[\\/]generated[\\/][^/\\]+[\\/]index\.js$/ }, async (args) => ({
            contents: shapesAsJson(await readFile(args.path, "utf8"), relative(ROOT, args.path)),
            loader: "js",
          }));
          coreProxy(build, "../");
          build.onResolve({ filter: /^#/ }, (args) => {
            const target = packageImportTarget(args.path);
            if (target === undefined) throw new Error(`node-bundle: ${args.importer} imports ${args.path}, which a service may not`);
            if (core.has(target)) return toCore(target, args.importer);
            if (outerEntries.has(target)) return { path: `../lib/${libName(target)}.js`, external: true };
            throw new Error(`node-bundle: ${args.importer} imports ${args.path} (${target}), which is no entry of the bundle`);
          });
        },
      },
    ],
  });

  // Write, with facades for the core entries that need one.
  const staging = `${OUT}.tmp`;
  rmSync(join(ROOT, staging), { recursive: true, force: true });
  const outDir = join(ROOT, OUT);
  const written = new Set<string>();
  const write = (file: string, text: string | Uint8Array): void => {
    const staged = join(ROOT, staging, relative(outDir, file));
    mkdirSync(dirname(staged), { recursive: true });
    writeFileSync(staged, text);
    written.add(relative(outDir, file));
  };
  let bytes = 0;
  for (const f of [...coreBuilds.flatMap((b) => b.outputFiles), ...outerBuild.outputFiles, ...serviceBuild.outputFiles]) {
    if (!f.path.endsWith(".map")) bytes += f.contents.byteLength;
    write(f.path, f.contents);
  }
  for (const e of FACADE_ENTRIES) {
    const file = join(outDir, `${e}.js`);
    const module = `${SOURCE}/${e}.js`;
    const exports = exported.get(module)!;
    write(
      file,
      `// ${e}: a facade over the core (codegen/node-bundle.ts).\nexport { ${exports.map((n) => `${internalName(e, n)} as ${n}`).join(", ")} } from ${JSON.stringify(importPath(file, join(outDir, `${fileOf.get(module)!}.js`)))};\n`,
    );
  }
  for (const e of outerEntries) {
    const file = join(outDir, `${moduleName(e)}.js`);
    const lib = join(outDir, "lib", `${libName(e)}.js`);
    write(file, `// ${moduleName(e)}: a facade over lib/ (codegen/node-bundle.ts).\nexport * from ${JSON.stringify(importPath(file, lib))};\n`);
  }
  for (const out of [...CORE_FILES.map((f) => f.file), ...[...lazy, ...outerEntries].map((m) => `lib/${libName(m)}`), ...names.map((n) => `services/${n}`)]) {
    if (!written.has(`${out}.js`)) throw new Error(`node-bundle: no output for ${out}`);
  }
  rmSync(outDir, { recursive: true, force: true });
  renameSync(join(ROOT, staging), outDir);
  const files = [...written].filter((f) => f.endsWith(".js")).length;
  const sizes = CORE_FILES.map(({ file }) => `${file}.js ${[...fileOf.values()].filter((f) => f === file).length} modules`).join(", ");
  console.log(
    `node-bundle: ${files} files in ${OUT}/ (${Math.round(bytes / 1024)} KiB): the core (${sizes}), ${names.length} services, ` +
      `${OUTER_ENTRIES.length} other entries and ${lazy.size} lazily loaded modules`,
  );
}

// Run as a script (`make build`); the tests import the entry lists.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
