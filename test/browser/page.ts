// The program the Chromium test runs in a real page: tsaws's browser build (fetch handler,
// web crypto, web defaults; package.json "browser" conditions), bundled by esbuild from the
// built package, talking to s3rver and dynalite on 127.0.0.1 across origins (CORS). Each
// step records what it saw; the Node side of the test asserts on the record, so a step
// that throws unexpectedly is reported with its error's name and message, never hidden.
import { S3, NoSuchKey, GetObject } from "tsaws/s3";
import { DynamoDB, ConditionalCheckFailedException, ResourceNotFoundException } from "tsaws/dynamodb";
import { ServiceError, presign } from "tsaws";
import { pkSkTable } from "../support/tables.ts";

export interface PageConfig {
  s3: string;
  dynamodb: string;
  bucket: string;
  table: string;
  s3Credentials: { accessKeyId: string; secretAccessKey: string };
  localCredentials: { accessKeyId: string; secretAccessKey: string };
}

export type PageRecord = Record<string, unknown>;

function describe(e: unknown): { name: string; message: string; status?: number; isServiceError: boolean } {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  return {
    name: String(err.name),
    message: String(err.message),
    ...(status === undefined ? {} : { status }),
    isServiceError: e instanceof ServiceError,
  };
}

async function step(record: PageRecord, name: string, run: () => Promise<unknown>): Promise<void> {
  try {
    record[name] = await run();
  } catch (e) {
    record[name] = { unexpectedError: describe(e) };
  }
}

async function run(cfg: PageConfig): Promise<PageRecord> {
  const record: PageRecord = {};
  const s3 = new S3({
    region: "us-east-1",
    endpoint: cfg.s3,
    forcePathStyle: true,
    credentials: cfg.s3Credentials,
    requestChecksumCalculation: "when_required",
  });
  const Bucket = cfg.bucket;

  await step(record, "putString", async () => {
    const out = await s3.putObject({ Bucket, Key: "hello.txt", Body: "hello from chromium", ContentType: "text/plain" });
    return { status: out.$metadata.httpStatusCode, etag: out.ETag ?? null };
  });
  await step(record, "putBytes", async () => {
    const Body = new Uint8Array(70_000).map((_, i) => i % 251);
    const out = await s3.putObject({ Bucket, Key: "bytes.bin", Body, Metadata: { origin: "browser" } });
    return { status: out.$metadata.httpStatusCode };
  });
  await step(record, "getString", async () => {
    const out = await s3.getObject({ Bucket, Key: "hello.txt" });
    return {
      text: await out.Body!.transformToString(),
      contentType: out.ContentType ?? null,
      contentLength: out.ContentLength ?? null,
      attempts: out.$metadata.attempts,
    };
  });
  await step(record, "getBytes", async () => {
    const out = await s3.getObject({ Bucket, Key: "bytes.bin" });
    const bytes = await out.Body!.transformToByteArray();
    let sum = 0;
    for (const b of bytes) sum = (sum + b) % 1_000_003;
    return { length: bytes.length, sum, metadata: out.Metadata ?? null };
  });
  await step(record, "head", async () => {
    const out = await s3.headObject({ Bucket, Key: "bytes.bin" });
    return { contentLength: out.ContentLength ?? null };
  });
  await step(record, "listPages", async () => {
    const keys: string[] = [];
    let pages = 0;
    for await (const page of s3.paginate.listObjectsV2({ Bucket }, { pageSize: 1 })) {
      pages++;
      for (const o of page.Contents ?? []) keys.push(o.Key!);
    }
    return { pages, keys };
  });
  await step(record, "noSuchKey", async () => {
    try {
      await s3.getObject({ Bucket, Key: "missing.txt" });
      return { thrown: false };
    } catch (e) {
      return { thrown: true, isNoSuchKey: e instanceof NoSuchKey, ...describe(e) };
    }
  });
  await step(record, "aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    try {
      await s3.getObject({ Bucket, Key: "hello.txt" }, { signal: controller.signal });
      return { thrown: false };
    } catch (e) {
      return { thrown: true, ...describe(e) };
    }
  });
  await step(record, "presignedGet", async () => {
    const p = await presign(s3, GetObject, { Bucket, Key: "hello.txt" }, { expiresIn: 120 });
    const res = await fetch(p.url);
    return { status: res.status, text: await res.text() };
  });
  await step(record, "delete", async () => {
    const out = await s3.deleteObject({ Bucket, Key: "hello.txt" });
    return { status: out.$metadata.httpStatusCode };
  });

  const ddb = new DynamoDB({ region: "us-east-1", endpoint: cfg.dynamodb, credentials: cfg.localCredentials });
  const TableName = cfg.table;
  await step(record, "createTable", async () => {
    const out = await ddb.createTable(pkSkTable(TableName));
    return { name: out.TableDescription?.TableName ?? null };
  });
  await step(record, "putItems", async () => {
    for (let sk = 1; sk <= 3; sk++) {
      await ddb.putItem({ TableName, Item: { pk: { S: "user" }, sk: { N: String(sk) }, tags: { SS: ["a", "b"] }, blob: { B: new Uint8Array([sk, 0, 255]) } } });
    }
    return { count: 3 };
  });
  await step(record, "getItem", async () => {
    const out = await ddb.getItem({ TableName, Key: { pk: { S: "user" }, sk: { N: "2" } } });
    const blob = out.Item?.["blob"]?.B;
    return { sk: out.Item?.["sk"]?.N ?? null, tags: out.Item?.["tags"]?.SS ?? null, blob: blob ? [...blob] : null };
  });
  await step(record, "query", async () => {
    const out = await ddb.query({
      TableName,
      KeyConditionExpression: "pk = :pk AND sk > :min",
      ExpressionAttributeValues: { ":pk": { S: "user" }, ":min": { N: "1" } },
    });
    return { count: out.Count ?? null, sks: (out.Items ?? []).map((i) => i["sk"]?.N) };
  });
  await step(record, "conditionalCheckFailed", async () => {
    try {
      await ddb.putItem({ TableName, Item: { pk: { S: "user" }, sk: { N: "1" } }, ConditionExpression: "attribute_not_exists(pk)" });
      return { thrown: false };
    } catch (e) {
      return { thrown: true, isTyped: e instanceof ConditionalCheckFailedException, ...describe(e) };
    }
  });
  await step(record, "resourceNotFound", async () => {
    try {
      await ddb.getItem({ TableName: "no-such-table", Key: { pk: { S: "x" } } });
      return { thrown: false };
    } catch (e) {
      return { thrown: true, isTyped: e instanceof ResourceNotFoundException, ...describe(e) };
    }
  });
  return record;
}

/**
 * S3 calls whose answers are XML, from inside a web worker, where there is no DOMParser: the
 * browser build then reads XML with its fallback tokenizer.
 */
async function runInWorkerScope(cfg: PageConfig): Promise<PageRecord> {
  const record: PageRecord = { hasDomParser: typeof DOMParser === "function" };
  const s3 = new S3({ region: "us-east-1", endpoint: cfg.s3, forcePathStyle: true, credentials: cfg.s3Credentials });
  await step(record, "list", async () => {
    const out = await s3.listObjectsV2({ Bucket: cfg.bucket });
    return (out.Contents ?? []).map((o) => o.Key);
  });
  await step(record, "noSuchKey", async () => {
    try {
      await s3.getObject({ Bucket: cfg.bucket, Key: "missing.txt" });
      return { thrown: false };
    } catch (e) {
      return { thrown: true, isNoSuchKey: e instanceof NoSuchKey };
    }
  });
  return record;
}

/** Runs `runInWorkerScope` in a module worker made from this very script. */
function runInWorker(cfg: PageConfig): Promise<PageRecord> {
  const worker = new Worker(import.meta.url, { type: "module" });
  return new Promise<PageRecord>((resolve, reject) => {
    worker.onmessage = (m: MessageEvent<PageRecord>) => {
      worker.terminate();
      resolve(m.data);
    };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(cfg);
  });
}

if (typeof document === "undefined") {
  // Loaded as the worker: answer one request.
  const scope = globalThis as unknown as { onmessage: (m: MessageEvent<PageConfig>) => void; postMessage: (r: PageRecord) => void };
  scope.onmessage = (m) => void runInWorkerScope(m.data).then((r) => scope.postMessage(r));
} else {
  (globalThis as unknown as { tsawsRun: typeof run; tsawsRunInWorker: typeof runInWorker }).tsawsRun = run;
  (globalThis as unknown as { tsawsRunInWorker: typeof runInWorker }).tsawsRunInWorker = runInWorker;
}
