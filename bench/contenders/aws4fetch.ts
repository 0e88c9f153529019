// aws4fetch: `new AwsClient(...)` signs and sends with the platform fetch (undici on Node),
// the caller builds URLs, headers and JSON bodies by hand. Retries left at its default.
// For S3 it sends UNSIGNED-PAYLOAD (its default), the others hash the body.
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

async function awsClient(service: string) {
  const { AwsClient } = await import("aws4fetch");
  return new AwsClient({ ...CREDENTIALS, service, region: REGION });
}

function jsonCaller(aws: Awaited<ReturnType<typeof awsClient>>, endpoint: string, prefix: string) {
  const url = endpoint + "/";
  return async (op: string, input: unknown): Promise<Record<string, unknown>> => {
    const res = await aws.fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": prefix + op },
      body: JSON.stringify(input),
    });
    const out = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`aws4fetch ${op}: HTTP ${res.status} ${String(out["__type"])}`);
    return out;
  };
}

const aws4fetch: ContenderModule = {
  async dynamodb(ep) {
    const call = jsonCaller(await awsClient("dynamodb"), ep.dynamodb, "DynamoDB_20120810.");
    const Item = wireItem("aws4fetch");
    const Key = { pk: { S: "aws4fetch" } };
    return {
      async call() {
        await call("PutItem", { TableName: TABLE, Item });
        const out = await call("GetItem", { TableName: TABLE, Key });
        check((out["Item"] as Record<string, { S?: string }> | undefined)?.["pk"]?.S === "aws4fetch", "GetItem item");
      },
      async first() {
        const out = await call("GetItem", { TableName: TABLE, Key: { pk: { S: SEED_KEY } } });
        check(out["Item"], "GetItem seed item");
      },
      close() {},
    };
  },
  async s3(ep) {
    const aws = await awsClient("s3");
    const url = `${ep.s3}/${BUCKET}/obj-aws4fetch`;
    const seedUrl = `${ep.s3}/${BUCKET}/${SEED_OBJECT}`;
    const get = async (u: string): Promise<void> => {
      const res = await aws.fetch(u);
      const bytes = new Uint8Array(await res.arrayBuffer());
      check(res.ok && bytes.length === OBJECT_BODY.length, "GetObject length");
    };
    return {
      async call() {
        const put = await aws.fetch(url, {
          method: "PUT",
          headers: { "Content-Type": "application/octet-stream" },
          body: OBJECT_BODY as Uint8Array<ArrayBuffer>,
        });
        await put.arrayBuffer();
        check(put.ok, `PutObject HTTP ${put.status}`);
        await get(seedUrl);
      },
      first: () => get(seedUrl),
      close() {},
    };
  },
  async sqs(ep) {
    const call = jsonCaller(await awsClient("sqs"), ep.sqs, "AmazonSQS.");
    const QueueUrl = queueUrl(ep.sqs, "aws4fetch");
    return {
      async call() {
        await call("SendMessage", { QueueUrl, MessageBody: MESSAGE_BODY });
        const out = await call("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 1 });
        check((out["Messages"] as { Body?: string }[] | undefined)?.[0]?.Body === MESSAGE_BODY, "ReceiveMessage body");
      },
      async first() {
        await call("SendMessage", { QueueUrl, MessageBody: MESSAGE_BODY });
      },
      close() {},
    };
  },
};
export default aws4fetch;
