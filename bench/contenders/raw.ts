// The raw floor: a hand-written node:http keep-alive client, the minimal SigV4 of
// ../raw/sigv4.ts and JSON.stringify/JSON.parse. No retries, no validation, no endpoint
// rules, no middleware: the least any SDK must do to make these calls.
import * as http from "node:http";
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
  type Endpoints,
} from "../common.js";
import { RawSigner, sha256Hex } from "../raw/sigv4.js";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One keep-alive origin. */
export class RawClient {
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  readonly #hostname: string;
  readonly #port: number;
  readonly host: string;

  constructor(endpoint: string) {
    const u = new URL(endpoint);
    this.#hostname = u.hostname;
    this.#port = Number(u.port || 80);
    this.host = u.host;
  }

  request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string | Uint8Array,
  ): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent: this.#agent, hostname: this.#hostname, port: this.#port, method, path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** awsJson 1.0 call: POST / with X-Amz-Target. */
export class RawJson {
  readonly #client: RawClient;
  readonly #signer: RawSigner;
  readonly #prefix: string;

  constructor(endpoint: string, service: string, targetPrefix: string) {
    this.#client = new RawClient(endpoint);
    this.#signer = new RawSigner(CREDENTIALS, REGION, service);
    this.#prefix = targetPrefix;
  }

  async call(op: string, input: unknown): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    const headers: Record<string, string> = {
      "content-type": "application/x-amz-json-1.0",
      host: this.#client.host,
      "x-amz-target": this.#prefix + op,
    };
    this.#signer.sign("POST", "/", "", headers, sha256Hex(body));
    headers["content-length"] = String(Buffer.byteLength(body));
    const res = await this.#client.request("POST", "/", headers, body);
    const out = JSON.parse(res.body.toString("utf8")) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`raw ${op}: HTTP ${res.status} ${String(out["__type"])}`);
    return out;
  }

  close(): void {
    this.#client.close();
  }
}

/** S3 path-style object calls. */
export class RawS3 {
  readonly #client: RawClient;
  readonly #signer = new RawSigner(CREDENTIALS, REGION, "s3");

  constructor(endpoint: string) {
    this.#client = new RawClient(endpoint);
  }

  async send(method: "GET" | "PUT", bucket: string, key: string | undefined, body?: Uint8Array): Promise<RawResponse> {
    const path = key === undefined ? `/${bucket}` : `/${bucket}/${encodeURIComponent(key)}`;
    const hash = body ? sha256Hex(body) : sha256Hex("");
    const headers: Record<string, string> = { host: this.#client.host, "x-amz-content-sha256": hash };
    if (body) headers["content-type"] = "application/octet-stream";
    this.#signer.sign(method, path, "", headers, hash);
    if (body) headers["content-length"] = String(body.length);
    const res = await this.#client.request(method, path, headers, body);
    if (res.status !== 200)
      throw new Error(`raw S3 ${method}: HTTP ${res.status} ${res.body.toString("utf8").slice(0, 200)}`);
    return res;
  }

  close(): void {
    this.#client.close();
  }
}

const raw: ContenderModule = {
  async dynamodb(ep: Endpoints) {
    const ddb = new RawJson(ep.dynamodb, "dynamodb", "DynamoDB_20120810.");
    const Item = wireItem("raw");
    const Key = { pk: { S: "raw" } };
    const coldKey = { pk: { S: SEED_KEY } };
    return {
      async call() {
        await ddb.call("PutItem", { TableName: TABLE, Item });
        const out = await ddb.call("GetItem", { TableName: TABLE, Key });
        check((out["Item"] as Record<string, { S?: string }> | undefined)?.["pk"]?.S === "raw", "GetItem item");
      },
      async first() {
        const out = await ddb.call("GetItem", { TableName: TABLE, Key: coldKey });
        check(out["Item"], "GetItem seed item");
      },
      close: () => ddb.close(),
    };
  },
  async s3(ep: Endpoints) {
    const s3 = new RawS3(ep.s3);
    return {
      async call() {
        await s3.send("PUT", BUCKET, "obj-raw", OBJECT_BODY);
        const res = await s3.send("GET", BUCKET, SEED_OBJECT);
        check(
          res.body.length === OBJECT_BODY.length,
          `GetObject length ${res.body.length} ${JSON.stringify(res.headers)}`,
        );
      },
      async first() {
        const res = await s3.send("GET", BUCKET, SEED_OBJECT);
        check(res.body.length === OBJECT_BODY.length, "GetObject seed length");
      },
      close: () => s3.close(),
    };
  },
  async sqs(ep: Endpoints) {
    const sqs = new RawJson(ep.sqs, "sqs", "AmazonSQS.");
    const QueueUrl = queueUrl(ep.sqs, "raw");
    return {
      async call() {
        await sqs.call("SendMessage", { QueueUrl, MessageBody: MESSAGE_BODY });
        const out = await sqs.call("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 1 });
        check((out["Messages"] as { Body?: string }[] | undefined)?.[0]?.Body === MESSAGE_BODY, "ReceiveMessage body");
      },
      async first() {
        await sqs.call("SendMessage", { QueueUrl, MessageBody: MESSAGE_BODY });
      },
      close: () => sqs.close(),
    };
  },
};
export default raw;
