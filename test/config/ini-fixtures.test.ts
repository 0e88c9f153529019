// botocore's config-loader fixtures (test/vendor/conformance/config/ini-fixtures, 15 files, no
// expected-output files): each fixture is checked against the outcome listed in the conformance
// README's "INI fixtures" table, through the public loaders (parseIni / buildProfileMap /
// loadSharedConfig and the legacy providers). The runner fails if the folder does not hold
// exactly the 15 fixtures it knows.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { ConfigError } from "../../runtime/errors.js";
import { buildProfileMap, parseIni, parseKeyValueFile } from "../../runtime/config/ini.js";
import { loadSharedConfig, resolveProfile } from "../../runtime/config/shared.js";
import { fromBotoConfig, fromLegacyCredentialFile } from "../../runtime/credentials/legacy.js";
import { isTryNext } from "../../runtime/credentials/types.js";

const DIR = new URL("../vendor/conformance/config/ini-fixtures/", import.meta.url).pathname;
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const bytes = (name: string) => readFileSync(join(DIR, name));
const profilesOf = (name: string) => buildProfileMap(parseIni(bytes(name), { path: name }));

const tally = { passed: 0, failed: 0 };

/** fixture name -> the README outcome, checked. */
const CASES: Record<string, () => Promise<void> | void> = {
  aws_config() {
    const map = profilesOf("aws_config");
    assert.deepEqual(Object.keys(map.profiles).sort(), ["default", "personal"]);
    assert.deepEqual(plain(map.profiles.default), { aws_access_key_id: "foo", aws_secret_access_key: "bar" });
    assert.deepEqual(plain(map.profiles.personal), {
      aws_access_key_id: "fie",
      aws_secret_access_key: "baz",
      aws_security_token: "fiebaz",
    });
  },
  async aws_config_other() {
    // Loaded together with aws_config, aws_third_config and a missing file (ignored): the first
    // file that defines a profile supplies it.
    const config = await loadSharedConfig({
      env: {},
      homedir: "/nonexistent-home",
      configFile: [
        join(DIR, "aws_config_other"),
        join(DIR, "aws_config"),
        join(DIR, "aws_third_config"),
        join(DIR, "aws_config_notfound"),
      ],
      credentialsFile: join(DIR, "aws_config_notfound"),
    });
    assert.deepEqual(Object.keys(config.profiles).sort(), ["default", "personal", "third"]);
    assert.equal(config.profiles.default!.aws_access_key_id, "other_foo");
    assert.equal(config.profiles.default!.aws_secret_access_key, "other_bar");
    assert.equal(config.profiles.personal!.aws_access_key_id, "fie");
    assert.equal(config.profiles.personal!.aws_security_token, "fiebaz");
    assert.equal(config.profiles.third!.aws_access_key_id, "third_fie");
    assert.equal(config.profiles.third!.aws_security_token, "third_fiebaz");
  },
  async aws_third_config() {
    // The same load in the other order: now aws_third_config supplies `default`.
    const config = await loadSharedConfig({
      env: {},
      configFile: [join(DIR, "aws_third_config"), join(DIR, "aws_config_other"), join(DIR, "aws_config")],
      credentialsFile: [],
    });
    assert.equal(config.profiles.default!.aws_access_key_id, "third_foo");
    assert.deepEqual(plain(resolveProfile(config, "third")), {
      aws_access_key_id: "third_fie",
      aws_secret_access_key: "third_baz",
      aws_security_token: "third_fiebaz",
    });
  },
  aws_bad_profile() {
    const map = profilesOf("aws_bad_profile");
    assert.deepEqual(Object.keys(map.profiles).sort(), ["default", "my profile", "personal1"]);
    assert.equal(map.profiles.personal1!.aws_access_key_id, "access_personal1");
    assert.equal(map.profiles["my profile"]!.aws_access_key_id, "default");
  },
  aws_config_bad() {
    assert.throws(
      () => parseIni(bytes("aws_config_bad"), { path: "aws_config_bad" }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /line 1: a setting appears before any \[section\] header/);
        assert.doesNotMatch(e.message, /foo|bar/); // no values in messages
        return true;
      },
    );
  },
  async aws_config_badbytes() {
    const data = bytes("aws_config_badbytes");
    assert.equal(data.length, 51200);
    assert.throws(
      () => parseIni(data),
      (e: unknown) => e instanceof ConfigError && /not valid UTF-8/.test(e.message),
    );
    await assert.rejects(
      loadSharedConfig({ env: {}, configFile: join(DIR, "aws_config_badbytes"), credentialsFile: [] }),
      (e: unknown) => e instanceof ConfigError && e.message.includes("aws_config_badbytes"),
    );
  },
  aws_config_nested() {
    const map = profilesOf("aws_config_nested");
    const d = map.profiles.default!;
    assert.deepEqual(plain(d.s3), { signature_version: "s3v4", addressing_style: "path" });
    assert.deepEqual(plain(d.cloudwatch), { signature_version: "v4" });
    assert.equal(d.region, "us-west-2");
    const raw = parseIni(bytes("aws_config_nested"), { parseSubsections: false });
    assert.equal(raw.default!.s3, "\nsignature_version = s3v4\naddressing_style = path");
  },
  aws_config_nested_bad() {
    assert.throws(
      () => parseIni(bytes("aws_config_nested_bad")),
      (e: unknown) =>
        e instanceof ConfigError && /nested settings of "s3"/.test(e.message) && !e.message.includes("bad_syntax"),
    );
  },
  aws_sso_session_config() {
    const map = profilesOf("aws_sso_session_config");
    assert.deepEqual(plain(map.ssoSessions.sso), { sso_start_url: "https://example.com", sso_region: "us-east-1" });
    assert.equal(map.profiles.default!.sso_session, "sso");
  },
  aws_services_config() {
    const map = profilesOf("aws_services_config");
    assert.deepEqual(plain(map.services["my-services"]), {
      s3: { endpoint_url: "https://localhost:5678/" },
      dynamodb: { endpoint_url: "https://localhost:8888/" },
    });
    assert.equal(map.profiles.default!.services, "my-services");
    assert.equal(map.profiles.default!.endpoint_url, "https://localhost:1234/");
  },
  aws_config_nocreds() {
    assert.deepEqual(plain(profilesOf("aws_config_nocreds").profiles), { default: { region: "us-west-2" } });
  },
  foo_config() {
    const map = profilesOf("foo_config");
    assert.deepEqual(Object.keys(map.profiles).sort(), ["default", "foo"]);
    assert.equal(map.profiles.default!.foo_region, "us-west-1");
    assert.equal(map.profiles.foo!.aws_access_key_id, "fie");
  },
  async aws_credentials() {
    // Legacy AWS_CREDENTIAL_FILE format: not INI (no section), read by the key=value parser.
    assert.throws(() => parseIni(bytes("aws_credentials")), ConfigError);
    assert.deepEqual(plain(parseKeyValueFile(bytes("aws_credentials"))), {
      AWSAccessKeyId: "foo",
      AWSSecretKey: "bar",
    });
    const creds = await fromLegacyCredentialFile({ env: { AWS_CREDENTIAL_FILE: join(DIR, "aws_credentials") } })();
    assert.deepEqual(creds, { accessKeyId: "foo", secretAccessKey: "bar" });
  },
  async boto_config() {
    const creds = await fromBotoConfig({ env: { BOTO_CONFIG: join(DIR, "boto_config") } })();
    assert.deepEqual(creds, { accessKeyId: "foo", secretAccessKey: "bar" });
  },
  async boto_config_empty() {
    // No keys: ignored (the provider passes to the next one in a chain).
    await assert.rejects(fromBotoConfig({ env: { BOTO_CONFIG: join(DIR, "boto_config_empty") } })(), (e: unknown) =>
      isTryNext(e),
    );
  },
};

test("the fixture folder holds exactly the 15 known fixtures", () => {
  assert.deepEqual(readdirSync(DIR).sort(), Object.keys(CASES).sort());
  assert.equal(Object.keys(CASES).length, 15);
});

for (const [name, check] of Object.entries(CASES)) {
  test(`ini fixture ${name}`, async () => {
    try {
      await check();
      tally.passed++;
    } catch (e) {
      tally.failed++;
      throw e;
    }
  });
}

after(() => {
  console.log(`config ini-fixtures (15 fixtures): ${tally.passed} passed, ${tally.failed} failed, 0 skipped`);
});
