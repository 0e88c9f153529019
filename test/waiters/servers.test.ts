// Waiters through the generated clients against real local servers: S3's bucketExists,
// bucketNotExists, objectExists and objectNotExists (status matchers on HEAD) on s3rver, and
// DynamoDB's tableExists (path Table.TableStatus == ACTIVE; ResourceNotFoundException retries)
// and tableNotExists (success on ResourceNotFoundException) on dynalite. Delays are shortened
// through the options so each case takes milliseconds.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { S3, waitForObjectExists } from "tsaws/s3";
import { DynamoDB, ResourceNotFoundException } from "tsaws/dynamodb";
import { WaiterTimeoutError } from "../../runtime/waiter.ts";
import { startS3rver, startDynalite, S3RVER_CREDENTIALS, LOCAL_CREDENTIALS, type LocalServer, assertAllSigned } from "../support/servers.ts";

let s3server: LocalServer;
let ddbServer: LocalServer;
let s3: S3;
let ddb: DynamoDB;

before(async () => {
  [s3server, ddbServer] = await Promise.all([startS3rver(), startDynalite()]);
  s3 = new S3({
    region: "us-east-1",
    endpoint: s3server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: "when_required",
  });
  ddb = new DynamoDB({ region: "us-east-1", endpoint: ddbServer.endpoint, credentials: LOCAL_CREDENTIALS });
});

after(async () => {
  s3?.destroy();
  ddb?.destroy();
  await Promise.all([s3server?.close(), ddbServer?.close()]);
});

test("S3 bucketExists / bucketNotExists", async () => {
  const Bucket = "tsaws-waiters";
  await assert.rejects(s3.waitFor.bucketExists({ Bucket }, { delay: 0.01, maxAttempts: 2 }), WaiterTimeoutError);
  const gone = await s3.waitFor.bucketNotExists({ Bucket }, { delay: 0.01, maxAttempts: 2 });
  assert.equal(gone.attempts, 1);
  assert.equal(gone.lastError?.$metadata.httpStatusCode, 404);
  setTimeout(() => void s3.createBucket({ Bucket }), 150);
  const result = await s3.waitFor.bucketExists({ Bucket }, { delay: 0.05, maxAttempts: 40 });
  assert.equal(result.state, "success");
  assert.ok(result.attempts > 1, "the bucket appeared while the waiter polled");
  assert.equal(result.lastResponse?.$metadata.httpStatusCode, 200);
  await s3.deleteBucket({ Bucket });
  assert.equal((await s3.waitFor.bucketNotExists({ Bucket }, { delay: 0.01 })).attempts, 1);
});

test("S3 objectExists / objectNotExists (standalone form too)", async () => {
  const Bucket = "tsaws-waiters-objects";
  await s3.createBucket({ Bucket });
  let put: Promise<unknown> | undefined;
  setTimeout(() => (put = s3.putObject({ Bucket, Key: "later.txt", Body: "here" })), 150);
  const result = await waitForObjectExists(s3, { Bucket, Key: "later.txt" }, { maxWaitSeconds: 10, minDelay: 0.05, maxDelay: 0.1 });
  assert.ok(result.attempts > 1);
  // s3rver answers HEAD as soon as the object file exists, possibly before its bytes are written.
  assert.equal(typeof result.lastResponse?.ContentLength, "number");
  await put;
  assert.equal((await s3.headObject({ Bucket, Key: "later.txt" })).ContentLength, 4);
  await s3.deleteObject({ Bucket, Key: "later.txt" });
  const gone = await s3.waitFor.objectNotExists({ Bucket, Key: "later.txt" }, { delay: 0.01, maxAttempts: 3 });
  assert.equal(gone.lastError?.$metadata.httpStatusCode, 404);
});

test("DynamoDB tableExists / tableNotExists", async () => {
  const TableName = "Waited";
  // No table: ResourceNotFoundException is a retry state, so the waiter runs out of attempts.
  await assert.rejects(ddb.waitFor.tableExists({ TableName }, { delay: 0.01, maxAttempts: 3 }), (e: unknown) => {
    assert.ok(e instanceof WaiterTimeoutError);
    assert.equal(e.attempts, 3);
    assert.ok(e.lastError instanceof ResourceNotFoundException);
    return true;
  });
  await ddb.createTable({
    TableName,
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
  const exists = await ddb.waitFor.tableExists({ TableName }, { maxWaitSeconds: 10, minDelay: 0.02, maxDelay: 0.1 });
  assert.equal(exists.lastResponse?.Table?.TableStatus, "ACTIVE");
  assert.match(exists.reason, /Table\.TableStatus == "ACTIVE"/);
  await ddb.deleteTable({ TableName });
  const gone = await ddb.waitFor.tableNotExists({ TableName }, { delay: 0.02, maxAttempts: 50 });
  assert.ok(gone.lastError instanceof ResourceNotFoundException);
  assert.equal(gone.lastResponse, undefined);
});

test("every request carried a valid SigV4 signature (checked by the verifying proxies)", () => {
  assertAllSigned(s3server);
  assertAllSigned(ddbServer);
});
