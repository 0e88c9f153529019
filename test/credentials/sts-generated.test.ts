// The StsCaller over the generated STS client (runtime/credentials/sts-generated.ts), against the
// fake STS (awsQuery in, XML out, SigV4 re-verified on the bytes received) and, for endpoint
// selection, a recording transport. Every STS request is checked to carry the generated client's
// user agent (`tsaws/<v> api/STS#2011-06-15`), which the hand-written caller never sends, so a
// pass proves the generated path. Sessions are built on temporary config files and an injected
// environment; nothing reads ~/.aws or reaches a real AWS endpoint.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Session } from "../../runtime/session.js";
import { ConfigError, CredentialsError } from "../../runtime/errors.js";
import { StsError } from "../../runtime/credentials/sts.js";
import { createGeneratedStsCaller } from "../../runtime/credentials/sts-generated.js";
import type { HttpHandler, HttpRequest } from "../../runtime/http/types.js";
import { startFakeSts, tempDir, type FakeSts, type RecordedRequest } from "../support/fake-aws-servers.js";
import { textBody } from "../support/bodies.ts";

const ROOT_KEY = "AKIDROOTEXAMPLE";
const ROOT_SECRET = "root/secret/EXAMPLEKEY";
const WEB_TOKEN = "web-identity-jwt-value";
const ROLE = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const UA = /^tsaws\/\S+ api\/STS#2011-06-15/;

let sts: FakeSts;

before(async () => {
  sts = await startFakeSts({
    knownKeys: { [ROOT_KEY]: ROOT_SECRET },
    roles: {
      [ROLE("111111111111", "first")]: { trustedSource: ROOT_KEY },
      [ROLE("222222222222", "second")]: { trustedSource: ROLE("111111111111", "first") },
      [ROLE("333333333333", "third")]: { trustedSource: ROLE("222222222222", "second"), externalId: "ext-123" },
      [ROLE("444444444444", "mfa")]: {
        trustedSource: ROOT_KEY,
        mfa: { serial: "arn:aws:iam::444444444444:mfa/user", code: "123456" },
      },
      [ROLE("555555555555", "locked")]: { trustedSource: "AKIDSOMEONEELSE" },
      [ROLE("888888888888", "web")]: { webIdentityToken: WEB_TOKEN },
    },
  });
});
after(async () => {
  await sts.close();
});

const CONFIG = `
[profile root]
aws_access_key_id = ${ROOT_KEY}
aws_secret_access_key = ${ROOT_SECRET}

[profile first]
role_arn = ${ROLE("111111111111", "first")}
source_profile = root
region = eu-west-1

[profile second]
role_arn = ${ROLE("222222222222", "second")}
source_profile = first
role_session_name = second-session

[profile third]
role_arn = ${ROLE("333333333333", "third")}
source_profile = second
external_id = ext-123
duration_seconds = 900
role_session_name = third-session
region = eu-central-1

[profile mfa]
role_arn = ${ROLE("444444444444", "mfa")}
source_profile = root
mfa_serial = arn:aws:iam::444444444444:mfa/user
region = us-west-2

[profile locked]
role_arn = ${ROLE("555555555555", "locked")}
source_profile = root
region = us-west-2

[profile web]
web_identity_token_file = TOKEN_FILE
role_arn = ${ROLE("888888888888", "web")}
role_session_name = web-session
region = ap-southeast-2
`;

function files(extra = ""): { dir: string; env: Record<string, string> } {
  const dir = tempDir({ token: `${WEB_TOKEN}\n` });
  const config = tempDir({ config: CONFIG.replace("TOKEN_FILE", join(dir, "token")) + extra, credentials: "" });
  return {
    dir,
    env: {
      HOME: dir,
      AWS_CONFIG_FILE: join(config, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(config, "credentials"),
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_EC2_METADATA_DISABLED: "true",
    },
  };
}

/** The fake STS's requests since `from`, all of which must come from the generated client. */
function generatedRequests(from: number): RecordedRequest[] {
  const reqs = sts.requests.slice(from);
  assert.ok(reqs.length > 0, "no STS request was made");
  for (const r of reqs) {
    assert.match(r.headers["user-agent"] ?? "", UA, "user-agent of the generated STS client");
    assert.match(r.headers["x-amz-user-agent"] ?? "", UA);
    assert.match(r.headers["amz-sdk-invocation-id"] ?? "", /^[0-9a-f-]{36}$/, "the client core's invocation id");
  }
  return reqs;
}

function assertNoSecrets(text: string): void {
  for (const secret of [ROOT_SECRET, WEB_TOKEN, "fake-secret-", "fake-session-token-"]) {
    assert.ok(!text.includes(secret), `message leaks a secret: ${text}`);
  }
}

describe("generated STS caller through a Session (the Node default)", () => {
  test("a role chain three profiles deep: each hop signed by the previous hop's credentials", async () => {
    const { env } = files();
    const startCalls = sts.calls.length;
    const startReqs = sts.requests.length;
    const session = new Session({ profile: "third", env });
    const creds = await session.credentials();
    const calls = sts.calls.slice(startCalls);
    assert.deepEqual(
      calls.map((c) => [c.action, c.params.RoleArn]),
      [
        ["AssumeRole", ROLE("111111111111", "first")],
        ["AssumeRole", ROLE("222222222222", "second")],
        ["AssumeRole", ROLE("333333333333", "third")],
      ],
    );
    assert.equal(calls[0]!.signedBy, ROOT_KEY);
    assert.equal(sts.issued.get(calls[1]!.signedBy!)?.roleArn, ROLE("111111111111", "first"));
    assert.equal(sts.issued.get(calls[2]!.signedBy!)?.roleArn, ROLE("222222222222", "second"));
    // external_id, duration_seconds and role_session_name of the last profile reach STS
    assert.equal(calls[2]!.params.ExternalId, "ext-123");
    assert.equal(calls[2]!.params.DurationSeconds, "900");
    assert.equal(calls[2]!.params.RoleSessionName, "third-session");
    assert.equal(calls[1]!.params.RoleSessionName, "second-session");
    assert.match(calls[0]!.params.RoleSessionName!, /^tsaws-session-\d+$/);
    // every STS call is signed for the session's region (the profile's), through the generated client
    for (const c of calls) assert.equal(c.region, "eu-central-1");
    generatedRequests(startReqs);
    assert.equal(sts.issued.get(creds.accessKeyId)?.roleArn, ROLE("333333333333", "third"));
    const issued = sts.issued.get(creds.accessKeyId)!;
    assert.equal(creds.secretAccessKey, issued.secretAccessKey);
    assert.equal(creds.sessionToken, issued.sessionToken);
    assert.equal(creds.expiration?.toISOString(), issued.expiration.toISOString());
    assert.equal((creds as { accountId?: string }).accountId, "333333333333");
  });

  test("AssumeRole with mfa_serial asks the session's MFA callback", async () => {
    const { env } = files();
    const asked: string[] = [];
    const start = sts.calls.length;
    const startReqs = sts.requests.length;
    const session = new Session({
      profile: "mfa",
      env,
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return " 123456 ";
      },
    });
    const creds = await session.credentials();
    assert.deepEqual(asked, ["arn:aws:iam::444444444444:mfa/user"]);
    const call = sts.calls[start]!;
    assert.equal(call.params.SerialNumber, "arn:aws:iam::444444444444:mfa/user");
    assert.equal(call.params.TokenCode, "123456");
    assert.equal(call.signedBy, ROOT_KEY);
    assert.equal(call.region, "us-west-2");
    assert.equal(sts.issued.get(creds.accessKeyId)?.roleArn, ROLE("444444444444", "mfa"));
    generatedRequests(startReqs);
  });

  test("AssumeRoleWithWebIdentity from a token file is sent unsigned", async () => {
    const { env } = files();
    const start = sts.calls.length;
    const startReqs = sts.requests.length;
    const session = new Session({ profile: "web", env });
    const creds = await session.credentials();
    const call = sts.calls[start]!;
    assert.equal(call.action, "AssumeRoleWithWebIdentity");
    assert.equal(call.params.WebIdentityToken, WEB_TOKEN);
    assert.equal(call.params.RoleSessionName, "web-session");
    assert.equal(call.signedBy, undefined);
    const [req] = generatedRequests(startReqs);
    assert.equal(req!.headers.authorization, undefined, "no Authorization header");
    assert.equal(req!.headers["x-amz-security-token"], undefined);
    assert.equal(sts.issued.get(creds.accessKeyId)?.roleArn, ROLE("888888888888", "web"));
  });

  test("AssumeRoleWithWebIdentity from AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN", async () => {
    const { dir, env } = files();
    const start = sts.calls.length;
    const startReqs = sts.requests.length;
    const session = new Session({
      env: {
        ...env,
        AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, "token"),
        AWS_ROLE_ARN: ROLE("888888888888", "web"),
        AWS_ROLE_SESSION_NAME: "pod-session",
        AWS_REGION: "eu-north-1",
      },
    });
    const creds = await session.credentials();
    assert.equal(sts.calls[start]!.params.RoleSessionName, "pod-session");
    assert.equal(sts.issued.get(creds.accessKeyId)?.roleArn, ROLE("888888888888", "web"));
    generatedRequests(startReqs);
  });

  test("an STS error (AccessDenied) is a CredentialsError naming the code, without secrets", async () => {
    const { env } = files();
    const startReqs = sts.requests.length;
    const session = new Session({ profile: "locked", env });
    const err = await session.credentials().then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CredentialsError, String(err));
    assert.ok(err instanceof StsError);
    assert.equal(err.code, "AccessDenied");
    assert.equal(err.statusCode, 403);
    assert.match(err.message, /STS AssumeRole failed \(HTTP 403, AccessDenied\)/);
    assert.match(err.message, /not authorized to perform: sts:AssumeRole/);
    assertNoSecrets(err.message);
    assertNoSecrets(String(err.stack));
    generatedRequests(startReqs);
  });

  test("a rejected web identity token: InvalidIdentityToken, and the token is not in the message", async () => {
    const { dir, env } = files();
    const token = join(dir, "bad-token");
    await import("node:fs/promises").then((fs) => fs.writeFile(token, "some-other-token-secret"));
    const session = new Session({
      env: { ...env, AWS_WEB_IDENTITY_TOKEN_FILE: token, AWS_ROLE_ARN: ROLE("888888888888", "web") },
    });
    const err = await session.credentials().then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof StsError, String(err));
    assert.equal(err.code, "InvalidIdentityToken");
    assert.match(err.message, /AssumeRoleWithWebIdentity failed \(HTTP 400, InvalidIdentityToken\)/);
    assert.ok(!err.message.includes("some-other-token-secret"));
  });
});

describe("generated STS caller, direct", () => {
  test("IDPCommunicationError is retried, other errors are not", async () => {
    const caller = createGeneratedStsCaller({
      endpoint: sts.url,
      retryDelayMs: () => 0,
    });
    const start = sts.calls.length;
    sts.failures.push({ status: 400, code: "IDPCommunicationError", message: "the IdP did not answer" });
    const creds = await caller(
      "AssumeRoleWithWebIdentity",
      { RoleArn: ROLE("888888888888", "web"), RoleSessionName: "s1", WebIdentityToken: WEB_TOKEN },
      "us-east-1",
    );
    assert.equal(sts.calls.length - start, 2);
    assert.equal(creds.assumedRoleArn, "arn:aws:sts::888888888888:assumed-role/web/s1");
    assert.match(creds.assumedRoleId ?? "", /:s1$/);

    const before = sts.calls.length;
    sts.failures.push({ status: 400, code: "ValidationError", message: "nope" });
    await assert.rejects(
      caller(
        "AssumeRoleWithWebIdentity",
        { RoleArn: ROLE("888888888888", "web"), RoleSessionName: "s1", WebIdentityToken: WEB_TOKEN },
        "us-east-1",
      ),
      (e: unknown) => e instanceof StsError && e.code === "ValidationError" && /ValidationError/.test(e.message),
    );
    assert.equal(sts.calls.length - before, 1);
  });

  test("AssumeRole without source credentials is refused before any request", async () => {
    const caller = createGeneratedStsCaller({ endpoint: sts.url });
    const before = sts.requests.length;
    await assert.rejects(
      caller("AssumeRole", { RoleArn: ROLE("111111111111", "first"), RoleSessionName: "x" }, "us-east-1"),
      CredentialsError,
    );
    assert.equal(sts.requests.length, before);
  });

  test("a transport failure is a CredentialsError naming the action", async () => {
    const caller = createGeneratedStsCaller({ endpoint: "http://127.0.0.1:1" });
    await assert.rejects(
      caller("AssumeRole", { RoleArn: ROLE("111111111111", "first"), RoleSessionName: "x" }, "us-east-1", {
        accessKeyId: ROOT_KEY,
        secretAccessKey: ROOT_SECRET,
      }),
      (e: unknown) => {
        assert.ok(e instanceof CredentialsError, String(e));
        assert.match(e.message, /^STS AssumeRole failed: /);
        assertNoSecrets(e.message);
        return true;
      },
    );
  });
});

// --- endpoint selection, observed on the request a recording transport receives -------------

const ASSUME_ROLE_XML = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/first/x</Arn><AssumedRoleId>AROAEXAMPLE:x</AssumedRoleId></AssumedRoleUser>
<Credentials><AccessKeyId>ASIARECORDED</AccessKeyId><SecretAccessKey>recorded-secret</SecretAccessKey><SessionToken>recorded-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
</AssumeRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleResponse>`;

function recorder(): HttpHandler & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async handle(request) {
      requests.push(request);
      return { statusCode: 200, headers: { "content-type": "text/xml" }, body: textBody(ASSUME_ROLE_XML) };
    },
  };
}

async function assumeVia(sessionEnv: Record<string, string>, region: string, extraConfig = "", profile?: string) {
  const dir = tempDir({ config: `[default]\n${extraConfig}`, credentials: "" });
  const session = new Session({
    env: {
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
      ...sessionEnv,
    },
    ...(profile ? { profile } : {}),
  });
  const http = recorder();
  const caller = createGeneratedStsCaller({ session, httpHandler: http, clock: () => Date.UTC(2025, 0, 2, 3, 4, 5) });
  const creds = await caller(
    "AssumeRole",
    { RoleArn: ROLE("111111111111", "first"), RoleSessionName: "x", DurationSeconds: "1200" },
    region,
    { accessKeyId: ROOT_KEY, secretAccessKey: ROOT_SECRET },
  );
  assert.equal(creds.accessKeyId, "ASIARECORDED");
  assert.equal(creds.expiration.toISOString(), "2099-01-01T00:00:00.000Z");
  const req = http.requests[0]!;
  const scope = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? "");
  assert.ok(scope, "signed request");
  assert.equal(scope[1], ROOT_KEY);
  assert.equal(scope[2], "20250102", "the injected clock signs");
  assert.equal(scope[4], "sts");
  const body = new URLSearchParams(String(req.body));
  assert.equal(body.get("Action"), "AssumeRole");
  assert.equal(body.get("DurationSeconds"), "1200");
  assert.match(req.headers["user-agent"] ?? "", UA);
  return { host: req.hostname, port: req.port, protocol: req.protocol, scopeRegion: scope[3] };
}

describe("generated STS caller: endpoint selection", () => {
  test("regional endpoint by default, in the given region", async () => {
    const r = await assumeVia({}, "us-west-2");
    assert.deepEqual([r.host, r.scopeRegion], ["sts.us-west-2.amazonaws.com", "us-west-2"]);
  });

  test("sts_regional_endpoints = legacy (profile) or AWS_STS_REGIONAL_ENDPOINTS: the global endpoint", async () => {
    const viaProfile = await assumeVia({}, "us-west-2", "sts_regional_endpoints = legacy\n");
    assert.deepEqual([viaProfile.host, viaProfile.scopeRegion], ["sts.amazonaws.com", "us-east-1"]);
    const viaEnv = await assumeVia({ AWS_STS_REGIONAL_ENDPOINTS: "legacy" }, "eu-west-1");
    assert.deepEqual([viaEnv.host, viaEnv.scopeRegion], ["sts.amazonaws.com", "us-east-1"]);
    // the environment beats the profile
    const both = await assumeVia(
      { AWS_STS_REGIONAL_ENDPOINTS: "regional" },
      "eu-west-1",
      "sts_regional_endpoints = legacy\n",
    );
    assert.equal(both.host, "sts.eu-west-1.amazonaws.com");
    // a region outside the legacy global list stays regional
    const newer = await assumeVia({ AWS_STS_REGIONAL_ENDPOINTS: "legacy" }, "ap-east-1");
    assert.equal(newer.host, "sts.ap-east-1.amazonaws.com");
  });

  test("AWS_ENDPOINT_URL_STS, then the profile's services section", async () => {
    const viaEnv = await assumeVia({ AWS_ENDPOINT_URL_STS: "http://127.0.0.1:4599" }, "eu-west-1");
    assert.deepEqual(
      [viaEnv.protocol, viaEnv.host, viaEnv.port, viaEnv.scopeRegion],
      ["http:", "127.0.0.1", 4599, "eu-west-1"],
    );
    const services =
      "services = local\n[services local]\nsts =\n  endpoint_url = http://localhost:4600\ns3 =\n  endpoint_url = http://localhost:4601\n";
    const viaServices = await assumeVia({}, "eu-west-1", services);
    assert.deepEqual([viaServices.host, viaServices.port], ["localhost", 4600]);
  });

  test("an invalid sts_regional_endpoints is a configuration error naming the setting", async () => {
    await assert.rejects(assumeVia({ AWS_STS_REGIONAL_ENDPOINTS: "global" }, "us-west-2"), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, /AWS_STS_REGIONAL_ENDPOINTS/);
      return true;
    });
  });
});
