// A small in-memory SQS for the bench (no npm server speaks SQS's current protocol).
//
// Wire protocols, as the real service today: awsJson 1.0 (POST /, X-Amz-Target
// "AmazonSQS.<Op>", application/x-amz-json-1.0; errors as {"__type","message"} with the
// x-amzn-query-error header of the awsQueryCompatible trait) and, for clients that still send
// it (aws-lite's SendMessage), the legacy query protocol (form-encoded Action=..., XML reply).
// Operations: CreateQueue, GetQueueUrl, SendMessage, ReceiveMessage, DeleteMessage. Replies
// carry the MD5 digests clients validate (MD5OfMessageBody / MD5OfBody, and
// MD5OfMessageAttributes computed with the documented encoding).
//
// Simplifications (documented, irrelevant to client cost): signatures are not verified;
// a received message is removed at once (an infinite visibility timeout, no redelivery);
// WaitTimeSeconds never waits.
import * as http from "node:http";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";

interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string; // base64 on the JSON wire
}

interface StoredMessage {
  MessageId: string;
  Body: string;
  MD5OfBody: string;
  MessageAttributes?: Record<string, MessageAttribute>;
  MD5OfMessageAttributes?: string;
  SentTimestamp: number;
  ReceiveCount: number;
  FirstReceive: number;
}

class SqsError extends Error {
  constructor(
    readonly code: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const md5 = (data: string | Uint8Array): string => createHash("md5").update(data).digest("hex");

/** MD5OfMessageAttributes: name-sorted, each field length-prefixed (4-byte big-endian). */
export function md5OfMessageAttributes(attrs: Record<string, MessageAttribute>): string {
  const parts: Buffer[] = [];
  const lenPrefixed = (b: Buffer): void => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    parts.push(l, b);
  };
  for (const name of Object.keys(attrs).sort()) {
    const a = attrs[name]!;
    lenPrefixed(Buffer.from(name, "utf8"));
    lenPrefixed(Buffer.from(a.DataType, "utf8"));
    if (a.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lenPrefixed(Buffer.from(a.BinaryValue, "base64"));
    } else {
      parts.push(Buffer.from([1]));
      lenPrefixed(Buffer.from(a.StringValue ?? "", "utf8"));
    }
  }
  return md5(Buffer.concat(parts));
}

const xmlEscape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

const NON_EXISTENT = (): SqsError =>
  new SqsError("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");

type Input = Record<string, unknown>;

export class FakeSqs {
  readonly #queues = new Map<string, StoredMessage[]>();
  readonly #server: http.Server;
  endpoint = "";

  constructor() {
    this.#server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => this.#handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  createQueue(name: string): string {
    if (!this.#queues.has(name)) this.#queues.set(name, []);
    return `${this.endpoint}/000000000000/${name}`;
  }

  #queue(url: unknown): StoredMessage[] {
    if (typeof url !== "string") throw new SqsError("MissingParameter", "MissingParameter", "QueueUrl is required.");
    const name = url.slice(url.lastIndexOf("/") + 1);
    const q = this.#queues.get(name);
    if (!q) throw NON_EXISTENT();
    return q;
  }

  // ---- operations (plain objects in, plain objects out) ----

  #ops: Record<string, (input: Input) => Input> = {
    CreateQueue: (input) => {
      const name = input["QueueName"];
      if (typeof name !== "string" || !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) {
        throw new SqsError("InvalidParameterValue", "InvalidParameterValue", "Invalid queue name.");
      }
      return { QueueUrl: this.createQueue(name) };
    },
    GetQueueUrl: (input) => {
      const name = input["QueueName"];
      if (typeof name !== "string" || !this.#queues.has(name)) throw NON_EXISTENT();
      return { QueueUrl: `${this.endpoint}/000000000000/${name}` };
    },
    SendMessage: (input) => {
      const q = this.#queue(input["QueueUrl"]);
      const body = input["MessageBody"];
      if (typeof body !== "string" || body.length === 0) {
        throw new SqsError(
          "MissingParameter",
          "MissingParameter",
          "The request must contain the parameter MessageBody.",
        );
      }
      const m: StoredMessage = {
        MessageId: randomUUID(),
        Body: body,
        MD5OfBody: md5(body),
        SentTimestamp: Date.now(),
        ReceiveCount: 0,
        FirstReceive: 0,
      };
      const attrs = input["MessageAttributes"] as Record<string, MessageAttribute> | undefined;
      const out: Input = { MD5OfMessageBody: m.MD5OfBody, MessageId: m.MessageId };
      if (attrs && Object.keys(attrs).length > 0) {
        m.MessageAttributes = attrs;
        m.MD5OfMessageAttributes = md5OfMessageAttributes(attrs);
        out["MD5OfMessageAttributes"] = m.MD5OfMessageAttributes;
      }
      q.push(m);
      return out;
    },
    ReceiveMessage: (input) => {
      const q = this.#queue(input["QueueUrl"]);
      const max = Number(input["MaxNumberOfMessages"] ?? 1);
      if (!(max >= 1 && max <= 10)) {
        throw new SqsError(
          "InvalidParameterValue",
          "InvalidParameterValue",
          "MaxNumberOfMessages must be between 1 and 10.",
        );
      }
      const wanted = new Set([
        ...((input["AttributeNames"] as string[] | undefined) ?? []),
        ...((input["MessageSystemAttributeNames"] as string[] | undefined) ?? []),
      ]);
      const wantedMsgAttrs = (input["MessageAttributeNames"] as string[] | undefined) ?? [];
      const batch = q.splice(0, max);
      if (batch.length === 0) return {};
      const now = Date.now();
      return {
        Messages: batch.map((m) => {
          m.ReceiveCount++;
          if (!m.FirstReceive) m.FirstReceive = now;
          const out: Input = {
            Body: m.Body,
            MD5OfBody: m.MD5OfBody,
            MessageId: m.MessageId,
            ReceiptHandle: randomBytes(132).toString("base64"),
          };
          if (wanted.size > 0) {
            const all = wanted.has("All");
            const sys: Record<string, string> = {
              SenderId: "AIDAEXAMPLEBENCH",
              SentTimestamp: String(m.SentTimestamp),
              ApproximateReceiveCount: String(m.ReceiveCount),
              ApproximateFirstReceiveTimestamp: String(m.FirstReceive),
            };
            const attrs: Record<string, string> = {};
            for (const [k, v] of Object.entries(sys)) if (all || wanted.has(k)) attrs[k] = v;
            out["Attributes"] = attrs;
          }
          if (m.MessageAttributes && wantedMsgAttrs.length > 0) {
            const all = wantedMsgAttrs.includes("All") || wantedMsgAttrs.includes(".*");
            const picked: Record<string, MessageAttribute> = {};
            for (const [k, v] of Object.entries(m.MessageAttributes))
              if (all || wantedMsgAttrs.includes(k)) picked[k] = v;
            if (Object.keys(picked).length > 0) {
              out["MessageAttributes"] = picked;
              out["MD5OfMessageAttributes"] = md5OfMessageAttributes(picked);
            }
          }
          return out;
        }),
      };
    },
    DeleteMessage: (input) => {
      this.#queue(input["QueueUrl"]);
      if (typeof input["ReceiptHandle"] !== "string") {
        throw new SqsError("MissingParameter", "MissingParameter", "ReceiptHandle is required.");
      }
      return {};
    },
  };

  // ---- transport ----

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const requestId = randomUUID();
      const text = Buffer.concat(chunks).toString("utf8");
      const target = req.headers["x-amz-target"];
      if (typeof target === "string") this.#json(target, text, requestId, res);
      else this.#query(text, requestId, res);
    });
  }

  #reply(
    res: http.ServerResponse,
    status: number,
    type: string,
    body: string,
    requestId: string,
    extra?: Record<string, string>,
  ): void {
    res.writeHead(status, {
      "x-amzn-RequestId": requestId,
      "Content-Type": type,
      "Content-Length": Buffer.byteLength(body),
      Date: new Date().toUTCString(),
      ...extra,
    });
    res.end(body);
  }

  #json(target: string, text: string, requestId: string, res: http.ServerResponse): void {
    const ctype = "application/x-amz-json-1.0";
    try {
      const op = target.startsWith("AmazonSQS.") ? this.#ops[target.slice(10)] : undefined;
      if (!op)
        throw new SqsError("InvalidAction", "InvalidAction", `The action ${target} is not valid for this endpoint.`);
      let input: Input;
      try {
        input = text ? (JSON.parse(text) as Input) : {};
      } catch {
        throw new SqsError("SerializationException", "SerializationException", "Malformed JSON body.");
      }
      this.#reply(res, 200, ctype, JSON.stringify(op(input)), requestId);
    } catch (e) {
      const err = e instanceof SqsError ? e : new SqsError("InternalError", "InternalError", "internal error", 500);
      const body = JSON.stringify({ __type: `com.amazonaws.sqs#${err.code}`, message: err.message });
      this.#reply(res, err.status, ctype, body, requestId, {
        "x-amzn-query-error": `${err.queryCode};${err.status < 500 ? "Sender" : "Receiver"}`,
      });
    }
  }

  #query(text: string, requestId: string, res: http.ServerResponse): void {
    const params = new URLSearchParams(text);
    const action = params.get("Action") ?? "";
    const meta = `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
    const ns = `xmlns="http://queue.amazonaws.com/doc/2012-11-05/"`;
    try {
      const op = this.#ops[action];
      if (!op)
        throw new SqsError("InvalidAction", "InvalidAction", `The action ${action} is not valid for this endpoint.`);
      const input: Input = {};
      for (const [k, v] of params) if (k !== "Action" && k !== "Version") input[k] = v;
      const out = op(input);
      let inner = "";
      if (action === "ReceiveMessage") {
        for (const m of (out["Messages"] as Input[] | undefined) ?? []) {
          inner += "<Message>";
          for (const k of ["MessageId", "ReceiptHandle", "MD5OfBody", "Body"])
            inner += `<${k}>${xmlEscape(String(m[k]))}</${k}>`;
          inner += "</Message>";
        }
      } else {
        for (const [k, v] of Object.entries(out)) inner += `<${k}>${xmlEscape(String(v))}</${k}>`;
      }
      const body = `<?xml version="1.0"?><${action}Response ${ns}><${action}Result>${inner}</${action}Result>${meta}</${action}Response>`;
      this.#reply(res, 200, "text/xml", body, requestId);
    } catch (e) {
      const err = e instanceof SqsError ? e : new SqsError("InternalError", "InternalError", "internal error", 500);
      const body =
        `<?xml version="1.0"?><ErrorResponse ${ns}><Error><Type>${err.status < 500 ? "Sender" : "Receiver"}</Type>` +
        `<Code>${err.queryCode}</Code><Message>${xmlEscape(err.message)}</Message><Detail/></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`;
      this.#reply(res, err.status, "text/xml", body, requestId);
    }
  }
}
