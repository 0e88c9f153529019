// DynamoDB through the generated client against a real dynalite on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DynamoDB, ConditionalCheckFailedException, ResourceNotFoundException } from "tsaws/dynamodb";
import { startDynalite, LOCAL_CREDENTIALS, type LocalServer, assertAllSigned } from "../support/servers.ts";
import { pkSkTable } from "../support/tables.ts";

let server: LocalServer;
let ddb: DynamoDB;
const TableName = "Items";

before(async () => {
  server = await startDynalite();
  ddb = new DynamoDB({ region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS });
  const created = await ddb.createTable(pkSkTable(TableName));
  assert.equal(created.TableDescription?.TableName, TableName);
});

after(async () => {
  ddb?.destroy();
  await server?.close();
});

test("put, get and update an item", async () => {
  await ddb.putItem({ TableName, Item: { pk: { S: "u1" }, sk: { N: "1" }, name: { S: "Ada" }, data: { B: "bytes" } } });
  const got = await ddb.getItem({ TableName, Key: { pk: { S: "u1" }, sk: { N: "1" } }, ConsistentRead: true });
  assert.equal(got.Item?.name?.S, "Ada");
  assert.deepEqual(got.Item?.data?.B, new TextEncoder().encode("bytes"));
  assert.ok(got.$metadata.requestId);
  const upd = await ddb.updateItem({
    TableName,
    Key: { pk: { S: "u1" }, sk: { N: "1" } },
    UpdateExpression: "SET #n = :n ADD visits :one",
    ExpressionAttributeNames: { "#n": "name" },
    ExpressionAttributeValues: { ":n": { S: "Grace" }, ":one": { N: "1" } },
    ReturnValues: "ALL_NEW",
  });
  assert.equal(upd.Attributes?.name?.S, "Grace");
  assert.equal(upd.Attributes?.visits?.N, "1");
});

test("batch write, query and scan", async () => {
  await ddb.batchWriteItem({
    RequestItems: {
      [TableName]: Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: { pk: { S: "batch" }, sk: { N: String(i) } } } })),
    },
  });
  const q = await ddb.query({
    TableName,
    KeyConditionExpression: "pk = :p AND sk >= :s",
    ExpressionAttributeValues: { ":p": { S: "batch" }, ":s": { N: "10" } },
  });
  assert.equal(q.Count, 10);
  assert.deepEqual(q.Items?.map((i) => Number(i.sk?.N)), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  const scan = await ddb.scan({ TableName });
  assert.equal(scan.Count, 21);
});

test("ConditionalCheckFailedException and ResourceNotFoundException are typed errors", async () => {
  const e1 = await ddb
    .putItem({ TableName, Item: { pk: { S: "u1" }, sk: { N: "1" } }, ConditionExpression: "attribute_not_exists(pk)" })
    .catch((e: unknown) => e);
  assert.ok(e1 instanceof ConditionalCheckFailedException, `got ${String(e1)}`);
  assert.equal(e1.$metadata.httpStatusCode, 400);
  const e2 = await ddb.getItem({ TableName: "Nope", Key: { pk: { S: "x" } } }).catch((e: unknown) => e);
  assert.ok(e2 instanceof ResourceNotFoundException, `got ${String(e2)}`);
  assert.equal(e2.name, "ResourceNotFoundException");
  assert.ok(!String(e2.message).includes(LOCAL_CREDENTIALS.secretAccessKey));
});

test("every request carried a valid SigV4 signature (checked by the verifying proxy)", () => assertAllSigned(server, 5));
