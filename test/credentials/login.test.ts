// The shared login-provider cases (test/vendor/conformance/credentials/login-provider-test-cases.json,
// 8 cases). Each case's configContents becomes the config file and its cacheContents the token
// cache (AWS_LOGIN_CACHE_DIRECTORY); mockApiCalls become the expectations of a fake AWS Sign-In
// server that verifies the DPoP proof (ES256 over the request, key from the cache) and the JSON
// body. The clock is frozen at 2025-11-19T00:00:00Z (README: the refresh answers expiresIn 900 and
// expects expiresAt 2025-11-19T00:15:00Z). Credentials resolve through fromProfile("signin"), so the
// profile-to-login wiring is exercised too. Outcomes: credentials (all five fields), error, or the
// cache file's contents after a refresh.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { CredentialsError } from "../../runtime/errors.js";
import { fromProfile } from "../../runtime/credentials/profile.js";
import { startFakeSignin, tempDir } from "../support/fake-aws-servers.js";

interface LoginCase {
  documentation: string;
  configContents: string;
  cacheContents: Record<string, unknown>;
  mockApiCalls?: Array<{
    request: { tokenInput: Record<string, unknown> };
    response?: { tokenOutput: Record<string, unknown> };
    responseCode?: number;
  }>;
  outcomes: Array<Record<string, unknown> & { result: "credentials" | "error" | "cacheContents" }>;
}

const FILE = new URL("../vendor/conformance/credentials/login-provider-test-cases.json", import.meta.url);
const CASES = JSON.parse(readFileSync(FILE, "utf8")) as LoginCase[];
const EXPECTED_CASES = 8;
const NOW = Date.parse("2025-11-19T00:00:00Z");
const iso = (d: Date | undefined) => d?.toISOString().replace(/\.000Z$/, "Z");

const tally = { passed: 0, failed: 0 };

test("the suite holds the expected number of cases", () => {
  assert.equal(CASES.length, EXPECTED_CASES);
});

CASES.forEach((c, i) => {
  test(`login case ${i}: ${c.documentation}`, async () => {
    const signin = await startFakeSignin({ now: () => NOW });
    try {
      for (const call of c.mockApiCalls ?? []) {
        signin.expectations.push({
          tokenInput: call.request.tokenInput,
          ...(call.response ? { tokenOutput: call.response.tokenOutput } : {}),
          ...(call.responseCode !== undefined ? { responseCode: call.responseCode } : {}),
        });
      }
      const dir = tempDir({ config: c.configContents });
      const files = tempDir();
      for (const [name, content] of Object.entries(c.cacheContents)) {
        writeFileSync(join(files, name), JSON.stringify(content));
      }
      const env = {
        AWS_CONFIG_FILE: join(dir, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials-file"),
        AWS_LOGIN_CACHE_DIRECTORY: files,
        AWS_ENDPOINT_URL_SIGNIN: signin.url,
        HOME: dir,
      };
      const provider = fromProfile({ profile: "signin", env, now: () => NOW });
      let result: Awaited<ReturnType<typeof provider>> | undefined;
      let error: unknown;
      try {
        result = await provider();
      } catch (e) {
        error = e;
      }
      for (const outcome of c.outcomes) {
        if (outcome.result === "error") {
          assert.ok(
            error instanceof CredentialsError,
            `expected an error, got ${result ? "credentials" : String(error)}`,
          );
        } else if (outcome.result === "credentials") {
          assert.equal(error, undefined, `unexpected error: ${String(error)}`);
          assert.deepEqual(
            {
              accessKeyId: result!.accessKeyId,
              secretAccessKey: result!.secretAccessKey,
              sessionToken: result!.sessionToken,
              accountId: result!.accountId,
              expiresAt: iso(result!.expiration),
            },
            {
              accessKeyId: outcome.accessKeyId,
              secretAccessKey: outcome.secretAccessKey,
              sessionToken: outcome.sessionToken,
              accountId: outcome.accountId,
              expiresAt: outcome.expiresAt,
            },
          );
        } else {
          for (const [name, expected] of Object.entries(outcome)) {
            if (name === "result") continue;
            assert.deepEqual(JSON.parse(readFileSync(join(files, name), "utf8")), expected);
          }
        }
      }
      // The Sign-In service was called exactly as often as the case mocks, each time with a valid proof.
      assert.equal(signin.requests.length, (c.mockApiCalls ?? []).length);
      assert.ok(
        signin.dpopChecks.every((d) => d.ok),
        JSON.stringify(signin.dpopChecks),
      );
      tally.passed++;
    } catch (e) {
      tally.failed++;
      throw e;
    } finally {
      await signin.close();
    }
  });
});

after(() => {
  console.log(`credentials login-provider (8 cases): ${tally.passed} passed, ${tally.failed} failed, 0 skipped`);
});
