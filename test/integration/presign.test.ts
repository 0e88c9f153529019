// Presigned URLs (runtime/presign.ts) used by a plain HTTP client against s3rver behind the
// verifying proxy (test/support/sigv4-verify.ts: query signatures and expiry; s3rver itself
// checks neither): GET and PUT work without credentials, a tampered or expired URL is refused; the URL's form (query parameters, session token, no secret), the query
// protocol form (STS GetCallerIdentity as a GET), SigV4a for a multi-region access point, and
// the typed failures before signing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { S3, GetObject, PutObject } from "tsaws/s3";
import { STSClient, GetCallerIdentity } from "tsaws/sts";
import { presign, RequestFormError } from "tsaws";
import { startS3rver, S3RVER_CREDENTIALS, type LocalServer, assertAllSigned } from "../support/servers.ts";
import { verifySigV4, type SignedRequestParts } from "../support/sigv4-verify.ts";

let server: LocalServer;
let s3: S3;
const Bucket = "tsaws-presign";

before(async () => {
  server = await startS3rver();
  s3 = new S3({ region: "us-east-1", endpoint: server.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  await s3.createBucket({ Bucket });
  await s3.putObject({ Bucket, Key: "report.txt", Body: "quarterly numbers", ContentType: "text/plain" });
  await s3.putObject({ Bucket, Key: "private.txt", Body: "not for the holder" });
});

after(async () => {
  s3?.destroy();
  await server?.close();
});

test("a presigned GET fetches the object with no credentials; the URL carries the SigV4 query and no secret", async () => {
  const p = await presign(s3, GetObject, { Bucket, Key: "report.txt" }, { expiresIn: 600 });
  assert.equal(p.method, "GET");
  assert.deepEqual(p.headers, {});
  const url = new URL(p.url);
  assert.equal(url.origin + url.pathname, `${server.endpoint}/${Bucket}/report.txt`);
  assert.equal(url.searchParams.get("X-Amz-Algorithm"), "AWS4-HMAC-SHA256");
  assert.match(url.searchParams.get("X-Amz-Credential")!, /^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/);
  assert.equal(url.searchParams.get("X-Amz-Expires"), "600");
  assert.equal(url.searchParams.get("X-Amz-SignedHeaders"), "host");
  assert.match(url.searchParams.get("X-Amz-Signature")!, /^[0-9a-f]{64}$/);
  assert.ok(Math.abs(p.expiresAt.getTime() - (Date.now() + 600_000)) < 5_000);
  const res = await fetch(p.url);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "quarterly numbers");
  assert.ok(!p.url.includes("S3RVER/S3RVER") && !p.url.toLowerCase().includes("secret"));
});

test("a presigned PUT uploads with the signed Content-Type; the object reads back through the client", async () => {
  const p = await presign(s3, PutObject, { Bucket, Key: "upload.txt", ContentType: "text/csv" }, { expiresIn: 60 });
  assert.equal(p.method, "PUT");
  assert.deepEqual(p.headers, { "content-type": "text/csv" });
  assert.equal(new URL(p.url).searchParams.get("X-Amz-SignedHeaders"), "content-type;host");
  const res = await fetch(p.url, { method: p.method, headers: p.headers, body: "a,b\n1,2\n" });
  assert.equal(res.status, 200, await res.text());
  const got = await s3.getObject({ Bucket, Key: "upload.txt" });
  assert.equal(await got.Body!.transformToString(), "a,b\n1,2\n");
  assert.equal(got.ContentType, "text/csv");
});

test("a tampered URL and an expired URL are refused by the server", async () => {
  const p = await presign(s3, GetObject, { Bucket, Key: "report.txt" });
  // The URL of one object does not open another; a changed signature opens nothing.
  assert.equal((await fetch(p.url.replace(/report\.txt/, "private.txt"))).status, 403);
  const sig = new URL(p.url).searchParams.get("X-Amz-Signature")!;
  const flipped = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
  assert.equal((await fetch(p.url.replace(sig, flipped))).status, 403);
  assert.equal((await fetch(p.url)).status, 200);
  const past = new S3({
    region: "us-east-1",
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    clock: () => Date.now() - 2 * 3600_000,
  });
  const old = await presign(past, GetObject, { Bucket, Key: "report.txt" }, { expiresIn: 60 });
  const res = await fetch(old.url);
  assert.equal(res.status, 403);
  assert.match(await res.text(), /expired/i);
  assert.deepEqual(
    server.signatures!.refused.map((r) => r.reason.split(";")[0]),
    ["SignatureDoesNotMatch", "SignatureDoesNotMatch", "Request has expired"],
  );
  server.signatures!.refused.length = 0;
});

test("session credentials put X-Amz-Security-Token in the signed query", async () => {
  const withToken = new S3({
    region: "eu-west-1",
    forcePathStyle: false,
    credentials: { accessKeyId: "AKIDTEMP", secretAccessKey: "temp-secret", sessionToken: "token/with+chars=" },
  });
  const p = await presign(withToken, GetObject, { Bucket: "my-bucket", Key: "a b/c.txt" });
  const url = new URL(p.url);
  assert.equal(url.host, "my-bucket.s3.eu-west-1.amazonaws.com");
  assert.equal(url.pathname, "/a%20b/c.txt");
  assert.equal(url.searchParams.get("X-Amz-Security-Token"), "token/with+chars=");
  assert.equal(url.searchParams.get("X-Amz-Expires"), "3600");
  assert.ok(!p.url.includes("temp-secret"));
});

test("a query-protocol call presigns as a GET with its parameters in the query (STS GetCallerIdentity)", async () => {
  const sts = new STSClient({ region: "us-west-2", credentials: { accessKeyId: "AKIDSTS", secretAccessKey: "sts-secret" } });
  const p = await presign(sts, GetCallerIdentity, {}, { expiresIn: 60 });
  const url = new URL(p.url);
  assert.equal(p.method, "GET");
  assert.deepEqual(p.headers, {});
  assert.equal(url.host, "sts.us-west-2.amazonaws.com");
  assert.equal(url.searchParams.get("Action"), "GetCallerIdentity");
  assert.equal(url.searchParams.get("Version"), "2011-06-15");
  assert.match(url.searchParams.get("X-Amz-Credential")!, /^AKIDSTS\/\d{8}\/us-west-2\/sts\/aws4_request$/);
});

test("an S3 multi-region access point presigns with SigV4a: region-free scope, X-Amz-Region-Set, an ECDSA signature the tests' verifier accepts", async () => {
  // No server answers for the global MRAP host, so the URL goes to the verifier directly (the
  // proxy's code path, test/support/sigv4-verify.ts: the P-256 key derived from the secret).
  const mrap = new S3({ region: "us-east-1", credentials: S3RVER_CREDENTIALS });
  const p = await presign(mrap, GetObject, { Bucket: "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap", Key: "q1/report.txt" }, { expiresIn: 300 });
  mrap.destroy();
  const url = new URL(p.url);
  assert.equal(url.host, "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com");
  assert.equal(url.searchParams.get("X-Amz-Algorithm"), "AWS4-ECDSA-P256-SHA256");
  assert.equal(url.searchParams.get("X-Amz-Region-Set"), "*");
  assert.match(url.searchParams.get("X-Amz-Credential")!, /^S3RVER\/\d{8}\/s3\/aws4_request$/);
  assert.match(url.searchParams.get("X-Amz-Signature")!, /^30[0-9a-f]+$/); // DER
  const signed: SignedRequestParts = {
    method: p.method,
    path: url.pathname,
    query: p.url.slice(p.url.indexOf("?") + 1),
    headers: { ...p.headers, host: url.host },
    body: new Uint8Array(0),
  };
  const secrets = { S3RVER: "S3RVER" };
  assert.deepEqual(verifySigV4(signed, { secrets, now: Date.now() }), { ok: true, accessKeyId: "S3RVER" });
  assert.equal(verifySigV4({ ...signed, path: "/q1/other.txt" }, { secrets, now: Date.now() }).ok, false);
  assert.deepEqual(verifySigV4(signed, { secrets, now: Date.now() + 301_000 }), { ok: false, reason: "Request has expired" });
});

test("failures before signing are typed: a missing URI label, expiresIn out of range", async () => {
  await assert.rejects(presign(s3, GetObject, { Bucket, Key: "" }), RequestFormError);
  await assert.rejects(presign(s3, GetObject, { Bucket, Key: "k" }, { expiresIn: 604_801 }), RequestFormError);
  await assert.rejects(presign(s3, GetObject, { Bucket, Key: "k" }, { expiresIn: 0 }), RequestFormError);
});

test("apart from the three refused on purpose, every request verified", () => assertAllSigned(server, 6));
