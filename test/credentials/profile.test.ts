// fromProfile against a fake STS speaking awsQuery (form POST in, XML out, SigV4 verified on the
// bytes received): static keys, role chains of any depth (three profiles deep here), source
// profiles referencing themselves, credential_source (Environment, EcsContainer,
// Ec2InstanceMetadata), external_id / duration_seconds / role_session_name / mfa_serial,
// credential_process, web identity in a profile, and the configuration errors botocore raises.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CredentialsError } from "../../runtime/errors.js";
import { sharedConfigFromText } from "../../runtime/config/profiles.js";
import { fromProfile } from "../../runtime/credentials/profile.js";
import { memoize } from "../../runtime/credentials/memoize.js";
import { StsError } from "../../runtime/credentials/sts.js";
import { isTryNext } from "../../runtime/credentials/types.js";
import {
  startFakeContainer,
  startFakeImds,
  startFakeSts,
  tempDir,
  type FakeContainer,
  type FakeImds,
  type FakeSts,
} from "../support/fake-aws-servers.js";

const ROOT_KEY = "AKIDROOTEXAMPLE";
const ROOT_SECRET = "root/secret/EXAMPLEKEY";
const ROLE = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

let t = Date.UTC(2025, 5, 1, 12, 0, 0);
const now = () => t;

let sts: FakeSts;
let container: FakeContainer;
let imds: FakeImds;

before(async () => {
  sts = await startFakeSts({
    now,
    knownKeys: {
      [ROOT_KEY]: ROOT_SECRET,
      AKIDENV: "env-secret",
      AKIDCONTAINER: "container-secret",
      AKIDIMDS: "imds-secret",
    },
    roles: {
      [ROLE("111111111111", "first")]: { trustedSource: ROOT_KEY },
      [ROLE("222222222222", "second")]: { trustedSource: ROLE("111111111111", "first") },
      [ROLE("333333333333", "third")]: { trustedSource: ROLE("222222222222", "second"), externalId: "ext-123" },
      [ROLE("444444444444", "mfa")]: {
        trustedSource: ROOT_KEY,
        mfa: { serial: "arn:aws:iam::444444444444:mfa/user", code: "123456" },
      },
      [ROLE("555555555555", "fromenv")]: { trustedSource: "AKIDENV" },
      [ROLE("666666666666", "fromcontainer")]: { trustedSource: "AKIDCONTAINER" },
      [ROLE("777777777777", "fromimds")]: { trustedSource: "AKIDIMDS" },
      [ROLE("888888888888", "web")]: { webIdentityToken: "web-identity-jwt" },
    },
  });
  container = await startFakeContainer({
    path: "/v2/credentials/abc",
    credentials: {
      AccessKeyId: "AKIDCONTAINER",
      SecretAccessKey: "container-secret",
      Token: "container-token",
      Expiration: "2099-01-01T00:00:00Z",
    },
  });
  imds = await startFakeImds({
    role: "instance-role",
    credentials: {
      AccessKeyId: "AKIDIMDS",
      SecretAccessKey: "imds-secret",
      Token: "imds-token",
      Expiration: "2099-01-01T00:00:00Z",
    },
  });
});

after(async () => {
  await sts.close();
  await container.close();
  await imds.close();
});

const CONFIG = `
[profile root]
aws_access_key_id = ${ROOT_KEY}
aws_secret_access_key = ${ROOT_SECRET}
region = eu-central-1

[profile first]
role_arn = ${ROLE("111111111111", "first")}
source_profile = root

[profile second]
role_arn = ${ROLE("222222222222", "second")}
source_profile = first
role_session_name = second-session

[profile third]
role_arn = ${ROLE("333333333333", "third")}
source_profile = second
external_id = ext-123
duration_seconds = 900

[profile self]
role_arn = ${ROLE("111111111111", "first")}
source_profile = self
aws_access_key_id = ${ROOT_KEY}
aws_secret_access_key = ${ROOT_SECRET}

[profile mfa]
role_arn = ${ROLE("444444444444", "mfa")}
source_profile = root
mfa_serial = arn:aws:iam::444444444444:mfa/user

[profile from-env]
role_arn = ${ROLE("555555555555", "fromenv")}
credential_source = Environment

[profile from-container]
role_arn = ${ROLE("666666666666", "fromcontainer")}
credential_source = EcsContainer

[profile from-imds]
role_arn = ${ROLE("777777777777", "fromimds")}
credential_source = Ec2InstanceMetadata

[profile loop-a]
role_arn = ${ROLE("111111111111", "first")}
source_profile = loop-b

[profile loop-b]
role_arn = ${ROLE("111111111111", "first")}
source_profile = loop-a

[profile both]
role_arn = ${ROLE("111111111111", "first")}
source_profile = root
credential_source = Environment

[profile neither]
role_arn = ${ROLE("111111111111", "first")}

[profile dangling]
role_arn = ${ROLE("111111111111", "first")}
source_profile = nowhere

[profile empty-source]
role_arn = ${ROLE("111111111111", "first")}
source_profile = nocreds

[profile nocreds]
region = us-east-1

[profile bad-source]
role_arn = ${ROLE("111111111111", "first")}
credential_source = Somewhere

[profile denied]
role_arn = arn:aws:iam::999999999999:role/unknown
source_profile = root

[profile static]
aws_access_key_id = AKIDCONFIGFILE
aws_secret_access_key = config-file-secret
aws_account_id = 121212121212

[profile partial]
aws_access_key_id = AKIDPARTIAL
`;

const CREDENTIALS = `
[static]
aws_access_key_id = AKIDCREDFILE
aws_secret_access_key = cred-file-secret
aws_session_token = cred-file-token
`;

const sharedConfig = sharedConfigFromText(CONFIG, CREDENTIALS);
const baseEnv = () => ({ AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: "us-west-2" });
const provider = (profile: string, extra: Parameters<typeof fromProfile>[0] = {}) =>
  fromProfile({ profile, sharedConfig, env: baseEnv(), now, ...extra });

describe("static keys", () => {
  test("the credentials file wins over the config file, with token and account", async () => {
    const creds = await provider("static")();
    assert.deepEqual(creds, {
      accessKeyId: "AKIDCREDFILE",
      secretAccessKey: "cred-file-secret",
      sessionToken: "cred-file-token",
    });
    const cfgOnly = sharedConfigFromText(CONFIG);
    assert.deepEqual(await fromProfile({ profile: "static", sharedConfig: cfgOnly, env: {} })(), {
      accessKeyId: "AKIDCONFIGFILE",
      secretAccessKey: "config-file-secret",
      accountId: "121212121212",
    });
  });

  test("a key without its secret is an error, not a fall-through", async () => {
    await assert.rejects(
      provider("partial")(),
      (e: unknown) => e instanceof CredentialsError && !isTryNext(e) && /Partial credentials/.test(e.message),
    );
  });

  test("a profile with no credential settings passes (tryNextLink) and says why", async () => {
    await assert.rejects(
      provider("nocreds")(),
      (e: unknown) =>
        isTryNext(e) && /profile "nocreds" \(the given shared config\): none of role_arn/.test((e as Error).message),
    );
  });

  test("an explicit profile that does not exist is an error", async () => {
    await assert.rejects(
      provider("ghost")(),
      (e: unknown) => e instanceof CredentialsError && !isTryNext(e) && /"ghost" was not found/.test(e.message),
    );
  });
});

describe("assume role", () => {
  test("a role chain three profiles deep resolves, root first, each hop signed by the previous credentials", async () => {
    const before = sts.calls.length;
    const creds = await provider("third")();
    const calls = sts.calls.slice(before);
    assert.deepEqual(
      calls.map((c) => c.params.RoleArn),
      [ROLE("111111111111", "first"), ROLE("222222222222", "second"), ROLE("333333333333", "third")],
    );
    assert.equal(calls[0]!.signedBy, ROOT_KEY);
    assert.equal(sts.issued.get(calls[1]!.signedBy!)?.roleArn, ROLE("111111111111", "first"));
    assert.equal(sts.issued.get(calls[2]!.signedBy!)?.roleArn, ROLE("222222222222", "second"));
    assert.ok(
      calls.every((c) => c.action === "AssumeRole" && c.region === "us-west-2" && c.params.Version === "2011-06-15"),
    );
    assert.equal(calls[1]!.params.RoleSessionName, "second-session");
    assert.match(calls[0]!.params.RoleSessionName!, /^tsaws-session-\d+$/);
    assert.equal(calls[2]!.params.ExternalId, "ext-123");
    assert.equal(calls[2]!.params.DurationSeconds, "900");
    const issued = sts.issued.get(creds.accessKeyId)!;
    assert.equal(issued.roleArn, ROLE("333333333333", "third"));
    assert.equal(creds.secretAccessKey, issued.secretAccessKey);
    assert.equal(creds.sessionToken, issued.sessionToken);
    assert.equal(creds.expiration?.getTime(), t + 900_000);
    assert.equal(creds.accountId, "333333333333");
  });

  test("source_profile may name the profile itself when it holds static keys", async () => {
    const before = sts.calls.length;
    const creds = await provider("self")();
    assert.equal(sts.calls.length, before + 1);
    assert.equal(sts.calls.at(-1)!.signedBy, ROOT_KEY);
    assert.equal(sts.issued.get(creds.accessKeyId)?.roleArn, ROLE("111111111111", "first"));
  });

  test("mfa_serial asks the MFA callback for a code", async () => {
    const asked: string[] = [];
    const creds = await provider("mfa", {
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return "123456";
      },
    })();
    assert.deepEqual(asked, ["arn:aws:iam::444444444444:mfa/user"]);
    assert.equal(sts.calls.at(-1)!.params.TokenCode, "123456");
    assert.equal(sts.issued.get(creds.accessKeyId)?.roleArn, ROLE("444444444444", "mfa"));
    await assert.rejects(provider("mfa")(), /requires an MFA code/);
    await assert.rejects(
      provider("mfa", { mfaCodeProvider: async () => "000000" })(),
      (e: unknown) => e instanceof StsError && e.code === "AccessDenied",
    );
  });

  test("credential_source = Environment", async () => {
    const creds = await provider("from-env", {
      env: { ...baseEnv(), AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" },
    })();
    assert.equal(sts.calls.at(-1)!.signedBy, "AKIDENV");
    assert.equal(sts.issued.get(creds.accessKeyId)?.roleArn, ROLE("555555555555", "fromenv"));
    await assert.rejects(
      provider("from-env")(),
      /credential_source Environment of profile "from-env" found no credentials/,
    );
  });

  test("credential_source = EcsContainer and Ec2InstanceMetadata", async () => {
    const viaContainer = await provider("from-container", {
      env: { ...baseEnv(), AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/v2/credentials/abc` },
    })();
    assert.equal(sts.calls.at(-1)!.signedBy, "AKIDCONTAINER");
    assert.equal(sts.issued.get(viaContainer.accessKeyId)?.roleArn, ROLE("666666666666", "fromcontainer"));
    const viaImds = await provider("from-imds", {
      env: { ...baseEnv(), AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
    })();
    assert.equal(sts.calls.at(-1)!.signedBy, "AKIDIMDS");
    assert.equal(sts.issued.get(viaImds.accessKeyId)?.roleArn, ROLE("777777777777", "fromimds"));
  });

  test("configuration errors", async () => {
    await assert.rejects(provider("loop-a")(), /Infinite loop in role chain: "loop-a" -> "loop-b" -> "loop-a"/);
    await assert.rejects(provider("both")(), /both source_profile and credential_source/);
    await assert.rejects(provider("neither")(), /neither source_profile nor credential_source/);
    await assert.rejects(provider("dangling")(), /source_profile "nowhere" of profile "dangling" does not exist/);
    await assert.rejects(provider("empty-source")(), /The source profile "nocreds" must have credentials/);
    await assert.rejects(provider("bad-source")(), /unsupported credential_source "Somewhere"/);
  });

  test("an STS error carries STS's code and message", async () => {
    await assert.rejects(provider("denied")(), (e: unknown) => {
      assert.ok(e instanceof StsError);
      assert.equal(e.code, "AccessDenied");
      assert.equal(e.statusCode, 403);
      assert.match(e.message, /STS AssumeRole failed \(HTTP 403, AccessDenied\): Not authorized/);
      return true;
    });
  });

  test("the fake STS checks signatures: a wrong secret is refused", async () => {
    const cfg = sharedConfigFromText(
      `[profile wrong]\naws_access_key_id = ${ROOT_KEY}\naws_secret_access_key = not-the-secret\n` +
        `[profile use-wrong]\nrole_arn = ${ROLE("111111111111", "first")}\nsource_profile = wrong\n`,
    );
    await assert.rejects(
      fromProfile({ profile: "use-wrong", sharedConfig: cfg, env: baseEnv(), now })(),
      (e: unknown) =>
        e instanceof StsError && e.code === "SignatureDoesNotMatch" && !e.message.includes("not-the-secret"),
    );
  });

  test("throttling is retried", async () => {
    sts.failures.push({ status: 400, code: "Throttling", message: "Rate exceeded" });
    const before = sts.calls.length;
    const creds = await provider("first", {})();
    assert.equal(sts.calls.length, before + 2);
    assert.ok(sts.issued.has(creds.accessKeyId));
  });

  test("50 concurrent calls with assumed-role credentials about to expire cause exactly one AssumeRole", async () => {
    const chain = memoize(provider("first"), { now });
    const first = await chain();
    const before = sts.calls.length;
    t += 3600_000 - 120_000; // 2 minutes before the one-hour credentials expire
    const results = await Promise.all(Array.from({ length: 50 }, () => chain()));
    assert.equal(sts.calls.length, before + 1);
    assert.ok(results.every((r) => r.accessKeyId === results[0]!.accessKeyId));
    assert.notEqual(results[0]!.accessKeyId, first.accessKeyId);
  });
});

describe("web identity and credential_process in a profile", () => {
  test("web_identity_token_file + role_arn", async () => {
    const dir = tempDir({ token: "web-identity-jwt\n" });
    const cfg = sharedConfigFromText(
      `[profile web]\nrole_arn = ${ROLE("888888888888", "web")}\nweb_identity_token_file = ${join(dir, "token")}\nrole_session_name = pod\n`,
    );
    const creds = await fromProfile({ profile: "web", sharedConfig: cfg, env: baseEnv(), now })();
    const call = sts.calls.at(-1)!;
    assert.equal(call.action, "AssumeRoleWithWebIdentity");
    assert.equal(call.signedBy, undefined);
    assert.equal(call.params.WebIdentityToken, "web-identity-jwt");
    assert.equal(call.params.RoleSessionName, "pod");
    assert.equal(sts.issued.get(creds.accessKeyId)?.roleArn, ROLE("888888888888", "web"));
  });

  test("credential_process prints Version 1 JSON", async () => {
    const dir = tempDir({
      "ok.mjs": `console.log(JSON.stringify({ Version: 1, AccessKeyId: "AKIDPROC", SecretAccessKey: "proc-secret", SessionToken: "proc-token", Expiration: "2030-01-01T00:00:00Z", AccountId: "343434343434" }));`,
      "noaccount.mjs": `console.log(JSON.stringify({ Version: 1, AccessKeyId: "AKIDPROC2", SecretAccessKey: "proc-secret2" }));`,
      "v2.mjs": `console.log(JSON.stringify({ Version: 2, AccessKeyId: "AKIDPROC", SecretAccessKey: "proc-secret" }));`,
      "fail.mjs": `console.error("token expired, please log in"); process.exit(3);`,
      "partial.mjs": `console.log(JSON.stringify({ Version: 1, SecretAccessKey: "proc-secret" }));`,
    });
    const cmd = (script: string) => `"${process.execPath}" "${join(dir, script)}"`;
    const cfg = sharedConfigFromText(
      `[profile ok]\ncredential_process = ${cmd("ok.mjs")}\n` +
        `[profile noaccount]\ncredential_process = ${cmd("noaccount.mjs")}\naws_account_id = 565656565656\n` +
        `[profile v2]\ncredential_process = ${cmd("v2.mjs")}\n` +
        `[profile fail]\ncredential_process = ${cmd("fail.mjs")}\n` +
        `[profile partial]\ncredential_process = ${cmd("partial.mjs")}\n` +
        `[profile missing]\ncredential_process = /nonexistent/credential-helper --flag\n`,
    );
    const p = (name: string) => fromProfile({ profile: name, sharedConfig: cfg, env: {} })();
    assert.deepEqual(await p("ok"), {
      accessKeyId: "AKIDPROC",
      secretAccessKey: "proc-secret",
      sessionToken: "proc-token",
      expiration: new Date("2030-01-01T00:00:00Z"),
      accountId: "343434343434",
    });
    assert.equal((await p("noaccount")).accountId, "565656565656");
    await assert.rejects(p("v2"), /unsupported Version/);
    await assert.rejects(p("fail"), /exited with code 3: token expired, please log in/);
    await assert.rejects(
      p("partial"),
      (e: unknown) => /lacks AccessKeyId/.test((e as Error).message) && !(e as Error).message.includes("proc-secret"),
    );
    await assert.rejects(p("missing"), /could not be started \(ENOENT\)/);
  });
});
