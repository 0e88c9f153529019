// The server process of the bench: dynalite (DynamoDB), s3rver (S3, path style) and the fake
// SQS of ./fake-sqs.ts, all on 127.0.0.1, in a process of their own so that the client
// process's CPU time counts only client work. Seeds the table, the bucket, the queues and
// the entries the cold-start runs read, prints one JSON line with the endpoints, and stops
// when its stdin closes (or on SIGTERM).
// Run: node --openssl-legacy-provider --import tsx bench/servers.ts
import { startDynalite, startS3rver, type LocalServer } from "../test/support/servers.js";
import { FakeSqs } from "./fake-sqs.js";
import { RawJson, RawS3 } from "./contenders/raw.js";
import {
  BUCKET,
  SEED_KEY,
  SEED_OBJECT,
  CONTENDERS,
  OBJECT_BODY,
  TABLE,
  queueName,
  wireItem,
  type Endpoints,
} from "./common.js";

async function seed(ep: Endpoints, sqs: FakeSqs): Promise<void> {
  const ddb = new RawJson(ep.dynamodb, "dynamodb", "DynamoDB_20120810.");
  await ddb.call("CreateTable", {
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
  for (let i = 0; ; i++) {
    const d = (await ddb.call("DescribeTable", { TableName: TABLE })) as { Table?: { TableStatus?: string } };
    if (d.Table?.TableStatus === "ACTIVE") break;
    if (i > 200) throw new Error("bench: table never became ACTIVE");
    await new Promise((r) => setTimeout(r, 10));
  }
  await ddb.call("PutItem", { TableName: TABLE, Item: wireItem(SEED_KEY) });
  ddb.close();

  const s3 = new RawS3(ep.s3);
  await s3.send("PUT", BUCKET, undefined);
  await s3.send("PUT", BUCKET, SEED_OBJECT, OBJECT_BODY);
  s3.close();

  for (const c of CONTENDERS) sqs.createQueue(queueName(c));
}

const servers: LocalServer[] = [];
const fake = new FakeSqs();
let closing = false;

async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  await Promise.allSettled([...servers.map((s) => s.close()), fake.close()]);
  process.exit(code);
}

try {
  const dynamo = await startDynalite();
  servers.push(dynamo);
  const s3 = await startS3rver();
  servers.push(s3);
  const endpoints: Endpoints = { dynamodb: dynamo.endpoint, s3: s3.endpoint, sqs: await fake.listen() };
  await seed(endpoints, fake);
  process.stdout.write(JSON.stringify(endpoints) + "\n");
} catch (e) {
  process.stderr.write(`bench servers: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  await shutdown(1);
}

process.stdin.resume();
process.stdin.on("end", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
