// aws-lite with its official service plugins, used as its README shows:
// `await awsLite({ ..., plugins: [import("@aws-lite/dynamodb")] })` then `aws.DynamoDB.GetItem(...)`.
// Its DynamoDB plugin (un)marshalls plain JS values itself, so it is given the plain item;
// its PutObject sends UNSIGNED-PAYLOAD by default; its SQS SendMessage still uses the query
// protocol (the fake SQS answers both). Node only.
import {
  BUCKET,
  SEED_KEY,
  SEED_OBJECT,
  CREDENTIALS,
  MESSAGE_BODY,
  OBJECT_BODY,
  REGION,
  TABLE,
  check,
  plainItem,
  queueUrl,
  type ContenderModule,
} from "../common.js";

/** The slice of aws-lite's client the bench uses (its plugin types are not installed). */
type Method = (input: Record<string, unknown>) => Promise<Record<string, unknown>>;
type LiteClient = Record<string, Record<string, Method>>;
type LiteFactory = (config: Record<string, unknown>) => Promise<LiteClient>;

async function client(endpoint: string, plugin: Promise<unknown>): Promise<LiteClient> {
  const { default: awsLite } = (await import("@aws-lite/client")) as unknown as { default: LiteFactory };
  return awsLite({ ...CREDENTIALS, region: REGION, endpoint, plugins: [plugin] });
}

const awsLite: ContenderModule = {
  async dynamodb(ep) {
    const aws = await client(ep.dynamodb, import("@aws-lite/dynamodb"));
    const ddb = aws["DynamoDB"]!;
    const Item = plainItem("aws-lite");
    const Key = { pk: "aws-lite" };
    return {
      async call() {
        await ddb["PutItem"]!({ TableName: TABLE, Item });
        const out = await ddb["GetItem"]!({ TableName: TABLE, Key });
        check((out["Item"] as { pk?: string } | undefined)?.pk === "aws-lite", "GetItem item");
      },
      async first() {
        const out = await ddb["GetItem"]!({ TableName: TABLE, Key: { pk: SEED_KEY } });
        check(out["Item"], "GetItem seed item");
      },
      close() {},
    };
  },
  async s3(ep) {
    const aws = await client(ep.s3, import("@aws-lite/s3"));
    const s3 = aws["S3"]!;
    const Body = Buffer.from(OBJECT_BODY);
    return {
      async call() {
        await s3["PutObject"]!({ Bucket: BUCKET, Key: "obj-aws-lite", Body, ContentType: "application/octet-stream" });
        const out = await s3["GetObject"]!({ Bucket: BUCKET, Key: SEED_OBJECT });
        check((out["Body"] as Uint8Array | undefined)?.length === OBJECT_BODY.length, "GetObject length");
      },
      async first() {
        const out = await s3["GetObject"]!({ Bucket: BUCKET, Key: SEED_OBJECT });
        check((out["Body"] as Uint8Array | undefined)?.length === OBJECT_BODY.length, "GetObject seed length");
      },
      close() {},
    };
  },
  async sqs(ep) {
    const aws = await client(ep.sqs, import("@aws-lite/sqs"));
    const sqs = aws["SQS"]!;
    const QueueUrl = queueUrl(ep.sqs, "aws-lite");
    return {
      async call() {
        await sqs["SendMessage"]!({ QueueUrl, MessageBody: MESSAGE_BODY });
        const out = await sqs["ReceiveMessage"]!({ QueueUrl, MaxNumberOfMessages: 1 });
        check((out["Messages"] as { Body?: string }[] | undefined)?.[0]?.Body === MESSAGE_BODY, "ReceiveMessage body");
      },
      async first() {
        await sqs["SendMessage"]!({ QueueUrl, MessageBody: MESSAGE_BODY });
      },
      close() {},
    };
  },
};
export default awsLite;
