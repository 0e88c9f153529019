// Endpoint discovery (runtime/customizations/endpoint-discovery*.ts) through the generated
// Timestream Write and DynamoDB clients with a recording transport: DescribeEndpoints first,
// then the discovered host; the cache (its key, its period on an injected clock, one
// DescribeEndpoints for concurrent calls), eviction on 421 / InvalidEndpointException, the
// setting (config, environment, profile), failures, and presigning.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TimestreamWrite, DescribeDatabase } from "tsaws/timestream-write";
import { DynamoDB } from "tsaws/dynamodb";
import { TimestreamQuery } from "tsaws/timestream-query";
import { ConfigError, ServiceError, Session, TsawsError, presign } from "tsaws";
import type { HttpRequest } from "../../runtime/http/types.js";
import type { OperationSchema } from "../../runtime/schema.js";
import type { RuntimeClient } from "../../runtime/client.js";
import { endpointDiscovery } from "../../runtime/customizations/endpoint-discovery.js";
import { CREDENTIALS, hermetic, recorder, type Reply } from "./support.ts";

const REGIONAL_WRITE = "ingest.timestream.us-east-1.amazonaws.com";
const CELL = "ingest-cell2.timestream.us-east-1.amazonaws.com";

const target = (r: HttpRequest): string => (r.headers["x-amz-target"] ?? "").replace(/^.*\./, "");

/** A transport whose DescribeEndpoints answers `address` (each answer numbered: cell1, cell2...), everything else `{}`. */
function service(opts: { address?: (n: number) => string; minutes?: number; reply?: (r: HttpRequest) => Reply | undefined } = {}) {
  let described = 0;
  const http = recorder((r) => {
    if (target(r) === "DescribeEndpoints") {
      described++;
      const address = opts.address ? opts.address(described) : CELL;
      return { headers: { "content-type": "application/x-amz-json-1.0" }, body: JSON.stringify({ Endpoints: [{ Address: address, CachePeriodInMinutes: opts.minutes ?? 1440 }] }) };
    }
    return opts.reply?.(r) ?? {};
  });
  return { http, described: () => described, calls: () => http.requests.map((r) => `${target(r)}@${r.hostname}`) };
}

/** A session with no environment and no files, so nothing on the machine turns discovery on or off. */
const bare = (env: Record<string, string> = {}) => new Session({ env, configFile: [], credentialsFile: [] });

test("Timestream Write: WriteRecords and DescribeDatabase call DescribeEndpoints first (signed, same region), then the discovered host; one DescribeEndpoints serves both", async () => {
  const s = service();
  const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare() });
  await tw.writeRecords({ DatabaseName: "db", TableName: "t", Records: [] });
  await tw.describeDatabase({ DatabaseName: "db" });
  assert.deepEqual(s.calls(), [`DescribeEndpoints@${REGIONAL_WRITE}`, `WriteRecords@${CELL}`, `DescribeDatabase@${CELL}`]);
  const [describe, write] = s.http.requests;
  assert.match(describe!.headers.authorization ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/timestream\/aws4_request/);
  assert.equal(describe!.body, "{}");
  // The discovered call is signed for the service and region as the regular one would be, with a Host of the cell.
  assert.match(write!.headers.authorization ?? "", /\/us-east-1\/timestream\/aws4_request/);
  assert.equal(write!.protocol, "https:");
  assert.equal(write!.path, "/");
});

test("Timestream Query: Query goes to the discovered host too", async () => {
  const s = service({ address: () => "query-cell1.timestream.us-east-1.amazonaws.com" });
  const tq = new TimestreamQuery({ ...hermetic(s.http), session: bare() });
  await tq.query({ QueryString: "SELECT 1" }).catch(() => undefined); // `{}` lacks required output members; the hosts are what matter
  assert.deepEqual(s.calls(), ["DescribeEndpoints@query.timestream.us-east-1.amazonaws.com", "Query@query-cell1.timestream.us-east-1.amazonaws.com"]);
});

test("the cache: many calls, one DescribeEndpoints; expired after CachePeriodInMinutes on the client's clock", async () => {
  let now = Date.UTC(2026, 0, 1);
  const s = service({ minutes: 10, address: (n) => `cell${n}.example.com` });
  const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare(), clock: () => now });
  for (let i = 0; i < 5; i++) await tw.describeDatabase({ DatabaseName: "db" });
  assert.equal(s.described(), 1);
  now += 10 * 60_000 - 1;
  await tw.describeDatabase({ DatabaseName: "db" });
  assert.equal(s.described(), 1);
  now += 1;
  await tw.describeDatabase({ DatabaseName: "db" });
  assert.equal(s.described(), 2);
  assert.equal(s.http.requests.at(-1)!.hostname, "cell2.example.com");
});

test("concurrent calls share one DescribeEndpoints", async () => {
  const s = service();
  const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare() });
  await Promise.all(Array.from({ length: 8 }, () => tw.describeDatabase({ DatabaseName: "db" })));
  assert.equal(s.described(), 1);
  assert.equal(s.http.requests.length, 9);
});

test("a 421 InvalidEndpointException evicts a cached endpoint and the call is sent once more, to a freshly discovered one; a refusal of a fresh one is the caller's", async () => {
  let refuse = 0;
  const s = service({
    address: (n) => `cell${n}.example.com`,
    reply: (r) =>
      (r.hostname === "cell1.example.com" && refuse) || refuse > 1
        ? { status: 421, body: JSON.stringify({ __type: "InvalidEndpointException", message: "not here" }) }
        : undefined,
  });
  const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare() });
  await tw.describeDatabase({ DatabaseName: "db" });
  refuse = 1; // cell1 (cached) now refuses
  await tw.describeDatabase({ DatabaseName: "db" });
  await tw.describeDatabase({ DatabaseName: "db" });
  assert.deepEqual(s.calls(), [
    "DescribeEndpoints@" + REGIONAL_WRITE,
    "DescribeDatabase@cell1.example.com",
    "DescribeDatabase@cell1.example.com",
    "DescribeEndpoints@" + REGIONAL_WRITE,
    "DescribeDatabase@cell2.example.com",
    "DescribeDatabase@cell2.example.com",
  ]);
  // Only once: when the fresh endpoint refuses too, the error is the caller's (and evicts it).
  refuse = 2;
  let before = s.http.requests.length;
  await assert.rejects(tw.describeDatabase({ DatabaseName: "db" }), (e: unknown) => e instanceof ServiceError && e.code === "InvalidEndpointException");
  assert.deepEqual(s.calls().slice(before), ["DescribeDatabase@cell2.example.com", "DescribeEndpoints@" + REGIONAL_WRITE, "DescribeDatabase@cell3.example.com"]);
  before = s.http.requests.length;
  await assert.rejects(tw.describeDatabase({ DatabaseName: "db" }), /not here/);
  assert.deepEqual(s.calls().slice(before), ["DescribeEndpoints@" + REGIONAL_WRITE, "DescribeDatabase@cell4.example.com"]);
  // A bare 421 (no error code) evicts too; another error does not.
  const s2 = service({ address: (n) => `c${n}.example.com`, reply: (r) => (r.hostname === "c1.example.com" && refuse ? { status: refuse, body: "{}" } : undefined) });
  const tw2 = new TimestreamWrite({ ...hermetic(s2.http), session: bare() });
  refuse = 0;
  await tw2.describeDatabase({ DatabaseName: "db" });
  refuse = 400;
  await assert.rejects(tw2.describeDatabase({ DatabaseName: "db" }), ServiceError);
  assert.equal(s2.described(), 1);
  refuse = 421;
  await tw2.describeDatabase({ DatabaseName: "db" });
  assert.equal(s2.described(), 2);
  assert.equal(s2.http.requests.at(-1)!.hostname, "c2.example.com");
});

test("a required discovery that fails fails the call with DescribeEndpoints' error, and is tried again on the next call", async () => {
  let fail = true;
  const http = recorder((r) => (fail && target(r) === "DescribeEndpoints" ? { status: 403, body: JSON.stringify({ __type: "AccessDeniedException", message: "no" }) } : {}));
  const tw = new TimestreamWrite({ ...hermetic(http), session: bare() });
  await assert.rejects(tw.describeDatabase({ DatabaseName: "db" }), (e: unknown) => e instanceof ServiceError && e.code === "AccessDeniedException");
  assert.equal(http.requests.length, 1); // the call itself was not sent
  fail = false;
  await assert.rejects(tw.describeDatabase({ DatabaseName: "db" }), /named no endpoint/); // `{}`: no Endpoints
  assert.equal(http.requests.length, 2);
  const bad = recorder(() => ({ body: JSON.stringify({ Endpoints: [{ Address: "not a host", CachePeriodInMinutes: 1 }] }) }));
  const tw2 = new TimestreamWrite({ ...hermetic(bad), session: bare() });
  await assert.rejects(tw2.describeDatabase({ DatabaseName: "db" }), (e: unknown) => e instanceof TsawsError && /not a host: "not a host"/.test(e.message));
});

test("DynamoDB: no discovery unless enabled (auto: none of its operations require it)", async () => {
  const s = service();
  const ddb = new DynamoDB({ ...hermetic(s.http), session: bare() });
  await ddb.getItem({ TableName: "t", Key: {} });
  assert.deepEqual(s.calls(), ["GetItem@dynamodb.us-east-1.amazonaws.com"]);
  const off = new DynamoDB({ ...hermetic(s.http), session: bare(), endpointDiscoveryEnabled: false });
  await off.getItem({ TableName: "t", Key: {} });
  assert.equal(s.described(), 0);
});

test("DynamoDB: discovery enabled by the config, AWS_ENDPOINT_DISCOVERY_ENABLED or the profile's endpoint_discovery_enabled; the config wins", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsaws-ed-"));
  try {
    const config = join(dir, "config");
    writeFileSync(config, "[default]\nendpoint_discovery_enabled = true\n");
    const sessions: [string, Session, boolean | undefined, boolean][] = [
      ["config", bare(), true, true],
      ["env", bare({ AWS_ENDPOINT_DISCOVERY_ENABLED: "TRUE" }), undefined, true],
      ["profile", new Session({ env: {}, configFile: config, credentialsFile: [] }), undefined, true],
      ["env auto", bare({ AWS_ENDPOINT_DISCOVERY_ENABLED: "auto" }), undefined, false],
      ["config false over env", bare({ AWS_ENDPOINT_DISCOVERY_ENABLED: "true" }), false, false],
    ];
    for (const [why, session, flag, discovers] of sessions) {
      const s = service({ address: () => "ddb-cell.example.com" });
      const ddb = new DynamoDB({ ...hermetic(s.http), session, ...(flag !== undefined ? { endpointDiscoveryEnabled: flag } : {}) });
      await ddb.getItem({ TableName: "t", Key: {} });
      await ddb.getItem({ TableName: "t", Key: {} });
      assert.deepEqual(
        s.calls(),
        discovers
          ? ["DescribeEndpoints@dynamodb.us-east-1.amazonaws.com", "GetItem@ddb-cell.example.com", "GetItem@ddb-cell.example.com"]
          : ["GetItem@dynamodb.us-east-1.amazonaws.com", "GetItem@dynamodb.us-east-1.amazonaws.com"],
        why,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("DynamoDB: an optional discovery that fails uses the regular endpoint, and does not ask again for a minute", async () => {
  let now = Date.UTC(2026, 0, 1);
  const http = recorder((r) => (target(r) === "DescribeEndpoints" ? { status: 500, body: JSON.stringify({ __type: "InternalServerError" }) } : {}));
  const ddb = new DynamoDB({ ...hermetic(http), session: bare(), endpointDiscoveryEnabled: true, clock: () => now });
  await ddb.getItem({ TableName: "t", Key: {} });
  await ddb.getItem({ TableName: "t", Key: {} });
  assert.deepEqual(http.requests.map((r) => target(r)), ["DescribeEndpoints", "GetItem", "GetItem"]);
  assert.equal(http.requests[1]!.hostname, "dynamodb.us-east-1.amazonaws.com");
  now += 60_000;
  await ddb.getItem({ TableName: "t", Key: {} });
  assert.deepEqual(http.requests.slice(3).map((r) => target(r)), ["DescribeEndpoints", "GetItem"]);
});

test("discovery turned off for an operation that requires it: a ConfigError before anything is sent; a bad setting is a ConfigError too", async () => {
  const s = service();
  for (const [config, env] of [[{ endpointDiscoveryEnabled: false }, {}], [{}, { AWS_ENDPOINT_DISCOVERY_ENABLED: "false" }]] as const) {
    const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare(env), ...config });
    await assert.rejects(tw.describeDatabase({ DatabaseName: "db" }), (e: unknown) => e instanceof ConfigError && /DescribeDatabase requires endpoint discovery/.test(e.message));
    // Presigning checks it too, as botocore's before-parameter-build handler does.
    await assert.rejects(presign(tw, DescribeDatabase, { DatabaseName: "db" }), ConfigError);
  }
  const bad = new DynamoDB({ ...hermetic(s.http), session: bare({ AWS_ENDPOINT_DISCOVERY_ENABLED: "maybe" }) });
  await assert.rejects(bad.getItem({ TableName: "t", Key: {} }), (e: unknown) => e instanceof ConfigError && /endpoint_discovery_enabled must be true, false or auto, not "maybe"/.test(e.message));
  assert.equal(s.http.requests.length, 0);
});

test("a custom endpoint (config or configured endpoint URL) turns discovery off, even for required operations (as botocore)", async () => {
  const s = service();
  const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare(), endpoint: "http://127.0.0.1:4566" });
  await tw.describeDatabase({ DatabaseName: "db" });
  const configured = new TimestreamWrite({ ...hermetic(s.http), session: bare({ AWS_ENDPOINT_URL_TIMESTREAM_WRITE: "http://localhost:4567" }) });
  await configured.describeDatabase({ DatabaseName: "db" });
  const off = new TimestreamWrite({ ...hermetic(s.http), session: bare(), endpoint: "http://127.0.0.1:4566", endpointDiscoveryEnabled: false });
  await off.describeDatabase({ DatabaseName: "db" });
  assert.deepEqual(s.calls(), ["DescribeDatabase@127.0.0.1", "DescribeDatabase@localhost", "DescribeDatabase@127.0.0.1"]);
});

test("a presigned URL uses the regular endpoint, not a discovered one (botocore presigns without discovery)", async () => {
  const s = service();
  const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare() });
  const { url } = await presign(tw, DescribeDatabase, { DatabaseName: "db" });
  assert.equal(new URL(url).hostname, REGIONAL_WRITE);
  assert.equal(s.http.requests.length, 0);
});

test("the cache key: the region, the access key, and the operation with its endpointdiscoveryid members' values", async () => {
  const s = service({ address: (n) => `cell${n}.example.com` });
  const a = new TimestreamWrite({ ...hermetic(s.http), session: bare() });
  await a.describeDatabase({ DatabaseName: "db" });
  // Another access key on the same client: rediscovers.
  let key = "AKIDONE";
  const b = new TimestreamWrite({ ...hermetic(s.http), session: bare(), credentials: async () => ({ ...CREDENTIALS, accessKeyId: key }) });
  await b.describeDatabase({ DatabaseName: "db" });
  await b.describeDatabase({ DatabaseName: "db" });
  key = "AKIDTWO";
  await b.describeDatabase({ DatabaseName: "db" });
  assert.equal(s.described(), 3);

  // No model has endpointdiscoveryid members today: an operation schema with one (Id) shows the key.
  const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare() }) as unknown as RuntimeClient;
  const op = (n: string): OperationSchema => ({ n, h: ["POST", "/"], i: { t: 8, m: { Id: 0, Other: 0 } }, o: { t: 8, m: {} }, ed: endpointDiscovery(1, ["Id"], 0) });
  const send = (name: string, input: Record<string, unknown>) => tw.send(op(name) as never, input as never);
  const described = s.described();
  await send("Thing", { Id: "a", Other: "x" });
  await send("Thing", { Id: "a", Other: "y" }); // other members are not in the key
  assert.equal(s.described(), described + 1);
  await send("Thing", { Id: "b" });
  await send("OtherThing", { Id: "b" });
  assert.equal(s.described(), described + 3);
  // DescribeEndpoints was sent without Operation and Identifiers (sendIds 0).
  assert.equal(s.http.requests.filter((r) => target(r) === "DescribeEndpoints").at(-1)!.body, "{}");
});

test("while DescribeEndpoints fails, endpoints past their period are still used (botocore)", async () => {
  let now = Date.UTC(2026, 0, 1);
  let fail = false;
  const http = recorder((r) =>
    target(r) !== "DescribeEndpoints"
      ? {}
      : fail
        ? { status: 500, body: JSON.stringify({ __type: "InternalServerException" }) }
        : { body: JSON.stringify({ Endpoints: [{ Address: CELL, CachePeriodInMinutes: 1 }] }) },
  );
  const tw = new TimestreamWrite({ ...hermetic(http), session: bare(), clock: () => now });
  await tw.describeDatabase({ DatabaseName: "db" });
  now += 120_000;
  fail = true;
  await tw.describeDatabase({ DatabaseName: "db" });
  assert.deepEqual(http.requests.map((r) => `${target(r)}@${r.hostname}`), [
    `DescribeEndpoints@${REGIONAL_WRITE}`,
    `DescribeDatabase@${CELL}`,
    `DescribeEndpoints@${REGIONAL_WRITE}`,
    `DescribeDatabase@${CELL}`,
  ]);
});

test("Timestream: auto (unset, or written out in the environment) and true discover; false in the profile refuses", async () => {
  for (const env of [{}, { AWS_ENDPOINT_DISCOVERY_ENABLED: " Auto " }, { AWS_ENDPOINT_DISCOVERY_ENABLED: "true" }]) {
    const s = service();
    const tw = new TimestreamWrite({ ...hermetic(s.http), session: bare(env) });
    await tw.describeDatabase({ DatabaseName: "db" });
    assert.deepEqual(s.calls(), [`DescribeEndpoints@${REGIONAL_WRITE}`, `DescribeDatabase@${CELL}`], JSON.stringify(env));
  }
  const dir = mkdtempSync(join(tmpdir(), "tsaws-ed-"));
  try {
    const config = join(dir, "config");
    writeFileSync(config, "[default]\nendpoint_discovery_enabled = false\n");
    const s = service();
    const tw = new TimestreamWrite({ ...hermetic(s.http), session: new Session({ env: {}, configFile: config, credentialsFile: [] }) });
    await assert.rejects(tw.describeDatabase({ DatabaseName: "db" }), ConfigError);
    assert.equal(s.http.requests.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the hook of an optional operation answers the regular endpoint at once (no import of the discovery module) unless discovery is on", async () => {
  const regular = { url: new URL("https://dynamodb.us-east-1.amazonaws.com"), headers: {}, auth: "sigv4", disableDoubleEncoding: false, unsignedPayload: false } as const;
  const client = { credentials: async () => CREDENTIALS };
  const call = (endpointDiscoveryEnabled: unknown) =>
    ({ client: {}, service: { id: "DynamoDB" }, op: { n: "GetItem" }, config: { endpointDiscoveryEnabled, endpoint: "http://localhost:1" }, region: "us-east-1", input: {} }) as never;
  const optional = endpointDiscovery();
  for (const v of [undefined, false, "false", " AUTO ", ""]) assert.equal(optional(call(v), regular, client), regular, String(v));
  const lazy = [true, "true", "maybe"].map((v) => optional(call(v), regular, client));
  lazy.push(endpointDiscovery(1)(call(undefined), regular, client));
  for (const p of lazy) assert.ok(p instanceof Promise);
  // (They end in the discovery module: the custom endpoint keeps the regular one; "maybe" is refused.)
  assert.deepEqual((await Promise.allSettled(lazy)).map((r) => r.status), ["fulfilled", "fulfilled", "rejected", "fulfilled"]);
});
