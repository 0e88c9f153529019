// DynamoDB paginators through the generated client against dynalite (127.0.0.1): Query and
// Scan over 1,000 items with a small Limit (many pages, map-valued LastEvaluatedKey ->
// ExclusiveStartKey tokens), every item exactly once; Count summed by fullResult; maxItems
// and resume on a table whose key is binary (the token carries bytes in boto_encoded_keys).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DynamoDB, DynamoDBClient, paginateScan } from "tsaws/dynamodb";
import { decodeToken } from "../../runtime/paginate.ts";
import { startDynalite, LOCAL_CREDENTIALS, type LocalServer, assertAllSigned } from "../support/servers.ts";
import { pkSkTable } from "../support/tables.ts";

let server: LocalServer;
let ddb: DynamoDB;
let bare: DynamoDBClient;
const TableName = "PagedItems";
const BinaryTable = "BinaryKeys";
const N = 1000;

before(async () => {
  server = await startDynalite();
  const config = { region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS };
  ddb = new DynamoDB(config);
  bare = new DynamoDBClient(config);
  await ddb.createTable(pkSkTable(TableName));
  await ddb.createTable({
    TableName: BinaryTable,
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "B" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
  await ddb.waitFor.tableExists({ TableName }, { delay: 0.05 });
  await ddb.waitFor.tableExists({ TableName: BinaryTable }, { delay: 0.05 });
  // Two partitions ("a" holds 700 items, "b" 300) so Query's key condition matters.
  const items = Array.from({ length: N }, (_, n) => ({ pk: { S: n < 700 ? "a" : "b" }, sk: { N: String(n) }, v: { S: `value-${n}` } }));
  for (let n = 0; n < N; n += 25) {
    await ddb.batchWriteItem({ RequestItems: { [TableName]: items.slice(n, n + 25).map((Item) => ({ PutRequest: { Item } })) } });
  }
  const binary = Array.from({ length: 100 }, (_, n) => ({ id: { B: new Uint8Array([n, 255 - n, 0, 128]) }, n: { N: String(n) } }));
  for (let n = 0; n < binary.length; n += 25) {
    await ddb.batchWriteItem({ RequestItems: { [BinaryTable]: binary.slice(n, n + 25).map((Item) => ({ PutRequest: { Item } })) } });
  }
});

after(async () => {
  ddb?.destroy();
  bare?.destroy();
  await server?.close();
});

function assertEachOnce(numbers: number[], expected: number[]): void {
  assert.equal(numbers.length, expected.length);
  assert.equal(new Set(numbers).size, numbers.length, "an item came twice");
  assert.deepEqual([...numbers].sort((x, y) => x - y), expected);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, n) => from + n);

test("Query: both partitions page by page with Limit 37, every item exactly once, in key order", async () => {
  for (const [pk, expected] of [["a", range(0, 700)], ["b", range(700, N)]] as const) {
    const seen: number[] = [];
    let pages = 0;
    for await (const page of ddb.paginate.query(
      { TableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: pk } } },
      { pageSize: 37 },
    )) {
      pages++;
      assert.ok(page.Count! <= 37);
      for (const item of page.Items ?? []) seen.push(Number(item.sk!.N));
    }
    assert.ok(pages >= Math.ceil(expected.length / 37), `${pk}: only ${pages} pages`);
    assert.deepEqual(seen, expected, `${pk}: items in sort-key order, each once`);
  }
});

test("Scan: 1,000 items over pages of 50 (standalone paginateScan on the bare client)", async () => {
  const seen: number[] = [];
  let pages = 0;
  for await (const page of paginateScan(bare, { TableName }, { pageSize: 50 })) {
    pages++;
    for (const item of page.Items ?? []) seen.push(Number(item.sk!.N));
  }
  assert.ok(pages >= 20, `only ${pages} pages`);
  assertEachOnce(seen, range(0, N));
});

test("Scan items() and fullResult(): Count and ScannedCount are summed over the pages", async () => {
  const seen: number[] = [];
  for await (const item of ddb.paginate.scan({ TableName, FilterExpression: "pk = :b", ExpressionAttributeValues: { ":b": { S: "b" } } }, { pageSize: 64 }).items()) {
    seen.push(Number(item.sk!.N));
  }
  assertEachOnce(seen, range(700, N));
  const full = await ddb.paginate.scan({ TableName }, { pageSize: 99 }).fullResult();
  assert.equal(full.Items?.length, N);
  assert.equal(full.Count, N);
  assert.equal(full.ScannedCount, N);
  assert.equal(full.NextToken, undefined);
});

test("maxItems and resume over a binary key: the token carries bytes (boto_encoded_keys)", async () => {
  const seen: number[] = [];
  const first = ddb.paginate.scan({ TableName: BinaryTable }, { pageSize: 7, maxItems: 30 });
  for await (const item of first.items()) seen.push(Number(item.n!.N));
  assert.equal(seen.length, 30);
  const decoded = decodeToken(first.resumeToken!);
  assert.ok(decoded?.ExclusiveStartKey, "a resume token after a cut page names the page's start key");
  assert.ok((decoded.ExclusiveStartKey as { id: { B: unknown } }).id.B instanceof Uint8Array);
  assert.equal(decoded.boto_truncate_amount, 2);
  let token = first.resumeToken;
  while (token) {
    const next = ddb.paginate.scan({ TableName: BinaryTable }, { pageSize: 7, maxItems: 30, startingToken: token });
    for await (const item of next.items()) seen.push(Number(item.n!.N));
    token = next.resumeToken;
  }
  assertEachOnce(seen, range(0, 100));
});

test("every request carried a valid SigV4 signature (checked by the verifying proxy)", () => assertAllSigned(server, 10));
