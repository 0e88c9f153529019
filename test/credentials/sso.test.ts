// SSO credentials against fake IAM Identity Center endpoints (SSO portal GetRoleCredentials and
// SSO-OIDC CreateToken, rest-json): the legacy sso_* profile form and the sso-session form, the
// token cache under ~/.aws/sso/cache/<sha1>.json, refresh within 15 minutes of expiry (with the
// cache rewritten), fallback to a still-valid token when refresh fails, and the errors.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CredentialsError } from "../../runtime/errors.js";
import { fromProfile } from "../../runtime/credentials/profile.js";
import { startFakeIdentityCenter, tempDir, type FakeIdentityCenter } from "../support/fake-aws-servers.js";

const NOW = Date.parse("2025-03-01T10:00:00Z");
const START_URL = "https://d-1234567890.awsapps.com/start";
const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

let ic: FakeIdentityCenter;

before(async () => {
  ic = await startFakeIdentityCenter();
  ic.roles.set("111122223333/ReadOnly", {
    accessKeyId: "ASIASSOEXAMPLE",
    secretAccessKey: "sso-secret",
    sessionToken: "sso-session-token",
    expiration: NOW + 3600_000,
  });
});

after(() => ic.close());

const CONFIG = `
[profile legacy]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile modern]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile incomplete]
sso_start_url = ${START_URL}
sso_region = us-east-1

[profile no-session]
sso_session = missing
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile conflicting]
sso_session = corp
sso_start_url = https://other.awsapps.com/start
sso_account_id = 111122223333
sso_role_name = ReadOnly
`;

function setup(cache: Record<string, unknown>) {
  const home = tempDir({ ".aws/config": CONFIG });
  for (const [key, token] of Object.entries(cache)) {
    tempWrite(join(home, ".aws/sso/cache", sha1(key) + ".json"), JSON.stringify(token));
  }
  const env = { HOME: home, AWS_ENDPOINT_URL_SSO: ic.portal.url, AWS_ENDPOINT_URL_SSO_OIDC: ic.oidc.url };
  return { home, env, provider: (profile: string) => fromProfile({ profile, env, now: () => NOW }) };
}

function tempWrite(path: string, content: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

describe("SSO", () => {
  test("legacy profile: cached token by sha1(start URL), GetRoleCredentials with the bearer token", async () => {
    ic.validTokens.add("legacy-token");
    const { provider } = setup({
      [START_URL]: {
        startUrl: START_URL,
        region: "us-east-1",
        accessToken: "legacy-token",
        expiresAt: stamp(NOW + 3600_000),
      },
    });
    const before = ic.portal.requests.length;
    const creds = await provider("legacy")();
    assert.deepEqual(creds, {
      accessKeyId: "ASIASSOEXAMPLE",
      secretAccessKey: "sso-secret",
      sessionToken: "sso-session-token",
      expiration: new Date(NOW + 3600_000),
      accountId: "111122223333",
    });
    const req = ic.portal.requests[before]!;
    assert.equal(req.method, "GET");
    assert.equal(req.headers["x-amz-sso_bearer_token"], "legacy-token");
    assert.equal(req.query.get("role_name"), "ReadOnly");
    assert.equal(req.query.get("account_id"), "111122223333");
  });

  test("legacy profile: an expired token is an error telling to log in; the portal is not called", async () => {
    const { provider } = setup({
      [START_URL]: { startUrl: START_URL, region: "us-east-1", accessToken: "old", expiresAt: stamp(NOW - 1000) },
    });
    const before = ic.portal.requests.length;
    await assert.rejects(
      provider("legacy")(),
      (e: unknown) => e instanceof CredentialsError && /expired; run `aws sso login`/.test(e.message),
    );
    assert.equal(ic.portal.requests.length, before);
  });

  test("sso-session: a token far from expiry is used as is (cache keyed by sha1 of the session name)", async () => {
    ic.validTokens.add("session-token");
    const { provider } = setup({
      corp: {
        startUrl: START_URL,
        region: "us-east-1",
        accessToken: "session-token",
        expiresAt: stamp(NOW + 3600_000),
      },
    });
    const before = ic.oidc.requests.length;
    assert.equal((await provider("modern")()).accessKeyId, "ASIASSOEXAMPLE");
    assert.equal(ic.oidc.requests.length, before);
  });

  test("sso-session: a token within 15 minutes of expiry is refreshed via SSO-OIDC and the cache rewritten", async () => {
    ic.clients.set("client-1", "client-secret-1");
    ic.refreshTokens.set("refresh-1", "client-1");
    const token = {
      startUrl: START_URL,
      region: "us-east-1",
      accessToken: "about-to-expire",
      expiresAt: stamp(NOW + 10 * 60_000),
      clientId: "client-1",
      clientSecret: "client-secret-1",
      registrationExpiresAt: stamp(NOW + 90 * 86400_000),
      refreshToken: "refresh-1",
    };
    const { provider, home } = setup({ corp: token });
    const before = ic.oidc.requests.length;
    const creds = await provider("modern")();
    assert.equal(creds.accessKeyId, "ASIASSOEXAMPLE");
    assert.equal(ic.oidc.requests.length, before + 1);
    const sent = JSON.parse(ic.oidc.requests[before]!.body);
    assert.deepEqual(sent, {
      clientId: "client-1",
      clientSecret: "client-secret-1",
      grantType: "refresh_token",
      refreshToken: "refresh-1",
    });
    const used = ic.portal.requests.at(-1)!.headers["x-amz-sso_bearer_token"]!;
    assert.match(used, /^sso-access-token-refreshed-\d+$/);
    const cached = JSON.parse(readFileSync(join(home, ".aws/sso/cache", sha1("corp") + ".json"), "utf8"));
    assert.deepEqual(cached, {
      ...token,
      accessToken: used,
      expiresAt: stamp(NOW + ic.expiresIn * 1000),
      refreshToken: cached.refreshToken,
    });
    assert.notEqual(cached.refreshToken, "refresh-1");
  });

  test("sso-session: a failed refresh falls back to the still-valid token, and errors once it has expired", async () => {
    ic.validTokens.add("still-valid");
    const base = {
      startUrl: START_URL,
      region: "us-east-1",
      clientId: "client-1",
      clientSecret: "client-secret-1",
      registrationExpiresAt: stamp(NOW + 86400_000),
      refreshToken: "revoked",
    };
    const ok = setup({ corp: { ...base, accessToken: "still-valid", expiresAt: stamp(NOW + 5 * 60_000) } });
    assert.equal((await ok.provider("modern")()).accessKeyId, "ASIASSOEXAMPLE");
    assert.equal(ic.portal.requests.at(-1)!.headers["x-amz-sso_bearer_token"], "still-valid");
    const expired = setup({ corp: { ...base, accessToken: "gone", expiresAt: stamp(NOW - 60_000) } });
    await assert.rejects(expired.provider("modern")(), /expired; run `aws sso login --sso-session corp`/);
  });

  test("the portal refusing the token is an error with a hint", async () => {
    const { provider } = setup({ [START_URL]: { accessToken: "unknown-to-portal", expiresAt: stamp(NOW + 3600_000) } });
    await assert.rejects(provider("legacy")(), (e: unknown) => {
      assert.ok(e instanceof CredentialsError);
      assert.match(e.message, /HTTP 401, UnauthorizedException.*aws sso login/);
      assert.ok(!e.message.includes("unknown-to-portal"));
      return true;
    });
  });

  test("configuration errors", async () => {
    const { provider } = setup({});
    await assert.rejects(provider("legacy")(), /No valid SSO token in the cache/);
    await assert.rejects(provider("incomplete")(), /lacks sso_account_id, sso_role_name/);
    await assert.rejects(provider("no-session")(), /no \[sso-session missing\] section/);
    await assert.rejects(provider("conflicting")(), /sso_start_url of profile "conflicting" differs/);
  });
});
