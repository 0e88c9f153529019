// fromEnv: the variables botocore's EnvProvider reads, from an injected environment record.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CredentialsError } from "../../runtime/errors.js";
import { fromEnv } from "../../runtime/credentials/env.js";
import { isTryNext } from "../../runtime/credentials/types.js";

test("keys, session token, expiration and account", async () => {
  const creds = await fromEnv({
    env: {
      AWS_ACCESS_KEY_ID: "AKIDENV",
      AWS_SECRET_ACCESS_KEY: "env-secret",
      AWS_SESSION_TOKEN: "env-token",
      AWS_CREDENTIAL_EXPIRATION: "2030-01-02T03:04:05Z",
      AWS_ACCOUNT_ID: "123456789012",
    },
  })();
  assert.deepEqual(creds, {
    accessKeyId: "AKIDENV",
    secretAccessKey: "env-secret",
    sessionToken: "env-token",
    expiration: new Date("2030-01-02T03:04:05Z"),
    accountId: "123456789012",
  });
});

test("the legacy AWS_SECURITY_TOKEN is read when AWS_SESSION_TOKEN is not set", async () => {
  const creds = await fromEnv({
    env: { AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "S", AWS_SECURITY_TOKEN: "legacy" },
  })();
  assert.equal(creds.sessionToken, "legacy");
});

test("nothing set (or empty values) passes to the next provider", async () => {
  await assert.rejects(
    fromEnv({ env: {} })(),
    (e: unknown) =>
      isTryNext(e) && /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/.test((e as Error).message),
  );
  await assert.rejects(fromEnv({ env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" } })(), (e: unknown) =>
    isTryNext(e),
  );
});

test("half a key pair or a bad expiration is an error that names variables, not values", async () => {
  await assert.rejects(
    fromEnv({ env: { AWS_ACCESS_KEY_ID: "AKIDONLY" } })(),
    (e: unknown) =>
      e instanceof CredentialsError &&
      !isTryNext(e) &&
      /AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/.test(e.message) &&
      !e.message.includes("AKIDONLY"),
  );
  await assert.rejects(
    fromEnv({ env: { AWS_SECRET_ACCESS_KEY: "lonely-secret" } })(),
    (e: unknown) => e instanceof CredentialsError && !e.message.includes("lonely-secret"),
  );
  await assert.rejects(
    fromEnv({ env: { AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "S", AWS_CREDENTIAL_EXPIRATION: "soon" } })(),
    /not an ISO 8601/,
  );
});

test("the environment is read at call time, not at creation", async () => {
  const env: Record<string, string> = {};
  const provider = fromEnv({ env });
  env.AWS_ACCESS_KEY_ID = "LATE";
  env.AWS_SECRET_ACCESS_KEY = "late-secret";
  assert.equal((await provider()).accessKeyId, "LATE");
});
