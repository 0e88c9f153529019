// Browser bundle sizes: one small ESM program per contender and operation (DynamoDB GetItem,
// S3 GetObject), bundled by esbuild as an app would ship it (--bundle --minify
// --platform=browser --format=esm), measured raw and gzipped (level 9). tsaws is bundled
// from its built package (generated/ + dist/, "browser" conditions) in its tree-shakable
// form: bare client + operation constant. For tsaws the endpoint rule set's share is also
// reported twice: per input file from esbuild's metafile, and as the difference to a build
// whose generated/<svc>/endpoints.js (and, separately, the shared partitions data) is
// stubbed by a plugin.
//
// Code splitting is on (as an app would ship it): code reached only through a dynamic
// `import()` (tsaws: the XML reader of rest-xml responses, legacy/adaptive retry, SigV4a)
// lands in lazily loaded chunks. `raw`/`gzip` are the initial bytes (the entry chunk and
// the chunks it imports statically: what loads before the first call); `total*` counts
// every chunk, lazy ones included. Both are reported.
import { build, type Metafile, type Plugin } from "esbuild";
import { gzipSync } from "node:zlib";
import { resolve } from "node:path";
import type { Contender } from "./common.js";

export type BundleOp = "dynamodb-getitem" | "s3-getobject";
export const BUNDLE_OPS: readonly BundleOp[] = ["dynamodb-getitem", "s3-getobject"];

/** Bundle rows: the contenders plus informational variants. */
export type BundleRow = Contender | "tsaws (class)";

const CREDS = `{ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }`;

const ENTRIES: Record<BundleOp, Partial<Record<BundleRow, string>>> = {
  "dynamodb-getitem": {
    tsaws: `
import { DynamoDBClient, GetItem } from "tsaws/dynamodb";
const client = new DynamoDBClient({ region: "us-east-1", credentials: ${CREDS} });
export const getItem = (pk) => client.send(GetItem, { TableName: "t", Key: { pk: { S: pk } } });`,
    "tsaws (class)": `
import { DynamoDB } from "tsaws/dynamodb";
const ddb = new DynamoDB({ region: "us-east-1", credentials: ${CREDS} });
export const getItem = (pk) => ddb.getItem({ TableName: "t", Key: { pk: { S: pk } } });`,
    v3: `
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
const client = new DynamoDBClient({ region: "us-east-1", credentials: ${CREDS} });
export const getItem = (pk) => client.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: pk } } }));`,
    "aws-lite": `
import awsLite from "@aws-lite/client";
import dynamodb from "@aws-lite/dynamodb";
const aws = await awsLite({ region: "us-east-1", ...${CREDS}, plugins: [dynamodb] });
export const getItem = (pk) => aws.DynamoDB.GetItem({ TableName: "t", Key: { pk } });`,
    aws4fetch: `
import { AwsClient } from "aws4fetch";
const aws = new AwsClient({ ...${CREDS}, service: "dynamodb", region: "us-east-1" });
export const getItem = async (pk) => {
  const res = await aws.fetch("https://dynamodb.us-east-1.amazonaws.com/", {
    method: "POST",
    headers: { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.GetItem" },
    body: JSON.stringify({ TableName: "t", Key: { pk: { S: pk } } }),
  });
  return res.json();
};`,
  },
  "s3-getobject": {
    tsaws: `
import { S3Client, GetObject } from "tsaws/s3";
const client = new S3Client({ region: "us-east-1", credentials: ${CREDS} });
export const getObject = async (key) => (await client.send(GetObject, { Bucket: "b", Key: key })).Body.transformToString();`,
    "tsaws (class)": `
import { S3 } from "tsaws/s3";
const s3 = new S3({ region: "us-east-1", credentials: ${CREDS} });
export const getObject = async (key) => (await s3.getObject({ Bucket: "b", Key: key })).Body.transformToString();`,
    v3: `
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
const client = new S3Client({ region: "us-east-1", credentials: ${CREDS} });
export const getObject = async (key) => (await client.send(new GetObjectCommand({ Bucket: "b", Key: key }))).Body.transformToString();`,
    "aws-lite": `
import awsLite from "@aws-lite/client";
import s3 from "@aws-lite/s3";
const aws = await awsLite({ region: "us-east-1", ...${CREDS}, plugins: [s3] });
export const getObject = async (key) => String((await aws.S3.GetObject({ Bucket: "b", Key: key })).Body);`,
    aws4fetch: `
import { AwsClient } from "aws4fetch";
const aws = new AwsClient({ ...${CREDS}, service: "s3", region: "us-east-1" });
export const getObject = async (key) => (await aws.fetch("https://b.s3.us-east-1.amazonaws.com/" + encodeURIComponent(key))).text();`,
  },
};

export interface BundleSize {
  /** Initial bytes: the entry chunk plus its static imports (minified). */
  raw: number;
  gzip: number;
  /** Every chunk, lazily loaded ones included (equal to raw/gzip when nothing is lazy). */
  totalRaw?: number;
  totalGzip?: number;
  /** Lazily loaded chunks: count and minified bytes. */
  lazyChunks?: number;
}

export interface TsawsEndpointShare {
  /** bytesInOutput (minified, before gzip) per group of inputs, from the metafile. */
  metafile: { ruleSet: number; partitions: number; engine: number; total: number };
  /** The largest inputs of the tsaws bundle (minified bytes, grouped by package or runtime folder). */
  largest: { path: string; bytes: number }[];
  withoutRuleSet: BundleSize;
  withoutRuleSetAndPartitions: BundleSize;
}

export interface BundleResults {
  sizes: Record<BundleOp, Partial<Record<BundleRow, BundleSize | { error: string }>>>;
  tsawsEndpoints: Partial<Record<BundleOp, TsawsEndpointShare | { error: string }>>;
}

const STUB_RULESET = `export default {"version":"1.0","parameters":{},"rules":[]};`;
const STUB_PARTITIONS = `export default {"version":"1.1","partitions":[]};`;

function stubPlugin(stubPartitions: boolean): Plugin {
  return {
    name: "bench-stub-endpoints",
    setup(b) {
      b.onResolve({ filter: /^\.\/endpoints\.js$/ }, (args) =>
        /[\\/]generated[\\/][^\\/]+$/.test(args.resolveDir) ? { path: "ruleset", namespace: "bench-stub" } : undefined,
      );
      if (stubPartitions) {
        b.onResolve({ filter: /partitions(\.js)?$/ }, (args) =>
          /[\\/]generated[\\/]/.test(args.importer) ? { path: "partitions", namespace: "bench-stub" } : undefined,
        );
      }
      b.onLoad({ filter: /.*/, namespace: "bench-stub" }, (args) => ({
        contents: args.path === "ruleset" ? STUB_RULESET : STUB_PARTITIONS,
        loader: "js",
      }));
    },
  };
}

async function bundle(
  root: string,
  source: string,
  plugins: Plugin[] = [],
): Promise<{ size: BundleSize; metafile: Metafile; initial: ReadonlySet<string> }> {
  const r = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: "entry.js", loader: "js" },
    bundle: true,
    minify: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
    splitting: true,
    outdir: "out",
    plugins,
  });
  // Initial = the entry chunk and, transitively, the chunks it imports statically. The entry
  // chunk is the one built from the program (stdin's sourcefile, which the metafile names
  // relative to the working directory): each dynamic import() target is an entry point of its
  // own chunk too, listed in no fixed order.
  const outputs = r.metafile.outputs;
  const program = resolve(root, "entry.js");
  const entry = Object.keys(outputs).find((k) => {
    const ep = outputs[k]!.entryPoint;
    return ep !== undefined && resolve(ep) === program;
  })!;
  const initial = new Set<string>();
  const visit = (k: string): void => {
    if (initial.has(k)) return;
    initial.add(k);
    for (const i of outputs[k]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  visit(entry);
  const size: BundleSize = { raw: 0, gzip: 0, totalRaw: 0, totalGzip: 0, lazyChunks: 0 };
  for (const f of r.outputFiles) {
    const rel = Object.keys(outputs).find((k) => f.path.endsWith(k.replace(/^out\//, "/")))!;
    const gz = gzipSync(f.contents, { level: 9 }).length;
    size.totalRaw! += f.contents.length;
    size.totalGzip! += gz;
    if (initial.has(rel)) {
      size.raw += f.contents.length;
      size.gzip += gz;
    } else size.lazyChunks!++;
  }
  return { size, metafile: r.metafile, initial };
}

/** Groups a metafile input: a package by name, a runtime folder, or a generated file. */
function group(path: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg) return pkg[1]!;
  const rt = /(?:dist\/)?runtime\/([^/]+\/)?/.exec(path);
  if (rt) return `runtime/${rt[1] ?? path.slice(path.lastIndexOf("/") + 1)}`;
  return path;
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split("\n").slice(0, 3).join(" ").slice(0, 300);
}

export async function measureBundles(
  root: string,
  rows: readonly BundleRow[],
  log: (l: string) => void,
): Promise<BundleResults> {
  const res: BundleResults = { sizes: { "dynamodb-getitem": {}, "s3-getobject": {} }, tsawsEndpoints: {} };
  for (const op of BUNDLE_OPS) {
    for (const row of rows) {
      const src = ENTRIES[op][row];
      if (src === undefined) continue;
      try {
        const { size, metafile, initial } = await bundle(root, src);
        res.sizes[op][row] = size;
        log(
          `  bundle ${op} ${row}: ${size.raw} B, ${size.gzip} B gzip` +
            (size.lazyChunks ? ` initial; ${size.totalRaw} B, ${size.totalGzip} B gzip with ${size.lazyChunks} lazy chunk(s)` : ""),
        );
        if (row === "tsaws") {
          try {
            const sum = (re: RegExp): number => {
              let n = 0;
              for (const o of Object.values(metafile.outputs)) {
                for (const [path, i] of Object.entries(o.inputs)) if (re.test(path)) n += i.bytesInOutput;
              }
              return n;
            };
            const ruleSet = sum(/generated\/[^/]+\/endpoints\.js$/);
            const partitions = sum(/partitions\.js$/);
            const engine = sum(/runtime\/endpoints?[/.]/);
            const withoutRuleSet = (await bundle(root, src, [stubPlugin(false)])).size;
            const withoutRuleSetAndPartitions = (await bundle(root, src, [stubPlugin(true)])).size;
            const inputs = new Map<string, number>();
            for (const [out, o] of Object.entries(metafile.outputs)) {
              const lazy = initial.has(out) ? "" : " (lazy)";
              for (const [path, i] of Object.entries(o.inputs)) {
                const g = group(path) + lazy;
                inputs.set(g, (inputs.get(g) ?? 0) + i.bytesInOutput);
              }
            }
            const largest = [...inputs]
              .sort((a, b) => b[1] - a[1])
              .slice(0, 14)
              .map(([path, bytes]) => ({ path, bytes }));
            res.tsawsEndpoints[op] = {
              metafile: { ruleSet, partitions, engine, total: size.raw },
              largest,
              withoutRuleSet,
              withoutRuleSetAndPartitions,
            };
          } catch (e) {
            res.tsawsEndpoints[op] = { error: firstLine(e) };
          }
        }
      } catch (e) {
        res.sizes[op][row] = { error: firstLine(e) };
        log(`  bundle ${op} ${row}: FAILED ${firstLine(e)}`);
      }
    }
  }
  return res;
}
