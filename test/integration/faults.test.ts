// The request path under bad input, through the GENERATED clients of six wire protocols
// (DynamoDB awsJson 1.0, SQS awsJson 1.0 + query-compatible, STS query, S3 rest-xml, Lambda
// rest-json, PartnerCentral Revenue Measurement smithy-rpc-v2-cbor) against the programmable
// fault server on 127.0.0.1: malformed and truncated bodies on success and on errors, an HTML
// 502 page, unknown error codes, resets, aborts, timeouts, and streamed bodies the caller drops.
// Every failure must be the right typed error, arrive promptly (a deadline turns a hang into a
// failure), leave no unhandled rejection, and never show the secret key or session token.
// Retries are off here (maxAttempts 1) so each case sees exactly one exchange; retries.test.ts
// covers retrying.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { DynamoDB, ConditionalCheckFailedException } from "tsaws/dynamodb";
import { S3, ObjectNotInActiveTierError, NoSuchBucket } from "tsaws/s3";
import { SQS } from "tsaws/sqs";
import { STS } from "tsaws/sts";
import { Lambda } from "tsaws/lambda";
import { PartnerCentralRevenueMeasurement } from "tsaws/partnercentral-revenue-measurement";
import {
  AbortError,
  ConfigError,
  NetworkError,
  RequestFormError,
  ResponseParseError,
  ServiceError,
  TimeoutError,
  TsawsError,
  type ClientConfig,
} from "tsaws";
import { encodeCbor } from "../../runtime/protocols/cbor.js";
import {
  html502,
  startFaultServer,
  watchUnhandledRejections,
  type FaultResponse,
  type FaultServer,
} from "../support/fault-server.ts";
import { countedTests } from "../support/counted.ts";

const SECRET = "fault-test-SECRET-KEY-0123456789abcdef";
const TOKEN = "fault-test-SESSION-TOKEN-fedcba9876543210";
const CREDENTIALS = { accessKeyId: "AKIDFAULTTEST", secretAccessKey: SECRET, sessionToken: TOKEN };
/** Any failure must arrive well within this (the slowest case waits for a 300 ms timeout). */
const DEADLINE_MS = 5000;

// ---- the one-line summary ----

const check = countedTests("integration faults");

const unhandled = watchUnhandledRejections();
let server: FaultServer;
/** Filled in `before`, once the server is up. */
let matrix: Target[] = [];
const clients: { destroy(): void }[] = [];

/** Client config for the fault server; `extra` may hold service-specific keys (forcePathStyle). */
function config<E extends Partial<ClientConfig> & Record<string, unknown>>(extra?: E): ClientConfig & E {
  return {
    region: "us-east-1",
    endpoint: server.url,
    credentials: CREDENTIALS,
    maxAttempts: 1,
    ...extra,
  } as ClientConfig & E;
}

function track<C extends { destroy(): void }>(client: C): C {
  clients.push(client);
  return client;
}

before(async () => {
  server = await startFaultServer({ holdMs: 3000 });
  matrix = targets();
});

after(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  // Let destroyed sockets and timers report anything left over before checking.
  await new Promise((r) => setTimeout(r, 50));
  unhandled.dispose();
  unhandled.assertNone();
});

/** Awaits a call that must fail, within the deadline; returns the error and the time it took. */
async function failure(call: Promise<unknown>, deadline = DEADLINE_MS): Promise<{ error: unknown; ms: number }> {
  const start = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the call did not settle within ${deadline} ms (hang)`)), deadline);
  });
  try {
    await Promise.race([call, hung]);
  } catch (error) {
    if (error instanceof Error && error.message.includes("(hang)")) throw error;
    return { error, ms: Date.now() - start };
  } finally {
    clearTimeout(timer);
  }
  assert.fail("the call succeeded; a failure was expected");
}

/** No secret in the message, stack, JSON or inspected form of an error and its causes. */
function assertNoSecrets(error: unknown): void {
  const parts: string[] = [inspect(error, { depth: 6, showHidden: true })];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) parts.push(current.message, String(current.stack), String(current));
    try {
      parts.push(JSON.stringify(current) ?? "");
    } catch {
      // circular structures cannot leak through JSON
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  const text = parts.join("\n");
  assert.ok(!text.includes(SECRET), "the secret access key appears in the error");
  assert.ok(!text.includes(TOKEN), "the session token appears in the error");
}

/** A thrown error as the typed class expected, with the secrets check applied. */
function expectError<T>(error: unknown, cls: abstract new (...args: never[]) => T, label: string): T {
  assert.ok(error instanceof cls, `${label}: expected ${cls.name}, got ${inspect(error, { depth: 1 })}`);
  assert.ok(error instanceof TsawsError, `${label}: not a TsawsError`);
  assertNoSecrets(error);
  return error;
}

// ---- the protocol matrix ----

interface Target {
  label: string;
  /** Makes one call of a small operation (no streaming output). */
  call(signal?: AbortSignal): Promise<{ $metadata: { httpStatusCode?: number; requestId?: string; attempts: number } }>;
  /** A valid success body for that call, and the value it must parse to. */
  ok: FaultResponse;
  check(output: unknown): void;
  /** The header or body that carries the request id in `ok`. */
  requestId: string;
  /** An error response with the given code and status in this protocol's format. */
  error(code: string, status: number): FaultResponse;
  /** A body in this protocol's format that does not parse. */
  malformed: string | Uint8Array;
  /** Extra headers of this protocol's responses. */
  headers?: Record<string, string>;
}

const JSON10 = { "content-type": "application/x-amz-json-1.0" };
const CBOR = { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor" };
const XML = { "content-type": "text/xml" };

function targets(): Target[] {
  const ddb = track(new DynamoDB(config()));
  const sqs = track(new SQS(config()));
  const sts = track(new STS(config()));
  const s3 = track(new S3(config({ forcePathStyle: true })));
  const lambda = track(new Lambda(config()));
  const prm = track(new PartnerCentralRevenueMeasurement(config()));
  const opt = (signal?: AbortSignal) => (signal ? { signal } : undefined);
  return [
    {
      label: "DynamoDB (awsJson 1.0)",
      call: (signal) => ddb.listTables({}, opt(signal)),
      ok: {
        headers: { ...JSON10, "x-amzn-requestid": "ddb-req-1" },
        body: JSON.stringify({ TableNames: ["t1", "t2"] }),
      },
      check: (o) => assert.deepEqual((o as { TableNames?: string[] }).TableNames, ["t1", "t2"]),
      requestId: "ddb-req-1",
      error: (code, status) => ({
        status,
        headers: { ...JSON10, "x-amzn-requestid": "ddb-err-1" },
        body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message: `${code} happened` }),
      }),
      malformed: '{"TableNames": ["t1", ',
      headers: JSON10,
    },
    {
      label: "SQS (awsJson 1.0, query-compatible)",
      call: (signal) => sqs.listQueues({}, opt(signal)),
      ok: {
        headers: { ...JSON10, "x-amzn-requestid": "sqs-req-1" },
        body: JSON.stringify({ QueueUrls: ["https://q/1"] }),
      },
      check: (o) => assert.deepEqual((o as { QueueUrls?: string[] }).QueueUrls, ["https://q/1"]),
      requestId: "sqs-req-1",
      error: (code, status) => ({
        status,
        headers: { ...JSON10, "x-amzn-requestid": "sqs-err-1" },
        body: JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message: `${code} happened` }),
      }),
      malformed: '{"QueueUrls": [}',
      headers: JSON10,
    },
    {
      label: "STS (query)",
      call: (signal) => sts.getCallerIdentity({}, opt(signal)),
      ok: {
        // AWS sends the id in a header and in the body's ResponseMetadata; $metadata takes the header.
        headers: { ...XML, "x-amzn-requestid": "sts-req-1" },
        body:
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          "<Arn>arn:aws:iam::123456789012:user/ada</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>" +
          "</GetCallerIdentityResult><ResponseMetadata><RequestId>sts-req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
      },
      check: (o) => assert.equal((o as { Account?: string }).Account, "123456789012"),
      requestId: "sts-req-1",
      error: (code, status) => ({
        status,
        headers: XML,
        body: `<ErrorResponse><Error><Type>${status >= 500 ? "Receiver" : "Sender"}</Type><Code>${code}</Code><Message>${code} happened</Message></Error><RequestId>sts-err-1</RequestId></ErrorResponse>`,
      }),
      malformed: "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>x</GetCallerIdentityResult>",
      headers: XML,
    },
    {
      label: "S3 (rest-xml)",
      call: (signal) => s3.listObjectsV2({ Bucket: "bucket" }, opt(signal)),
      ok: {
        headers: { ...XML, "x-amz-request-id": "s3-req-1", "x-amz-id-2": "s3-ext-1" },
        body:
          '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><KeyCount>1</KeyCount>' +
          "<Contents><Key>a.txt</Key><Size>3</Size></Contents></ListBucketResult>",
      },
      check: (o) =>
        assert.deepEqual(
          (o as { Contents?: { Key?: string }[] }).Contents?.map((c) => c.Key),
          ["a.txt"],
        ),
      requestId: "s3-req-1",
      error: (code, status) => ({
        status,
        headers: { ...XML, "x-amz-request-id": "s3-err-1" },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code} happened</Message><RequestId>s3-err-1</RequestId></Error>`,
      }),
      malformed: "<ListBucketResult><Name>bucket</Nam",
      headers: XML,
    },
    {
      label: "Lambda (rest-json)",
      call: (signal) => lambda.listFunctions({}, opt(signal)),
      ok: {
        headers: { "content-type": "application/json", "x-amzn-requestid": "lambda-req-1" },
        body: JSON.stringify({ Functions: [{ FunctionName: "fn" }] }),
      },
      check: (o) => assert.equal((o as { Functions?: { FunctionName?: string }[] }).Functions?.[0]?.FunctionName, "fn"),
      requestId: "lambda-req-1",
      error: (code, status) => ({
        status,
        headers: {
          "content-type": "application/json",
          "x-amzn-errortype": `${code}:http://internal.amazon.com/`,
          "x-amzn-requestid": "lambda-err-1",
        },
        body: JSON.stringify({ Type: "User", message: `${code} happened` }),
      }),
      malformed: '{"Functions": [{"FunctionName": "fn"}',
      headers: { "content-type": "application/json" },
    },
    {
      label: "PartnerCentral Revenue Measurement (rpc-v2-cbor)",
      call: (signal) => prm.getMarketplaceRevenueShare({ Catalog: "AWS", ProductId: "prod-1" }, opt(signal)),
      ok: {
        headers: { ...CBOR, "x-amzn-requestid": "prm-req-1" },
        body: encodeCbor({ ProductId: "prod-1", Catalog: "AWS", ProductName: "Widget" }),
      },
      check: (o) => assert.equal((o as { ProductName?: string }).ProductName, "Widget"),
      requestId: "prm-req-1",
      error: (code, status) => ({
        status,
        headers: { ...CBOR, "x-amzn-requestid": "prm-err-1" },
        body: encodeCbor({
          __type: `com.amazonaws.partnercentralrevenuemeasurement#${code}`,
          message: `${code} happened`,
        }),
      }),
      // An indefinite-length map whose first key promises one byte that never comes.
      malformed: new Uint8Array([0xbf, 0x69, 0x50, 0x72]),
      headers: CBOR,
    },
  ];
}

/** Runs `fn` for every protocol target, labelling assertion failures with the target. */
async function eachTarget(fn: (t: Target) => Promise<void>): Promise<void> {
  assert.equal(matrix.length, 6, "six protocol targets");
  for (const t of matrix) {
    try {
      await fn(t);
    } catch (e) {
      if (e instanceof Error) e.message = `[${t.label}] ${e.message}`;
      throw e;
    }
  }
}

check("a valid response parses, with $metadata (status, request id, attempts) on the output", async () => {
  await eachTarget(async (t) => {
    server.reset([t.ok]);
    const out = await t.call();
    t.check(out);
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.$metadata.requestId, t.requestId);
    assert.equal(out.$metadata.attempts, 1);
    assert.equal(server.requests.length, 1);
  });
});

check("a malformed body on a 200 is a ResponseParseError carrying the status", async () => {
  await eachTarget(async (t) => {
    server.reset([{ status: 200, headers: t.headers ?? {}, body: t.malformed }]);
    const { error } = await failure(t.call());
    const e = expectError(error, ResponseParseError, t.label);
    assert.equal(e.statusCode, 200);
  });
});

check("a well-formed document cut short (complete HTTP response) is a ResponseParseError", async () => {
  await eachTarget(async (t) => {
    const full = typeof t.ok.body === "string" ? new TextEncoder().encode(t.ok.body) : t.ok.body!;
    server.reset([{ ...t.ok, body: full.subarray(0, Math.floor(full.length * 0.6)) }]);
    const { error } = await failure(t.call());
    assert.equal(expectError(error, ResponseParseError, t.label).statusCode, 200);
  });
});

check(
  "a malformed body on an error status is a ResponseParseError carrying the status (JSON and XML protocols)",
  async () => {
    await eachTarget(async (t) => {
      if (t.headers === CBOR) return; // the CBOR case is its own test below
      server.reset([{ status: 400, headers: t.headers ?? {}, body: t.malformed }]);
      const { error } = await failure(t.call());
      assert.equal(expectError(error, ResponseParseError, t.label).statusCode, 400);
    });
  },
);

check(
  "rpc-v2-cbor: a malformed CBOR body on an error status that declares CBOR is a ResponseParseError",
  async () => {
    const t = matrix.find((m) => m.headers === CBOR)!;
    server.reset([{ status: 400, headers: CBOR, body: t.malformed }]);
    const { error } = await failure(t.call());
    assert.equal(expectError(error, ResponseParseError, t.label).statusCode, 400);
  },
);

check("an HTML 502 page from a load balancer is ServiceError Http502, a server fault", async () => {
  await eachTarget(async (t) => {
    server.reset([html502()]);
    const { error } = await failure(t.call());
    const e = expectError(error, ServiceError, t.label);
    assert.equal(e.code, "Http502");
    assert.equal(e.$fault, "server");
    assert.equal(e.$metadata.httpStatusCode, 502);
    assert.equal(e.$metadata.attempts, 1);
    assert.ok(!e.message.includes("<html>"), "the page itself is not the message");
  });
});

check("an unknown error code is a ServiceError with that code, its message, $fault and $metadata", async () => {
  await eachTarget(async (t) => {
    server.reset([t.error("BrandNewFailureMode", 400)]);
    const { error } = await failure(t.call());
    const e = expectError(error, ServiceError, t.label);
    assert.equal(e.code, "BrandNewFailureMode");
    assert.equal(e.name, "BrandNewFailureMode");
    assert.equal(e.message, "BrandNewFailureMode happened");
    assert.equal(e.$fault, "client");
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.equal(e.$metadata.attempts, 1);
    assert.match(e.$metadata.requestId ?? "", /-err-1$/);

    server.reset([t.error("SomethingOnFire", 500)]);
    const { error: e500 } = await failure(t.call());
    const s = expectError(e500, ServiceError, t.label);
    assert.equal(s.code, "SomethingOnFire");
    assert.equal(s.$fault, "server");
    assert.equal(s.$metadata.httpStatusCode, 500);
  });
});

check("a connection reset is a NetworkError with code ECONNRESET", async () => {
  await eachTarget(async (t) => {
    server.reset([{ fault: "reset" }]);
    const { error } = await failure(t.call());
    const e = expectError(error, NetworkError, t.label);
    assert.equal(e.code, "ECONNRESET");
    assert.ok(!(e instanceof TimeoutError));
  });
});

check("a body cut off in transit (Content-Length not reached) is a NetworkError, not a parse error", async () => {
  await eachTarget(async (t) => {
    server.reset([{ ...t.ok, fault: "truncate" }]);
    const { error } = await failure(t.call());
    const e = expectError(error, NetworkError, t.label);
    assert.ok(!(e instanceof TimeoutError), `${e.name}: ${e.message}`);
  });
});

check("a connection closed before any response is a NetworkError", async () => {
  server.reset([{ fault: "close" }]);
  const { error } = await failure(matrix[0]!.call());
  expectError(error, NetworkError, "close");
});

check("a call aborted before it is sent rejects with AbortError and sends nothing", async () => {
  await eachTarget(async (t) => {
    server.reset([t.ok]);
    const reason = new Error("caller gave up");
    const { error, ms } = await failure(t.call(AbortSignal.abort(reason)));
    const e = expectError(error, AbortError, t.label);
    assert.equal(e.cause, reason);
    assert.ok(ms < 500, `took ${ms} ms`);
    assert.equal(server.requests.length, 0);
  });
});

check("a call aborted while waiting for the response rejects with AbortError promptly", async () => {
  await eachTarget(async (t) => {
    server.reset([{ fault: "hang" }]);
    const controller = new AbortController();
    // Abort once the request has reached the server (a fixed delay races the request on a loaded machine).
    let abortedAt = 0;
    const poll = setInterval(() => {
      if (server.requests.length === 0) return;
      clearInterval(poll);
      abortedAt = Date.now();
      controller.abort(new Error("stop"));
    }, 5);
    const { error } = await failure(t.call(controller.signal)).finally(() => clearInterval(poll));
    expectError(error, AbortError, t.label);
    const ms = Date.now() - abortedAt;
    assert.ok(abortedAt > 0 && ms < 1500, `settled ${ms} ms after the abort`);
    assert.equal(server.requests.length, 1);
  });
});

check("a request timeout (no response) is a TimeoutError, a NetworkError with code ETIMEDOUT", async () => {
  const ddb = track(new DynamoDB(config({ requestTimeout: 300 })));
  const s3 = track(new S3(config({ requestTimeout: 300, forcePathStyle: true })));
  for (const [label, call] of [
    ["DynamoDB", () => ddb.listTables({})],
    ["S3", () => s3.listObjectsV2({ Bucket: "bucket" })],
  ] as const) {
    server.reset([{ fault: "hang" }]);
    const { error, ms } = await failure(call());
    const e = expectError(error, TimeoutError, label);
    assert.ok(e instanceof NetworkError);
    assert.equal(e.code, "ETIMEDOUT");
    assert.ok(ms >= 250 && ms < 2000, `${label}: took ${ms} ms`);
  }
});

check("a response that stalls mid-body times out with TimeoutError", async () => {
  const ddb = track(new DynamoDB(config({ requestTimeout: 300 })));
  server.reset([
    {
      status: 200,
      headers: JSON10,
      body: JSON.stringify({ TableNames: ["a".repeat(500)] }),
      fault: "stall",
      truncateAfter: 10,
    },
  ]);
  const { error, ms } = await failure(ddb.listTables({}));
  expectError(error, TimeoutError, "stall");
  assert.ok(ms < 2000, `took ${ms} ms`);
});

check("an error the service models but the operation does not list still gets its class (as botocore and v3)", async () => {
  const ddb = track(new DynamoDB(config()));
  server.reset([
    {
      status: 400,
      headers: JSON10,
      body: JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", message: "not listed by GetItem", Item: { pk: { S: "a" } } }),
    },
  ]);
  const { error: e1 } = await failure(ddb.getItem({ TableName: "t", Key: { pk: { S: "a" } } }));
  const ccf = expectError(e1, ConditionalCheckFailedException, "DynamoDB GetItem");
  assert.equal(ccf.message, "not listed by GetItem");
  assert.deepEqual(ccf.Item, { pk: { S: "a" } });
  const s3 = track(new S3(config({ forcePathStyle: true })));
  server.reset([{ status: 404, headers: XML, body: "<Error><Code>NoSuchBucket</Code><Message>gone</Message><BucketName>b</BucketName></Error>" }]);
  const { error: e2 } = await failure(s3.getObject({ Bucket: "b", Key: "k" }));
  const nsb = expectError(e2, NoSuchBucket, "S3 GetObject");
  assert.equal(nsb.$metadata.httpStatusCode, 404);
});

check("a wire value of the wrong form is a ResponseParseError that does not quote the value (it may be a sensitive member's)", async () => {
  // A DynamoDB timestamp in a JSON body, an S3 timestamp and an integer in headers, an STS
  // timestamp in an XML body: each carries the secret, and no error may show it.
  const ddb = track(new DynamoDB(config()));
  server.reset([{ status: 200, headers: JSON10, body: JSON.stringify({ Table: { TableName: "t", CreationDateTime: SECRET } }) }]);
  const { error: e1 } = await failure(ddb.describeTable({ TableName: "t" }));
  assert.match(expectError(e1, ResponseParseError, "DynamoDB DescribeTable").message, /invalid timestamp: a string of \d+ characters/);
  const s3 = track(new S3(config({ forcePathStyle: true })));
  for (const header of ["last-modified", "x-amz-mp-parts-count"]) {
    server.reset([{ status: 200, headers: { [header]: SECRET }, body: "" }]);
    const { error } = await failure(s3.headObject({ Bucket: "b", Key: "k" }));
    expectError(error, ResponseParseError, `S3 HeadObject ${header}`);
  }
  const sts = track(new STS(config()));
  server.reset([
    {
      status: 200,
      headers: XML,
      body:
        `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult><Credentials>` +
        `<AccessKeyId>AKIDNEW</AccessKeyId><SecretAccessKey>x</SecretAccessKey><SessionToken>y</SessionToken>` +
        `<Expiration>${SECRET}</Expiration></Credentials></GetSessionTokenResult></GetSessionTokenResponse>`,
    },
  ]);
  const { error: e4 } = await failure(sts.getSessionToken({}));
  expectError(e4, ResponseParseError, "STS GetSessionToken");
});

check("a response body over maxResponseBodyBytes is a ResponseParseError, by Content-Length or while chunked; the client goes on", async () => {
  const ddb = track(new DynamoDB(config({ maxResponseBodyBytes: 100_000 })));
  const big = JSON.stringify({ TableNames: Array.from({ length: 5000 }, (_, i) => `table-${i}-${"x".repeat(50)}`) });
  assert.ok(big.length > 300_000);
  for (const [label, headers] of [
    ["Content-Length", JSON10],
    ["chunked", { ...JSON10, "transfer-encoding": "chunked" }],
  ] as const) {
    server.reset([{ status: 200, headers, body: big, chunkSize: 16_384 }, { status: 200, headers: JSON10, body: '{"TableNames":["ok"]}' }]);
    const { error, ms } = await failure(ddb.listTables({}));
    const e = expectError(error, ResponseParseError, label);
    assert.match(e.message, /ListTables: the response body \((\d+|more than 100000) bytes\) exceeds maxResponseBodyBytes \(100000\)/);
    assert.equal(e.statusCode, 200);
    assert.ok(ms < 2000, `${label}: took ${ms} ms`);
    assert.deepEqual((await ddb.listTables({})).TableNames, ["ok"]);
  }
  await assert.rejects(track(new DynamoDB(config({ maxResponseBodyBytes: 0 }))).listTables({}), ConfigError);
});

// ---- streamed outputs ----

const BIG = new Uint8Array(4 * 1024 * 1024).map((_, i) => i & 0xff);
/** 4 MiB in 64 KiB chunks 20 ms apart: about 1.3 s to send in full. */
const SLOW_BIG: FaultResponse = {
  status: 200,
  headers: { "content-type": "application/octet-stream" },
  body: BIG,
  chunkSize: 65536,
  chunkDelayMs: 20,
};

check(
  "a streamed output the caller stops reading (break) releases the call at once; the client keeps working",
  async () => {
    const s3 = track(new S3(config({ forcePathStyle: true })));
    server.reset([SLOW_BIG, { status: 200, body: "next" }]);
    const start = Date.now();
    const got = await s3.getObject({ Bucket: "bucket", Key: "big" });
    assert.equal(got.$metadata.httpStatusCode, 200);
    let read = 0;
    for await (const chunk of got.Body!) {
      read += chunk.length;
      if (read >= 65536) break;
    }
    assert.ok(read < BIG.length);
    assert.ok(Date.now() - start < 1000, `took ${Date.now() - start} ms`);
    const next = await s3.getObject({ Bucket: "bucket", Key: "small" });
    assert.equal(await next.Body!.transformToString(), "next");
  },
);

check("a streamed output cancelled with Body.cancel() settles promptly and frees the connection", async () => {
  const s3 = track(new S3(config({ forcePathStyle: true })));
  server.reset([SLOW_BIG, { status: 200, body: "after cancel" }]);
  const connectionsBefore = server.connections;
  const start = Date.now();
  const got = await s3.getObject({ Bucket: "bucket", Key: "big" });
  await got.Body!.cancel();
  assert.ok(Date.now() - start < 1000, `took ${Date.now() - start} ms`);
  const next = await s3.getObject({ Bucket: "bucket", Key: "small" });
  assert.equal(await next.Body!.transformToString(), "after cancel");
  // The cancelled connection was not returned to the pool with 4 MiB unread.
  assert.equal(server.connections, connectionsBefore + 2);
  assert.notEqual(server.requests[0]!.connection, server.requests[1]!.connection);
});

check("aborting while a streamed output is read rejects the read with AbortError", async () => {
  const s3 = track(new S3(config({ forcePathStyle: true })));
  server.reset([SLOW_BIG]);
  const controller = new AbortController();
  const got = await s3.getObject({ Bucket: "bucket", Key: "big" }, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error("enough")), 60);
  const { error, ms } = await failure(got.Body!.transformToByteArray());
  expectError(error, AbortError, "abort mid-body");
  assert.ok(ms < 1000, `took ${ms} ms`);
});

check("a streamed output that stalls times out in the read with TimeoutError", async () => {
  const s3 = track(new S3(config({ forcePathStyle: true, requestTimeout: 300 })));
  server.reset([{ status: 200, body: BIG, fault: "stall", truncateAfter: 1000 }]);
  const got = await s3.getObject({ Bucket: "bucket", Key: "big" });
  const { error, ms } = await failure(got.Body!.transformToString());
  expectError(error, TimeoutError, "stalled stream");
  assert.ok(ms < 2000, `took ${ms} ms`);
});

// ---- S3 specifics and request-form errors ----

check("S3 CopyObject: an error in a 200 body becomes the modeled error, or a ServiceError with its code", async () => {
  const s3 = track(new S3(config({ forcePathStyle: true })));
  const err200 = (code: string): FaultResponse => ({
    status: 200,
    headers: { ...XML, "x-amz-request-id": "copy-req" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n\n<Error><Code>${code}</Code><Message>${code} during copy</Message><RequestId>copy-req</RequestId></Error>`,
  });
  server.reset([err200("ObjectNotInActiveTierError")]);
  const { error: modeled } = await failure(s3.copyObject({ Bucket: "bucket", Key: "dst", CopySource: "bucket/src" }));
  const m = expectError(modeled, ObjectNotInActiveTierError, "modeled");
  assert.equal(m.code, "ObjectNotInActiveTierError");
  assert.equal(m.message, "ObjectNotInActiveTierError during copy");
  assert.equal(m.$metadata.httpStatusCode, 200);
  assert.equal(m.$metadata.requestId, "copy-req");

  server.reset([err200("InternalError")]);
  const { error: unmodeled } = await failure(s3.copyObject({ Bucket: "bucket", Key: "dst", CopySource: "bucket/src" }));
  const u = expectError(unmodeled, ServiceError, "unmodeled");
  assert.equal(u.code, "InternalError");
  assert.equal(u.$metadata.attempts, 1);

  // A real success still parses.
  server.reset([
    {
      status: 200,
      headers: XML,
      body: '<CopyObjectResult><ETag>"abc"</ETag><LastModified>2024-01-02T03:04:05.000Z</LastModified></CopyObjectResult>',
    },
  ]);
  const ok = await s3.copyObject({ Bucket: "bucket", Key: "dst", CopySource: "bucket/src" });
  assert.equal(ok.CopyObjectResult?.ETag, '"abc"');
});

check("a missing required URI label fails with RequestFormError before anything is sent", async () => {
  const s3 = track(new S3(config({ forcePathStyle: true })));
  const lambda = track(new Lambda(config()));
  server.reset([{ status: 200 }]);
  const { error: e1 } = await failure(s3.getObject({ Bucket: "bucket", Key: "" }));
  assert.match(expectError(e1, RequestFormError, "S3 Key").message, /Key/);
  const { error: e2 } = await failure(lambda.getFunction({ FunctionName: "" }));
  assert.match(expectError(e2, RequestFormError, "Lambda FunctionName").message, /FunctionName/);
  assert.equal(server.requests.length, 0);
});

check("errors carry the caller's stack frame", async () => {
  server.reset([html502()]);
  const { error } = await failure(matrix[0]!.call());
  assert.match(String((error as Error).stack), /faults\.test\.ts/);
});

check("no unhandled rejection so far", () => {
  unhandled.assertNone();
});
