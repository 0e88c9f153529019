// Presigned POST forms (runtime/presign-post.ts): the policy and its signature recomputed here
// with node:crypto; the session token, `${filename}` keys and the caller's fields and
// conditions in the policy; the URL for each addressing form; a real form upload to s3rver
// through a POST-policy verifier (test/support/post-policy-verify.ts: s3rver takes POST uploads
// but checks neither the policy, nor its signature, nor its expiry), which refuses an expired
// policy, a changed field, a wrong signature, a file too large and a field the policy does not
// name; and the typed failures before signing, with no secret in them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { S3 } from "tsaws/s3";
import { DynamoDBClient } from "tsaws/dynamodb";
import { presignPost, ConfigError, RequestFormError, type PresignedPost } from "tsaws";
import { startS3rver, S3RVER_CREDENTIALS, type LocalServer } from "../support/servers.ts";
import { startPostPolicyProxy, type PostPolicyProxy } from "../support/post-policy-verify.ts";

let server: LocalServer;
let proxy: PostPolicyProxy;
let s3: S3;
const Bucket = "tsaws-post";

before(async () => {
  server = await startS3rver();
  proxy = await startPostPolicyProxy(server.endpoint, { [S3RVER_CREDENTIALS.accessKeyId]: S3RVER_CREDENTIALS.secretAccessKey });
  s3 = new S3({ region: "us-east-1", endpoint: proxy.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  await s3.createBucket({ Bucket });
});

after(async () => {
  s3?.destroy();
  await proxy?.close();
  await server?.close();
});

/** Posts the form as a browser does: the fields, then the file. */
function post(p: PresignedPost, content: string, fields: Record<string, string> = p.fields, filename = "local.txt"): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([content], { type: "text/plain" }), filename);
  return fetch(p.url, { method: "POST", body: form });
}

const decode = (policy: string): { expiration: string; conditions: unknown[] } => JSON.parse(Buffer.from(policy, "base64").toString("utf8"));

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
const NOW = Date.UTC(2026, 4, 17, 9, 30, 15, 250);

test("the policy and its signature, recomputed with node:crypto: conditions in order, the session token, the client's clock", async () => {
  const client = new S3({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: TOKEN },
    clock: () => NOW,
  });
  const p = await presignPost(client, {
    Bucket: "photos",
    Key: "user/1/avatar.png",
    Fields: { acl: "public-read", "Content-Type": "image/png" },
    Conditions: [["content-length-range", 1, 1_000_000], ["starts-with", "$Content-Type", "image/"]],
    expiresIn: 900,
  });
  assert.equal(p.url, "https://photos.s3.eu-west-1.amazonaws.com/");
  assert.equal(p.expiresAt.getTime(), NOW + 900_000);
  const credential = "AKIDEXAMPLE/20260517/eu-west-1/s3/aws4_request";
  const policy = decode(p.fields.policy!);
  assert.deepEqual(policy, {
    expiration: "2026-05-17T09:45:15Z",
    conditions: [
      ["content-length-range", 1, 1_000_000],
      ["starts-with", "$Content-Type", "image/"],
      { acl: "public-read" },
      { "Content-Type": "image/png" },
      { bucket: "photos" },
      { key: "user/1/avatar.png" },
      { "x-amz-algorithm": "AWS4-HMAC-SHA256" },
      { "x-amz-credential": credential },
      { "x-amz-date": "20260517T093015Z" },
      { "x-amz-security-token": TOKEN },
    ],
  });
  const h = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();
  const signingKey = h(h(h(h(`AWS4${SECRET}`, "20260517"), "eu-west-1"), "s3"), "aws4_request");
  assert.deepEqual(p.fields, {
    acl: "public-read",
    "Content-Type": "image/png",
    key: "user/1/avatar.png",
    "x-amz-algorithm": "AWS4-HMAC-SHA256",
    "x-amz-credential": credential,
    "x-amz-date": "20260517T093015Z",
    "x-amz-security-token": TOKEN,
    policy: p.fields.policy,
    "x-amz-signature": createHmac("sha256", signingKey).update(p.fields.policy!).digest("hex"),
  });
  assert.ok(!JSON.stringify(p).includes(SECRET));
  // Without a session token there is no token field and no token condition.
  const plain = await presignPost(new S3({ region: "eu-west-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET }, clock: () => NOW }), {
    Bucket: "photos",
    Key: "k",
  });
  assert.equal(plain.fields["x-amz-security-token"], undefined);
  assert.equal(decode(plain.fields.policy!).expiration, "2026-05-17T10:30:15Z"); // 3600 s by default
  assert.ok(!plain.fields.policy!.includes("security-token") && !Buffer.from(plain.fields.policy!, "base64").toString().includes("security-token"));
});

test("the URL follows the endpoint rules: virtual host, path style, custom endpoint, accelerate, dual-stack and FIPS", async () => {
  const credentials = { accessKeyId: "AKID", secretAccessKey: "s" };
  const url = async (config: Record<string, unknown>, bucket = "my-bucket"): Promise<string> =>
    (await presignPost(new S3({ region: "us-west-2", credentials, ...config }), { Bucket: bucket, Key: "k" })).url;
  assert.equal(await url({}), "https://my-bucket.s3.us-west-2.amazonaws.com/");
  assert.equal(await url({ forcePathStyle: true }), "https://s3.us-west-2.amazonaws.com/my-bucket");
  // A bucket name that is no DNS label goes path style by itself, as with send.
  assert.equal(await url({}, "My_Bucket"), "https://s3.us-west-2.amazonaws.com/My_Bucket");
  assert.equal(await url({ endpoint: "http://127.0.0.1:9000", forcePathStyle: true }), "http://127.0.0.1:9000/my-bucket");
  assert.equal(await url({ endpoint: "https://minio.example.com" }), "https://my-bucket.minio.example.com/");
  assert.equal(await url({ useAccelerateEndpoint: true }), "https://my-bucket.s3-accelerate.amazonaws.com/");
  assert.equal(await url({ useDualstackEndpoint: true }), "https://my-bucket.s3.dualstack.us-west-2.amazonaws.com/");
  assert.equal(await url({ useFipsEndpoint: true }), "https://my-bucket.s3-fips.us-west-2.amazonaws.com/");
});

test("a form posted with the url and fields uploads the object to s3rver; the verifier accepted it", async () => {
  const before = proxy.verified;
  const p = await presignPost(s3, {
    Bucket,
    Key: "forms/hello.txt",
    Fields: { "x-amz-meta-origin": "browser" },
    Conditions: [["content-length-range", 0, 1024]],
    expiresIn: 120,
  });
  assert.equal(p.url, `${proxy.endpoint}/${Bucket}`);
  const res = await post(p, "hello from a form");
  assert.equal(res.status, 204, await res.text());
  assert.equal(proxy.verified, before + 1);
  const got = await s3.getObject({ Bucket, Key: "forms/hello.txt" });
  assert.equal(await got.Body!.transformToString(), "hello from a form");
  assert.equal(got.Metadata?.origin, "browser");
});

test("a ${filename} key is a starts-with condition on its prefix; the form uploads", async () => {
  const p = await presignPost(s3, { Bucket, Key: "inbox/${filename}" });
  assert.equal(p.fields.key, "inbox/${filename}");
  const conditions = decode(p.fields.policy!).conditions;
  assert.deepEqual(conditions.slice(0, 2), [{ bucket: Bucket }, ["starts-with", "$key", "inbox/"]]);
  assert.ok(!conditions.some((c) => !Array.isArray(c) && typeof c === "object" && c !== null && "key" in c));
  const res = await post(p, "any name", p.fields, "notes.txt");
  assert.equal(res.status, 204, await res.text());
  // s3rver stores the key as sent (S3 puts the file's name in place of ${filename}).
  const got = await s3.getObject({ Bucket, Key: "inbox/${filename}" });
  assert.equal(await got.Body!.transformToString(), "any name");
});

test("the verifier refuses an expired policy, a changed field, a wrong signature, a file too large and an unnamed field", async () => {
  const refusal = async (res: Response, pattern: RegExp): Promise<void> => {
    assert.equal(res.status, 403);
    assert.match(await res.text(), pattern);
  };
  const past = new S3({ region: "us-east-1", endpoint: proxy.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, clock: () => Date.now() - 2 * 3600_000 });
  const old = await presignPost(past, { Bucket, Key: "late.txt", expiresIn: 60 });
  await refusal(await post(old, "late"), /Policy expired/);

  const p = await presignPost(s3, { Bucket, Key: "guarded.txt", Conditions: [["content-length-range", 1, 8]] });
  await refusal(await post(p, "x", { ...p.fields, key: "elsewhere.txt" }), /Condition failed.*"key"/);
  const sig = p.fields["x-amz-signature"]!;
  await refusal(await post(p, "x", { ...p.fields, "x-amz-signature": sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0") }), /SignatureDoesNotMatch/);
  await refusal(await post(p, "nine byte"), /content-length-range/);
  await refusal(await post(p, "x", { ...p.fields, acl: "public-read" }), /Extra input fields: acl/);
  // x-ignore-* fields need no condition; the form as given still uploads.
  assert.equal((await post(p, "ok", { ...p.fields, "x-ignore-note": "n" })).status, 204);
  await assert.rejects(s3.getObject({ Bucket, Key: "elsewhere.txt" }), (e: Error) => e.name === "NoSuchKey");
});

test("typed failures before signing, with no secret in them", async () => {
  const credentials = { accessKeyId: "AKID", secretAccessKey: SECRET, sessionToken: TOKEN };
  const client = new S3({ region: "us-east-1", credentials });
  const refused = async (promise: Promise<unknown>, type: typeof RequestFormError | typeof ConfigError, pattern: RegExp): Promise<void> => {
    await assert.rejects(promise, (e: Error) => {
      assert.ok(e instanceof type, `${e.name}: ${e.message}`);
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes(SECRET) && !e.message.includes(TOKEN));
      return true;
    });
  };
  for (const expiresIn of [0, 604801, 1.5]) {
    await refused(presignPost(client, { Bucket: "b", Key: "k", expiresIn }), RequestFormError, /expiresIn must be a whole number of seconds from 1 to 604800/);
  }
  assert.equal((await presignPost(client, { Bucket: "b", Key: "k", expiresIn: 604800 })).expiresAt.getTime() - Date.now() > 604000_000, true);
  await refused(presignPost(client, { Bucket: "b", Key: "" }), RequestFormError, /Key is required/);
  await refused(presignPost(client, { Bucket: "", Key: "k" }), RequestFormError, /Bucket is required/);
  await refused(presignPost(client, { Bucket: "b", Key: "k", Fields: { Policy: "mine" } }), RequestFormError, /field Policy is set by presignPost/);
  await refused(presignPost(client, { Bucket: "b", Key: "k", Fields: { "X-Amz-Security-Token": "t" } }), RequestFormError, /is set by presignPost/);
  const bad = [["content-length-range", 10, 1]] as unknown as [];
  await refused(presignPost(client, { Bucket: "b", Key: "k", Conditions: bad }), RequestFormError, /Conditions\[0\]: content-length-range/);
  const unknownOp = [["ends-with", "$key", "x"]] as unknown as [];
  await refused(presignPost(client, { Bucket: "b", Key: "k", Conditions: unknownOp }), RequestFormError, /unknown operator "ends-with"/);
  const noDollar = [["eq", "key", "x"]] as unknown as [];
  await refused(presignPost(client, { Bucket: "b", Key: "k", Conditions: noDollar }), RequestFormError, /eq takes a "\$field" name/);
  const ddb = new DynamoDBClient({ region: "us-east-1", credentials });
  await refused(presignPost(ddb as unknown as S3, { Bucket: "b", Key: "k" }), ConfigError, /S3 upload forms: a DynamoDB client cannot/);
  ddb.destroy();
});
