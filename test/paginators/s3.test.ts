// S3 paginators through the generated client against s3rver (127.0.0.1): 2,500 keys listed
// with ListObjectsV2 (continuation tokens; s3rver's need --openssl-legacy-provider, which
// test/run.ts passes) and ListObjects (`NextMarker || Contents[-1].Key`), every key exactly
// once; maxItems + resumeToken; items(), search() and fullResult(); the standalone
// paginateListObjectsV2 on the bare client.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { S3, S3Client, paginateListObjectsV2 } from "tsaws/s3";
import { decodeToken } from "../../runtime/paginate.ts";
import { startS3rver, S3RVER_CREDENTIALS, type LocalServer, assertAllSigned } from "../support/servers.ts";

let server: LocalServer;
let s3: S3;
let bare: S3Client;
const Bucket = "tsaws-paginate";
const KEYS = Array.from({ length: 2500 }, (_, n) => `key-${String(n).padStart(5, "0")}`);

before(async () => {
  server = await startS3rver();
  const config = {
    region: "us-east-1",
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: "when_required",
  } as const;
  s3 = new S3(config);
  bare = new S3Client(config);
  await s3.createBucket({ Bucket });
  for (let n = 0; n < KEYS.length; n += 100) {
    await Promise.all(KEYS.slice(n, n + 100).map((Key) => s3.putObject({ Bucket, Key, Body: "x" })));
  }
});

after(async () => {
  s3?.destroy();
  bare?.destroy();
  await server?.close();
});

/** Asserts `keys` is KEYS exactly (each once, in order). */
function assertAllOnce(keys: string[]): void {
  assert.equal(keys.length, KEYS.length);
  assert.equal(new Set(keys).size, KEYS.length, "a key was listed twice");
  assert.deepEqual(keys, KEYS);
}

test("ListObjectsV2: 2,500 keys over pages of 300, each key exactly once", async () => {
  const keys: string[] = [];
  let pages = 0;
  for await (const page of s3.paginate.listObjectsV2({ Bucket }, { pageSize: 300 })) {
    pages++;
    assert.ok((page.Contents?.length ?? 0) <= 300);
    assert.equal(page.$metadata.httpStatusCode, 200);
    for (const o of page.Contents ?? []) keys.push(o.Key!);
  }
  assert.equal(pages, Math.ceil(2500 / 300));
  assertAllOnce(keys);
});

test("ListObjectsV2 items() with S3's default page size (1,000), on the bare client", async () => {
  const keys: string[] = [];
  const paginator = paginateListObjectsV2(bare, { Bucket });
  for await (const object of paginator.items()) keys.push(object.Key!);
  assertAllOnce(keys);
  assert.equal(paginator.resumeToken, undefined);
});

test("ListObjects (v1) follows `NextMarker || Contents[-1].Key`", async () => {
  const keys: string[] = [];
  let pages = 0;
  for await (const page of s3.paginate.listObjects({ Bucket }, { pageSize: 700 })) {
    pages++;
    for (const o of page.Contents ?? []) keys.push(o.Key!);
  }
  assert.equal(pages, 4);
  assertAllOnce(keys);
});

test("maxItems stops mid-page; the resumeToken continues exactly after the last key", async () => {
  const first = s3.paginate.listObjectsV2({ Bucket }, { pageSize: 500, maxItems: 1234 });
  const head: string[] = [];
  for await (const o of first.items()) head.push(o.Key!);
  assert.deepEqual(head, KEYS.slice(0, 1234));
  const token = first.resumeToken;
  assert.ok(token);
  assert.equal(decodeToken(token)?.boto_truncate_amount, 234);
  const second = s3.paginate.listObjectsV2({ Bucket }, { pageSize: 500, maxItems: 1000, startingToken: token });
  const middle: string[] = [];
  for await (const o of second.items()) middle.push(o.Key!);
  const third = s3.paginate.listObjectsV2({ Bucket }, { pageSize: 500, startingToken: second.resumeToken });
  const tail: string[] = [];
  for await (const o of third.items()) tail.push(o.Key!);
  assert.equal(third.resumeToken, undefined);
  assertAllOnce([...head, ...middle, ...tail]);
});

test("search() and fullResult() over the pages", async () => {
  const found: unknown[] = [];
  for await (const key of s3.paginate.listObjectsV2({ Bucket, Prefix: "key-000" }, { pageSize: 30 }).search("Contents[?Size == `1`].Key")) {
    found.push(key);
  }
  assert.deepEqual(found, KEYS.slice(0, 100));
  const full = await s3.paginate.listObjectsV2({ Bucket }, { pageSize: 400, maxItems: 900 }).fullResult();
  assert.deepEqual(
    full.Contents?.map((o) => o.Key),
    KEYS.slice(0, 900),
  );
  assert.ok(full.NextToken);
});

test("every request carried a valid SigV4 signature (checked by the verifying proxy)", () => assertAllSigned(server, 10));
