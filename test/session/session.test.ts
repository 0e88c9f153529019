// Sessions end to end: a Session on temporary config/credentials files and an injected
// environment makes clients (generated DynamoDB and S3 clients) whose signed requests carry the
// profile's access key and region; sessions never share credentials or config, even when made
// and used at the same moment, and one's refresh leaves the other alone; the "no region",
// "no such profile" and "no credentials" failures say where they looked and leak no secret;
// region precedence (AWS_REGION, AWS_DEFAULT_REGION, profile, then the instance metadata
// service when the session enables it, against a fake IMDS); retry settings from the profile
// reach the client, observed on a fault server. Nothing reads ~/.aws: HOME points at a temp dir.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Session } from "../../runtime/session.js";
import { ConfigError, CredentialsError } from "../../runtime/errors.js";
import type { HttpHandler, HttpRequest } from "../../runtime/http/types.js";
import { DynamoDBClient, ListTables } from "tsaws/dynamodb";
import { S3 } from "tsaws/s3";
import { startFakeImds, startFakeSts, tempDir, type FakeSts } from "../support/fake-aws-servers.js";
import { startFaultServer, type FaultServer } from "../support/fault-server.js";
import { textBody } from "../support/bodies.ts";

const ROLE_A = "arn:aws:iam::111111111111:role/a";
const ROLE_B = "arn:aws:iam::222222222222:role/b";

let sts: FakeSts;
let fault: FaultServer;
/** The fake STS's clock (expirations of the credentials it issues). */
let stsNow = Date.now();

before(async () => {
  sts = await startFakeSts({
    now: () => stsNow,
    knownKeys: { AKIDSOURCEA: "source-secret-a", AKIDSOURCEB: "source-secret-b" },
    roles: { [ROLE_A]: { trustedSource: "AKIDSOURCEA" }, [ROLE_B]: { trustedSource: "AKIDSOURCEB" } },
  });
  fault = await startFaultServer();
});
after(async () => {
  await sts.close();
  await fault.close();
});

const CONFIG = `
[default]
region = us-east-2

[profile alpha]
region = eu-west-1

[profile beta]
region = ap-northeast-1

[profile role-a]
role_arn = ${ROLE_A}
source_profile = src-a
region = eu-central-1

[profile role-b]
role_arn = ${ROLE_B}
source_profile = src-b
region = sa-east-1

[profile src-a]
aws_access_key_id = AKIDSOURCEA
aws_secret_access_key = source-secret-a

[profile src-b]
aws_access_key_id = AKIDSOURCEB
aws_secret_access_key = source-secret-b

[profile noregion]
aws_access_key_id = AKIDNOREGION
aws_secret_access_key = noregion-secret

[profile nocreds]
region = eu-west-3

[profile retries]
region = us-west-2
max_attempts = 2

[profile legacy-retries]
region = us-west-2
retry_mode = legacy
`;

const CREDENTIALS = `
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[alpha]
aws_access_key_id = AKIDALPHA
aws_secret_access_key = alpha-secret

[beta]
aws_access_key_id = AKIDBETA
aws_secret_access_key = beta-secret
aws_session_token = beta-token

[retries]
aws_access_key_id = AKIDRETRY
aws_secret_access_key = retry-secret

[legacy-retries]
aws_access_key_id = AKIDRETRY
aws_secret_access_key = retry-secret
`;

const SECRETS = [
  "default-secret",
  "alpha-secret",
  "beta-secret",
  "beta-token",
  "source-secret",
  "noregion-secret",
  "retry-secret",
];

/** An environment with only the temp files: no AWS_* credentials, IMDS off, no real ~/.aws. */
function baseEnv(config = CONFIG, credentials = CREDENTIALS): Record<string, string> {
  const dir = tempDir({ "aws/config": config, "aws/credentials": credentials });
  return {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, "aws/config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "aws/credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_STS: sts.url,
  };
}

/** Answers every request with 200 and `body`, keeping the signed requests. */
function recorder(body = "{}", contentType = "application/x-amz-json-1.0"): HttpHandler & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async handle(request) {
      requests.push(request);
      return { statusCode: 200, headers: { "content-type": contentType }, body: textBody(body) };
    },
  };
}

/** Access key id, region and service from a SigV4 Authorization header. */
function scope(req: { headers: Record<string, string> } | undefined): { key: string; region: string; service: string } {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req?.headers.authorization ?? "");
  assert.ok(m, `a SigV4-signed request: ${req?.headers.authorization}`);
  return { key: m[1]!, region: m[2]!, service: m[3]! };
}

async function listTables(session: Session, extra: Record<string, unknown> = {}) {
  const http = recorder();
  const client = session.client(DynamoDBClient, { httpHandler: http, ...extra });
  await client.send(ListTables, {});
  return { http, signed: scope(http.requests[0]), host: http.requests[0]!.hostname };
}

function assertNoSecrets(text: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `leaks ${s}: ${text}`);
}

describe("a session's clients use its profile", () => {
  test("region and credentials of the profile, in the signature and the endpoint", async () => {
    const session = new Session({ profile: "alpha", env: baseEnv() });
    const { signed, host, http } = await listTables(session);
    assert.deepEqual(signed, { key: "AKIDALPHA", region: "eu-west-1", service: "dynamodb" });
    assert.equal(host, "dynamodb.eu-west-1.amazonaws.com");
    assert.equal(http.requests[0]!.headers["x-amz-security-token"], undefined);
    assert.equal(await session.region(), "eu-west-1");

    const beta = await listTables(new Session({ profile: "beta", env: baseEnv() }));
    assert.deepEqual(beta.signed, { key: "AKIDBETA", region: "ap-northeast-1", service: "dynamodb" });
    assert.equal(beta.http.requests[0]!.headers["x-amz-security-token"], "beta-token");
  });

  test("AWS_PROFILE in the injected environment selects the profile; client config beats the session", async () => {
    const session = new Session({ env: { ...baseEnv(), AWS_PROFILE: "beta" } });
    assert.deepEqual((await listTables(session)).signed, {
      key: "AKIDBETA",
      region: "ap-northeast-1",
      service: "dynamodb",
    });
    const overridden = await listTables(session, {
      region: "ca-central-1",
      credentials: { accessKeyId: "AKIDCLIENT", secretAccessKey: "client-secret" },
    });
    assert.deepEqual(overridden.signed, { key: "AKIDCLIENT", region: "ca-central-1", service: "dynamodb" });
  });

  test("session region and credentials options beat the profile", async () => {
    const session = new Session({
      profile: "alpha",
      region: "eu-south-1",
      credentials: async () => ({ accessKeyId: "AKIDPROVIDED", secretAccessKey: "provided-secret" }),
      env: baseEnv(),
    });
    assert.deepEqual((await listTables(session)).signed, {
      key: "AKIDPROVIDED",
      region: "eu-south-1",
      service: "dynamodb",
    });
  });
});

describe("sessions are isolated", () => {
  test("two sessions made and used at the same moment never share credentials or config", async () => {
    const envA = baseEnv();
    const envB = { ...baseEnv(), AWS_DEFAULT_REGION: "me-south-1" };
    const [a, b] = [new Session({ profile: "alpha", env: envA }), new Session({ profile: "beta", env: envB })];
    const results = await Promise.all([listTables(a), listTables(b), listTables(a), listTables(b)]);
    assert.deepEqual(
      results.map((r) => [r.signed.key, r.signed.region]),
      [
        ["AKIDALPHA", "eu-west-1"],
        ["AKIDBETA", "me-south-1"],
        ["AKIDALPHA", "eu-west-1"],
        ["AKIDBETA", "me-south-1"],
      ],
    );
    const [ca, cb] = await Promise.all([a.credentials(), b.credentials()]);
    assert.notEqual(ca, cb);
    assert.equal(ca.accessKeyId, "AKIDALPHA");
    assert.equal(cb.accessKeyId, "AKIDBETA");
  });

  test("one session's refresh does not affect the other (assumed roles, injected clocks)", async () => {
    stsNow = Date.now();
    let tA = stsNow;
    const tB = stsNow; // B's clock never moves
    const a = new Session({ profile: "role-a", env: baseEnv(), clock: () => tA });
    const b = new Session({ profile: "role-b", env: baseEnv(), clock: () => tB });
    const start = sts.calls.length;
    const [a1, b1] = await Promise.all([a.credentials(), b.credentials()]);
    assert.equal(sts.calls.length - start, 2);
    assert.equal(sts.issued.get(a1.accessKeyId)?.roleArn, ROLE_A);
    assert.equal(sts.issued.get(b1.accessKeyId)?.roleArn, ROLE_B);
    const callA = sts.calls.find((c) => c.params.RoleArn === ROLE_A && c.signedBy === "AKIDSOURCEA");
    const callB = sts.calls.find((c) => c.params.RoleArn === ROLE_B && c.signedBy === "AKIDSOURCEB");
    assert.equal(callA?.region, "eu-central-1");
    assert.equal(callB?.region, "sa-east-1");

    // cached: no new STS call for either
    assert.equal((await a.credentials()).accessKeyId, a1.accessKeyId);
    assert.equal((await b.credentials()).accessKeyId, b1.accessKeyId);
    assert.equal(sts.calls.length - start, 2);

    // A's clock passes its credentials' expiry: A refreshes once, B keeps its credentials
    tA += 2 * 3600_000;
    stsNow = tA; // STS issues A's new credentials at A's time
    const [a2, a2again] = await Promise.all([a.credentials(), a.credentials()]);
    assert.notEqual(a2.accessKeyId, a1.accessKeyId);
    assert.equal(a2again.accessKeyId, a2.accessKeyId, "single-flight refresh");
    assert.equal(sts.calls.length - start, 3);
    assert.equal((await b.credentials()).accessKeyId, b1.accessKeyId);
    assert.equal(sts.calls.length - start, 3);

    // and the clients of each session sign with their own session's current credentials
    const [ra, rb] = await Promise.all([listTables(a), listTables(b)]);
    assert.deepEqual(ra.signed, { key: a2.accessKeyId, region: "eu-central-1", service: "dynamodb" });
    assert.deepEqual(rb.signed, { key: b1.accessKeyId, region: "sa-east-1", service: "dynamodb" });
    assert.equal(ra.http.requests[0]!.headers["x-amz-security-token"], sts.issued.get(a2.accessKeyId)!.sessionToken);
  });
});

describe("refresh under load", () => {
  test("50 concurrent client calls with assumed-role credentials about to expire: exactly one AssumeRole", async () => {
    stsNow = Date.now();
    let t = stsNow;
    const session = new Session({ profile: "role-a", env: baseEnv(), clock: () => t });
    const http = recorder();
    const client = session.client(DynamoDBClient, { httpHandler: http });
    const start = sts.calls.length;
    await client.send(ListTables, {});
    const first = scope(http.requests[0]).key;
    assert.equal(sts.calls.length - start, 1);
    // 2 minutes before the one-hour credentials expire: inside the refresh window.
    t += 3600_000 - 120_000;
    stsNow = t;
    await Promise.all(Array.from({ length: 50 }, () => client.send(ListTables, {})));
    assert.equal(sts.calls.length - start, 2, "one refresh for 50 calls");
    const keys = new Set(http.requests.slice(1).map((r) => scope(r).key));
    assert.equal(http.requests.length, 51);
    assert.equal(keys.size, 1, "every call signed with the same refreshed key");
    assert.notEqual([...keys][0], first);
    assert.equal(sts.issued.get([...keys][0]!)?.roleArn, ROLE_A);
  });
});

describe("configuration errors say where they looked", () => {
  test("no region anywhere: ConfigError naming the places", async () => {
    const env = baseEnv();
    const session = new Session({ profile: "noregion", env });
    assert.equal(await session.region(), undefined);
    const client = session.client(DynamoDBClient, { httpHandler: recorder() });
    await assert.rejects(client.send(ListTables, {}), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, /^DynamoDB: no region configured/);
      for (const place of [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        'region in profile "noregion"',
        env.AWS_CONFIG_FILE!,
        env.AWS_SHARED_CREDENTIALS_FILE!,
      ]) {
        assert.ok(e.message.includes(place), `names ${place}: ${e.message}`);
      }
      assertNoSecrets(e.message);
      return true;
    });
    // a region given later (in the client) works with the same session
    const ok = await listTables(session, { region: "us-west-1" });
    assert.deepEqual(ok.signed, { key: "AKIDNOREGION", region: "us-west-1", service: "dynamodb" });
  });

  test("a profile that does not exist: ConfigError, from the session and from a client", async () => {
    const env = baseEnv();
    const session = new Session({ profile: "missing", env });
    await assert.rejects(session.region(), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, /the profile "missing" was not found in/);
      assert.ok(e.message.includes(env.AWS_CONFIG_FILE!));
      return true;
    });
    const viaEnv = new Session({ env: { ...env, AWS_PROFILE: "also-missing" } });
    await assert.rejects(
      viaEnv.client(DynamoDBClient, { httpHandler: recorder() }).send(ListTables, {}),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.match(e.message, /"also-missing" was not found/);
        return true;
      },
    );
  });

  test("missing credentials: CredentialsError listing every place looked, no secret", async () => {
    const env = baseEnv();
    const session = new Session({ profile: "nocreds", env });
    const http = recorder();
    await assert.rejects(session.client(DynamoDBClient, { httpHandler: http }).send(ListTables, {}), (e: unknown) => {
      assert.ok(e instanceof CredentialsError, String(e));
      assert.match(e.message, /shared config profile "nocreds"/);
      assert.ok(e.message.includes(env.AWS_CONFIG_FILE!), e.message);
      assert.match(e.message, /container/i);
      assert.match(e.message, /metadata|IMDS/i);
      assertNoSecrets(e.message);
      assertNoSecrets(String(e.stack));
      return true;
    });
    assert.equal(http.requests.length, 0, "nothing is sent unsigned");
  });
});

describe("region precedence", () => {
  test("AWS_REGION, then AWS_DEFAULT_REGION, then the profile", async () => {
    const env = baseEnv();
    const region = (extra: Record<string, string>) =>
      new Session({ profile: "alpha", env: { ...env, ...extra } }).region();
    assert.equal(await region({ AWS_REGION: "us-west-1", AWS_DEFAULT_REGION: "us-west-2" }), "us-west-1");
    assert.equal(await region({ AWS_DEFAULT_REGION: "us-west-2" }), "us-west-2");
    assert.equal(await region({}), "eu-west-1");
    // and a client of that session signs for it
    const s = new Session({ profile: "alpha", env: { ...env, AWS_DEFAULT_REGION: "us-west-2" } });
    assert.equal((await listTables(s)).signed.region, "us-west-2");
  });
});

describe("region from the instance metadata service", () => {
  test("asked only when the session enables it and IMDS is not disabled; last in precedence; else ConfigError names it", async () => {
    const imds = await startFakeImds({ region: "ap-south-2" });
    try {
      const onEc2 = { ...baseEnv(), AWS_EC2_METADATA_DISABLED: "false", AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url };
      // Enabled: the profile has no region, so the instance's region is used (and signed for).
      const s = new Session({ profile: "noregion", env: onEc2, regionFromInstanceMetadata: true });
      assert.equal(await s.region(), "ap-south-2");
      const { signed, host } = await listTables(s);
      assert.deepEqual(signed, { key: "AKIDNOREGION", region: "ap-south-2", service: "dynamodb" });
      assert.equal(host, "dynamodb.ap-south-2.amazonaws.com");
      const asked = imds.requests.length;
      assert.ok(asked >= 1, "IMDS was asked");
      // Anything configured wins, and IMDS is then not asked at all.
      assert.equal(await new Session({ profile: "alpha", env: onEc2, regionFromInstanceMetadata: true }).region(), "eu-west-1");
      assert.equal(
        await new Session({ profile: "noregion", env: { ...onEc2, AWS_DEFAULT_REGION: "us-west-2" }, regionFromInstanceMetadata: true }).region(),
        "us-west-2",
      );
      // Not enabled: IMDS is not asked; no region.
      assert.equal(await new Session({ profile: "noregion", env: onEc2 }).region(), undefined);
      assert.equal(imds.requests.length, asked, "IMDS asked only by the session that enabled it");
      // Enabled but AWS_EC2_METADATA_DISABLED: not asked, and the error lists it among the places looked.
      const off = new Session({
        profile: "noregion",
        env: { ...onEc2, AWS_EC2_METADATA_DISABLED: "true" },
        regionFromInstanceMetadata: true,
      });
      assert.equal(await off.region(), undefined);
      const http = recorder();
      await assert.rejects(off.client(DynamoDBClient, { httpHandler: http }).send(ListTables, {}), (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.match(e.message, /no region configured/);
        assert.match(e.message, /the EC2 instance metadata service/);
        assertNoSecrets(e.message);
        return true;
      });
      assert.equal(http.requests.length, 0);
      assert.equal(imds.requests.length, asked);
    } finally {
      await imds.close();
    }
  });
});

describe("retry settings from the profile reach the client", () => {
  test("max_attempts = 2: two attempts against a failing server", async () => {
    fault.reset();
    const failing = {
      status: 503,
      headers: { "content-type": "application/x-amz-json-1.0" },
      body: '{"__type":"ServiceUnavailable","message":"busy"}',
    };
    fault.enqueue(failing, failing, failing, failing);
    const session = new Session({ profile: "retries", env: baseEnv() });
    const client = session.client(DynamoDBClient, { endpoint: fault.url });
    await assert.rejects(client.send(ListTables, {}), (e: unknown) => {
      assert.equal((e as { $metadata?: { attempts?: number } }).$metadata?.attempts, 2);
      return true;
    });
    assert.equal(fault.requests.length, 2);
    assert.deepEqual(
      fault.requests.map((r) => r.headers["amz-sdk-request"]),
      ["attempt=1; max=2", "attempt=2; max=2"],
    );
    assert.equal(scope(fault.requests[0]).key, "AKIDRETRY");
    client.destroy();
  });

  test("retry_mode = legacy: DynamoDB's legacy policy (10 attempts) is announced; AWS_MAX_ATTEMPTS beats the profile", async () => {
    fault.reset();
    const session = new Session({ profile: "legacy-retries", env: baseEnv() });
    const client = session.client(DynamoDBClient, { endpoint: fault.url });
    fault.enqueue({ status: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: "{}" });
    await client.send(ListTables, {});
    assert.equal(fault.requests[0]!.headers["amz-sdk-request"], "attempt=1; max=10");
    client.destroy();

    fault.reset();
    const fromEnv = new Session({ profile: "retries", env: { ...baseEnv(), AWS_MAX_ATTEMPTS: "4" } });
    const c2 = fromEnv.client(DynamoDBClient, { endpoint: fault.url });
    fault.enqueue({ status: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: "{}" });
    await c2.send(ListTables, {});
    assert.equal(fault.requests[0]!.headers["amz-sdk-request"], "attempt=1; max=4");
    c2.destroy();
  });
});

describe("a client made with `profile` and no session", () => {
  const saved: Record<string, string | undefined> = {};
  const set = (vars: Record<string, string>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (!(k in saved)) saved[k] = process.env[k];
      process.env[k] = v;
    }
  };
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test("new S3({ profile }) works like a session with that profile (process environment)", async () => {
    const env = baseEnv();
    set({ ...env });
    for (const k of [
      "AWS_PROFILE",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_DEFAULTS_MODE",
    ]) {
      if (!(k in saved)) saved[k] = process.env[k];
      delete process.env[k];
    }
    const xml =
      '<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Buckets></Buckets></ListAllMyBucketsResult>';
    const direct = recorder(xml, "application/xml");
    const out = await new S3({ profile: "beta", httpHandler: direct }).listBuckets({});
    assert.deepEqual(out.Buckets ?? [], []);
    const viaSession = recorder(xml, "application/xml");
    await new Session({ profile: "beta" }).client(S3, { httpHandler: viaSession }).listBuckets({});
    const d = scope(direct.requests[0]);
    assert.deepEqual(d, { key: "AKIDBETA", region: "ap-northeast-1", service: "s3" });
    assert.deepEqual(scope(viaSession.requests[0]), d);
    assert.equal(direct.requests[0]!.hostname, viaSession.requests[0]!.hostname);
    assert.equal(direct.requests[0]!.headers["x-amz-security-token"], "beta-token");
    // without a profile the default one applies
    const dflt = recorder(xml, "application/xml");
    await new S3({ httpHandler: dflt }).listBuckets({});
    assert.deepEqual(scope(dflt.requests[0]), { key: "AKIDDEFAULT", region: "us-east-2", service: "s3" });
    // a missing profile is a ConfigError
    await assert.rejects(new S3({ profile: "nope", httpHandler: recorder() }).listBuckets({}), ConfigError);
  });
});
