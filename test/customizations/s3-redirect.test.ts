// S3 region redirects (runtime/customizations/s3-region.ts and s3-redirect.ts) through the
// generated client with a recording transport answering as S3 does to a bucket in another
// region: 301 PermanentRedirect with x-amz-bucket-region, 400 AuthorizationHeaderMalformed with
// <Region>, a bare 400 to HeadObject (with or without the header; without, HeadBucket is asked).
// Each redirected request is checked for its host and its signature (scope region included).
import { test } from "node:test";
import assert from "node:assert/strict";
import { S3, ListObjectsV2 } from "tsaws/s3";
import { presign, ServiceError } from "tsaws";
import type { HttpRequest } from "../../runtime/http/types.js";
import { verifySigV4 } from "../support/sigv4-verify.ts";
import { CREDENTIALS, hermetic, recorder, type Reply } from "./support.ts";

const XML = { "content-type": "application/xml" };
const LISTING = { headers: XML, body: "<ListBucketResult><Name>my-bucket</Name><KeyCount>1</KeyCount></ListBucketResult>" };

function permanentRedirect(region: string | undefined, bucket = "my-bucket"): Reply {
  const headers: Record<string, string> = { ...XML, "x-amz-request-id": "R1" };
  if (region) headers["x-amz-bucket-region"] = region;
  return {
    status: 301,
    headers,
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message>` +
      `<Endpoint>${bucket}.s3.amazonaws.com</Endpoint><Bucket>${bucket}</Bucket><RequestId>R1</RequestId></Error>`,
  };
}

const malformed = (region?: string): Reply => ({
  status: 400,
  headers: XML,
  body:
    "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong</Message>" +
    (region ? `<Region>${region}</Region>` : "") +
    "<RequestId>R2</RequestId></Error>",
});

/** The region in the request's signature scope, after checking the signature as S3 would. */
function signedRegion(r: HttpRequest): string {
  const body = typeof r.body === "string" ? new TextEncoder().encode(r.body) : r.body instanceof Uint8Array ? r.body : new Uint8Array(0);
  const verdict = verifySigV4(
    { method: r.method, path: r.path, query: r.query, headers: r.headers, body },
    { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: Date.now() },
  );
  assert.deepEqual(verdict, { ok: true, accessKeyId: CREDENTIALS.accessKeyId });
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\/aws4_request/.exec(r.headers.authorization ?? "");
  assert.ok(scope, `no SigV4 scope in ${r.headers.authorization}`);
  return scope[1]!;
}

/** Answers `away` (the reply of the wrong region) to every request not sent to eu-west-1, `there` to the others. */
function s3Elsewhere(away: (r: HttpRequest) => Reply, there: (r: HttpRequest) => Reply = () => LISTING, config: Record<string, unknown> = {}) {
  const http = recorder((r) => (r.hostname.includes("eu-west-1") || signedRegionOf(r) === "eu-west-1" ? there(r) : away(r)));
  return { http, s3: new S3({ ...hermetic(http), ...config }) };
}

function signedRegionOf(r: HttpRequest): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(r.headers.authorization ?? "")?.[1];
}

test("S3 redirect: a 301 PermanentRedirect with x-amz-bucket-region is sent again to that region, signed for it; later calls go straight there", async () => {
  const { http, s3 } = s3Elsewhere(() => permanentRedirect("eu-west-1"));
  const out = await s3.listObjectsV2({ Bucket: "my-bucket" });
  assert.equal(out.KeyCount, 1);
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.equal(http.requests.length, 2);
  const [first, second] = http.requests as [HttpRequest, HttpRequest];
  assert.equal(signedRegion(first), "us-east-1");
  assert.equal(second.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  assert.equal(signedRegion(second), "eu-west-1");
  assert.equal(second.query, first.query);

  // The client remembers: the next call for my-bucket goes to eu-west-1 at once; another bucket does not.
  const again = await s3.listObjectsV2({ Bucket: "my-bucket", Prefix: "x" });
  assert.equal(again.KeyCount, 1);
  const third = http.requests[2]!;
  assert.equal(http.requests.length, 3);
  assert.equal(third.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  assert.equal(signedRegion(third), "eu-west-1");
  await assert.rejects(new S3(hermetic(recorder(() => permanentRedirect(undefined)))).listObjectsV2({ Bucket: "my-bucket" }), (e: unknown) => {
    return e instanceof ServiceError && e.code === "PermanentRedirect";
  }, "another client has its own cache (and with no region anywhere, the typed error)");
});

test("S3 redirect: 400 AuthorizationHeaderMalformed with <Region> in the body; without one, the typed error", async () => {
  const { http, s3 } = s3Elsewhere(() => malformed("eu-west-1"));
  assert.equal((await s3.listObjectsV2({ Bucket: "my-bucket" })).KeyCount, 1);
  assert.equal(http.requests.length, 2);
  assert.equal(http.requests[1]!.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  assert.equal(signedRegion(http.requests[1]!), "eu-west-1");

  const bare = s3Elsewhere(() => malformed(undefined));
  await assert.rejects(bare.s3.listObjectsV2({ Bucket: "my-bucket" }), (e: unknown) => e instanceof ServiceError && e.code === "AuthorizationHeaderMalformed");
  assert.equal(bare.http.requests.length, 1, "no HeadBucket, no second request");
});

test("S3 redirect: HeadObject's bare 400 with x-amz-bucket-region", async () => {
  const { http, s3 } = s3Elsewhere(
    () => ({ status: 400, headers: { "x-amz-bucket-region": "eu-west-1" } }),
    () => ({ headers: { "content-length": "3", etag: '"e1"' } }),
  );
  const out = await s3.headObject({ Bucket: "my-bucket", Key: "k" });
  assert.equal(out.ETag, '"e1"');
  assert.equal(http.requests.length, 2);
  assert.equal(http.requests[1]!.method, "HEAD");
  assert.equal(http.requests[1]!.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  assert.equal(http.requests[1]!.path, "/k");
  assert.equal(signedRegion(http.requests[1]!), "eu-west-1");
});

test("S3 redirect: no region in the answer: HeadBucket is asked (its 301 names the region), then the call goes there", async () => {
  const { http, s3 } = s3Elsewhere(
    (r) => (r.path === "/" && r.method === "HEAD" ? { status: 301, headers: { "x-amz-bucket-region": "eu-west-1" } } : { status: 400, headers: {} }),
    () => ({ headers: { etag: '"e2"' } }),
  );
  const out = await s3.headObject({ Bucket: "my-bucket", Key: "k" });
  assert.equal(out.ETag, '"e2"');
  const [head, bucket, moved] = http.requests as [HttpRequest, HttpRequest, HttpRequest];
  assert.equal(http.requests.length, 3);
  assert.equal(head.path, "/k");
  assert.equal(bucket.method, "HEAD");
  assert.equal(bucket.path, "/");
  assert.equal(bucket.hostname, "my-bucket.s3.us-east-1.amazonaws.com");
  assert.equal(moved.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  assert.equal(moved.path, "/k");
  assert.equal(signedRegion(moved), "eu-west-1");

  // HeadBucket finds nothing either: the original error, after that one HeadBucket.
  const lost = s3Elsewhere(() => ({ status: 400, headers: {} }));
  await assert.rejects(lost.s3.headObject({ Bucket: "my-bucket", Key: "k" }), (e: unknown) => e instanceof ServiceError && e.$metadata.httpStatusCode === 400);
  assert.deepEqual(
    lost.http.requests.map((r) => `${r.method} ${r.path}`),
    ["HEAD /k", "HEAD /"],
  );
});

test("S3 redirect: once only: a second redirect is returned as the typed error", async () => {
  // us-east-1 says eu-west-1, which says us-west-2 (which would answer): the second redirect is not followed.
  const http = recorder((r) =>
    r.hostname.includes("us-west-2") ? LISTING : permanentRedirect(r.hostname.includes("eu-west-1") ? "us-west-2" : "eu-west-1"),
  );
  const s3 = new S3(hermetic(http));
  await assert.rejects(s3.listObjectsV2({ Bucket: "my-bucket" }), (e: unknown) => e instanceof ServiceError && e.code === "PermanentRedirect" && e.$metadata.httpStatusCode === 301);
  assert.equal(http.requests.length, 2);
  assert.equal(http.requests[1]!.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  // The remembered region that answers with a redirect again is forgotten: the next call starts from the client's region.
  await assert.rejects(s3.listObjectsV2({ Bucket: "my-bucket" }));
  assert.equal(http.requests[2]!.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  await assert.rejects(s3.listObjectsV2({ Bucket: "my-bucket" }));
  assert.equal(http.requests[3]!.hostname, "my-bucket.s3.us-east-1.amazonaws.com");
});

test("S3 redirect: ARNs (access points) are not redirected; nor a region that is the client's, or not a region name", async () => {
  const http = recorder(() => permanentRedirect("eu-west-1"));
  const s3 = new S3(hermetic(http, "us-west-2"));
  await assert.rejects(s3.listObjectsV2({ Bucket: "arn:aws:s3:us-west-2:123456789012:accesspoint/myap" }), (e: unknown) => e instanceof ServiceError && e.code === "PermanentRedirect");
  assert.equal(http.requests.length, 1);
  assert.equal(http.requests[0]!.hostname, "myap-123456789012.s3-accesspoint.us-west-2.amazonaws.com");

  for (const region of ["us-east-1", "evil.example.com/x"]) {
    const same = recorder(() => permanentRedirect(region));
    await assert.rejects(new S3(hermetic(same)).listObjectsV2({ Bucket: "my-bucket" }), (e: unknown) => e instanceof ServiceError && e.code === "PermanentRedirect");
    assert.equal(same.requests.length, 1, region);
  }
});

test("S3 redirect: IllegalLocationConstraintException redirects, except for CreateBucket", async () => {
  const ilce: Reply = {
    status: 400,
    headers: { ...XML, "x-amz-bucket-region": "eu-west-1" },
    body: "<Error><Code>IllegalLocationConstraintException</Code><Message>opt-in region</Message></Error>",
  };
  const { http, s3 } = s3Elsewhere(() => ilce, () => ({ headers: XML, body: "" }));
  await s3.putBucketTagging({ Bucket: "my-bucket", Tagging: { TagSet: [] } });
  assert.equal(http.requests.length, 2);
  assert.equal(http.requests[1]!.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");

  const create = s3Elsewhere(() => ilce);
  await assert.rejects(create.s3.createBucket({ Bucket: "other-bucket" }), (e: unknown) => e instanceof ServiceError && e.code === "IllegalLocationConstraintException");
  assert.equal(create.http.requests.length, 1);
});

test("S3 redirect: a streamed body is not sent again (the typed error); bytes are", async () => {
  const { http, s3 } = s3Elsewhere(() => permanentRedirect("eu-west-1"), () => ({ headers: { etag: '"p"' } }));
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode("hello"));
      c.close();
    },
  });
  await assert.rejects(
    s3.putObject({ Bucket: "my-bucket", Key: "k", Body: stream, ContentLength: 5 }),
    (e: unknown) => e instanceof ServiceError && e.code === "PermanentRedirect",
  );
  assert.equal(http.requests.length, 1);
  const out = await s3.putObject({ Bucket: "my-bucket", Key: "k", Body: "hello" });
  assert.equal(out.ETag, '"p"');
  assert.equal(http.requests.length, 3);
  assert.equal(http.requests[2]!.hostname, "my-bucket.s3.eu-west-1.amazonaws.com");
  assert.equal(signedRegion(http.requests[2]!), "eu-west-1");
});

test("S3 redirect: a custom endpoint is kept (path style too), the request signed for the bucket's region", async () => {
  const http = recorder((r) => (signedRegionOf(r) === "eu-west-1" ? LISTING : malformed("eu-west-1")));
  const s3 = new S3({ ...hermetic(http), endpoint: "http://127.0.0.1:4566", forcePathStyle: true });
  assert.equal((await s3.listObjectsV2({ Bucket: "my-bucket" })).KeyCount, 1);
  const moved = http.requests[1]!;
  assert.equal(http.requests.length, 2);
  assert.equal(moved.hostname, "127.0.0.1");
  assert.equal(moved.port, 4566);
  assert.equal(moved.path, "/my-bucket/");
  assert.equal(signedRegion(moved), "eu-west-1");
});

test("S3 redirect: the error and the log carry no secret", async () => {
  const lines: string[] = [];
  const http = recorder(() => permanentRedirect("eu-west-1"));
  const s3 = new S3({ ...hermetic(http), logger: { debug: (m) => lines.push(m) } });
  const error = await s3.listObjectsV2({ Bucket: "my-bucket" }).catch((e: unknown) => e);
  assert.ok(error instanceof ServiceError);
  assert.match(lines.join("\n"), /bucket my-bucket is in eu-west-1/);
  const seen = `${String(error)} ${error.stack} ${JSON.stringify(error)} ${lines.join(" ")}`;
  assert.ok(!seen.includes(CREDENTIALS.secretAccessKey));
  assert.ok(!seen.includes("Signature="));
});

test("S3 redirect: presign does not redirect (nothing is sent)", async () => {
  const http = recorder(() => permanentRedirect("eu-west-1"));
  const s3 = new S3(hermetic(http));
  const { url } = await presign(s3, ListObjectsV2, { Bucket: "my-bucket" });
  assert.equal(new URL(url).hostname, "my-bucket.s3.us-east-1.amazonaws.com");
  assert.equal(http.requests.length, 0);
});

test("S3 redirect: accelerate and dual-stack are kept; an S3 Express bucket is redirected like any other (as botocore), to that region's zonal endpoint", async () => {
  const accel = recorder((r) => (signedRegionOf(r) === "eu-west-1" ? LISTING : permanentRedirect("eu-west-1")));
  const fast = new S3({ ...hermetic(accel), useAccelerateEndpoint: true, useDualstackEndpoint: true });
  assert.equal((await fast.listObjectsV2({ Bucket: "my-bucket" })).KeyCount, 1);
  assert.equal(accel.requests.length, 2);
  assert.equal(accel.requests[0]!.hostname, "my-bucket.s3-accelerate.dualstack.amazonaws.com");
  assert.equal(accel.requests[1]!.hostname, "my-bucket.s3-accelerate.dualstack.amazonaws.com");
  assert.equal(signedRegion(accel.requests[1]!), "eu-west-1");

  const express = recorder((r) => (r.hostname.includes("us-west-2") ? LISTING : permanentRedirect("us-west-2", "my-bucket--usw2-az1--x-s3")));
  const s3 = new S3(hermetic(express));
  assert.equal((await s3.listObjectsV2({ Bucket: "my-bucket--usw2-az1--x-s3" })).KeyCount, 1);
  assert.equal(express.requests.length, 2);
  assert.equal(express.requests[1]!.hostname, "my-bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com");
});

test("the client a redirect makes shares the caller's connections and credentials (default transport, default credentials chain)", async () => {
  const { startFaultServer } = await import("../support/fault-server.ts");
  const { Session } = await import("tsaws");
  const server = await startFaultServer({ script: [permanentRedirect("eu-west-1"), LISTING, LISTING] });
  // Credentials from the session's chain (its environment), not given to the client.
  const session = new Session({ env: { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey } });
  const s3 = new S3({ session, region: "us-east-1", endpoint: server.url, forcePathStyle: true, maxAttempts: 1 });
  try {
    await s3.listObjectsV2({ Bucket: "my-bucket" });
    await s3.listObjectsV2({ Bucket: "my-bucket" });
    assert.equal(server.requests.length, 3);
    // The first request and both resends (signed for eu-west-1) came on one kept-alive connection.
    assert.deepEqual(server.requests.map((r) => r.connection), [1, 1, 1]);
    assert.deepEqual(server.requests.map((r) => /Credential=[^/]+\/\d+\/([^/]+)\//.exec(r.headers.authorization ?? "")?.[1]), ["us-east-1", "eu-west-1", "eu-west-1"]);
  } finally {
    s3.destroy();
    await server.close();
  }
});
