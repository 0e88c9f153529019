// Event streams end to end: the generated S3 (rest-xml, SelectObjectContent) and Kinesis
// (awsJson 1.1, SubscribeToShard) clients against a local node:http server that streams
// event-stream frames over a chunked response, written in pieces that split frames and
// join several frames in one write. Covers typed events, the call returning before the
// stream ends, an exception / error message mid-stream, and an early `break` that must
// close the connection (the server sees it) instead of reading on.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { S3 } from "tsaws/s3";
import { InternalFailureException, Kinesis, ResourceInUseException } from "tsaws/kinesis";
import { ServiceError } from "tsaws";
import { encodeMessage, type EventHeaders } from "../../runtime/eventstream.ts";
import { concatBytes, utf8 } from "../../runtime/encoding.ts";
import { countedTests } from "../support/counted.ts";

const counted = countedTests("eventstream clients");

// ---------------------------------------------------------------------------------------
// The fake server

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Script = (res: ServerResponse, seen: Seen, closed: Promise<void>) => Promise<void>;

let server: Server;
let endpoint: string;
const scripts: Script[] = [];
const seen: Seen[] = [];
const closes: Promise<void>[] = [];

before(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const s: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(parts).toString("utf8") };
      seen.push(s);
      const closed = new Promise<void>((resolve) => res.on("close", () => resolve()));
      closes.push(closed);
      const script = scripts.shift();
      if (!script) {
        res.writeHead(500).end("no script");
        return;
      }
      script(res, s, closed).catch((e: unknown) => {
        console.error("script failed", e);
        res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const str = (value: string) => ({ type: "string", value }) as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function event(type: string, body: string | Uint8Array = "", contentType?: string): Promise<Uint8Array> {
  const headers: EventHeaders = { ":message-type": str("event"), ":event-type": str(type) };
  if (contentType) headers[":content-type"] = str(contentType);
  return encodeMessage({ headers, body: typeof body === "string" ? utf8(body) : body });
}

/** Writes bytes in pieces of the given sizes (the rest in one piece), pausing between writes. */
async function writeSplit(res: ServerResponse, bytes: Uint8Array, sizes: number[]): Promise<void> {
  let at = 0;
  for (const n of sizes) {
    if (at >= bytes.length) break;
    res.write(bytes.subarray(at, at + n));
    at += n;
    await sleep(5);
  }
  if (at < bytes.length) res.write(bytes.subarray(at));
}

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

function s3(): S3 {
  return new S3({ region: "us-east-1", endpoint, forcePathStyle: true, credentials, requestChecksumCalculation: "when_required", maxAttempts: 1 });
}

function kinesis(): Kinesis {
  return new Kinesis({ region: "us-east-1", endpoint, credentials, maxAttempts: 1 });
}

const selectInput = {
  Bucket: "bucket",
  Key: "data.csv",
  Expression: "SELECT * FROM S3Object s",
  ExpressionType: "SQL",
  InputSerialization: { CSV: { FileHeaderInfo: "USE" } },
  OutputSerialization: { CSV: {} },
} as const;

const STATS = '<Stats xmlns=""><BytesScanned>512</BytesScanned><BytesProcessed>512</BytesProcessed><BytesReturned>24</BytesReturned></Stats>';

// ---------------------------------------------------------------------------------------
// S3 SelectObjectContent (rest-xml)

counted("S3 SelectObjectContent: Records, Cont, Progress, Stats and End events, typed, across split writes", async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  scripts.push(async (res) => {
    res.writeHead(200, { "x-amz-request-id": "sel-1", "content-type": "application/octet-stream" });
    const first = await event("Records", "a,1\nb,2\n", "application/octet-stream");
    await writeSplit(res, first, [3, 9, 1]); // the prelude itself split
    await gate; // the call must have returned by now
    const rest = concatBytes([
      await event("Cont"),
      await event("Records", "c,3\n", "application/octet-stream"),
      await event("Progress", '<Progress xmlns=""><BytesScanned>512</BytesScanned><BytesProcessed>512</BytesProcessed><BytesReturned>12</BytesReturned></Progress>', "text/xml"),
      await event("Stats", STATS, "text/xml"),
      await event("End"),
    ]);
    await writeSplit(res, rest, [50, 1, 70]); // several frames per write, frames split
    res.end();
  });
  const client = s3();
  try {
    const out = await client.selectObjectContent(selectInput);
    assert.equal(out.$metadata.requestId, "sel-1");
    const req = seen.at(-1)!;
    assert.equal(req.method, "POST");
    const url = new URL(req.url, endpoint);
    assert.equal(url.pathname, "/bucket/data.csv");
    assert.deepEqual([...url.searchParams], [["select", ""], ["select-type", "2"]]);
    assert.match(req.body, /<Expression>SELECT \* FROM S3Object s<\/Expression>/);
    release();
    const records: string[] = [];
    const kinds: string[] = [];
    let stats: { BytesScanned?: number; BytesProcessed?: number; BytesReturned?: number } | undefined;
    for await (const e of out.Payload!) {
      kinds.push(Object.keys(e).join());
      if (e.Records?.Payload) records.push(new TextDecoder().decode(e.Records.Payload));
      if (e.Stats) stats = e.Stats.Details;
      if (e.Progress) assert.equal(e.Progress.Details?.BytesReturned, 12);
    }
    assert.deepEqual(kinds, ["Records", "Cont", "Records", "Progress", "Stats", "End"]);
    assert.equal(records.join(""), "a,1\nb,2\nc,3\n");
    assert.deepEqual(stats, { BytesScanned: 512, BytesProcessed: 512, BytesReturned: 24 });
  } finally {
    client.destroy();
  }
});

counted("S3 SelectObjectContent: an error message mid-stream throws a ServiceError after the events before it", async () => {
  scripts.push(async (res) => {
    res.writeHead(200);
    res.write(await event("Records", "x\n", "application/octet-stream"));
    await sleep(10);
    res.write(
      await encodeMessage({
        headers: { ":message-type": str("error"), ":error-code": str("InvalidTextEncoding"), ":error-message": str("UTF-8 only") },
        body: new Uint8Array(0),
      }),
    );
    // The server leaves the connection open: the client must not wait for more.
  });
  const client = s3();
  try {
    const out = await client.selectObjectContent(selectInput);
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of out.Payload!) got.push(Object.keys(e).join());
      })(),
      (e: unknown) => {
        assert.ok(e instanceof ServiceError);
        assert.equal(e.code, "InvalidTextEncoding");
        assert.equal(e.message, "UTF-8 only");
        assert.equal(e.$metadata.httpStatusCode, 200);
        return true;
      },
    );
    assert.deepEqual(got, ["Records"]);
    await withTimeout(closes.at(-1)!, "the connection is closed after the error");
  } finally {
    client.destroy();
  }
});

counted("S3 SelectObjectContent: breaking out early closes the connection of an endless stream", async () => {
  let sent = 0;
  scripts.push(async (res, _seen, closed) => {
    res.writeHead(200);
    let open = true;
    void closed.then(() => (open = false));
    while (open) {
      res.write(await event("Records", `row ${sent++}\n`, "application/octet-stream"));
      await sleep(10);
    }
  });
  const client = s3();
  try {
    const out = await client.selectObjectContent(selectInput);
    let n = 0;
    for await (const e of out.Payload!) {
      assert.ok(e.Records);
      if (++n === 3) break;
    }
    await withTimeout(closes.at(-1)!, "the server sees the connection close");
    const after = sent;
    await sleep(50);
    assert.ok(sent <= after + 1, "the server stopped sending");
  } finally {
    client.destroy();
  }
});

// ---------------------------------------------------------------------------------------
// Kinesis SubscribeToShard (awsJson 1.1)

function shardEvent(seq: number): Promise<Uint8Array> {
  return event(
    "SubscribeToShardEvent",
    JSON.stringify({
      Records: [{ SequenceNumber: String(seq), ApproximateArrivalTimestamp: 1700000000.5 + seq, Data: Buffer.from(`record ${seq}`).toString("base64"), PartitionKey: "pk" }],
      ContinuationSequenceNumber: String(seq + 1),
      MillisBehindLatest: 0,
    }),
    "application/json",
  );
}

const subscribeInput = {
  ConsumerARN: "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
  ShardId: "shardId-000000000000",
  StartingPosition: { Type: "LATEST" },
} as const;

counted("Kinesis SubscribeToShard: initial-response, typed records, then an exception only the event stream models, as its generated class", async () => {
  scripts.push(async (res, req) => {
    assert.equal(req.headers["x-amz-target"], "Kinesis_20131202.SubscribeToShard");
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "sub-1" });
    const frames = concatBytes([
      await event("initial-response", "{}", "application/json"),
      await shardEvent(1),
      await shardEvent(2),
    ]);
    await writeSplit(res, frames, [20, 20, 100, 3]);
    await sleep(10);
    res.write(
      await encodeMessage({
        headers: { ":message-type": str("exception"), ":exception-type": str("InternalFailureException"), ":content-type": str("application/json") },
        body: utf8('{"message":"The processing of the request failed because of an unknown error"}'),
      }),
    );
  });
  const client = kinesis();
  try {
    const out = await client.subscribeToShard(subscribeInput);
    assert.equal(out.$metadata.requestId, "sub-1");
    const records: { seq: string | undefined; data: string; at: number | undefined }[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of out.EventStream) {
          for (const r of e.SubscribeToShardEvent?.Records ?? []) {
            records.push({ seq: r.SequenceNumber, data: new TextDecoder().decode(r.Data), at: r.ApproximateArrivalTimestamp?.getTime() });
          }
        }
      })(),
      (e: unknown) => {
        // InternalFailureException appears only as a member of SubscribeToShardEventStream.
        assert.ok(e instanceof InternalFailureException, "the generated error class");
        assert.equal(e.$fault, "server");
        assert.equal(e.message, "The processing of the request failed because of an unknown error");
        assert.equal(e.$metadata.requestId, "sub-1");
        return true;
      },
    );
    assert.deepEqual(records, [
      { seq: "1", data: "record 1", at: 1700000001500 },
      { seq: "2", data: "record 2", at: 1700000002500 },
    ]);
    await withTimeout(closes.at(-1)!, "the connection is closed after the exception");
  } finally {
    client.destroy();
  }
});

counted("Kinesis SubscribeToShard: an early break releases the connection; an HTTP error is a normal typed error", async () => {
  let sent = 0;
  scripts.push(async (res, _seen, closed) => {
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
    res.write(await event("initial-response", "{}", "application/json"));
    let open = true;
    void closed.then(() => (open = false));
    while (open) {
      res.write(await shardEvent(sent++));
      await sleep(10);
    }
  });
  const client = kinesis();
  try {
    const out = await client.subscribeToShard(subscribeInput);
    for await (const e of out.EventStream) {
      assert.ok(e.SubscribeToShardEvent);
      break;
    }
    await withTimeout(closes.at(-1)!, "the server sees the connection close");

    scripts.push(async (res) => {
      res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ __type: "ResourceInUseException", message: "busy" }));
    });
    await assert.rejects(client.subscribeToShard(subscribeInput), ResourceInUseException);
  } finally {
    client.destroy();
  }
});

async function withTimeout(p: Promise<void>, what: string, ms = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
