// S3 CopyObject, UploadPartCopy and CompleteMultipartUpload may answer 200 and then fail: the
// error arrives in the body (covered in faults.test.ts), or the connection delivers headers and
// an EMPTY body. botocore (handlers.py `_handle_200_error` / `_looks_like_special_case_error`)
// treats an empty or unparseable 200 body of these operations as a 500 InternalError, which its
// retry handler retries. Reporting it as success would hand the caller an output without the
// result (no ETag, no CopyObjectResult) for a copy or upload that may not have happened.
//
// tsaws marks these operations in the S3 customization (codegen/customizations.ts, schema `eb`)
// and the client turns an empty 200 into a server-fault InternalError, which is retried. The
// control cases: an empty 200 is a real success for other operations.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { S3 } from "tsaws/s3";
import { ServiceError, type ClientConfig } from "tsaws";
import { startFaultServer, watchUnhandledRejections, type FaultResponse, type FaultServer } from "../support/fault-server.ts";
import { countedTests } from "../support/counted.ts";

const check = countedTests("integration s3 empty 200");

const unhandled = watchUnhandledRejections();
let server: FaultServer;
const clients: S3[] = [];

function s3(extra: Partial<ClientConfig> = {}): S3 {
  const c = new S3({
    region: "us-east-1",
    endpoint: server.url,
    forcePathStyle: true,
    credentials: { accessKeyId: "AKIDEMPTY200", secretAccessKey: "empty-200-secret" },
    requestChecksumCalculation: "when_required",
    maxAttempts: 1,
    ...extra,
  });
  clients.push(c);
  return c;
}

before(async () => {
  server = await startFaultServer({ holdMs: 2000 });
});

after(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  await new Promise((r) => setTimeout(r, 20));
  unhandled.dispose();
  unhandled.assertNone();
});

const XML = { "content-type": "application/xml" };
/** Headers, status 200, Content-Length: 0. */
const EMPTY_200: FaultResponse = { status: 200, headers: { "x-amz-request-id": "empty-req" } };

/** The three operations, each with a valid success body to answer a retry with. */
const OPS: { name: string; call: (c: S3) => Promise<{ $metadata: { attempts: number } }>; ok: FaultResponse; result: (o: unknown) => unknown }[] = [
  {
    name: "CopyObject",
    call: (c) => c.copyObject({ Bucket: "bucket", Key: "dst", CopySource: "bucket/src" }),
    ok: { status: 200, headers: XML, body: '<CopyObjectResult><ETag>"copied"</ETag></CopyObjectResult>' },
    result: (o) => (o as { CopyObjectResult?: { ETag?: string } }).CopyObjectResult?.ETag,
  },
  {
    name: "UploadPartCopy",
    call: (c) => c.uploadPartCopy({ Bucket: "bucket", Key: "dst", CopySource: "bucket/src", PartNumber: 1, UploadId: "up-1" }),
    ok: { status: 200, headers: XML, body: '<CopyPartResult><ETag>"copied"</ETag></CopyPartResult>' },
    result: (o) => (o as { CopyPartResult?: { ETag?: string } }).CopyPartResult?.ETag,
  },
  {
    name: "CompleteMultipartUpload",
    call: (c) =>
      c.completeMultipartUpload({ Bucket: "bucket", Key: "dst", UploadId: "up-1", MultipartUpload: { Parts: [{ ETag: '"p1"', PartNumber: 1 }] } }),
    ok: { status: 200, headers: XML, body: '<CompleteMultipartUploadResult><ETag>"copied"</ETag></CompleteMultipartUploadResult>' },
    result: (o) => (o as { ETag?: string }).ETag,
  },
];

check("control: each operation's real 200 body parses (the fake answers are well-formed)", async () => {
  const c = s3();
  for (const op of OPS) {
    server.reset([op.ok]);
    const out = await op.call(c);
    assert.equal(op.result(out), '"copied"', op.name);
    assert.equal(server.requests.length, 1, op.name);
  }
});

check("control: an empty 200 is still a success for operations that do not report errors in a 200 body", async () => {
  const c = s3();
  server.reset([EMPTY_200]);
  const put = await c.putObject({ Bucket: "bucket", Key: "k", Body: "x" });
  assert.equal(put.$metadata.httpStatusCode, 200);
  server.reset([EMPTY_200]);
  await c.deleteObject({ Bucket: "bucket", Key: "k" }); // 204 normally; a 200 with no body is fine too
  server.reset([{ ...EMPTY_200, headers: { ...EMPTY_200.headers, "content-type": "application/octet-stream" } }]);
  const got = await c.getObject({ Bucket: "bucket", Key: "empty" }); // streaming output: empty object
  assert.equal((await got.Body!.transformToByteArray()).length, 0);
});

check("CopyObject, UploadPartCopy, CompleteMultipartUpload: an empty 200 body is a server-fault InternalError, not a success", async () => {
  const c = s3();
  for (const op of OPS) {
    server.reset([EMPTY_200]);
    let outcome: unknown;
    try {
      outcome = await op.call(c);
    } catch (e) {
      outcome = e;
    }
    assert.ok(outcome instanceof ServiceError, `${op.name}: an empty 200 was reported as success: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.code, "InternalError", op.name);
    assert.equal(outcome.$fault, "server", op.name);
    assert.equal(outcome.$metadata.httpStatusCode, 200, op.name);
    assert.equal(outcome.$metadata.requestId, "empty-req", op.name);
    assert.equal(outcome.$metadata.attempts, 1, op.name);
  }
});

check("an empty 200 body on a copy is retried like a 500, and the retry's real answer is returned", async () => {
  const c = s3({ maxAttempts: 3, retryMode: "standard" });
  for (const op of OPS) {
    server.reset([EMPTY_200, op.ok]);
    const out = await op.call(c);
    assert.equal(server.requests.length, 2, `${op.name}: the empty 200 was not retried`);
    assert.equal(op.result(out), '"copied"', op.name);
    assert.equal(out.$metadata.attempts, 2, op.name);
  }
});
