// defaultChain: botocore's order (environment, profile sources, legacy files, container, IMDS),
// the explicit-profile rule, lazy config loading, memoization, and the final error listing every
// place looked. Each test injects its own environment (HOME in a temporary folder, IMDS pointed at
// a fake or disabled), so no test reads the real ~/.aws or reaches a link-local address.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CredentialsError } from "../../runtime/errors.js";
import { defaultChain } from "../../runtime/credentials/default-chain.js";
import { CredentialsNotFoundError } from "../../runtime/credentials/types.js";
import {
  startFakeContainer,
  startFakeImds,
  startFakeSts,
  tempDir,
  type FakeContainer,
  type FakeImds,
  type FakeSts,
} from "../support/fake-aws-servers.js";

let container: FakeContainer;
let imds: FakeImds;
let sts: FakeSts;
const ROLE = "arn:aws:iam::123456789012:role/pod";

before(async () => {
  container = await startFakeContainer({
    path: "/creds",
    credentials: {
      AccessKeyId: "ASIACONTAINER",
      SecretAccessKey: "c-secret",
      Token: "c-token",
      Expiration: "2099-01-01T00:00:00Z",
    },
  });
  imds = await startFakeImds({
    role: "r",
    credentials: {
      AccessKeyId: "ASIAIMDS",
      SecretAccessKey: "i-secret",
      Token: "i-token",
      Expiration: "2099-01-01T00:00:00Z",
    },
  });
  sts = await startFakeSts({ roles: { [ROLE]: { webIdentityToken: "pod-jwt" } } });
});
after(async () => {
  await container.close();
  await imds.close();
  await sts.close();
});

const PROFILE_FILES = {
  ".aws/config":
    "[default]\nregion = us-east-2\n[profile other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret\n",
  ".aws/credentials": "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
};
const ENV_KEYS = { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" };
const CONTAINER = () => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` });
const IMDS = () => ({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
const NO_IMDS = { AWS_EC2_METADATA_DISABLED: "true" };

test("environment first, then the profile, then the container, then IMDS", async () => {
  const home = tempDir(PROFILE_FILES);
  const all = { HOME: home, ...ENV_KEYS, ...CONTAINER(), ...IMDS() };
  assert.equal((await defaultChain({ env: all })()).accessKeyId, "AKIDENV");
  const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _b, ...noEnvKeys } = all;
  assert.equal((await defaultChain({ env: noEnvKeys })()).accessKeyId, "AKIDPROFILE");
  const emptyHome = tempDir();
  assert.equal((await defaultChain({ env: { ...noEnvKeys, HOME: emptyHome } })()).accessKeyId, "ASIACONTAINER");
  assert.equal((await defaultChain({ env: { HOME: emptyHome, ...IMDS() } })()).accessKeyId, "ASIAIMDS");
});

test("a profile passed in code removes the environment provider; AWS_PROFILE does not", async () => {
  const home = tempDir(PROFILE_FILES);
  assert.equal(
    (await defaultChain({ env: { HOME: home, ...ENV_KEYS, ...NO_IMDS }, profile: "other" })()).accessKeyId,
    "AKIDOTHER",
  );
  assert.equal(
    (await defaultChain({ env: { HOME: home, ...ENV_KEYS, ...NO_IMDS, AWS_PROFILE: "other" } })()).accessKeyId,
    "AKIDENV",
  );
  assert.equal(
    (await defaultChain({ env: { HOME: home, ...NO_IMDS, AWS_PROFILE: "other" } })()).accessKeyId,
    "AKIDOTHER",
  );
});

test("web identity from the environment works without any config file", async () => {
  const home = tempDir({ token: "pod-jwt" });
  const creds = await defaultChain({
    env: {
      HOME: home,
      ...NO_IMDS,
      AWS_WEB_IDENTITY_TOKEN_FILE: join(home, "token"),
      AWS_ROLE_ARN: ROLE,
      AWS_ENDPOINT_URL_STS: sts.url,
    },
  })();
  assert.ok(sts.issued.has(creds.accessKeyId));
});

test("files are read when the chain first runs, and the result is cached", async () => {
  const home = tempDir();
  const chain = defaultChain({ env: { HOME: home, ...CONTAINER(), ...NO_IMDS } }); // nothing read yet
  writeFileSync(join(home, "late-config"), "");
  const before = container.requests.length;
  const first = await chain();
  const second = await chain();
  assert.equal(first, second);
  assert.equal(container.requests.length - before, 1);
});

test("nothing found: one error listing every place looked", async () => {
  const home = tempDir({ ".aws/config": "[default]\nregion = us-west-1\n" });
  await assert.rejects(defaultChain({ env: { HOME: home, ...NO_IMDS } })(), (e: unknown) => {
    assert.ok(e instanceof CredentialsNotFoundError);
    assert.ok(e instanceof CredentialsError);
    const m = e.message;
    for (const expected of [
      "environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
      `shared config profile "default" (${join(home, ".aws/config")}, ${join(home, ".aws/credentials")}): none of role_arn, web_identity_token_file, sso_session / sso_start_url, login_session, aws_access_key_id, credential_process`,
      "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
      "AWS_CREDENTIAL_FILE is not set",
      "BOTO_CONFIG is not set",
      "the container credentials endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
      "EC2 instance metadata: disabled by AWS_EC2_METADATA_DISABLED",
    ]) {
      assert.ok(m.includes(expected), `missing "${expected}" in:\n${m}`);
    }
    return true;
  });
  const noFiles = tempDir();
  await assert.rejects(
    defaultChain({ env: { HOME: noFiles, ...NO_IMDS } })(),
    (e: unknown) =>
      e instanceof CredentialsError &&
      e.message.includes(
        `shared config profile "default": not in ${join(noFiles, ".aws/config")}, ${join(noFiles, ".aws/credentials")}`,
      ),
  );
});

test("a configured but broken source stops the chain (no silent fall-through)", async () => {
  const home = tempDir({ ".aws/config": "[default]\nrole_arn = arn:aws:iam::1:role/x\n" });
  await assert.rejects(
    defaultChain({ env: { HOME: home, ...CONTAINER(), ...NO_IMDS } })(),
    (e: unknown) =>
      e instanceof CredentialsError &&
      !(e instanceof CredentialsNotFoundError) &&
      /neither source_profile nor credential_source/.test(e.message),
  );
  await assert.rejects(
    defaultChain({ env: { HOME: tempDir(), ...NO_IMDS, AWS_PROFILE: "nope" } })(),
    /"nope" was not found/,
  );
});
