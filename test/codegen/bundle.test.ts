// The bare client bundles only the operations it is given: a bundle of `DynamoDBClient` +
// `GetItem` (esbuild, tree shaking on, as an application bundler would build it) holds the
// GetItem operation and none of the others, while a bundle of the full `DynamoDB` class (the
// control, so the check can fail) holds every operation.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as esbuild from "esbuild";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

async function bundle(entry: string): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: "entry.js", loader: "js" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    // The runtime from its TypeScript sources (no build needed); generated/ is plain JS.
    conditions: ["tsaws-source"],
    external: ["node:*", "fast-xml-parser"],
    treeShaking: true,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** The operation names an output bundle carries (`n: "<Op>"` of each operation constant). */
function operationsIn(text: string, candidates: readonly string[]): string[] {
  return candidates.filter((op) => new RegExp(`\\bn: "${op}",\\s*h:|\\bn: "${op}",\\s*i:|\\bn: "${op}"`).test(text));
}

const SOME_OPS = ["GetItem", "PutItem", "BatchWriteItem", "Query", "Scan", "CreateTable", "TransactWriteItems", "DescribeTable"];

test("a bare client with one imported operation bundles that operation only; the full client bundles all", async () => {
  const bare = await bundle(`
    import { DynamoDBClient, GetItem } from "tsaws/dynamodb";
    export const get = (key) => new DynamoDBClient({ region: "us-east-1" }).send(GetItem, { TableName: "t", Key: key });
  `);
  const full = await bundle(`
    import { DynamoDB } from "tsaws/dynamodb";
    export const ddb = () => new DynamoDB({ region: "us-east-1" });
  `);
  assert.deepEqual(operationsIn(full, SOME_OPS), SOME_OPS, "control: the full client holds every operation");
  assert.deepEqual(operationsIn(bare, SOME_OPS), ["GetItem"]);
  // The shapes only other operations use are dropped too.
  assert.match(full, /s_BatchWriteItemInput\b/);
  assert.doesNotMatch(bare, /s_BatchWriteItemInput\b|s_CreateTableInput\b/);
  assert.ok(bare.length < full.length, `bare ${bare.length} bytes, full ${full.length} bytes`);
});

// The browser build with code splitting, as the bench bundles it (from the built package:
// generated/ + dist/, "browser" conditions): what a one-operation program loads before its
// first call, and what stays behind a dynamic import() until a rare path needs it.
async function browserChunks(
  entry: string,
  conditions?: string[],
): Promise<{ initial: string[]; lazy: Map<string, { inputs: string[]; imports: string[] }> }> {
  const r = await esbuild.build({
    ...(conditions ? { conditions } : {}),
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: "entry.js", loader: "js" },
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    outdir: "out",
    logLevel: "silent",
  });
  const outputs = r.metafile.outputs;
  const entryChunk = Object.keys(outputs).find((k) => outputs[k]!.entryPoint === "entry.js")!;
  const initialChunks = new Set<string>();
  const visit = (k: string): void => {
    if (initialChunks.has(k)) return;
    initialChunks.add(k);
    for (const i of outputs[k]!.imports) if (i.kind === "import-statement") visit(i.path);
  };
  visit(entryChunk);
  const initial = [...initialChunks].flatMap((k) => Object.keys(outputs[k]!.inputs));
  const lazy = new Map<string, { inputs: string[]; imports: string[] }>();
  for (const [k, o] of Object.entries(outputs)) {
    if (initialChunks.has(k) || o.entryPoint === undefined) continue;
    lazy.set(o.entryPoint, { inputs: Object.keys(o.inputs), imports: o.imports.map((i) => i.path) });
  }
  return { initial, lazy };
}

test("browser bundle: signing uses WebCrypto (no JS hashes before the first call); retry code loads on the first failure; stream uploads and legacy retry load lazily, sharing no chunk", async () => {
  const { initial, lazy } = await browserChunks(`
    import { DynamoDBClient, GetItem } from "tsaws/dynamodb";
    const client = new DynamoDBClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "s" } });
    export const get = (pk) => client.send(GetItem, { TableName: "t", Key: { pk: { S: pk } } });
  `);
  assert.ok(initial.includes("dist/runtime/crypto/web-core.js"), initial.join(" "));
  assert.ok(initial.includes("dist/runtime/http/fetch.js"));
  for (const file of [
    "dist/runtime/crypto/hashes.js",
    "dist/runtime/crypto/web.js",
    "dist/runtime/http/fetch-stream.js",
    "dist/runtime/retry/legacy.js",
    "dist/runtime/retry/standard.js",
    "dist/runtime/retry/classify.js",
  ]) {
    assert.ok(!initial.includes(file), `${file} is loaded before the first call`);
  }
  // The fallback hashes (no WebCrypto), stream request bodies and legacy retry mode are lazy chunks.
  assert.deepEqual(lazy.get("dist/runtime/crypto/hashes.js")?.inputs, ["dist/runtime/crypto/hashes.js"]);
  assert.deepEqual(lazy.get("dist/runtime/http/fetch-stream.js")?.inputs, ["dist/runtime/http/fetch-stream.js"]);
  assert.deepEqual(lazy.get("dist/runtime/retry/legacy.js")?.inputs, ["generated/_root/retry.js", "dist/runtime/retry/legacy.js"]);
  // Standard retry and the error classifier: the chunk a client loads on its first failed attempt.
  assert.deepEqual(lazy.get("dist/runtime/retry/standard.js")?.inputs, ["dist/runtime/retry/classify.js", "dist/runtime/retry/standard.js"]);
  // They import nothing: a module shared with the initial load would be split into a chunk of its own.
  for (const name of ["dist/runtime/crypto/hashes.js", "dist/runtime/http/fetch-stream.js", "dist/runtime/retry/legacy.js"]) {
    assert.deepEqual(lazy.get(name)?.imports, [], `${name} imports another chunk`);
  }
});

test("XML parser by platform: a page reads XML with DOMParser (fast-xml-parser only as a lazy fallback for web workers); the worker condition (edge runtimes, no DOMParser) gets fast-xml-parser", async () => {
  const program = `
    import { S3Client, ListObjectsV2 } from "tsaws/s3";
    const client = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "s" } });
    export const list = () => client.send(ListObjectsV2, { Bucket: "b" });
  `;
  const all = (c: { initial: string[]; lazy: Map<string, { inputs: string[] }> }): string[] => [...c.initial, ...[...c.lazy.values()].flatMap((l) => l.inputs)];
  const page = await browserChunks(program);
  assert.ok(!page.initial.some((i) => i.includes("xml-parser") || i.includes("fast-xml-parser")), "no XML parser before the first response");
  assert.ok(page.lazy.get("dist/runtime/protocols/xml-parser-dom.js"), [...page.lazy.keys()].join(" "));
  const fallback = page.lazy.get("dist/runtime/protocols/xml-parser.js");
  assert.ok(fallback?.inputs.some((i) => i.includes("node_modules/fast-xml-parser/")), "fast-xml-parser is the fallback's own chunk");
  // S3 carries SigV4a (multi-region access points) lazily; query signing (presign) is not in the first load either.
  assert.ok(!page.initial.includes("dist/runtime/signer/query.js"), "presign's query signing loads before the first call");
  assert.ok(page.lazy.get("dist/runtime/signer/sigv4a.js")?.inputs.includes("dist/runtime/signer/query.js"), "SigV4a's chunk holds query signing");
  // Cloudflare's and Vercel's bundlers set "worker" next to "browser"; the package lists "worker" first.
  const edge = await browserChunks(program, ["worker", "browser"]);
  assert.ok(!all(edge).includes("dist/runtime/protocols/xml-parser-dom.js"), "the worker build never uses DOMParser");
  assert.ok(edge.lazy.get("dist/runtime/protocols/xml-parser.js"), [...edge.lazy.keys()].join(" "));
});

test("auth schemes other than SigV4 are lazy chunks of the services that use them only: SigV2 (SimpleDB), bearer (CodeCatalyst, Bedrock Runtime); DynamoDB and S3 carry neither", async () => {
  const program = (service: string, client: string, op: string, input: string): string => `
    import { ${client}, ${op} } from "tsaws/${service}";
    const client = new ${client}({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "s" } });
    export const call = () => client.send(${op}, ${input});
  `;
  const AUTH = ["dist/runtime/signer/sigv2.js", "dist/runtime/auth/bearer.js"];
  const everything = (c: { initial: string[]; lazy: Map<string, { inputs: string[] }> }): string[] => [...c.initial, ...[...c.lazy.values()].flatMap((l) => l.inputs)];
  for (const [service, client, op, input] of [
    ["dynamodb", "DynamoDBClient", "GetItem", `{ TableName: "t", Key: {} }`],
    ["s3", "S3Client", "GetObject", `{ Bucket: "b", Key: "k" }`],
  ] as const) {
    const all = everything(await browserChunks(program(service, client, op, input)));
    for (const file of AUTH) assert.ok(!all.includes(file), `${service} bundles ${file}`);
  }
  for (const [service, client, op, file] of [
    ["sdb", "SimpleDBClient", "ListDomains", "dist/runtime/signer/sigv2.js"],
    ["codecatalyst", "CodeCatalystClient", "ListSpaces", "dist/runtime/auth/bearer.js"],
    ["bedrock-runtime", "BedrockRuntimeClient", "ListAsyncInvokes", "dist/runtime/auth/bearer.js"],
  ] as const) {
    const chunks = await browserChunks(program(service, client, op, "{}"));
    assert.ok(!chunks.initial.includes(file), `${service}: ${file} is loaded before the first call`);
    assert.ok(chunks.lazy.get(file)?.inputs.includes(file), `${service}: ${file} is not a lazy chunk: ${[...chunks.lazy.keys()].join(" ")}`);
    for (const other of AUTH) if (other !== file) assert.ok(!everything(chunks).includes(other), `${service} bundles ${other}`);
  }
});
