// fromInstanceMetadata and regionFromImds against a fake IMDS: the IMDSv2 token flow (PUT with the
// TTL header, GETs with the token), IMDSv1 fallback when the token PUT is refused (and its opt-out),
// a new token after a 401, retries on 5xx, AWS_EC2_METADATA_DISABLED, the endpoint override, and
// static stability for expired credentials. No request ever leaves 127.0.0.1.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CredentialsError } from "../../runtime/errors.js";
import { fromInstanceMetadata, regionFromImds } from "../../runtime/credentials/imds.js";
import { isTryNext } from "../../runtime/credentials/types.js";
import { startFakeImds, type FakeImds } from "../support/fake-aws-servers.js";

const CREDS = {
  AccessKeyId: "ASIAIMDS",
  SecretAccessKey: "imds-secret",
  Token: "imds-session",
  Expiration: "2030-01-01T00:00:00Z",
};
let v2: FakeImds;
let v1: FakeImds;
let bare: FakeImds;

before(async () => {
  v2 = await startFakeImds({ role: "web-role", credentials: CREDS, region: "eu-west-3", mode: "v2" });
  v1 = await startFakeImds({ role: "web-role", credentials: CREDS, availabilityZone: "ap-south-1b", mode: "v1-only" });
  bare = await startFakeImds({ mode: "v2" });
});
after(async () => {
  await v2.close();
  await v1.close();
  await bare.close();
});

const env = (server: FakeImds, extra: Record<string, string> = {}) => ({
  AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url,
  ...extra,
});

test("IMDSv2: token PUT, role name, role credentials", async () => {
  const before = v2.requests.length;
  const creds = await fromInstanceMetadata({ env: env(v2) })();
  assert.deepEqual(creds, {
    accessKeyId: "ASIAIMDS",
    secretAccessKey: "imds-secret",
    sessionToken: "imds-session",
    expiration: new Date("2030-01-01T00:00:00Z"),
  });
  const reqs = v2.requests.slice(before);
  assert.deepEqual(
    reqs.map((r) => `${r.method} ${r.path}`),
    [
      "PUT /latest/api/token",
      "GET /latest/meta-data/iam/security-credentials/",
      "GET /latest/meta-data/iam/security-credentials/web-role",
    ],
  );
  assert.equal(reqs[0]!.headers["x-aws-ec2-metadata-token-ttl-seconds"], "21600");
  const token = v2.tokens.at(-1)!;
  assert.ok(reqs.slice(1).every((r) => r.headers["x-aws-ec2-metadata-token"] === token));
});

test("5xx answers are retried; a 401 (expired token) fetches a new token", async () => {
  const provider = fromInstanceMetadata({ env: env(v2), retryDelayMs: () => 1 });
  v2.failNext = 2;
  const before = v2.requests.length;
  assert.equal((await provider()).accessKeyId, "ASIAIMDS");
  assert.equal(v2.requests.length - before, 5);
  const shortLived = await startFakeImds({ role: "web-role", credentials: CREDS, tokenUses: 1 });
  try {
    assert.equal(
      (await fromInstanceMetadata({ env: env(shortLived), retryDelayMs: () => 1 })()).accessKeyId,
      "ASIAIMDS",
    );
    assert.deepEqual(
      shortLived.requests.map((r) => `${r.method} ${r.path} ${r.headers["x-aws-ec2-metadata-token"] ?? "-"}`),
      [
        "PUT /latest/api/token -",
        "GET /latest/meta-data/iam/security-credentials/ imds-token-1",
        "GET /latest/meta-data/iam/security-credentials/web-role imds-token-1",
        "PUT /latest/api/token -",
        "GET /latest/meta-data/iam/security-credentials/web-role imds-token-2",
      ],
    );
  } finally {
    await shortLived.close();
  }
});

test("IMDSv1 fallback when the token PUT is refused, unless v1 is disabled", async () => {
  const creds = await fromInstanceMetadata({ env: env(v1) })();
  assert.equal(creds.accessKeyId, "ASIAIMDS");
  assert.equal(v1.requests.at(-1)!.headers["x-aws-ec2-metadata-token"], undefined);
  await assert.rejects(
    fromInstanceMetadata({ env: env(v1, { AWS_EC2_METADATA_V1_DISABLED: "true" }) })(),
    (e: unknown) => e instanceof CredentialsError && !isTryNext(e) && /IMDSv1 fallback is disabled/.test(e.message),
  );
});

test("no role attached, disabled, or nobody answering: the chain moves on", async () => {
  await assert.rejects(
    fromInstanceMetadata({ env: env(bare) })(),
    (e: unknown) => isTryNext(e) && /no IAM role/.test((e as Error).message),
  );
  await assert.rejects(
    fromInstanceMetadata({ env: { AWS_EC2_METADATA_DISABLED: "TRUE" } })(),
    (e: unknown) => isTryNext(e) && /disabled/.test((e as Error).message),
  );
  const closed = await startFakeImds({ mode: "v2" });
  const url = closed.url;
  await closed.close();
  await assert.rejects(
    fromInstanceMetadata({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: url }, maxAttempts: 2, retryDelayMs: () => 1 })(),
    (e: unknown) => isTryNext(e) && /no answer from/.test((e as Error).message),
  );
});

test("expired credentials are extended by 5 to 10 minutes (static stability)", async () => {
  const stale = await startFakeImds({ role: "r", credentials: { ...CREDS, Expiration: "2020-01-01T00:00:00Z" } });
  try {
    const now = Date.parse("2025-06-01T00:00:00Z");
    const creds = await fromInstanceMetadata({ env: env(stale), now: () => now, random: () => 0.5 })();
    assert.equal(creds.expiration?.getTime(), now + 450_000);
  } finally {
    await stale.close();
  }
});

test("regionFromImds: placement/region, else the availability zone without its letter", async () => {
  assert.equal(await regionFromImds({ env: env(v2) }), "eu-west-3");
  assert.equal(await regionFromImds({ env: env(v1) }), "ap-south-1");
  assert.equal(await regionFromImds({ env: { AWS_EC2_METADATA_DISABLED: "true" } }), undefined);
});
