// Lambda recursion detection (runtime/customizations/recursion-detection.ts, wired by
// defaults/node.ts): X-Amzn-Trace-Id from _X_AMZN_TRACE_ID inside a Lambda function, read on
// every call, through generated clients of several protocols with a recording transport and a
// session given its own environment; the signed requests still verify (the header is unsigned).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Session } from "tsaws";
import { DynamoDBClient, GetItem } from "tsaws/dynamodb";
import { S3 } from "tsaws/s3";
import { SNS } from "tsaws/sns";
import { BedrockAgentCore } from "tsaws/bedrock-agentcore";
import { loadDefaults as webDefaults } from "../../runtime/defaults/web.ts";
import type { HttpRequest } from "../../runtime/http/types.js";
import { verifySigV4 } from "../support/sigv4-verify.ts";
import { CREDENTIALS, hermetic, recorder } from "./support.ts";

const TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

/** An environment with no shared config files to read, plus `vars`. */
function lambdaEnv(vars: Record<string, string>): Record<string, string | undefined> {
  return { AWS_CONFIG_FILE: "/nonexistent/tsaws/config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/tsaws/credentials", ...vars };
}

function options(http: ReturnType<typeof recorder>, env: Record<string, string | undefined>) {
  return { ...hermetic(http), session: new Session({ env }) };
}

function assertVerifies(r: HttpRequest): void {
  const body = r.body === undefined ? new Uint8Array(0) : typeof r.body === "string" ? new TextEncoder().encode(r.body) : (r.body as Uint8Array);
  const verdict = verifySigV4(
    { method: r.method, path: r.path, query: r.query, headers: r.headers, body },
    { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: Date.now() },
  );
  assert.deepEqual(verdict, { ok: true, accessKeyId: CREDENTIALS.accessKeyId });
  assert.ok(!/x-amzn-trace-id/.test(r.headers.authorization ?? ""), "the trace header is not signed");
}

test("recursion detection: in a Lambda function every service's requests carry X-Amzn-Trace-Id; signatures verify", async () => {
  const env = lambdaEnv({ AWS_LAMBDA_FUNCTION_NAME: "fn", _X_AMZN_TRACE_ID: TRACE });
  const http = recorder((r) => (r.hostname.startsWith("sns") || r.hostname.includes(".s3.") ? { headers: { "content-type": "text/xml" }, body: "<R/>" } : {}));
  const ddb = new DynamoDBClient(options(http, env));
  await ddb.send(GetItem, { TableName: "t", Key: { pk: { S: "a" } } });
  let r = http.only();
  assert.equal(r.headers["x-amzn-trace-id"], TRACE);
  assertVerifies(r);

  const s3 = new S3(options(http, env));
  await s3.putObject({ Bucket: "b", Key: "k", Body: "x" });
  r = http.only();
  assert.equal(r.headers["x-amzn-trace-id"], TRACE);
  assertVerifies(r);

  const sns = new SNS(options(http, env));
  await sns.listTopics({});
  r = http.only();
  assert.equal(r.headers["x-amzn-trace-id"], TRACE);
  assertVerifies(r);
});

test("recursion detection: the environment is read on every call (a new trace id per invocation)", async () => {
  const env = lambdaEnv({ AWS_LAMBDA_FUNCTION_NAME: "fn", _X_AMZN_TRACE_ID: "Root=1-a" });
  const http = recorder();
  const ddb = new DynamoDBClient(options(http, env));
  await ddb.send(GetItem, { TableName: "t", Key: { pk: { S: "a" } } });
  assert.equal(http.only().headers["x-amzn-trace-id"], "Root=1-a");
  env._X_AMZN_TRACE_ID = "Root=1-b";
  await ddb.send(GetItem, { TableName: "t", Key: { pk: { S: "a" } } });
  assert.equal(http.only().headers["x-amzn-trace-id"], "Root=1-b");
  delete env._X_AMZN_TRACE_ID;
  await ddb.send(GetItem, { TableName: "t", Key: { pk: { S: "a" } } });
  assert.equal(http.only().headers["x-amzn-trace-id"], undefined);
});

test("recursion detection: no header outside Lambda, without a trace id, or with an empty one", async () => {
  const http = recorder();
  for (const vars of [{ _X_AMZN_TRACE_ID: TRACE }, { AWS_LAMBDA_FUNCTION_NAME: "fn" }, { AWS_LAMBDA_FUNCTION_NAME: "fn", _X_AMZN_TRACE_ID: "" }]) {
    const ddb = new DynamoDBClient(options(http, lambdaEnv(vars)));
    await ddb.send(GetItem, { TableName: "t", Key: { pk: { S: "a" } } });
    assert.equal(http.only().headers["x-amzn-trace-id"], undefined, JSON.stringify(vars));
  }
});

test("recursion detection: the trace id is percent-encoded as botocore quotes it", async () => {
  const http = recorder();
  const raw = `Root=1-a;Parent=b:c+d&e[f]{g}"h',i_j.k~l-m n/o!p(q)*r%s\u00e9\u{1F600}`;
  const env = lambdaEnv({ AWS_LAMBDA_FUNCTION_NAME: "fn", _X_AMZN_TRACE_ID: raw });
  const ddb = new DynamoDBClient(options(http, env));
  await ddb.send(GetItem, { TableName: "t", Key: { pk: { S: "a" } } });
  // Written out by hand: the safe characters stay; space, / ! ( ) * % and non-ASCII (UTF-8) are encoded.
  assert.equal(
    http.only().headers["x-amzn-trace-id"],
    `Root=1-a;Parent=b:c+d&e[f]{g}"h',i_j.k~l-m%20n%2Fo%21p%28q%29%2Ar%25s%C3%A9%F0%9F%98%80`,
  );
});

test("recursion detection: a trace header the call already has is kept", async () => {
  const http = recorder();
  const env = lambdaEnv({ AWS_LAMBDA_FUNCTION_NAME: "fn", _X_AMZN_TRACE_ID: TRACE });
  const agentcore = new BedrockAgentCore(options(http, env));
  await agentcore.stopBrowserSession({ browserIdentifier: "b1", sessionId: "s1", traceId: "Root=1-caller" });
  const r = http.only();
  assert.equal(r.headers["x-amzn-trace-id"], "Root=1-caller");
  assert.equal(Object.keys(r.headers).filter((k) => k.toLowerCase() === "x-amzn-trace-id").length, 1);
  await agentcore.stopBrowserSession({ browserIdentifier: "b1", sessionId: "s1" });
  assert.equal(http.only().headers["x-amzn-trace-id"], TRACE);
});

test("recursion detection: the browser defaults add no request headers (web.ts has no hook)", async () => {
  const d = await webDefaults({ env: { AWS_LAMBDA_FUNCTION_NAME: "fn", _X_AMZN_TRACE_ID: TRACE } });
  assert.equal(d.requestHeaders, undefined);
});
