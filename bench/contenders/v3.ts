// AWS SDK for JavaScript v3, used as its documentation shows: a bare client per service and
// `client.send(new XCommand(input))`. Each factory imports its package lazily so a cold
// start loads only the service it uses. S3 checksums are set to WHEN_REQUIRED for requests
// and responses (what S3-compatible stores expect, and v3's lightest setting).
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

const v3: ContenderModule = {
  async dynamodb(ep) {
    const { DynamoDBClient, GetItemCommand, PutItemCommand } = await import("@aws-sdk/client-dynamodb");
    const client = new DynamoDBClient({ region: REGION, endpoint: ep.dynamodb, credentials: CREDENTIALS });
    const Item = wireItem("v3") as never;
    const Key = { pk: { S: "v3" } };
    return {
      async call() {
        await client.send(new PutItemCommand({ TableName: TABLE, Item }));
        const out = await client.send(new GetItemCommand({ TableName: TABLE, Key }));
        check(out.Item?.["pk"]?.S === "v3", "GetItem item");
      },
      async first() {
        const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: SEED_KEY } } }));
        check(out.Item, "GetItem seed item");
      },
      close: () => client.destroy(),
    };
  },
  async s3(ep) {
    const { S3Client, GetObjectCommand, PutObjectCommand } = await import("@aws-sdk/client-s3");
    const client = new S3Client({
      region: REGION,
      endpoint: ep.s3,
      credentials: CREDENTIALS,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    return {
      async call() {
        await client.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: "obj-v3",
            Body: OBJECT_BODY,
            ContentType: "application/octet-stream",
          }),
        );
        const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: SEED_OBJECT }));
        const bytes = await out.Body!.transformToByteArray();
        check(bytes.length === OBJECT_BODY.length, "GetObject length");
      },
      async first() {
        const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: SEED_OBJECT }));
        const bytes = await out.Body!.transformToByteArray();
        check(bytes.length === OBJECT_BODY.length, "GetObject seed length");
      },
      close: () => client.destroy(),
    };
  },
  async sqs(ep) {
    const { SQSClient, ReceiveMessageCommand, SendMessageCommand } = await import("@aws-sdk/client-sqs");
    const client = new SQSClient({ region: REGION, endpoint: ep.sqs, credentials: CREDENTIALS });
    const QueueUrl = queueUrl(ep.sqs, "v3");
    return {
      async call() {
        await client.send(new SendMessageCommand({ QueueUrl, MessageBody: MESSAGE_BODY }));
        const out = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
        check(out.Messages?.[0]?.Body === MESSAGE_BODY, "ReceiveMessage body");
      },
      async first() {
        await client.send(new SendMessageCommand({ QueueUrl, MessageBody: MESSAGE_BODY }));
      },
      close: () => client.destroy(),
    };
  },
};
export default v3;
