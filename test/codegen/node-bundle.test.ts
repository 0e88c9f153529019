// The Node prebundle (codegen/node-bundle.ts -> dist/node/), checked on the BUILT package
// (`make build`) in child processes started with plain `node`: no loader, no tsaws-source
// condition, as an application runs it. Under the `node` condition the package root and every
// generated service resolve into dist/node/ and share one runtime (a service's modeled error is
// an instance of the root's ServiceError; the lazily loaded credential chain throws the root's
// CredentialsError); importing and constructing a client loads neither TLS nor the file system;
// its first call over http with credentials and region given loads no TLS and still reads the
// shared config file (a max_attempts there applies); DynamoDB's import reads two files (S3's three,
// and its event-stream reader is loaded by the first event-stream call); and the
// bundle's files import only each other, Node builtins, fast-xml-parser and the package's own
// service subpaths; every service's shapes, built there from JSON on first use, are the same
// graph as generated/ declares.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { CORE_ENTRIES, DIRECT_CORE_ENTRIES, OUTER_ENTRIES, coreFileOf, shapesAsJson } from "../../codegen/node-bundle.js";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const DIST = join(ROOT, "dist/node");

function built(): void {
  assert.ok(existsSync(join(DIST, "client.js")) && existsSync(join(DIST, "index.js")), "dist/node/ is missing: run `make build`");
  assert.ok(existsSync(join(ROOT, "generated/dynamodb/index.js")), "generated/dynamodb is missing: run `make generate`");
}

/** This environment without AWS settings, proxies or inherited node flags. */
function cleanEnv(): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith("AWS_") || /^(NODE_OPTIONS|NODE_TEST_CONTEXT|https?_proxy|no_proxy)$/i.test(k)) continue;
    clean[k] = v;
  }
  return clean;
}

/** Runs an ES module script with plain `node` in the package (so `tsaws` and `#…` resolve), returns its JSON. */
function runNode(script: string, env: Record<string, string> = {}): unknown {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** Every `#runtime…` specifier the generated services import. */
function generatedSpecifiers(): string[] {
  const found = new Set<string>();
  const gen = join(ROOT, "generated");
  for (const dir of readdirSync(gen)) {
    const file = join(gen, dir, "index.js");
    if (!existsSync(file)) continue;
    for (const m of readFileSync(file, "utf8").matchAll(/(?:from |import\()"(#runtime[^"]*)"/g)) found.add(m[1]!);
  }
  return [...found].sort();
}

test("under `node`, the root and every #runtime specifier of the generated code resolve into dist/node/", () => {
  built();
  const specifiers = generatedSpecifiers();
  assert.ok(specifiers.includes("#runtime/client") && specifiers.includes("#runtime/protocols/json"), specifiers.join(" "));
  // The bundle's entry lists cover them all (each customization module through the core's
  // `customizations` entry, which re-exports them; package.json maps them all to client-ext.js).
  const entries = new Set<string>([...CORE_ENTRIES, ...OUTER_ENTRIES].map((e) => `#runtime/${e}`));
  const entryOf = (s: string): string => (s.startsWith("#runtime/customizations/") ? "#runtime/customizations" : s);
  assert.ok(specifiers.some((s) => s.startsWith("#runtime/customizations/")), "no service imports a customization module");
  for (const s of specifiers) assert.ok(entries.has(entryOf(s)), `${s} is not an entry of codegen/node-bundle.ts`);
  const resolved = runNode(
    `const specs = ${JSON.stringify(["tsaws", "#runtime", ...specifiers])};
     console.log(JSON.stringify(Object.fromEntries(specs.map((s) => [s, import.meta.resolve(s)]))));`,
  ) as Record<string, string>;
  const file = (s: string): string => relative(ROOT, new URL(resolved[s]!).pathname);
  assert.equal(file("tsaws"), "dist/node/index.js");
  assert.equal(file("#runtime"), "dist/node/index.js");
  for (const s of specifiers) {
    const e = entryOf(s).slice("#runtime/".length);
    const expected = (DIRECT_CORE_ENTRIES as readonly string[]).includes(e) ? `dist/node/${coreFileOf(e)!}.js` : `dist/node/${e}.js`;
    assert.equal(file(s), expected, s);
    assert.ok(existsSync(join(ROOT, expected)), `${expected} does not exist`);
  }
});

test("one runtime: root and service share classes; no TLS or file system at import; the first http call reads the config, not TLS", () => {
  built();
  const home = mkdtempSync(join(tmpdir(), "tsaws-node-bundle-"));
  try {
    mkdirSync(join(home, ".aws"));
    // The shared config is still read (lazily, on the first call): its max_attempts applies.
    writeFileSync(join(home, ".aws", "config"), "[default]\nmax_attempts = 2\n");
    const result = runNode(
      `const loaded = () => process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13));
       const start = new Set(loaded());
       const root = await import("tsaws");
       const ddb = await import("tsaws/dynamodb");
       const http = await import("node:http");
       let requests = 0;
       const server = http.createServer((req, res) => {
         requests++;
         req.resume();
         req.on("end", () => {
           res.writeHead(500, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "req-" + requests });
           res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "down" }));
         });
       });
       await new Promise((r) => server.listen(0, "127.0.0.1", r));
       const client = new ddb.DynamoDB({
         region: "us-east-1",
         endpoint: "http://127.0.0.1:" + server.address().port,
         credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
       });
       const atImport = loaded().filter((m) => !start.has(m));
       let error;
       try { await client.getItem({ TableName: "t", Key: { pk: { S: "1" } } }); } catch (e) { error = e; }
       const afterCall = loaded().filter((m) => !start.has(m));
       client.destroy();
       server.close();
       // The credential chain is a lazily loaded file of its own: its errors are the root's too.
       const session = new root.Session({ region: "us-east-1", env: { HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: "true" } });
       let chainError;
       try { await session.credentials(); } catch (e) { chainError = e; }
       console.log(JSON.stringify({
         atImport, afterCall, requests,
         error: { name: error?.name, service: error instanceof root.ServiceError, modeled: error instanceof ddb.InternalServerError, tsaws: error instanceof root.TsawsError },
         chainError: { name: chainError?.name, credentials: chainError instanceof root.CredentialsError },
       }));`,
      { HOME: home },
    ) as {
      atImport: string[];
      afterCall: string[];
      requests: number;
      error: { name: string; service: boolean; modeled: boolean; tsaws: boolean };
      chainError: { name: string; credentials: boolean };
    };
    assert.deepEqual(result.error, { name: "InternalServerError", service: true, modeled: true, tsaws: true });
    assert.deepEqual(result.chainError, { name: "CredentialsNotFoundError", credentials: true });
    assert.equal(result.requests, 2, "max_attempts = 2 from the shared config file");
    for (const m of ["https", "tls", "_tls_wrap", "fs/promises", "os"]) {
      assert.ok(!result.atImport.includes(m), `importing tsaws/dynamodb loaded node:${m}`);
    }
    for (const m of ["https", "tls", "_tls_wrap"]) {
      assert.ok(!result.afterCall.includes(m), `an http call with given credentials loaded node:${m}`);
    }
    assert.ok(result.atImport.includes("http") && result.atImport.includes("crypto"), result.atImport.join(" "));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

/** Runs `script` with plain `node` and a module hook that reports each file it loads; returns those (relative paths) and the script's stderr lines. */
function loadedFiles(script: string): { loaded: string[]; lines: string[] } {
  // A module hook (on the loader thread) reports every file it loads on stderr.
  const hook = `export async function load(url, context, next) {
    if (url.startsWith("file:")) process._rawDebug("loaded " + url);
    return next(url, context);
  }`;
  const run = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { register } from "node:module";
       register("data:text/javascript," + encodeURIComponent(${JSON.stringify(hook)}));
       ${script}`,
    ],
    { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: cleanEnv() },
  );
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stderr.split("\n").filter((l) => l !== "");
  const loaded = lines.flatMap((l) => (l.startsWith("loaded file:") ? [relative(ROOT, new URL(l.slice("loaded ".length)).pathname)] : []));
  return { loaded, lines };
}

test("`import(\"tsaws/dynamodb\")` reads two files: the service and the runtime core", () => {
  built();
  const { loaded } = loadedFiles(`await import("tsaws/dynamodb");`);
  assert.deepEqual(loaded.sort(), ["dist/node/client.js", "dist/node/services/dynamodb.js"]);
});

test("S3 reads the core's second file too; its event-stream reader loads on the first event-stream call", async () => {
  built();
  const { encodeMessage } = await import("../../runtime/eventstream.ts");
  const event = (type: string, body: string): Promise<Uint8Array> =>
    encodeMessage({
      headers: { ":message-type": { type: "string", value: "event" }, ":event-type": { type: "string", value: type } },
      body: new TextEncoder().encode(body),
    });
  const frames = Buffer.concat([await event("Records", "a,1\n"), await event("End", "")]).toString("base64");
  const { loaded, lines } = loadedFiles(
    `const { S3 } = await import("tsaws/s3");
     process._rawDebug("imported");
     const http = await import("node:http");
     const server = http.createServer((req, res) => {
       req.resume();
       req.on("end", () => res.writeHead(200, { "x-amz-request-id": "r1" }).end(Buffer.from(${JSON.stringify(frames)}, "base64")));
     });
     await new Promise((r) => server.listen(0, "127.0.0.1", r));
     const s3 = new S3({
       region: "us-east-1",
       endpoint: "http://127.0.0.1:" + server.address().port,
       forcePathStyle: true,
       credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
     });
     const out = await s3.selectObjectContent({
       Bucket: "b", Key: "k", Expression: "SELECT * FROM S3Object", ExpressionType: "SQL",
       InputSerialization: { CSV: {} }, OutputSerialization: { CSV: {} },
     });
     const events = [];
     for await (const e of out.Payload) events.push(Object.keys(e)[0] + (e.Records ? ":" + new TextDecoder().decode(e.Records.Payload) : ""));
     s3.destroy();
     server.close();
     process._rawDebug("events " + JSON.stringify(events));`,
  );
  const mark = lines.indexOf("imported");
  const before = lines.slice(0, mark).filter((l) => l.startsWith("loaded ")).length;
  assert.deepEqual(loaded.slice(0, before).sort(), ["dist/node/client-ext.js", "dist/node/client.js", "dist/node/services/s3.js"]);
  assert.ok(loaded.slice(before).includes("dist/node/lib/eventstream.js"), loaded.join(" "));
  assert.ok(lines.includes(`events ${JSON.stringify(["Records:a,1\n", "End"])}`), lines.join("\n"));
});

test("dist/node/ files import only each other, node: builtins, fast-xml-parser and tsaws/<service>", () => {
  built();
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith(".js")) files.push(join(dir, e.name));
    }
  };
  walk(DIST);
  assert.ok(files.length > 5, files.join(" "));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:^|[\s;}])(?:import|export)\s*(?:[^"';]*?\sfrom\s*)?"([^"]+)"|\bimport\("([^"]+)"\)/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith("node:") || spec === "fast-xml-parser" || /^tsaws\/[a-z0-9-]+$/.test(spec)) continue;
      assert.ok(spec.startsWith("./") || spec.startsWith("../"), `${relative(ROOT, file)} imports ${spec}`);
      const target = resolve(dirname(file), spec);
      assert.ok(target.startsWith(`${DIST}/`) && existsSync(target), `${relative(ROOT, file)} imports ${spec}, which is not a file of dist/node`);
    }
  }
});

/**
 * Whether two values are the same graph: equal data, shared where the other is shared, thunks
 * (recursive shapes) leading to the same place, and other functions (the customization stages,
 * one copy in each runtime) of the same name.
 */
function sameGraph(a: unknown, b: unknown, seen = new Map<unknown, unknown>(), path = "$"): string | undefined {
  if (typeof a === "function" || typeof b === "function") {
    if (typeof a !== "function" || typeof b !== "function") return `${path}: a function on one side only`;
    if (a.length === 0 && b.length === 0) return sameGraph(a(), b(), seen, `${path}()`); // a back reference
    return a.name === b.name ? undefined : `${path}: function ${a.name} vs ${b.name}`;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  if (seen.has(a)) return seen.get(a) === b ? undefined : `${path}: shared differently`;
  seen.set(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array on one side only`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} vs ${kb.join()}`;
  for (const k of ka) {
    const d = sameGraph((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], seen, `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

test("every service's shapes, built on first use in dist/node/, are the graph generated/ declares", async () => {
  built();
  const services = readdirSync(join(DIST, "services")).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3));
  assert.ok(services.length > 400, `${services.length} services in dist/node/services`);
  let operations = 0;
  let errors = 0;
  for (const service of services) {
    const source = (await import(join(ROOT, "generated", service, "index.js"))) as Record<string, unknown>;
    const bundled = (await import(join(DIST, "services", `${service}.js`))) as Record<string, unknown>;
    assert.match(readFileSync(join(DIST, "services", `${service}.js`), "utf8"), /\$lazyShapes\(\[/, service);
    // Every exported operation (the shapes hang from them, through its getters) and error class's shape.
    let compared = 0;
    for (const [name, value] of Object.entries(source)) {
      const other = bundled[name];
      if (value && typeof value === "object" && "n" in value) {
        const d = sameGraph(value, other);
        assert.equal(d, undefined, `${service}.${name}: ${d}`);
        compared++;
      } else if (typeof value === "function" && "$s" in value) {
        const d = sameGraph((value as { $s: unknown }).$s, (other as { $s?: unknown } | undefined)?.$s);
        assert.equal(d, undefined, `${service}.${name} (error shape): ${d}`);
        errors++;
      }
    }
    assert.ok(compared > 0, `${service}: no operation compared`);
    operations += compared;
  }
  // The sweep's count (test/integration/all-operations.test.ts), and most services model errors.
  assert.ok(operations >= 18_993 && errors > 5000, `${operations} operations and ${errors} error shapes compared`);
});

test("shapesAsJson: one JSON text per shape, built on first use; operations read theirs through getters; refuses what is not plain data", () => {
  const data =
    'import { f } from "x";\nconst s_A = { t: 8, m: { B: () => s_B } };\nconst s_B = { t: 9, m: s_A };\nconst s_C = { t: 8, m: {} };\n' +
    'export const Op = {\n  n: "Op",\n  i: s_A,\n  o: s_B,\n};\nexport const E = errorClass("E", s_C);\n';
  const out = shapesAsJson(data, "ok.js");
  assert.match(out, /^import \{ f \} from "x";\nfunction \$lazyShapes/);
  assert.match(out, /const \$shape = \$lazyShapes\(\["\{/);
  assert.match(out, /\nconst s_C = \$shape\(2\);\n/); // used outside an operation: built at import
  assert.doesNotMatch(out, /const s_A|const s_B/);
  assert.match(out, /\nexport const Op = \{\n  n: "Op",\n  get i\(\) \{ return \$shape\(0\); \},\n  get o\(\) \{ return \$shape\(1\); \},\n\};\n/);
  // Evaluated, the module's values are the graph the constants declare, each shape built once.
  const body = out.replace(/^import .*\n/, "").replace(/export const /g, "const ");
  const parses: string[] = [];
  const { Op, E } = new Function("errorClass", "JSON", `${body}\nreturn { Op, E };`)(
    (name: string, shape: unknown) => ({ name, shape }),
    { parse: (t: string) => (parses.push(t), JSON.parse(t)) },
  ) as { Op: { i: { m: { B: () => unknown } }; o: { t: number; m: unknown } }; E: { shape: unknown } };
  assert.deepEqual(E.shape, { t: 8, m: {} });
  assert.equal(parses.length, 1, "only the error class's shape is built at import");
  assert.equal(Op.o.m, Op.i, "s_B.m is s_A, the same object");
  assert.equal(Op.i.m.B(), Op.o, "the back reference leads to s_B");
  assert.equal(parses.length, 3);
  assert.equal(Op.i, Op.i, "built once");
  assert.equal(parses.length, 3);
  assert.throws(() => shapesAsJson('import { f } from "x";\nconst s_A = { t: 8, x: f };\n', "bad.js"), /bad\.js are not plain data/);
  assert.throws(() => shapesAsJson("const s_A = { t: 8, x: () => 1 };\n", "fn.js"), /fn\.js: a function in the shape data is not a back reference/);
  assert.throws(() => shapesAsJson('const s_A = { t: 8, m: { $: 0 } };\n', "key.js"), /key\.js: shape data has a key \$/);
});
