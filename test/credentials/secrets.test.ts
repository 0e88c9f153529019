// Secrets never appear in error messages: every failure path below has a secret planted where a
// careless message would echo it (a config line, a source credential, a process's stdout, a bearer
// token, a refresh token, a DPoP key, an authorization token). The whole error is checked: the
// message, the stack and the messages of its causes.
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseIni } from "../../runtime/config/ini.js";
import { sharedConfigFromText } from "../../runtime/config/profiles.js";
import { fromEnv } from "../../runtime/credentials/env.js";
import { fromProfile } from "../../runtime/credentials/profile.js";
import { fromContainer } from "../../runtime/credentials/container.js";
import { fromLogin, loginCacheFile } from "../../runtime/credentials/login.js";
import { defaultChain } from "../../runtime/credentials/default-chain.js";
import {
  startFakeContainer,
  startFakeIdentityCenter,
  startFakeSignin,
  startFakeSts,
  tempDir,
  type FakeContainer,
  type FakeIdentityCenter,
  type FakeSignin,
  type FakeSts,
} from "../support/fake-aws-servers.js";

const SECRETS = [
  "SeCrEtAcCeSsKeY-0001",
  "SeSsIoNtOkEn-0002",
  "BeArErToKeN-0003",
  "ReFrEsHtOkEn-0004",
  "CoNtAiNeRtOkEn-0005",
  "ClIeNtSeCrEt-0006",
];

function allText(err: unknown, depth = 0): string {
  if (!(err instanceof Error) || depth > 5) return String(err);
  return [err.message, err.stack ?? "", err.cause !== undefined ? allText(err.cause, depth + 1) : ""].join("\n");
}

async function expectCleanFailure(what: string, run: () => Promise<unknown> | unknown) {
  let failure: unknown;
  try {
    await run();
  } catch (e) {
    failure = e;
  }
  assert.ok(failure !== undefined, `${what}: expected a failure`);
  const text = allText(failure);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${what}: error text contains a secret:\n${text}`);
  const pem = /BEGIN PRIVATE KEY/.test(text);
  assert.ok(!pem, `${what}: error text contains a private key`);
}

let sts: FakeSts;
let ic: FakeIdentityCenter;
let signin: FakeSignin;
let container: FakeContainer;
before(async () => {
  sts = await startFakeSts({ knownKeys: { AKIDSOURCE: SECRETS[0]! }, roles: {} });
  ic = await startFakeIdentityCenter();
  signin = await startFakeSignin();
  container = await startFakeContainer({
    path: "/c",
    authorization: "something-else",
    credentials: { AccessKeyId: "A", SecretAccessKey: "S", Token: "T", Expiration: "2099-01-01T00:00:00Z" },
  });
});
after(async () => {
  await sts.close();
  await ic.close();
  await signin.close();
  await container.close();
});

test("config and environment errors", async () => {
  await expectCleanFailure("malformed config line", () => parseIni(`[default]\naws_secret_access_key ${SECRETS[0]}\n`));
  await expectCleanFailure("bad nested block", () => parseIni(`[default]\ns3 =\n  ${SECRETS[0]}\n`));
  await expectCleanFailure("setting before a section", () =>
    parseIni(`aws_secret_access_key = ${SECRETS[0]}\n[default]\n`),
  );
  await expectCleanFailure("duplicate setting", () =>
    parseIni(`[default]\naws_session_token = ${SECRETS[1]}\naws_session_token = ${SECRETS[1]}\n`),
  );
  await expectCleanFailure("partial env keys", () =>
    fromEnv({ env: { AWS_SECRET_ACCESS_KEY: SECRETS[0], AWS_SESSION_TOKEN: SECRETS[1] } })(),
  );
  const cfg = sharedConfigFromText(
    `[profile p]\naws_secret_access_key = ${SECRETS[0]}\naws_session_token = ${SECRETS[1]}\n`,
  );
  await expectCleanFailure("partial profile keys", () => fromProfile({ profile: "p", sharedConfig: cfg, env: {} })());
});

test("STS refusing a role signed with secret source credentials", async () => {
  const cfg = sharedConfigFromText(
    `[profile src]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = ${SECRETS[0]}\naws_session_token = ${SECRETS[1]}\n` +
      `[profile role]\nrole_arn = arn:aws:iam::1:role/none\nsource_profile = src\nexternal_id = x\n`,
  );
  await expectCleanFailure("AssumeRole denied", () =>
    fromProfile({ profile: "role", sharedConfig: cfg, env: { AWS_ENDPOINT_URL_STS: sts.url } })(),
  );
});

test("credential_process printing secrets in bad output", async () => {
  const dir = tempDir({
    "bad.mjs": `console.log(JSON.stringify({ Version: 1, SecretAccessKey: "${SECRETS[0]}", SessionToken: "${SECRETS[1]}" }));`,
    "notjson.mjs": `console.log("AccessKeyId=x SecretAccessKey=${SECRETS[0]}");`,
    "v9.mjs": `console.log(JSON.stringify({ Version: 9, AccessKeyId: "A", SecretAccessKey: "${SECRETS[0]}" }));`,
    "exit.mjs": `console.log("${SECRETS[0]}"); process.exit(1);`,
  });
  for (const script of ["bad.mjs", "notjson.mjs", "v9.mjs", "exit.mjs"]) {
    const cfg = sharedConfigFromText(`[default]\ncredential_process = "${process.execPath}" "${join(dir, script)}"\n`);
    await expectCleanFailure(`credential_process ${script}`, () => fromProfile({ sharedConfig: cfg, env: {} })());
  }
});

test("SSO bearer token refused, refresh with a client secret refused", async () => {
  const home = tempDir();
  const file = join(home, ".aws/sso/cache", createHash("sha1").update("s").digest("hex") + ".json");
  mkdirSync(join(home, ".aws/sso/cache"), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      accessToken: SECRETS[2],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      clientId: "c",
      clientSecret: SECRETS[5],
      refreshToken: SECRETS[3],
      registrationExpiresAt: new Date(Date.now() + 86400_000).toISOString(),
    }),
  );
  const cfg = sharedConfigFromText(
    `[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n[sso-session s]\nsso_start_url = https://x\nsso_region = us-east-1\n`,
  );
  await expectCleanFailure("SSO", () =>
    fromProfile({
      sharedConfig: cfg,
      env: { HOME: home, AWS_ENDPOINT_URL_SSO: ic.portal.url, AWS_ENDPOINT_URL_SSO_OIDC: ic.oidc.url },
    })(),
  );
});

test("login refresh refused; cache with a private key and refresh token", async () => {
  const dir = tempDir();
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  writeFileSync(
    loginCacheFile(dir, "session"),
    JSON.stringify({
      accessToken: {
        accessKeyId: "A",
        secretAccessKey: SECRETS[0],
        sessionToken: SECRETS[1],
        accountId: "1",
        expiresAt: "2020-01-01T00:00:00Z",
      },
      clientId: "arn:aws:signin:::devtools/same-device",
      refreshToken: SECRETS[3],
      dpopKey: pem,
    }),
  );
  await expectCleanFailure("login", () =>
    fromLogin({ loginSession: "session", cacheDirectory: dir, env: { AWS_ENDPOINT_URL_SIGNIN: signin.url } })(),
  );
  writeFileSync(
    loginCacheFile(dir, "bad-key"),
    JSON.stringify({
      accessToken: {
        accessKeyId: "A",
        secretAccessKey: SECRETS[0],
        sessionToken: SECRETS[1],
        expiresAt: "2020-01-01T00:00:00Z",
      },
      clientId: "c",
      refreshToken: SECRETS[3],
      dpopKey: `-----BEGIN PRIVATE KEY-----\n${SECRETS[4]}\n-----END PRIVATE KEY-----`,
    }),
  );
  await expectCleanFailure("login bad key", () =>
    fromLogin({ loginSession: "bad-key", cacheDirectory: dir, env: { AWS_ENDPOINT_URL_SIGNIN: signin.url } })(),
  );
});

test("container endpoint refusing the authorization token", async () => {
  await expectCleanFailure("container", () =>
    fromContainer({
      env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/c`, AWS_CONTAINER_AUTHORIZATION_TOKEN: SECRETS[4] },
      maxAttempts: 1,
    })(),
  );
});

test("the default chain's final error", async () => {
  await expectCleanFailure("default chain", () =>
    defaultChain({
      env: {
        HOME: tempDir(),
        AWS_SESSION_TOKEN: SECRETS[1],
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONTAINER_AUTHORIZATION_TOKEN: SECRETS[4],
      },
    })(),
  );
});
