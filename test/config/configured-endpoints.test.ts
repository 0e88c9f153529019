// The shared configured-endpoint-URL tests (test/vendor/conformance/config/configured-endpoint-urls/
// profile-tests.json, 39 cases). Each case's profiles and services become a real config file text
// ([profile x] sections, [services x] sections with indented per-service endpoint_url), parsed by
// our INI parser; the case's environment and client config are passed in; configuredEndpointUrl
// must return output.endpointUrl.
// The 3 cases expecting the default https://s3.fake-region-10.amazonaws.com need the S3 endpoint
// ruleset (runtime/endpoints, another module): for them we assert that no configured endpoint is
// returned, which is all this function decides, and count them as passed on that assertion only.
// A second pass runs all 39 cases end to end through real generated clients (S3 ListBuckets,
// DynamoDB ListTables) made by a Session over a temp config file, the case's environment and
// client config, with a recording HTTP handler that never sends: the request URL must be
// output.endpointUrl, so the 3 default-S3 cases are checked on the real assertion there (the S3
// rule set with Region fake-region-10).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { S3 } from "tsaws/s3";
import { DynamoDB } from "tsaws/dynamodb";
import { Session, type HttpHandler, type HttpRequest } from "tsaws";
import { configuredEndpointUrl } from "../../runtime/config/endpoint-url.js";
import { sharedConfigFromText } from "../../runtime/config/profiles.js";

interface Suite {
  profiles: Record<string, Record<string, string>>;
  services: Record<string, Record<string, Record<string, string>>>;
  client_configs: Record<string, { endpoint_url?: string; ignore_configured_endpoint_urls?: boolean }>;
  environments: Record<string, Record<string, string>>;
  endpointUrlTests: Array<{
    name: string;
    profile: string;
    client_config: string;
    environment: string;
    service: string;
    output: { endpointUrl: string };
  }>;
}

const FILE = new URL("../vendor/conformance/config/configured-endpoint-urls/profile-tests.json", import.meta.url);
const doc = JSON.parse(readFileSync(FILE, "utf8")) as { testSuites: Suite[] };
const EXPECTED_CASES = 39;
const DEFAULT_S3 = "https://s3.fake-region-10.amazonaws.com";
/** Service names in the cases -> model serviceId. */
const SERVICE_IDS: Record<string, string> = { s3: "S3", dynamodb: "DynamoDB" };

function configText(suite: Suite): string {
  const lines: string[] = [];
  for (const [name, settings] of Object.entries(suite.profiles)) {
    lines.push(name === "default" ? "[default]" : `[profile ${name}]`);
    for (const [k, v] of Object.entries(settings)) lines.push(`${k} = ${v}`);
    lines.push("");
  }
  for (const [name, services] of Object.entries(suite.services)) {
    lines.push(`[services ${name}]`);
    for (const [service, settings] of Object.entries(services)) {
      lines.push(`${service} =`);
      for (const [k, v] of Object.entries(settings)) lines.push(`  ${k} = ${v}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

const tally = { passed: 0, failed: 0, rulesetOnly: 0 };
const cases = doc.testSuites.flatMap((suite, s) =>
  suite.endpointUrlTests.map((c, i) => ({ suite, c, key: `${s}:${i}` })),
);

test("the suite holds the expected number of cases", () => {
  assert.equal(cases.length, EXPECTED_CASES);
});

for (const { suite, c, key } of cases) {
  test(`configured endpoint ${key}: ${c.name}`, () => {
    try {
      const sharedConfig = sharedConfigFromText(configText(suite));
      const client = suite.client_configs[c.client_config];
      const env = suite.environments[c.environment];
      assert.ok(client && env, "unknown client config or environment");
      const serviceId = SERVICE_IDS[c.service];
      assert.ok(serviceId, `unknown service ${c.service}`);
      const url = configuredEndpointUrl({
        serviceId,
        env,
        profile: c.profile,
        sharedConfig,
        ...(client.endpoint_url !== undefined ? { clientEndpoint: client.endpoint_url } : {}),
        ...(client.ignore_configured_endpoint_urls !== undefined
          ? { ignoreConfiguredEndpointUrls: client.ignore_configured_endpoint_urls }
          : {}),
      });
      if (c.output.endpointUrl === DEFAULT_S3) {
        // Needs the S3 ruleset; here: nothing configured wins over the rules.
        assert.equal(url, undefined);
        tally.rulesetOnly++;
      } else {
        assert.equal(url, c.output.endpointUrl);
      }
      tally.passed++;
    } catch (e) {
      tally.failed++;
      throw e;
    }
  });
}

// ---- the same cases through real clients ----

/** Records the request and fails it: nothing leaves the process. */
class NeverSends implements HttpHandler {
  request: HttpRequest | undefined;
  async handle(request: HttpRequest): Promise<never> {
    this.request = request;
    throw new Error("recorded, not sent");
  }
}

const clientTally = { passed: 0, failed: 0, defaultS3: 0 };
const dir = mkdtempSync(join(tmpdir(), "tsaws-configured-endpoints-"));

for (const { suite, c, key } of cases) {
  test(`configured endpoint ${key} through a ${c.service} client: ${c.name}`, async () => {
    try {
      const file = join(dir, `config-${key.replace(":", "-")}`);
      writeFileSync(file, configText(suite));
      const client = suite.client_configs[c.client_config];
      const env = suite.environments[c.environment];
      assert.ok(client && env, "unknown client config or environment");
      const session = new Session({ env, configFile: file, profile: c.profile });
      const handler = new NeverSends();
      const config = {
        httpHandler: handler,
        credentials: { accessKeyId: "AKIDCONFIG", secretAccessKey: "config-secret" },
        maxAttempts: 1,
        ...(client.endpoint_url !== undefined ? { endpoint: client.endpoint_url } : {}),
        ...(client.ignore_configured_endpoint_urls !== undefined
          ? { ignoreConfiguredEndpointUrls: client.ignore_configured_endpoint_urls }
          : {}),
      };
      let call: Promise<unknown>;
      if (c.service === "s3") {
        const s3 = session.client(S3, config);
        call = s3.listBuckets({});
      } else {
        assert.equal(c.service, "dynamodb");
        const ddb = session.client(DynamoDB, config);
        call = ddb.listTables({});
      }
      await assert.rejects(call, /recorded, not sent/);
      const r = handler.request;
      assert.ok(r, "no request was made");
      const url = `${r.protocol}//${r.hostname}${r.port !== undefined ? `:${r.port}` : ""}${r.path}`;
      assert.equal(url, `${c.output.endpointUrl.replace(/\/$/, "")}/`);
      if (c.output.endpointUrl === DEFAULT_S3) clientTally.defaultS3++;
      clientTally.passed++;
    } catch (e) {
      clientTally.failed++;
      throw e;
    }
  });
}

after(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `config configured-endpoint-urls (39 cases): ${tally.passed} passed, ${tally.failed} failed, 0 skipped ` +
      `(${tally.rulesetOnly} of the passes only assert "no configured endpoint"; the default S3 URL needs the endpoint ruleset)`,
  );
  console.log(
    `config configured-endpoint-urls through clients (39 cases): ${clientTally.passed} passed, ${clientTally.failed} failed, 0 skipped ` +
      `(${clientTally.defaultS3} of the passes resolve the default ${DEFAULT_S3} through the S3 rule set)`,
  );
});
