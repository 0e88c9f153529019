// Endpoint resolution through the GENERATED clients: S3 path-style and virtual-hosted
// addressing against a real s3rver (virtual hosts via `<bucket>.s3.localhost`, which the test's
// HTTP agent resolves to 127.0.0.1 with fault-server.ts `localhostLookup`), invalid regions,
// bucket names and FIPS/accelerate/partition combinations that the rule sets reject (a typed EndpointError
// before anything is sent; also through a real handler that would deliver any request to the
// fault server, which then has seen no connection), the S3 options useArnRegion,
// forcePathStyle and useAccelerateEndpoint from client config, environment and profile,
// configured endpoint URLs (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>,
// a `[services]` section of a temp config file) reaching a real dynalite through a Session, their
// opt-out, and FIPS/dual-stack settings from the environment and the profile (inspected with a
// recording HTTP handler that never sends).
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { S3, NoSuchKey } from "tsaws/s3";
import { DynamoDB } from "tsaws/dynamodb";
import { STS } from "tsaws/sts";
import { S3Control } from "tsaws/s3control";
import { ConfigError, EndpointError, Session, type ClientConfig, type HttpHandler, type HttpRequest } from "tsaws";
import { createHttpHandler } from "../../runtime/http/node.js";
import { localhostLookup, startFaultServer, type FaultServer } from "../support/fault-server.ts";
import { startDynalite, LOCAL_CREDENTIALS, S3RVER_CREDENTIALS, type LocalServer } from "../support/servers.ts";
import { countedTests } from "../support/counted.ts";

const CREDENTIALS = { accessKeyId: "AKIDENDPOINTS", secretAccessKey: "endpoints-secret" };

// ---- the one-line summary ----

const check = countedTests("integration endpoints");

// ---- helpers ----

/** Records each request and fails it without sending anything. */
class NeverSends implements HttpHandler {
  readonly requests: HttpRequest[] = [];
  async handle(request: HttpRequest): Promise<never> {
    this.requests.push(request);
    throw new Error("recorded, not sent");
  }
  /** The URL of the last request, without the query. */
  get url(): string {
    const r = this.requests.at(-1);
    assert.ok(r, "no request was made");
    return `${r.protocol}//${r.hostname}${r.port !== undefined ? `:${r.port}` : ""}${r.path}`;
  }
}

/** Resolves `call`'s request through `handler` (which never sends) and returns its URL. */
async function urlOf(handler: NeverSends, call: () => Promise<unknown>): Promise<string> {
  const before = handler.requests.length;
  await assert.rejects(call(), /recorded, not sent/);
  assert.equal(handler.requests.length, before + 1);
  return handler.url;
}

/** Asserts that `call` fails with EndpointError (message matching) and sends nothing. */
async function endpointError(handler: NeverSends, call: () => Promise<unknown>, message: RegExp): Promise<void> {
  const before = handler.requests.length;
  const err = await call().then(
    () => assert.fail("the call succeeded"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EndpointError, `expected EndpointError, got ${String(err)}`);
  assert.match(err.message, message);
  assert.equal(handler.requests.length, before, "nothing was sent");
}


/** Wraps a real handler, recording the host and path of every request it sends. */
function recordingReal(inner: HttpHandler): HttpHandler & { sent: { hostname: string; path: string }[] } {
  const sent: { hostname: string; path: string }[] = [];
  return {
    sent,
    handle(request, options) {
      sent.push({ hostname: request.hostname, path: request.path });
      return inner.handle(request, options);
    },
    destroy: () => inner.destroy?.(),
  };
}

// ---- servers ----

let s3rver: { port: number; close(): Promise<void> };
let dynalite: LocalServer;
let fault: FaultServer;
let dir: string;
const clients: { destroy(): void }[] = [];

function track<C extends { destroy(): void }>(client: C): C {
  clients.push(client);
  return client;
}

/** s3rver with serviceEndpoint "localhost": it reads `<bucket>.s3.localhost` Host headers as virtual-hosted buckets. */
async function startVhostS3rver(): Promise<{ port: number; close(): Promise<void> }> {
  const specifier = "s3rver"; // untyped package: imported by name so the type checker does not look for its types
  const { default: S3rver } = (await import(specifier)) as {
    default: new (o: object) => { run(): Promise<AddressInfo>; close(): Promise<void> };
  };
  const directory = mkdtempSync(join(tmpdir(), "tsaws-s3rver-vhost-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, serviceEndpoint: "localhost" });
  const addr = await server.run();
  return {
    port: addr.port,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

before(async () => {
  [s3rver, dynalite, fault] = await Promise.all([startVhostS3rver(), startDynalite(), startFaultServer()]);
  dir = mkdtempSync(join(tmpdir(), "tsaws-endpoints-"));
});

after(async () => {
  for (const c of clients) c.destroy();
  await Promise.all([s3rver?.close(), dynalite?.close(), fault?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- S3 addressing against s3rver ----

function s3Local(extra: Partial<ClientConfig> & { forcePathStyle?: boolean } = {}) {
  const handler = recordingReal(createHttpHandler({ httpAgent: { lookup: localhostLookup } }));
  const client = track(
    new S3({
      region: "us-east-1",
      endpoint: `http://s3.localhost:${s3rver.port}`,
      credentials: S3RVER_CREDENTIALS,
      requestChecksumCalculation: "when_required",
      httpHandler: handler,
      ...extra,
    }),
  );
  return { client, sent: handler.sent };
}

check("S3 virtual-hosted addressing: the bucket is in the host name, s3rver serves it", async () => {
  const { client, sent } = s3Local();
  await client.createBucket({ Bucket: "vhost-bucket" });
  await client.putObject({ Bucket: "vhost-bucket", Key: "dir/hello world.txt", Body: "virtual" });
  const got = await client.getObject({ Bucket: "vhost-bucket", Key: "dir/hello world.txt" });
  assert.equal(await got.Body!.transformToString(), "virtual");
  const list = await client.listObjectsV2({ Bucket: "vhost-bucket" });
  assert.deepEqual(
    list.Contents?.map((o) => o.Key),
    ["dir/hello world.txt"],
  );
  const missing = await client.getObject({ Bucket: "vhost-bucket", Key: "nope" }).catch((e: unknown) => e);
  assert.ok(missing instanceof NoSuchKey, String(missing));
  assert.ok(sent.length >= 5);
  for (const r of sent) assert.equal(r.hostname, "vhost-bucket.s3.localhost");
  assert.equal(sent[1]!.path, "/dir/hello%20world.txt");
});

check("S3 path-style addressing: the bucket is in the path, same store", async () => {
  const { client, sent } = s3Local({ forcePathStyle: true });
  await client.createBucket({ Bucket: "path-bucket" });
  await client.putObject({ Bucket: "path-bucket", Key: "a.txt", Body: "path" });
  assert.equal(
    await (await client.getObject({ Bucket: "path-bucket", Key: "a.txt" })).Body!.transformToString(),
    "path",
  );
  // What was written virtual-hosted reads back path-style: both address the same bucket.
  const got = await client.getObject({ Bucket: "vhost-bucket", Key: "dir/hello world.txt" });
  assert.equal(await got.Body!.transformToString(), "virtual");
  for (const r of sent) assert.equal(r.hostname, "s3.localhost");
  assert.deepEqual(
    sent.map((r) => r.path),
    ["/path-bucket/", "/path-bucket/a.txt", "/path-bucket/a.txt", "/vhost-bucket/dir/hello%20world.txt"],
  );
});

check(
  "S3: dotted names go virtual-hosted over http only; non-label names and IP endpoints fall back to path-style",
  async () => {
    const { client, sent } = s3Local();
    // Over http the rule set allows dots in a virtual host (no certificate to match)...
    await client.createBucket({ Bucket: "dotted.bucket.name" });
    await client.putObject({ Bucket: "dotted.bucket.name", Key: "k", Body: "dots" });
    assert.equal(sent.at(-1)!.hostname, "dotted.bucket.name.s3.localhost");
    assert.equal(sent.at(-1)!.path, "/k");
    assert.equal(
      await (await client.getObject({ Bucket: "dotted.bucket.name", Key: "k" })).Body!.transformToString(),
      "dots",
    );
    // ...over https a dotted name would break the wildcard certificate: path-style.
    const handler = new NeverSends();
    const tls = track(
      new S3({
        region: "us-east-1",
        endpoint: "https://s3.example.com",
        credentials: CREDENTIALS,
        httpHandler: handler,
      }),
    );
    assert.equal(
      await urlOf(handler, () => tls.getObject({ Bucket: "dotted.bucket.name", Key: "k" })),
      "https://s3.example.com/dotted.bucket.name/k",
    );
    assert.equal(
      await urlOf(handler, () => tls.getObject({ Bucket: "plain-bucket", Key: "k" })),
      "https://plain-bucket.s3.example.com/k",
    );
    const ip = track(
      new S3({
        region: "us-east-1",
        endpoint: `http://127.0.0.1:${s3rver.port}`,
        credentials: CREDENTIALS,
        httpHandler: handler,
      }),
    );
    assert.equal(
      await urlOf(handler, () => ip.getObject({ Bucket: "bucket", Key: "k" })),
      `http://127.0.0.1:${s3rver.port}/bucket/k`,
    );
    const aws = track(new S3({ region: "us-west-2", credentials: CREDENTIALS, httpHandler: handler }));
    assert.equal(
      await urlOf(handler, () => aws.getObject({ Bucket: "Not_A_Host_Label", Key: "k" })),
      "https://s3.us-west-2.amazonaws.com/Not_A_Host_Label/k",
    );
    assert.equal(
      await urlOf(handler, () => aws.getObject({ Bucket: "good-bucket", Key: "k" })),
      "https://good-bucket.s3.us-west-2.amazonaws.com/k",
    );
  },
);

// ---- requests that cannot be addressed ----

check("an invalid region is an EndpointError before anything is sent (every service)", async () => {
  const handler = new NeverSends();
  for (const region of [
    "us-east-1/../x",
    "not a region!",
    "evil.example#",
    "user@evil.example",
    "us-east-1.evil.example",
    "-us-east-1",
  ]) {
    const opts = { region, credentials: CREDENTIALS, httpHandler: handler, maxAttempts: 1 };
    await endpointError(handler, () => track(new DynamoDB(opts)).listTables({}), /region/i);
    await endpointError(handler, () => track(new STS(opts)).getCallerIdentity({}), /region/i);
    await endpointError(handler, () => track(new S3(opts)).listObjectsV2({ Bucket: "bucket" }), /region/i);
  }
  // Real sockets too: the fault server records nothing.
  fault.reset();
  const viaFault = track(new DynamoDB({ region: "us-east-1/../x", endpoint: fault.url, credentials: CREDENTIALS }));
  await assert.rejects(viaFault.listTables({}), EndpointError);
  assert.equal(fault.requests.length, 0);
});

check("a bucket or account id that must be a host label but is not: EndpointError before sending", async () => {
  const handler = new NeverSends();
  const opts = { region: "us-east-1", credentials: CREDENTIALS, httpHandler: handler };
  // Accelerate only works virtual-hosted, so a name that cannot be a host label has no endpoint.
  const accel = track(new S3({ ...opts, useAccelerateEndpoint: true }));
  await endpointError(
    handler,
    () => accel.listObjectsV2({ Bucket: "Not_A_Host_Label" }),
    /Path-style addressing cannot be used with S3 Accelerate/,
  );
  assert.equal(
    await urlOf(handler, () => accel.listObjectsV2({ Bucket: "fine-bucket" })),
    "https://fine-bucket.s3-accelerate.amazonaws.com/",
  );
  // S3 Express directory buckets are always virtual-hosted.
  const s3 = track(new S3(opts));
  await endpointError(
    handler,
    () => s3.listObjectsV2({ Bucket: "bad_name--use1-az4--x-s3" }),
    /S3Express bucket name is not a valid virtual hostable name/,
  );
  // S3 Control puts the account id in the host name.
  const control = track(new S3Control(opts));
  await endpointError(
    handler,
    () => control.getPublicAccessBlock({ AccountId: "not an account!" }),
    /AccountId must only contain/,
  );
  assert.match(
    await urlOf(handler, () => control.getPublicAccessBlock({ AccountId: "123456789012" })),
    /^https:\/\/123456789012\.s3-control\.us-east-1\.amazonaws\.com\//,
  );
});

check("FIPS where it cannot be had: EndpointError before sending", async () => {
  const handler = new NeverSends();
  const base = { credentials: CREDENTIALS, httpHandler: handler };
  await endpointError(
    handler,
    () =>
      track(new S3({ ...base, region: "us-east-1", useFipsEndpoint: true, useAccelerateEndpoint: true })).listObjectsV2(
        { Bucket: "bucket" },
      ),
    /Accelerate cannot be used with FIPS/,
  );
  await endpointError(
    handler,
    () => track(new S3({ ...base, region: "cn-north-1", useFipsEndpoint: true })).listObjectsV2({ Bucket: "bucket" }),
    /Partition does not support FIPS/,
  );
  await endpointError(
    handler,
    () =>
      track(
        new STS({ ...base, region: "us-west-2", useFipsEndpoint: true, endpoint: "https://sts.example.com" }),
      ).getCallerIdentity({}),
    /FIPS and custom endpoint are not supported/,
  );
  await endpointError(
    handler,
    () =>
      track(
        new DynamoDB({ ...base, region: "us-west-2", useDualstackEndpoint: true, endpoint: "https://ddb.example.com" }),
      ).listTables({}),
    /Dualstack and custom endpoint are not supported/,
  );
});

// ---- configured endpoint URLs, through a Session, against dynalite ----

function configFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const ENV_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
};

async function listTablesVia(session: Session, extra: Partial<ClientConfig> = {}) {
  const client = track(
    session.client(DynamoDB, { maxAttempts: 1, connectionTimeout: 1000, requestTimeout: 2000, ...extra }),
  );
  return client.listTables({});
}

check("AWS_ENDPOINT_URL sends DynamoDB to the local dynalite", async () => {
  const session = new Session({
    env: { ...ENV_CREDENTIALS, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: dynalite.endpoint },
    configFile: join(dir, "absent-config"),
  });
  const out = await listTablesVia(session);
  assert.ok(Array.isArray(out.TableNames));
  assert.ok(out.$metadata.requestId, "dynalite answered");
});

check("AWS_ENDPOINT_URL_DYNAMODB wins over AWS_ENDPOINT_URL", async () => {
  fault.reset();
  const session = new Session({
    env: {
      ...ENV_CREDENTIALS,
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: fault.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    },
    configFile: join(dir, "absent-config"),
  });
  const out = await listTablesVia(session);
  assert.ok(out.$metadata.requestId);
  assert.equal(fault.requests.length, 0, "the global URL was not used");
});

check("a [services] section of the config file sends DynamoDB to dynalite (and only DynamoDB)", async () => {
  const file = configFile(
    "config-services",
    [
      "[default]",
      "region = us-west-2",
      "services = local-dev",
      "",
      "[services local-dev]",
      "dynamodb =",
      `  endpoint_url = ${dynalite.endpoint}`,
      "",
    ].join("\n"),
  );
  const session = new Session({ env: ENV_CREDENTIALS, configFile: file });
  const out = await listTablesVia(session);
  assert.ok(out.$metadata.requestId);
  // S3 has no entry: it resolves through its rule set as usual.
  const handler = new NeverSends();
  const s3 = track(session.client(S3, { httpHandler: handler }));
  assert.equal(
    await urlOf(handler, () => s3.listObjectsV2({ Bucket: "bucket" })),
    "https://bucket.s3.us-west-2.amazonaws.com/",
  );
});

check("a profile's endpoint_url applies to every service of the profile", async () => {
  const file = configFile(
    "config-global",
    ["[profile local]", "region = eu-west-1", `endpoint_url = ${dynalite.endpoint}`, ""].join("\n"),
  );
  const session = new Session({ env: {}, configFile: file, profile: "local", credentials: LOCAL_CREDENTIALS });
  const out = await listTablesVia(session);
  assert.ok(out.$metadata.requestId);
});

check(
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, the profile setting and the client option turn configured URLs off",
  async () => {
    const handler = new NeverSends();
    const services = [
      "[default]",
      "region = us-east-1",
      "services = local-dev",
      `endpoint_url = ${dynalite.endpoint}`,
      "",
      "[profile ignoring]",
      "region = us-east-1",
      "services = local-dev",
      `endpoint_url = ${dynalite.endpoint}`,
      "ignore_configured_endpoint_urls = true",
      "",
      "[services local-dev]",
      "dynamodb =",
      `  endpoint_url = ${dynalite.endpoint}`,
      "",
    ].join("\n");
    const file = configFile("config-ignore", services);
    const env = {
      ...ENV_CREDENTIALS,
      AWS_ENDPOINT_URL: dynalite.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    };
    const expected = "https://dynamodb.us-east-1.amazonaws.com/";

    const byEnv = new Session({ env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }, configFile: file });
    assert.equal(
      await urlOf(handler, () => track(byEnv.client(DynamoDB, { httpHandler: handler })).listTables({})),
      expected,
    );

    const byProfile = new Session({ env, configFile: file, profile: "ignoring", credentials: CREDENTIALS });
    assert.equal(
      await urlOf(handler, () => track(byProfile.client(DynamoDB, { httpHandler: handler })).listTables({})),
      expected,
    );

    const byClient = new Session({ env, configFile: file });
    assert.equal(
      await urlOf(handler, () =>
        track(byClient.client(DynamoDB, { httpHandler: handler, ignoreConfiguredEndpointUrls: true })).listTables({}),
      ),
      expected,
    );
    // Without the opt-out the same session reaches dynalite; a client `endpoint` is never ignored.
    const out = await listTablesVia(byClient);
    assert.ok(out.$metadata.requestId);
    assert.equal(
      await urlOf(handler, () =>
        track(byEnv.client(DynamoDB, { httpHandler: handler, endpoint: "http://127.0.0.1:1" })).listTables({}),
      ),
      "http://127.0.0.1:1/",
    );
  },
);

// ---- FIPS and dual-stack from configuration ----

check("FIPS and dual-stack from the environment and the profile give the expected host names", async () => {
  const handler = new NeverSends();
  const none = join(dir, "absent-config");
  const ddbUrl = (session: Session, extra: Partial<ClientConfig> = {}) =>
    urlOf(handler, () =>
      track(session.client(DynamoDB, { httpHandler: handler, credentials: CREDENTIALS, ...extra })).listTables({}),
    );
  const s3Url = (session: Session, extra: Partial<ClientConfig> = {}) =>
    urlOf(handler, () =>
      track(session.client(S3, { httpHandler: handler, credentials: CREDENTIALS, ...extra })).listObjectsV2({
        Bucket: "bucket",
      }),
    );

  const fipsEnv = new Session({ env: { AWS_REGION: "us-east-2", AWS_USE_FIPS_ENDPOINT: "true" }, configFile: none });
  assert.equal(await ddbUrl(fipsEnv), "https://dynamodb-fips.us-east-2.amazonaws.com/");
  assert.equal(await s3Url(fipsEnv), "https://bucket.s3-fips.us-east-2.amazonaws.com/");
  // The client setting wins over the environment.
  assert.equal(await ddbUrl(fipsEnv, { useFipsEndpoint: false }), "https://dynamodb.us-east-2.amazonaws.com/");

  const dualEnv = new Session({
    env: { AWS_REGION: "eu-west-1", AWS_USE_DUALSTACK_ENDPOINT: "true" },
    configFile: none,
  });
  assert.equal(await ddbUrl(dualEnv), "https://dynamodb.eu-west-1.api.aws/");
  assert.equal(await s3Url(dualEnv), "https://bucket.s3.dualstack.eu-west-1.amazonaws.com/");

  const file = configFile(
    "config-fips",
    [
      "[profile fips-dual]",
      "region = us-west-2",
      "use_fips_endpoint = true",
      "use_dualstack_endpoint = true",
      "",
      "[profile gov]",
      "region = us-gov-west-1",
      "use_fips_endpoint = true",
      "",
    ].join("\n"),
  );
  const both = new Session({ env: {}, configFile: file, profile: "fips-dual" });
  assert.equal(await ddbUrl(both), "https://dynamodb-fips.us-west-2.api.aws/");
  assert.equal(await s3Url(both), "https://bucket.s3-fips.dualstack.us-west-2.amazonaws.com/");
  const gov = new Session({ env: {}, configFile: file, profile: "gov" });
  assert.equal(await ddbUrl(gov), "https://dynamodb.us-gov-west-1.amazonaws.com/");
  assert.equal(await s3Url(gov), "https://bucket.s3-fips.us-gov-west-1.amazonaws.com/");
});

// ---- S3 options reach the rule set (config, environment, profile) ----

check("useFipsEndpoint, useDualstackEndpoint and S3 useArnRegion, forcePathStyle, useAccelerateEndpoint from config, env and profile reach the rule set", async () => {
  const handler = new NeverSends();
  const none = join(dir, "absent-config");
  const ARN = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
  const AP = "https://my-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com/k";
  const MISMATCH = /region from ARN `us-west-2` does not match client region `us-east-1` and UseArnRegion is `false`/;
  const base = { region: "us-east-1", credentials: CREDENTIALS, httpHandler: handler };
  const get = (client: S3, Bucket = ARN) => () => client.getObject({ Bucket, Key: "k" });
  /** The credential scope's region of the last signed request. */
  const signingRegion = () => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(handler.requests.at(-1)!.headers.authorization ?? "")?.[1];

  // useArnRegion in the client config: false refuses a cross-region access point ARN, true follows it.
  await endpointError(handler, get(track(new S3({ ...base, useArnRegion: false }))), MISMATCH);
  assert.equal(await urlOf(handler, get(track(new S3({ ...base, useArnRegion: true })))), AP);
  assert.equal(signingRegion(), "us-west-2", "signed for the ARN's region");
  // unset: the rule set's default follows the ARN too
  assert.equal(await urlOf(handler, get(track(new S3(base)))), AP);
  // AWS_S3_USE_ARN_REGION, and the profile's s3_use_arn_region; the client option wins over both.
  const envOff = new Session({ env: { AWS_REGION: "us-east-1", AWS_S3_USE_ARN_REGION: "false" }, configFile: none });
  await endpointError(handler, get(track(envOff.client(S3, { credentials: CREDENTIALS, httpHandler: handler }))), MISMATCH);
  assert.equal(
    await urlOf(handler, get(track(envOff.client(S3, { credentials: CREDENTIALS, httpHandler: handler, useArnRegion: true })))),
    AP,
  );
  const file = configFile(
    "config-s3-options",
    [
      "[profile arn-off]",
      "region = us-east-1",
      "s3_use_arn_region = false",
      "",
      "[profile path]",
      "region = us-east-1",
      "s3 =",
      "  addressing_style = path",
      "",
      "[profile accel]",
      "region = us-east-1",
      "s3 =",
      "  use_accelerate_endpoint = true",
      "",
    ].join("\n"),
  );
  const viaProfile = (profile: string, extra: Partial<ClientConfig> & { forcePathStyle?: boolean } = {}) =>
    track(new Session({ env: {}, configFile: file, profile }).client(S3, { credentials: CREDENTIALS, httpHandler: handler, ...extra }));
  await endpointError(handler, get(viaProfile("arn-off")), MISMATCH);

  // forcePathStyle: config, and the profile's s3 addressing_style = path.
  assert.equal(
    await urlOf(handler, get(track(new S3({ ...base, forcePathStyle: true })), "bucket")),
    "https://s3.us-east-1.amazonaws.com/bucket/k",
  );
  assert.equal(await urlOf(handler, get(viaProfile("path"), "bucket")), "https://s3.us-east-1.amazonaws.com/bucket/k");
  assert.equal(
    await urlOf(handler, get(viaProfile("path", { forcePathStyle: false }), "bucket")),
    "https://bucket.s3.us-east-1.amazonaws.com/k",
  );
  // useAccelerateEndpoint: config, and the profile's s3 use_accelerate_endpoint = true.
  assert.equal(
    await urlOf(handler, get(track(new S3({ ...base, useAccelerateEndpoint: true })), "bucket")),
    "https://bucket.s3-accelerate.amazonaws.com/k",
  );
  assert.equal(await urlOf(handler, get(viaProfile("accel"), "bucket")), "https://bucket.s3-accelerate.amazonaws.com/k");
  // useFipsEndpoint and useDualstackEndpoint as client options (not only from env or profile)
  assert.equal(
    await urlOf(handler, get(track(new S3({ ...base, useFipsEndpoint: true })), "bucket")),
    "https://bucket.s3-fips.us-east-1.amazonaws.com/k",
  );
  assert.equal(
    await urlOf(handler, get(track(new S3({ ...base, useFipsEndpoint: true, useDualstackEndpoint: true })), "bucket")),
    "https://bucket.s3-fips.dualstack.us-east-1.amazonaws.com/k",
  );
  assert.equal(
    await urlOf(handler, () => track(new DynamoDB({ ...base, useDualstackEndpoint: true })).listTables({})),
    "https://dynamodb.us-east-1.api.aws/",
  );
  // and accelerate with dual-stack from config
  assert.equal(
    await urlOf(
      handler,
      get(track(new S3({ ...base, useAccelerateEndpoint: true, useDualstackEndpoint: true })), "bucket"),
    ),
    "https://bucket.s3-accelerate.dualstack.amazonaws.com/k",
  );
});

check("each service reads only its own settings: S3's us-east-1 regional endpoint, S3 Control's ARN region, STS's regional endpoints", async () => {
  const handler = new NeverSends();
  const none = join(dir, "absent-config");
  const via = <C>(Client: new (config?: ClientConfig) => C, env: Record<string, string>) =>
    track(new Session({ env: { AWS_REGION: "us-east-1", ...env }, configFile: none }).client(Client, { credentials: CREDENTIALS, httpHandler: handler }));
  const s3Get = (client: S3) => () => client.getObject({ Bucket: "bucket", Key: "k" });
  // S3 in us-east-1: regional unless s3_us_east_1_regional_endpoint says legacy (the global host).
  assert.equal(await urlOf(handler, s3Get(via(S3, {}))), "https://bucket.s3.us-east-1.amazonaws.com/k");
  assert.equal(await urlOf(handler, s3Get(via(S3, { AWS_S3_US_EAST_1_REGIONAL_ENDPOINT: "legacy" }))), "https://bucket.s3.amazonaws.com/k");
  const bad = { AWS_S3_US_EAST_1_REGIONAL_ENDPOINT: "sideways", AWS_STS_REGIONAL_ENDPOINTS: "sideways", AWS_S3_USE_ARN_REGION: "false" };
  await assert.rejects(s3Get(via(S3, bad))(), (e: unknown) => e instanceof ConfigError && /AWS_S3_US_EAST_1_REGIONAL_ENDPOINT/.test(e.message));
  // STS: the same for its own setting; S3's and S3 Control's settings mean nothing to it, nor to DynamoDB.
  const sts = (env: Record<string, string>) => () => via(STS, env).getCallerIdentity({});
  assert.equal(await urlOf(handler, sts({ AWS_STS_REGIONAL_ENDPOINTS: "legacy" })), "https://sts.amazonaws.com/");
  await assert.rejects(sts(bad)(), (e: unknown) => e instanceof ConfigError && /AWS_STS_REGIONAL_ENDPOINTS/.test(e.message));
  assert.equal(await urlOf(handler, sts({ AWS_S3_US_EAST_1_REGIONAL_ENDPOINT: "sideways" })), "https://sts.us-east-1.amazonaws.com/");
  assert.equal(await urlOf(handler, () => via(DynamoDB, bad).listTables({})), "https://dynamodb.us-east-1.amazonaws.com/");
  // S3 Control: AWS_S3_USE_ARN_REGION=false refuses an access point ARN of another region.
  const ap = (env: Record<string, string>) => () =>
    via(S3Control, env).getAccessPoint({ AccountId: "123456789012", Name: "arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01234567890123456:accesspoint/ap" });
  await endpointError(handler, ap({ AWS_S3_USE_ARN_REGION: "false" }), /UseArnRegion is `false`/);
  assert.match(await urlOf(handler, ap({})), /^https:\/\/s3-outposts\.us-west-2\.amazonaws\.com\//);
});

check("refused endpoints open no connection: a real handler that would deliver anything to the fault server sees nothing", async () => {
  // Whatever host the rule set picks, this handler sends the request over a real socket to the
  // fault server; so a request that is refused must leave the server with no connection at all.
  const real = createHttpHandler();
  const redirected: string[] = [];
  const toFault: HttpHandler = {
    handle(request, options) {
      redirected.push(request.hostname);
      return real.handle({ ...request, protocol: "http:", hostname: fault.hostname, port: fault.port }, options);
    },
    destroy: () => real.destroy?.(),
  };
  const base = { credentials: CREDENTIALS, httpHandler: toFault, maxAttempts: 1 };
  fault.reset([{ status: 200, headers: { "content-type": "application/xml" }, body: "<ListBucketResult></ListBucketResult>" }]);
  // Control: a valid request through the same handler does arrive.
  await track(new S3({ ...base, region: "us-east-1" })).listObjectsV2({ Bucket: "bucket" });
  assert.equal(fault.requests.length, 1, "the control request arrived");
  assert.deepEqual(redirected, ["bucket.s3.us-east-1.amazonaws.com"]);
  fault.reset();
  const connections = fault.connections;

  const refused: [string, () => Promise<unknown>, RegExp][] = [
    ["invalid region", () => track(new S3({ ...base, region: "us-east-1.evil.example" })).listObjectsV2({ Bucket: "bucket" }), /invalid region/],
    [
      "bucket name that is not a host label (accelerate)",
      () => track(new S3({ ...base, region: "us-east-1", useAccelerateEndpoint: true })).listObjectsV2({ Bucket: "Not_A_Host_Label" }),
      /Path-style addressing cannot be used with S3 Accelerate/,
    ],
    [
      "S3 Express bucket name that is not a host label",
      () => track(new S3({ ...base, region: "us-east-1" })).listObjectsV2({ Bucket: "bad_name--use1-az4--x-s3" }),
      /not a valid virtual hostable name/,
    ],
    [
      "FIPS in a partition without FIPS",
      () => track(new S3({ ...base, region: "cn-north-1", useFipsEndpoint: true })).listObjectsV2({ Bucket: "bucket" }),
      /Partition does not support FIPS/,
    ],
    [
      "FIPS with a custom endpoint",
      () => track(new STS({ ...base, region: "us-west-2", useFipsEndpoint: true, endpoint: fault.url })).getCallerIdentity({}),
      /FIPS and custom endpoint are not supported/,
    ],
  ];
  for (const [what, call, message] of refused) {
    const err = await call().then(
      () => assert.fail(`${what}: the call succeeded`),
      (e: unknown) => e,
    );
    assert.ok(err instanceof EndpointError, `${what}: expected EndpointError, got ${String(err)}`);
    assert.match(err.message, message, what);
  }
  assert.deepEqual(redirected, ["bucket.s3.us-east-1.amazonaws.com"], "no refused request reached the handler");
  assert.equal(fault.requests.length, 0, "the server saw no request");
  assert.equal(fault.connections, connections, "and no connection");
  real.destroy?.();
});
