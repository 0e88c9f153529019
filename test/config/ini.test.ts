// Unit tests of the INI parser's configparser/botocore rules beyond the fixtures, of the shared
// config loader (paths from the injected environment, ~ and $VAR expansion, credentials overlay)
// and of configured endpoint URLs for service ids with spaces.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ConfigError } from "../../runtime/errors.js";
import { buildProfileMap, parseIni, shellSplit } from "../../runtime/config/ini.js";
import { expandPath, loadSharedConfig, profileFromEnv, resolveProfile } from "../../runtime/config/shared.js";
import { configuredEndpointUrl, serviceConfigKey, serviceEnvSuffix } from "../../runtime/config/endpoint-url.js";
import { sharedConfigFromText } from "../../runtime/config/profiles.js";

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("parseIni", () => {
  test("comments, both delimiters, lower-cased names, CRLF", () => {
    const ini = parseIni(
      "# top\r\n[default]\r\n; note\r\nRegion : us-west-2\r\nOutput=json\r\nx = a # not a comment\r\n",
    );
    assert.deepEqual(plain(ini), { default: { region: "us-west-2", output: "json", x: "a # not a comment" } });
  });

  test("continuation lines and blank lines inside values", () => {
    const ini = parseIni("[a]\nk = first\n  second\n\n  third\nnext = 1\n");
    assert.equal(ini.a!.k, "first\nsecond\n\nthird");
    assert.equal(ini.a!.next, "1");
  });

  test("a value may be empty; trailing blank lines are dropped", () => {
    const ini = parseIni("[a]\nempty =\nother = x\n\n\n");
    assert.deepEqual(plain(ini), { a: { empty: "", other: "x" } });
  });

  test("[DEFAULT] is inherited by every section and is not itself a section", () => {
    const ini = parseIni("[DEFAULT]\nregion = eu-west-1\n[default]\nk = v\n[profile p]\nregion = us-east-2\n");
    assert.deepEqual(plain(ini), { default: { k: "v", region: "eu-west-1" }, "profile p": { region: "us-east-2" } });
  });

  test("duplicate sections or settings in one file are errors (configparser strict mode)", () => {
    assert.throws(() => parseIni("[a]\nk=1\n[a]\nj=2\n"), ConfigError);
    assert.throws(() => parseIni("[a]\nk=1\nK=2\n"), ConfigError);
  });

  test("a line that is neither header nor setting is an error naming the line, not its text", () => {
    assert.throws(
      () => parseIni("[a]\naws_secret_access_key SECRETVALUE\n"),
      (e: unknown) => e instanceof ConfigError && /line 2/.test(e.message) && !e.message.includes("SECRETVALUE"),
    );
  });

  test("a BOM is ignored; UTF-8 names and values survive", () => {
    const bytes = new TextEncoder().encode("\ufeff[profile café]\nnote = naïve\n");
    assert.deepEqual(plain(buildProfileMap(parseIni(bytes)).profiles), { café: { note: "naïve" } });
  });

  test("section names: greedy brackets, prefixes split shell-style", () => {
    const map = buildProfileMap(
      parseIni(
        "[profile 'single quoted']\na=1\n[profile a\\ b]\nb=2\n[profile]\nc=3\n[sso-session]\nd=4\n[services x y]\ne=5\n[other]\nf=6\n",
      ),
    );
    assert.deepEqual(Object.keys(map.profiles).sort(), ["a b", "single quoted"]);
    assert.deepEqual(Object.keys(map.ssoSessions), []);
    assert.deepEqual(Object.keys(map.services), []);
    assert.deepEqual(Object.keys(map.other), ["other"]);
  });

  test("a profile named __proto__ is an ordinary name", () => {
    const map = buildProfileMap(parseIni("[profile __proto__]\nk = v\n"));
    assert.equal(map.profiles["__proto__"]!.k, "v");
    assert.equal(Object.getPrototypeOf(map.profiles), null);
  });
});

describe("shellSplit", () => {
  test("POSIX shlex rules", () => {
    assert.deepEqual(shellSplit(`profile "my profile"`), ["profile", "my profile"]);
    assert.deepEqual(shellSplit(`a"b c"d 'e f' g\\ h`), ["ab cd", "e f", "g h"]);
    assert.deepEqual(shellSplit(`"a\\"b" "c\\d"`), ['a"b', "c\\d"]);
    assert.deepEqual(shellSplit(`x ""`), ["x", ""]);
    assert.equal(shellSplit(`profile "missing end quote`), undefined);
    assert.equal(shellSplit(`trailing\\`), undefined);
  });
});

describe("loadSharedConfig", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsaws-config-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "config"),
    "[default]\nregion = us-west-2\naws_access_key_id = from-config\n[profile dev]\nregion = eu-west-1\n",
  );
  writeFileSync(
    join(dir, "credentials"),
    "[default]\naws_access_key_id = from-credentials\naws_secret_access_key = s\n[only-creds]\naws_access_key_id = k\n",
  );

  test("paths from AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE; credentials overlay the config", async () => {
    const config = await loadSharedConfig({
      env: { AWS_CONFIG_FILE: join(dir, "config"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials") },
    });
    assert.deepEqual(plain(resolveProfile(config, "default")), {
      region: "us-west-2",
      aws_access_key_id: "from-credentials",
      aws_secret_access_key: "s",
    });
    assert.deepEqual(plain(resolveProfile(config, "only-creds")), { aws_access_key_id: "k" });
    assert.equal(resolveProfile(config, "missing"), undefined);
    assert.deepEqual(config.configFiles, [join(dir, "config")]);
  });

  test("defaults under the injected home; ~ and $VAR expand; missing files are empty", async () => {
    const home = mkdtempSync(join(tmpdir(), "tsaws-home-"));
    rmSync(home, { recursive: true });
    const empty = await loadSharedConfig({ env: { HOME: home } });
    assert.deepEqual(empty.configFiles, [join(home, ".aws/config")]);
    assert.deepEqual(plain(empty.profiles), {});
    const viaVar = await loadSharedConfig({
      env: { CFG: dir },
      configFile: "$CFG/config",
      credentialsFile: "${CFG}/credentials",
    });
    assert.equal(viaVar.profiles.dev!.region, "eu-west-1");
    assert.equal(expandPath("~/x/$UNSET", {}, "/h"), "/h/x/$UNSET");
  });

  test("profile name from the environment", () => {
    assert.equal(profileFromEnv({}), "default");
    assert.equal(profileFromEnv({ AWS_PROFILE: "a", AWS_DEFAULT_PROFILE: "b" }), "a");
    assert.equal(profileFromEnv({ AWS_DEFAULT_PROFILE: "b" }), "b");
  });
});

describe("configuredEndpointUrl", () => {
  test("service ids with spaces", () => {
    assert.equal(serviceEnvSuffix("SSO OIDC"), "SSO_OIDC");
    assert.equal(serviceConfigKey("Elastic Beanstalk"), "elastic_beanstalk");
    const sharedConfig = sharedConfigFromText(
      "[default]\nservices = s\n[services s]\nelastic_beanstalk =\n  endpoint_url = http://eb.local\n",
    );
    assert.equal(configuredEndpointUrl({ serviceId: "Elastic Beanstalk", env: {}, sharedConfig }), "http://eb.local");
    assert.equal(
      configuredEndpointUrl({
        serviceId: "Elastic Beanstalk",
        env: { AWS_ENDPOINT_URL_ELASTIC_BEANSTALK: "http://env" },
        sharedConfig,
      }),
      "http://env",
    );
    assert.equal(configuredEndpointUrl({ serviceId: "S3", env: {}, sharedConfig }), undefined);
  });

  test("an explicit client 'false' beats the environment's ignore flag", () => {
    const env = { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "TRUE", AWS_ENDPOINT_URL: "http://g" };
    assert.equal(configuredEndpointUrl({ serviceId: "S3", env }), undefined);
    assert.equal(configuredEndpointUrl({ serviceId: "S3", env, ignoreConfiguredEndpointUrls: false }), "http://g");
  });
});
