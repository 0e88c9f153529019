// What a GENERATED client puts on the wire, recorded by the fault server on 127.0.0.1 through
// the real node handler: the SigV4 headers (x-amz-content-sha256, session token, scope), the
// user agent, checksums and Content-MD5 where an operation requires one, idempotency tokens
// filled with a fresh v4 UUID, host prefixes, and credentials and region taken from the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,
// AWS_DEFAULT_REGION). A missing host label fails with RequestFormError before sending.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { S3 } from "tsaws/s3";
import { S3Control } from "tsaws/s3control";
import { DynamoDB } from "tsaws/dynamodb";
import { NeptuneGraph } from "tsaws/neptune-graph";
import { RequestFormError } from "tsaws";
import { createHttpHandler } from "../../runtime/http/node.js";
import { localhostLookup, startFaultServer, type FaultServer, type RecordedRequest } from "../support/fault-server.ts";
import { countedTests } from "../support/counted.ts";

const check = countedTests("integration request path");
const CREDENTIALS = { accessKeyId: "AKIDREQUESTPATH", secretAccessKey: "request-path-secret", sessionToken: "request-path-token" };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JSON10 = { "content-type": "application/x-amz-json-1.0" };


let server: FaultServer;
const clients: { destroy(): void }[] = [];
function track<C extends { destroy(): void }>(c: C): C {
  clients.push(c);
  return c;
}

before(async () => {
  server = await startFaultServer({ holdMs: 2000 });
});

after(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
});

/** The one request the server received since the last reset. */
function only(): RecordedRequest {
  assert.equal(server.requests.length, 1, "exactly one request");
  return server.requests[0]!;
}

function authParts(h: string | undefined): { credential: string; signedHeaders: string[] } {
  const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(h ?? "");
  assert.ok(m, `not a SigV4 authorization header: ${h}`);
  return { credential: m[1]!, signedHeaders: m[2]!.split(";") };
}

check("S3 PutObject: SigV4 scope, x-amz-content-sha256 of the body, session token, user agent, invocation id", async () => {
  const s3 = track(new S3({ region: "eu-west-1", endpoint: server.url, forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 1, requestChecksumCalculation: "when_required" }));
  server.reset([{ status: 200, headers: { etag: '"e"' } }]);
  const body = "hello request path";
  await s3.putObject({ Bucket: "bucket", Key: "dir/k.txt", Body: body });
  const r = only();
  assert.equal(r.method, "PUT");
  assert.equal(r.path.split("?")[0], "/bucket/dir/k.txt");
  assert.equal(new TextDecoder().decode(r.body), body);
  assert.equal(r.headers["x-amz-content-sha256"], createHash("sha256").update(body).digest("hex"));
  assert.equal(r.headers["x-amz-security-token"], CREDENTIALS.sessionToken);
  const auth = authParts(r.headers.authorization);
  assert.match(auth.credential, /^AKIDREQUESTPATH\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
  for (const h of ["host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"]) assert.ok(auth.signedHeaders.includes(h), `${h} is signed`);
  assert.match(r.headers["user-agent"] ?? "", /tsaws/);
  assert.match(r.headers["x-amz-user-agent"] ?? "", /tsaws/);
  assert.match(r.headers["amz-sdk-invocation-id"] ?? "", UUID_V4);
  assert.ok(!JSON.stringify(r.headers).includes(CREDENTIALS.secretAccessKey), "the secret never goes on the wire");
});

check("a required checksum is sent: S3 DeleteObjects carries x-amz-checksum-crc32 of its body even when_required", async () => {
  const s3 = track(new S3({ region: "us-east-1", endpoint: server.url, forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 1, requestChecksumCalculation: "when_required" }));
  server.reset([{ status: 200, headers: { "content-type": "application/xml" }, body: "<DeleteResult></DeleteResult>" }]);
  await s3.deleteObjects({ Bucket: "bucket", Delete: { Objects: [{ Key: "a" }, { Key: "b" }] } });
  const r = only();
  const expected = Buffer.alloc(4);
  expected.writeUInt32BE(crc32(r.body));
  assert.ok(r.body.length > 0);
  assert.equal(r.headers["x-amz-checksum-crc32"], expected.toString("base64"));
  // An optional checksum is not sent when_required: PutObject above had none.
  server.reset([{ status: 200 }]);
  await s3.putObject({ Bucket: "bucket", Key: "k", Body: "x" });
  assert.equal(Object.keys(only().headers).filter((h) => h.startsWith("x-amz-checksum-")).length, 0);
});

check("the checksum algorithm a caller names is computed: SHA512, MD5, SHA1, CRC64NVME...; the XXHASH ones fail before sending", async () => {
  const s3 = track(new S3({ region: "us-east-1", endpoint: server.url, forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 1 }));
  const body = "checksummed body \u00e9";
  const digests: Record<string, (b: Uint8Array) => string> = {
    SHA512: (b) => createHash("sha512").update(b).digest("base64"),
    MD5: (b) => createHash("md5").update(b).digest("base64"),
    SHA256: (b) => createHash("sha256").update(b).digest("base64"),
    SHA1: (b) => createHash("sha1").update(b).digest("base64"),
  };
  for (const [algorithm, digest] of Object.entries(digests)) {
    server.reset([{ status: 200, headers: { etag: '"e"' } }]);
    await s3.putObject({ Bucket: "bucket", Key: "k", Body: body, ChecksumAlgorithm: algorithm as "SHA512" });
    const r = only();
    assert.equal(r.headers[`x-amz-checksum-${algorithm.toLowerCase()}`], digest(r.body), algorithm);
    assert.equal(r.headers["x-amz-sdk-checksum-algorithm"], algorithm);
    assert.equal(Object.keys(r.headers).filter((h) => h.startsWith("x-amz-checksum-")).length, 1);
  }
  for (const algorithm of ["XXHASH64", "XXHASH3", "XXHASH128"] as const) {
    server.reset([{ status: 200 }]);
    await assert.rejects(s3.putObject({ Bucket: "bucket", Key: "k", Body: body, ChecksumAlgorithm: algorithm }), (e: unknown) => {
      assert.ok(e instanceof RequestFormError, String(e));
      assert.match(e.message, new RegExp(`unsupported checksum algorithm ${algorithm}; tsaws computes CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5`));
      return true;
    });
    assert.equal(server.requests.length, 0, "nothing is sent");
  }
});

check("Content-MD5 where an operation requires a checksum and has no flexible one (S3 Control, host prefix {AccountId}.)", async () => {
  const handler = createHttpHandler({ httpAgent: { lookup: localhostLookup } });
  const control = track(new S3Control({ region: "us-east-1", endpoint: `http://localhost:${server.port}`, credentials: CREDENTIALS, maxAttempts: 1, httpHandler: handler }));
  clients.push({ destroy: () => handler.destroy?.() });
  server.reset([{ status: 200, headers: { "content-type": "application/xml" }, body: "<CreateMultiRegionAccessPointResult><RequestTokenARN>arn:x</RequestTokenARN></CreateMultiRegionAccessPointResult>" }]);
  const out = await control.createMultiRegionAccessPoint({ AccountId: "123456789012", Details: { Name: "mrap", Regions: [{ Bucket: "b1" }] } });
  assert.equal(out.RequestTokenARN, "arn:x");
  const r = only();
  assert.equal(r.headers.host, `123456789012.localhost:${server.port}`);
  assert.ok(r.body.length > 0);
  assert.equal(r.headers["content-md5"], createHash("md5").update(r.body).digest("base64"));
});

check("host prefix: NeptuneGraph ExecuteQuery goes to {graphIdentifier}.<endpoint>; an empty label fails before sending", async () => {
  const handler = createHttpHandler({ httpAgent: { lookup: localhostLookup } });
  const neptune = track(new NeptuneGraph({ region: "us-east-1", endpoint: `http://localhost:${server.port}`, credentials: CREDENTIALS, maxAttempts: 1, httpHandler: handler }));
  clients.push({ destroy: () => handler.destroy?.() });
  server.reset([{ status: 200, headers: { "content-type": "application/json" }, body: "{}" }]);
  const out = await neptune.executeQuery({ graphIdentifier: "g-abc123", queryString: "MATCH (n) RETURN n", language: "OPEN_CYPHER" });
  assert.equal(await out.payload.transformToString(), "{}");
  assert.equal(only().headers.host, `g-abc123.localhost:${server.port}`);

  server.reset([{ status: 200 }]);
  for (const bad of ["", "evil.com/x"]) {
    const e = await neptune.executeQuery({ graphIdentifier: bad, queryString: "x", language: "OPEN_CYPHER" }).catch((err: unknown) => err);
    assert.ok(e instanceof RequestFormError, `${JSON.stringify(bad)}: got ${String(e)}`);
    assert.match(e.message, /graphIdentifier/);
  }
  assert.equal(server.requests.length, 0, "nothing was sent");
});

check("idempotency tokens are filled with a fresh v4 UUID per call; a given token is sent as is", async () => {
  const ddb = track(new DynamoDB({ region: "us-east-1", endpoint: server.url, credentials: CREDENTIALS, maxAttempts: 1 }));
  const call = (token?: string) =>
    ddb.transactWriteItems({
      TransactItems: [{ Put: { TableName: "t", Item: { pk: { S: "a" } } } }],
      ...(token !== undefined ? { ClientRequestToken: token } : {}),
    });
  const sent = async (token?: string): Promise<unknown> => {
    server.reset([{ status: 200, headers: JSON10, body: "{}" }]);
    await call(token);
    return (JSON.parse(new TextDecoder().decode(only().body)) as { ClientRequestToken?: unknown }).ClientRequestToken;
  };
  const first = await sent();
  const second = await sent();
  assert.match(String(first), UUID_V4);
  assert.match(String(second), UUID_V4);
  assert.notEqual(first, second);
  assert.equal(await sent("my-token-1"), "my-token-1");
});

check("credentials and region from the environment: AWS_ACCESS_KEY_ID/SECRET/SESSION_TOKEN, AWS_REGION, then AWS_DEFAULT_REGION", async () => {
  const keys = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED"];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  const missing = join(tmpdir(), "tsaws-request-path-no-such-file");
  try {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: "AKIDFROMENV",
      AWS_SECRET_ACCESS_KEY: "env-secret",
      AWS_SESSION_TOKEN: "env-token",
      AWS_REGION: "ap-southeast-2",
      AWS_CONFIG_FILE: missing,
      AWS_SHARED_CREDENTIALS_FILE: missing,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    delete process.env.AWS_DEFAULT_REGION;
    delete process.env.AWS_PROFILE;
    const a = track(new DynamoDB({ endpoint: server.url, maxAttempts: 1 }));
    server.reset([{ status: 200, headers: JSON10, body: '{"TableNames":[]}' }]);
    await a.listTables();
    let r = only();
    assert.match(authParts(r.headers.authorization).credential, /^AKIDFROMENV\/\d{8}\/ap-southeast-2\/dynamodb\/aws4_request$/);
    assert.equal(r.headers["x-amz-security-token"], "env-token");

    delete process.env.AWS_REGION;
    process.env.AWS_DEFAULT_REGION = "ca-central-1";
    const b = track(new DynamoDB({ endpoint: server.url, maxAttempts: 1 }));
    server.reset([{ status: 200, headers: JSON10, body: '{"TableNames":[]}' }]);
    await b.listTables();
    r = only();
    assert.match(authParts(r.headers.authorization).credential, /^AKIDFROMENV\/\d{8}\/ca-central-1\/dynamodb\/aws4_request$/);

    // Config beats the environment.
    const c = track(new DynamoDB({ endpoint: server.url, maxAttempts: 1, region: "eu-north-1", credentials: CREDENTIALS }));
    server.reset([{ status: 200, headers: JSON10, body: '{"TableNames":[]}' }]);
    await c.listTables();
    r = only();
    assert.match(authParts(r.headers.authorization).credential, /^AKIDREQUESTPATH\/\d{8}\/eu-north-1\/dynamodb\/aws4_request$/);
    assert.equal(r.headers["x-amz-security-token"], CREDENTIALS.sessionToken);
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
});

check("an async credentials provider is called and its keys sign the request", async () => {
  let calls = 0;
  const ddb = track(
    new DynamoDB({
      region: "us-east-1",
      endpoint: server.url,
      maxAttempts: 1,
      credentials: async () => {
        calls++;
        return { accessKeyId: "AKIDPROVIDED", secretAccessKey: "provided-secret" };
      },
    }),
  );
  server.reset([{ status: 200, headers: JSON10, body: '{"TableNames":[]}' }]);
  await ddb.listTables();
  assert.ok(calls >= 1);
  assert.match(authParts(only().headers.authorization).credential, /^AKIDPROVIDED\//);
  assert.equal(only().headers["x-amz-security-token"], undefined);
});

check("an injected clock dates and scopes the signature", async () => {
  const fixed = Date.UTC(2020, 0, 2, 3, 4, 5);
  const ddb = track(new DynamoDB({ region: "us-east-1", endpoint: server.url, credentials: CREDENTIALS, maxAttempts: 1, clock: () => fixed }));
  server.reset([{ status: 200, headers: JSON10, body: '{"TableNames":[]}' }]);
  await ddb.listTables();
  const r = only();
  assert.equal(r.headers["x-amz-date"], "20200102T030405Z");
  assert.equal(authParts(r.headers.authorization).credential, "AKIDREQUESTPATH/20200102/us-east-1/dynamodb/aws4_request");
});
