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
