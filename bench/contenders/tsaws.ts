// tsaws, as built (`tsaws/<service>` resolves to generated/ + dist/ when the bench child runs
// without the tsaws-source condition), used in its convenience form: `new DynamoDB(cfg).getItem()`.
// S3 with path style and request checksums "when_required", the same settings as v3's.
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
  queueUrl,
  wireItem,
  type ContenderModule,
} from "../common.js";

const tsaws: ContenderModule = {
  async dynamodb(ep) {
    const { DynamoDB } = await import("tsaws/dynamodb");
    const ddb = new DynamoDB({ region: REGION, endpoint: ep.dynamodb, credentials: CREDENTIALS });
    const Item = wireItem("tsaws") as never;
    const Key = { pk: { S: "tsaws" } };
    return {
      async call() {
        await ddb.putItem({ TableName: TABLE, Item });
        const out = await ddb.getItem({ TableName: TABLE, Key });
        check(out.Item?.["pk"]?.S === "tsaws", "GetItem item");
      },
      async first() {
        const out = await ddb.getItem({ TableName: TABLE, Key: { pk: { S: SEED_KEY } } });
        check(out.Item, "GetItem seed item");
      },
      close: () => ddb.destroy(),
    };
  },
  async s3(ep) {
    const { S3 } = await import("tsaws/s3");
    const s3 = new S3({
      region: REGION,
      endpoint: ep.s3,
      credentials: CREDENTIALS,
      forcePathStyle: true,
      requestChecksumCalculation: "when_required",
    });
    return {
      async call() {
        await s3.putObject({
          Bucket: BUCKET,
          Key: "obj-tsaws",
          Body: OBJECT_BODY,
          ContentType: "application/octet-stream",
        });
        const out = await s3.getObject({ Bucket: BUCKET, Key: SEED_OBJECT });
        const bytes = await out.Body!.transformToByteArray();
        check(bytes.length === OBJECT_BODY.length, "GetObject length");
      },
      async first() {
        const out = await s3.getObject({ Bucket: BUCKET, Key: SEED_OBJECT });
        const bytes = await out.Body!.transformToByteArray();
        check(bytes.length === OBJECT_BODY.length, "GetObject seed length");
      },
      close: () => s3.destroy(),
    };
  },
  async sqs(ep) {
    const { SQS } = await import("tsaws/sqs");
    const sqs = new SQS({ region: REGION, endpoint: ep.sqs, credentials: CREDENTIALS });
    const QueueUrl = queueUrl(ep.sqs, "tsaws");
    return {
      async call() {
        await sqs.sendMessage({ QueueUrl, MessageBody: MESSAGE_BODY });
        const out = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 1 });
        check(out.Messages?.[0]?.Body === MESSAGE_BODY, "ReceiveMessage body");
      },
      async first() {
        await sqs.sendMessage({ QueueUrl, MessageBody: MESSAGE_BODY });
      },
      close: () => sqs.destroy(),
    };
  },
};
export default tsaws;
