// The `make` demo: starts s3rver and dynalite on 127.0.0.1, then uses the generated clients
// exactly as an application would (`import { S3 } from "tsaws/s3"`), printing each step.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import dynalite from "dynalite";
import { S3, NoSuchKey } from "tsaws/s3";
import { DynamoDB, ConditionalCheckFailedException } from "tsaws/dynamodb";

const log = (...a) => console.log("  ", ...a);

async function s3Demo() {
  const dir = mkdtempSync(join(tmpdir(), "tsaws-demo-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir });
  const { port } = await server.run();
  const s3 = new S3({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "when_required",
  });
  try {
    console.log(`S3 (s3rver on port ${port})`);
    await s3.createBucket({ Bucket: "demo-bucket" });
    log("createBucket demo-bucket");
    await s3.putObject({ Bucket: "demo-bucket", Key: "hello.txt", Body: "Hello from tsaws!", ContentType: "text/plain" });
    log("putObject hello.txt");
    const got = await s3.getObject({ Bucket: "demo-bucket", Key: "hello.txt" });
    log(`getObject hello.txt -> "${await got.Body.transformToString()}" (${got.ContentLength} bytes, ${got.ContentType})`);
    const list = await s3.listObjectsV2({ Bucket: "demo-bucket" });
    log(`listObjectsV2 -> ${list.Contents.map((o) => o.Key).join(", ")}`);
    await s3.waitFor.objectExists({ Bucket: "demo-bucket", Key: "hello.txt" }, { maxWaitSeconds: 10 });
    log("waitFor.objectExists hello.txt -> ready");
    for (let i = 0; i < 5; i++) await s3.putObject({ Bucket: "demo-bucket", Key: `page/${i}.txt`, Body: String(i) });
    const keys = [];
    let pages = 0;
    for await (const page of s3.paginate.listObjectsV2({ Bucket: "demo-bucket", Prefix: "page/" }, { pageSize: 2 })) {
      pages++;
      for (const o of page.Contents ?? []) keys.push(o.Key);
    }
    log(`paginate.listObjectsV2 (2 per page) -> ${keys.length} keys in ${pages} pages`);
    for (const key of keys) await s3.deleteObject({ Bucket: "demo-bucket", Key: key });
    try {
      await s3.getObject({ Bucket: "demo-bucket", Key: "missing.txt" });
    } catch (e) {
      log(`getObject missing.txt -> ${e.name} (instanceof NoSuchKey: ${e instanceof NoSuchKey}, HTTP ${e.$metadata.httpStatusCode})`);
    }
    await s3.deleteObject({ Bucket: "demo-bucket", Key: "hello.txt" });
    log("deleteObject hello.txt");
  } finally {
    s3.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function dynamoDemo() {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  const ddb = new DynamoDB({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "AKIDDEMO", secretAccessKey: "demo" },
  });
  try {
    console.log(`DynamoDB (dynalite on port ${port})`);
    await ddb.createTable({
      TableName: "Demo",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    log("createTable Demo");
    await ddb.waitFor.tableExists({ TableName: "Demo" }, { maxWaitSeconds: 30 });
    log("waitFor.tableExists Demo -> ACTIVE");
    await ddb.putItem({ TableName: "Demo", Item: { pk: { S: "user#1" }, name: { S: "Ada" }, visits: { N: "1" } } });
    log("putItem user#1");
    const upd = await ddb.updateItem({
      TableName: "Demo",
      Key: { pk: { S: "user#1" } },
      UpdateExpression: "ADD visits :one",
      ExpressionAttributeValues: { ":one": { N: "1" } },
      ReturnValues: "ALL_NEW",
    });
    log(`updateItem -> visits = ${upd.Attributes.visits.N}`);
    const got = await ddb.getItem({ TableName: "Demo", Key: { pk: { S: "user#1" } } });
    log(`getItem -> ${JSON.stringify(got.Item)} (request id ${got.$metadata.requestId})`);
    try {
      await ddb.putItem({ TableName: "Demo", Item: { pk: { S: "user#1" } }, ConditionExpression: "attribute_not_exists(pk)" });
    } catch (e) {
      log(`conditional putItem -> ${e.name} (instanceof: ${e instanceof ConditionalCheckFailedException})`);
    }
  } finally {
    ddb.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

await s3Demo();
await dynamoDemo();
console.log("demo: done");
