// S3 through the generated client against a real s3rver on 127.0.0.1, behind the proxy that
// verifies SigV4 signatures (test/support/servers.ts; s3rver checks only the access key): buckets, objects with streamed bodies, copy, listing, and typed errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { S3, S3Client, GetObject, NoSuchKey, NoSuchBucket } from "tsaws/s3";
import { ServiceError } from "tsaws";
import { createHttpHandler } from "../../runtime/http/node.js";
import { startS3rver, S3RVER_CREDENTIALS, type LocalServer, assertAllSigned } from "../support/servers.ts";

let server: LocalServer;
let s3: S3;
const Bucket = "tsaws-it";

before(async () => {
  server = await startS3rver();
  s3 = new S3({
    region: "us-east-1",
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: "when_required",
  });
  await s3.createBucket({ Bucket });
});

after(async () => {
  s3?.destroy();
  await server?.close();
});

test("put and get an object from a string", async () => {
  const put = await s3.putObject({ Bucket, Key: "a.txt", Body: "hello world", ContentType: "text/plain" });
  assert.equal(put.$metadata.httpStatusCode, 200);
  assert.ok(put.ETag);
  const got = await s3.getObject({ Bucket, Key: "a.txt" });
  assert.equal(got.ContentType, "text/plain");
  assert.equal(got.ContentLength, 11);
  assert.equal(await got.Body!.transformToString(), "hello world");
  assert.equal(got.$metadata.attempts, 1);
});

test("put a streamed body (node Readable and web ReadableStream) and read it back as a stream", async () => {
  const chunks = Array.from({ length: 64 }, (_, i) => new Uint8Array(1024).fill(i));
  await s3.putObject({ Bucket, Key: "stream.bin", Body: Readable.from(chunks), ContentLength: 64 * 1024 });
  const got = await s3.getObject({ Bucket, Key: "stream.bin" });
  let total = 0;
  let first = -1;
  for await (const chunk of got.Body!) {
    if (first < 0) first = chunk[0]!;
    total += chunk.length;
  }
  assert.equal(total, 64 * 1024);
  assert.equal(first, 0);
  const web = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode("web "));
      c.enqueue(new TextEncoder().encode("stream"));
      c.close();
    },
  });
  await s3.putObject({ Bucket, Key: "web.txt", Body: web, ContentLength: 10 });
  const bytes = await (await s3.getObject({ Bucket, Key: "web.txt" })).Body!.transformToByteArray();
  assert.equal(new TextDecoder().decode(bytes), "web stream");
});

test("head, copy, list and delete", async () => {
  await s3.putObject({ Bucket, Key: "src.txt", Body: new TextEncoder().encode("copy me"), Metadata: { owner: "tsaws" } });
  const head = await s3.headObject({ Bucket, Key: "src.txt" });
  assert.equal(head.ContentLength, 7);
  assert.equal(head.Metadata?.owner, "tsaws");
  const copy = await s3.copyObject({ Bucket, Key: "dst.txt", CopySource: `${Bucket}/src.txt` });
  assert.ok(copy.CopyObjectResult?.ETag);
  assert.equal(await (await s3.getObject({ Bucket, Key: "dst.txt" })).Body!.transformToString(), "copy me");
  const list = await s3.listObjectsV2({ Bucket, Prefix: "d" });
  assert.deepEqual(list.Contents?.map((o) => o.Key), ["dst.txt"]);
  assert.ok(list.Contents?.[0]?.LastModified instanceof Date);
  await s3.deleteObject({ Bucket, Key: "dst.txt" });
  const after = await s3.listObjectsV2({ Bucket, Prefix: "d" });
  assert.equal(after.KeyCount, 0);
});

test("a streamed upload is copied, headed, read back as a stream and deleted", async () => {
  // "stream.bin" was uploaded from a node Readable by the streamed-body test above.
  const copy = await s3.copyObject({ Bucket, Key: "stream-copy.bin", CopySource: `${Bucket}/stream.bin` });
  assert.ok(copy.CopyObjectResult?.ETag);
  const head = await s3.headObject({ Bucket, Key: "stream-copy.bin" });
  assert.equal(head.ContentLength, 64 * 1024);
  const got = await s3.getObject({ Bucket, Key: "stream-copy.bin" });
  const seen = new Uint8Array(64);
  let total = 0;
  for await (const chunk of got.Body!) {
    for (let i = 0; i < chunk.length; i++) seen[Math.floor((total + i) / 1024)] = chunk[i]!;
    total += chunk.length;
  }
  assert.equal(total, 64 * 1024);
  assert.deepEqual([...seen], Array.from({ length: 64 }, (_, i) => i), "each 1 KiB block holds its own byte");
  await s3.deleteObject({ Bucket, Key: "stream-copy.bin" });
  const gone = await s3.headObject({ Bucket, Key: "stream-copy.bin" }).catch((e: unknown) => e);
  assert.ok(gone instanceof ServiceError, `got ${String(gone)}`);
  assert.equal(gone.$metadata.httpStatusCode, 404);
});

test("the bare client sends only the operation it is given", async () => {
  const bare = new S3Client({ region: "us-east-1", endpoint: server.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  try {
    const got = await bare.send(GetObject, { Bucket, Key: "a.txt" });
    assert.equal(await got.Body!.transformToString(), "hello world");
  } finally {
    bare.destroy();
  }
});

test("NoSuchKey and NoSuchBucket are typed errors", async () => {
  const e1 = await s3.getObject({ Bucket, Key: "missing" }).catch((e: unknown) => e);
  assert.ok(e1 instanceof NoSuchKey, `got ${String(e1)}`);
  assert.ok(e1 instanceof ServiceError);
  assert.equal(e1.code, "NoSuchKey");
  assert.equal(e1.$metadata.httpStatusCode, 404);
  assert.equal(e1.$fault, "client");
  const e2 = await s3.listObjectsV2({ Bucket: "no-such-bucket-here" }).catch((e: unknown) => e);
  assert.ok(e2 instanceof NoSuchBucket, `got ${String(e2)}`);
  // Stack traces show the caller.
  assert.match(String((e2 as Error).stack), /s3\.test\.ts/);
});

test("a missing URI label fails before anything is sent", async () => {
  const e = await s3.getObject({ Bucket, Key: "" }).catch((err: unknown) => err);
  assert.equal((e as Error).name, "RequestFormError");
});

test("response checksums: GetObject asks for them (x-amz-checksum-mode: ENABLED); s3rver sends none, so every read works as it is", async () => {
  const real = createHttpHandler();
  const sent: Record<string, string>[] = [];
  const client = new S3({
    region: "us-east-1",
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: "when_required",
    httpHandler: { handle: (r, o) => (sent.push(r.headers), real.handle(r, o)), destroy: () => real.destroy?.() },
  });
  try {
    await client.putObject({ Bucket, Key: "ck.txt", Body: "checked or not" });
    const got = await client.getObject({ Bucket, Key: "ck.txt" });
    assert.equal(sent.at(-1)!["x-amz-checksum-mode"], "ENABLED");
    assert.equal(got.ChecksumCRC32, undefined);
    assert.equal(await got.Body!.transformToString(), "checked or not");
    const again = await client.getObject({ Bucket, Key: "ck.txt", ChecksumMode: "ENABLED" });
    const parts: Uint8Array[] = [];
    for await (const c of again.Body!) parts.push(c);
    assert.equal(Buffer.concat(parts).toString(), "checked or not");
  } finally {
    client.destroy();
  }
});

test("every request carried a valid SigV4 signature (checked by the verifying proxy)", () => assertAllSigned(server, 10));
