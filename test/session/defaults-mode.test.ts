// Defaults modes wired into sessions and clients: the mode comes from the client config, the
// session, AWS_DEFAULTS_MODE, then the profile's defaults_mode ("legacy" otherwise); `auto`
// compares the client's region with the region the code runs in (AWS_REGION inside an AWS
// execution environment, else the instance metadata region, asked once per session); the mode's
// connect timeout reaches the HTTP handler when the client sets none (observed against a port
// that never accepts: the TimeoutError names the timeout in effect).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Session } from "../../runtime/session.js";
import { ConfigError, TimeoutError } from "../../runtime/errors.js";
import { DynamoDBClient, ListTables } from "tsaws/dynamodb";
import { startFakeImds, tempDir, type FakeImds } from "../support/fake-aws-servers.js";
import { startBlackhole, type Blackhole } from "../support/fault-server.js";

let imds: FakeImds;
let hole: Blackhole;

before(async () => {
  imds = await startFakeImds({ region: "eu-west-1" });
  hole = await startBlackhole(20_000);
});
after(async () => {
  await imds.close();
  await hole.close();
});

const CONFIG = `
[default]
region = us-east-1

[profile mobile]
region = us-east-1
defaults_mode = mobile

[profile bad]
defaults_mode = fastest
`;

function env(extra: Record<string, string> = {}): Record<string, string> {
  const dir = tempDir({
    config: CONFIG,
    credentials: "[default]\naws_access_key_id = AKIDDM\naws_secret_access_key = dm-secret\n",
  });
  return {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

async function modeOf(
  session: Session,
  region: string,
  configured?: Parameters<Awaited<ReturnType<Session["defaults"]>>["defaultsMode"]>[0],
) {
  return (await session.defaults()).defaultsMode(configured, region);
}

describe("which defaults mode applies", () => {
  test("client config > session > AWS_DEFAULTS_MODE > profile defaults_mode > legacy", async () => {
    assert.equal((await modeOf(new Session({ env: env() }), "us-east-1")).mode, "legacy");
    assert.equal((await modeOf(new Session({ profile: "mobile", env: env() }), "us-east-1")).mode, "mobile");
    assert.equal(
      (await modeOf(new Session({ profile: "mobile", env: env({ AWS_DEFAULTS_MODE: "cross-region" }) }), "us-east-1"))
        .mode,
      "cross-region",
    );
    const s = new Session({
      profile: "mobile",
      defaultsMode: "standard",
      env: env({ AWS_DEFAULTS_MODE: "cross-region" }),
    });
    assert.equal((await modeOf(s, "us-east-1")).mode, "standard");
    assert.equal((await modeOf(s, "us-east-1", "in-region")).mode, "in-region");
  });

  test("the values of each mode come from sdk-default-configuration", async () => {
    const s = new Session({ env: env() });
    const v = async (m: "standard" | "in-region" | "cross-region" | "mobile" | "legacy") => modeOf(s, "us-east-1", m);
    assert.equal((await v("standard")).connectTimeoutInMillis, 3100);
    assert.equal((await v("in-region")).connectTimeoutInMillis, 1100);
    assert.equal((await v("cross-region")).connectTimeoutInMillis, 3100);
    assert.equal((await v("mobile")).connectTimeoutInMillis, 30000);
    assert.equal((await v("legacy")).connectTimeoutInMillis, undefined);
    for (const m of ["standard", "in-region", "cross-region", "mobile", "legacy"] as const) {
      assert.equal((await v(m)).retryMode, "standard");
      assert.equal((await v(m)).stsRegionalEndpoints, "regional");
    }
  });

  test("an invalid mode is a ConfigError naming where it was set", async () => {
    await assert.rejects(modeOf(new Session({ profile: "bad", env: env() }), "us-east-1"), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /profile defaults_mode: invalid defaults mode "fastest"/);
      return true;
    });
    await assert.rejects(
      modeOf(new Session({ env: env({ AWS_DEFAULTS_MODE: "turbo" }) }), "us-east-1"),
      /AWS_DEFAULTS_MODE/,
    );
    // and a client of such a session fails before sending anything
    const client = new Session({ env: env({ AWS_DEFAULTS_MODE: "turbo" }) }).client(DynamoDBClient, {
      endpoint: "http://127.0.0.1:9",
    });
    await assert.rejects(client.send(ListTables, {}), ConfigError);
  });
});

describe("auto", () => {
  test("inside an AWS execution environment: AWS_REGION vs the client's region", async () => {
    const lambda = new Session({
      defaultsMode: "auto",
      env: env({ AWS_EXECUTION_ENV: "AWS_Lambda_nodejs20.x", AWS_REGION: "eu-central-1" }),
    });
    assert.equal((await modeOf(lambda, "eu-central-1")).mode, "in-region");
    assert.equal((await modeOf(lambda, "us-west-2")).mode, "cross-region");
    // AWS_DEFAULT_REGION counts when AWS_REGION is unset
    const ecs = new Session({
      env: env({ AWS_DEFAULTS_MODE: "auto", AWS_EXECUTION_ENV: "AWS_ECS_FARGATE", AWS_DEFAULT_REGION: "ap-south-1" }),
    });
    assert.equal((await modeOf(ecs, "ap-south-1")).mode, "in-region");
  });

  test("AWS_REGION outside an execution environment is not where the code runs; nothing known: standard", async () => {
    const laptop = new Session({ defaultsMode: "auto", env: env({ AWS_REGION: "eu-central-1" }) });
    assert.equal((await modeOf(laptop, "eu-central-1")).mode, "standard");
  });

  test("on EC2 the instance metadata region decides, asked once per session", async () => {
    const before = imds.requests.length;
    const ec2Env = { ...env(), AWS_EC2_METADATA_DISABLED: "false", AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url };
    const s = new Session({ defaultsMode: "auto", env: ec2Env });
    assert.equal((await modeOf(s, "eu-west-1")).mode, "in-region");
    const asked = imds.requests.length - before;
    assert.ok(asked >= 1, "IMDS was asked");
    assert.equal((await modeOf(s, "us-east-2")).mode, "cross-region");
    assert.equal(imds.requests.length - before, asked, "not asked again by the same session");
    // another session asks for itself
    await modeOf(new Session({ defaultsMode: "auto", env: ec2Env }), "eu-west-1");
    assert.ok(imds.requests.length - before > asked);
  });
});

describe("the mode's connect timeout reaches the HTTP handler", () => {
  const connectTimeoutOf = async (session: Session, config: Record<string, unknown> = {}): Promise<string> => {
    const client = session.client(DynamoDBClient, {
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${hole.port}`,
      maxAttempts: 1,
      ...config,
    });
    try {
      const err = await client.send(ListTables, {}).then(
        () => assert.fail("a port that never accepts cannot answer"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof TimeoutError, String(err));
      const m = /connectionTimeout \((\d+) ms\)/.exec(err.message);
      assert.ok(m, err.message);
      return m[1]!;
    } finally {
      client.destroy();
    }
  };

  test("in-region (AWS_DEFAULTS_MODE): 1100 ms", async () => {
    assert.equal(await connectTimeoutOf(new Session({ env: env({ AWS_DEFAULTS_MODE: "in-region" }) })), "1100");
  });

  test("auto in a Lambda in the client's region: in-region, 1100 ms", async () => {
    const s = new Session({
      env: env({ AWS_DEFAULTS_MODE: "auto", AWS_EXECUTION_ENV: "AWS_Lambda_nodejs20.x", AWS_REGION: "us-east-1" }),
    });
    assert.equal(await connectTimeoutOf(s), "1100");
  });

  test("the client's connectionTimeout beats the mode; the client's defaultsMode beats the session's", async () => {
    const s = new Session({ defaultsMode: "mobile", env: env() });
    assert.equal(await connectTimeoutOf(s, { connectionTimeout: 300 }), "300");
    assert.equal(await connectTimeoutOf(s, { defaultsMode: "in-region" }), "1100");
  });
});
