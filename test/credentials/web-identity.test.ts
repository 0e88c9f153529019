// fromWebIdentity from the environment (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN,
// AWS_ROLE_SESSION_NAME) against the fake STS: unsigned AssumeRoleWithWebIdentity, the token file
// re-read on each call, IDPCommunicationError retried, and the errors.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fromWebIdentity } from "../../runtime/credentials/web-identity.js";
import { StsError } from "../../runtime/credentials/sts.js";
import { isTryNext } from "../../runtime/credentials/types.js";
import { startFakeSts, tempDir, type FakeSts } from "../support/fake-aws-servers.js";

const ROLE = "arn:aws:iam::123456789012:role/irsa";
const NOW = Date.parse("2025-02-02T00:00:00Z");
let sts: FakeSts;
before(async () => {
  sts = await startFakeSts({ now: () => NOW, roles: { [ROLE]: { webIdentityToken: "jwt-1" } } });
});
after(() => sts.close());

test("environment variables, unsigned call, token re-read on every call", async () => {
  const dir = tempDir({ token: "jwt-1" });
  const env = {
    AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, "token"),
    AWS_ROLE_ARN: ROLE,
    AWS_ROLE_SESSION_NAME: "my-pod",
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_REGION: "ca-central-1",
  };
  const provider = fromWebIdentity({ env, now: () => NOW });
  const creds = await provider();
  const call = sts.calls.at(-1)!;
  assert.equal(call.action, "AssumeRoleWithWebIdentity");
  assert.equal(call.signedBy, undefined);
  assert.equal(sts.requests.at(-1)!.headers.authorization, undefined);
  assert.deepEqual(
    {
      RoleArn: call.params.RoleArn,
      RoleSessionName: call.params.RoleSessionName,
      WebIdentityToken: call.params.WebIdentityToken,
    },
    { RoleArn: ROLE, RoleSessionName: "my-pod", WebIdentityToken: "jwt-1" },
  );
  assert.equal(creds.accountId, "123456789012");
  assert.equal(creds.expiration?.getTime(), NOW + 3600_000);
  writeFileSync(join(dir, "token"), "jwt-2");
  await assert.rejects(provider(), (e: unknown) => e instanceof StsError && e.code === "InvalidIdentityToken");
  assert.equal(sts.calls.at(-1)!.params.WebIdentityToken, "jwt-2");
});

test("IDPCommunicationError is retried", async () => {
  const dir = tempDir({ token: "jwt-1" });
  sts.failures.push({ status: 400, code: "IDPCommunicationError", message: "try again" });
  const before = sts.calls.length;
  const creds = await fromWebIdentity({
    env: { AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, "token"), AWS_ROLE_ARN: ROLE, AWS_ENDPOINT_URL_STS: sts.url },
  })();
  assert.ok(sts.issued.has(creds.accessKeyId));
  assert.equal(sts.calls.length - before, 2);
  assert.match(sts.calls.at(-1)!.params.RoleSessionName!, /^tsaws-session-\d+$/);
});

test("not configured passes; a token file without a role, or a missing file, is an error", async () => {
  await assert.rejects(fromWebIdentity({ env: {} })(), (e: unknown) => isTryNext(e));
  await assert.rejects(fromWebIdentity({ env: { AWS_WEB_IDENTITY_TOKEN_FILE: "/x" } })(), /no role ARN/);
  await assert.rejects(
    fromWebIdentity({ env: { AWS_WEB_IDENTITY_TOKEN_FILE: "/nonexistent/token", AWS_ROLE_ARN: ROLE } })(),
    /Unable to read the web identity token file/,
  );
});
