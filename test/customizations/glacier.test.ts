// Glacier's customizations (runtime/customizations/glacier.ts): the API version header, the
// "-" account id, and the payload and tree hashes of uploads, through the generated client with a
// recording transport; every signed request is checked by the independent SigV4 verifier.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { Glacier } from "tsaws/glacier";
import { glacierTreeHash } from "../../runtime/customizations/glacier.ts";
import type { HttpRequest } from "../../runtime/http/types.js";
import { verifySigV4 } from "../support/sigv4-verify.ts";
import { CREDENTIALS, hermetic, recorder } from "./support.ts";

const MiB = 1024 * 1024;
const hex = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");

/** The tree hash computed apart from the runtime: node:crypto, recursively over halves of the leaves. */
function referenceTreeHash(bytes: Uint8Array): string {
  const leaves: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += MiB) leaves.push(createHash("sha256").update(bytes.subarray(i, i + MiB)).digest());
  if (leaves.length === 0) return hex(new Uint8Array(0));
  // Pairwise from the left, level by level; an odd last hash rises as it is.
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(createHash("sha256").update(Buffer.concat([level[i]!, level[i + 1]!])).digest());
    if (level.length % 2) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!.toString("hex");
}

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 20) * 7) & 0xff;
  return b;
}

async function bodyOf(r: HttpRequest): Promise<Uint8Array> {
  const b = r.body;
  if (b === undefined) return new Uint8Array(0);
  if (typeof b === "string") return new TextEncoder().encode(b);
  if (b instanceof Uint8Array) return b;
  throw new Error(`the body was not sent as bytes: ${Object.prototype.toString.call(b)}`);
}

async function assertVerifies(r: HttpRequest): Promise<void> {
  const verdict = verifySigV4(
    { method: r.method, path: r.path, query: r.query, headers: r.headers, body: await bodyOf(r) },
    { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: Date.now() },
  );
  assert.deepEqual(verdict, { ok: true, accessKeyId: CREDENTIALS.accessKeyId });
}

test("Glacier: the tree hash matches an independent computation for 0 B, 1 B, 1 MiB, 1 MiB + 1 and 3.5 MiB", async () => {
  for (const size of [0, 1, MiB, MiB + 1, 3.5 * MiB]) {
    const bytes = pattern(size);
    const got = Buffer.from(await glacierTreeHash(bytes)).toString("hex");
    assert.equal(got, referenceTreeHash(bytes), `size ${size}`);
  }
  // Sizes up to one chunk hash as the plain SHA-256; beyond, they do not.
  assert.equal(referenceTreeHash(pattern(MiB)), hex(pattern(MiB)));
  assert.notEqual(referenceTreeHash(pattern(MiB + 1)), hex(pattern(MiB + 1)));
});

test("Glacier: every request carries x-amz-glacier-version; accountId defaults to '-', the caller's input untouched", async () => {
  const http = recorder(() => ({ body: '{"VaultList":[]}' }));
  const glacier = new Glacier(hermetic(http));
  const input = {};
  await glacier.listVaults(input);
  let r = http.only();
  assert.equal(r.path, "/-/vaults");
  assert.equal(r.headers["x-amz-glacier-version"], "2012-06-01");
  assert.deepEqual(input, {});
  await assertVerifies(r);

  await glacier.listVaults({ accountId: "123456789012" });
  r = http.only();
  assert.equal(r.path, "/123456789012/vaults");
  assert.equal(r.headers["x-amz-glacier-version"], "2012-06-01");

  await glacier.describeVault({ vaultName: "v1" });
  r = http.only();
  assert.equal(r.path, "/-/vaults/v1");
  assert.equal(r.headers["x-amz-glacier-version"], "2012-06-01");
  await assertVerifies(r);
});

test("Glacier: UploadArchive sends the payload SHA-256 and tree hash for text, bytes, a Blob, a web stream and a Node stream; signed", async () => {
  const http = recorder(() => ({ status: 201, headers: { "x-amz-archive-id": "a1", "content-type": "application/json" }, body: "" }));
  const glacier = new Glacier(hermetic(http));
  const bytes = pattern(2.5 * MiB);
  const cases: [string, () => unknown, Uint8Array][] = [
    ["text", () => "hello glacier", new TextEncoder().encode("hello glacier")],
    ["bytes", () => bytes, bytes],
    ["Blob", () => new Blob([bytes]), bytes],
    ["web stream", () => new Blob([bytes]).stream(), bytes],
    ["node stream", () => Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), bytes],
    ["empty", () => new Uint8Array(0), new Uint8Array(0)],
  ];
  for (const [name, body, expected] of cases) {
    const out = await glacier.uploadArchive({ vaultName: "v1", body: body() as Uint8Array });
    assert.equal(out.archiveId, "a1");
    const r = http.only();
    assert.equal(r.method, "POST");
    assert.equal(r.path, "/-/vaults/v1/archives");
    assert.equal(r.headers["x-amz-content-sha256"], hex(expected), name);
    assert.equal(r.headers["x-amz-sha256-tree-hash"], referenceTreeHash(expected), name);
    assert.deepEqual(await bodyOf(r), expected, name);
    await assertVerifies(r);
  }
});

test("Glacier: a caller's checksum is sent instead of the computed tree hash; UploadMultipartPart hashes its part", async () => {
  const http = recorder(() => ({ status: 204, body: "" }));
  const glacier = new Glacier(hermetic(http));
  const part = pattern(3.5 * MiB);
  await glacier.uploadMultipartPart({ vaultName: "v1", uploadId: "u1", range: `bytes 0-${part.length - 1}/*`, body: part });
  let r = http.only();
  assert.equal(r.path, "/-/vaults/v1/multipart-uploads/u1");
  assert.equal(r.headers["x-amz-sha256-tree-hash"], referenceTreeHash(part));
  assert.equal(r.headers["x-amz-content-sha256"], hex(part));
  await assertVerifies(r);

  await glacier.uploadMultipartPart({ vaultName: "v1", uploadId: "u1", checksum: "c".repeat(64), body: "abc" });
  r = http.only();
  assert.equal(r.headers["x-amz-sha256-tree-hash"], "c".repeat(64));
  assert.equal(r.headers["x-amz-content-sha256"], hex("abc"));
  await assertVerifies(r);

  // Other operations send no payload hashes of their own.
  await glacier.listVaults({});
  assert.equal(http.only().headers["x-amz-sha256-tree-hash"], undefined);
});
