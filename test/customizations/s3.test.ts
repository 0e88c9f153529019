// S3's customizations (runtime/customizations/s3.ts) through the generated client with a
// recording transport: SSE-C keys (base64 and MD5 checked against node:crypto, on every
// operation that carries a key, and presigned), URL-encoded listings decoded (keys with spaces,
// `+`, `%`, unicode and a control character) across paginated pages, and the Expect header.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { S3, GetObject, PutObject } from "tsaws/s3";
import { presign, RequestFormError } from "tsaws";
import { hermetic, recorder, type Reply } from "./support.ts";
import { urlDecode } from "../../runtime/customizations/s3.ts";

const XML = { "content-type": "application/xml" };
const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 3) & 0xff);
const b64 = (b: Uint8Array | string): string => Buffer.from(b).toString("base64");
const md5b64 = (b: Uint8Array | string): string => createHash("md5").update(b).digest("base64");

function s3With(reply?: Parameters<typeof recorder>[0]) {
  const http = recorder(reply ?? (() => ({ headers: XML, body: "" })));
  return { http, s3: new S3({ ...hermetic(http), forcePathStyle: true }) };
}

const SSE = "x-amz-server-side-encryption-customer-key";
const COPY_SSE = "x-amz-copy-source-server-side-encryption-customer-key";

test("SSE-C: a key as bytes is sent base64-encoded with the base64 MD5 of the raw key; the caller's input is untouched", async () => {
  const { http, s3 } = s3With();
  const input = { Bucket: "b", Key: "k", Body: "x", SSECustomerAlgorithm: "AES256", SSECustomerKey: KEY };
  await s3.putObject(input);
  const h = http.only().headers;
  assert.equal(h[SSE], b64(KEY));
  assert.equal(h[`${SSE}-md5`], md5b64(KEY));
  assert.equal(h["x-amz-server-side-encryption-customer-algorithm"], "AES256");
  assert.deepEqual(Object.keys(input), ["Bucket", "Key", "Body", "SSECustomerAlgorithm", "SSECustomerKey"]);
  assert.equal(input.SSECustomerKey, KEY);
});

test("SSE-C: a string key is its UTF-8 bytes; a string that is the base64 of 32 bytes is not encoded twice; a given MD5 is kept", async () => {
  const { http, s3 } = s3With();
  const raw = "0123456789abcdef0123456789abcdef"; // 32 bytes of UTF-8
  await s3.getObject({ Bucket: "b", Key: "k", SSECustomerAlgorithm: "AES256", SSECustomerKey: raw });
  let h = http.only().headers;
  assert.equal(h[SSE], b64(raw));
  assert.equal(h[`${SSE}-md5`], md5b64(raw));

  const unicode = "ключключключключ"; // 16 Cyrillic letters: 32 bytes of UTF-8
  assert.equal(Buffer.byteLength(unicode), 32);
  await s3.headObject({ Bucket: "b", Key: "k", SSECustomerKey: unicode });
  h = http.only().headers;
  assert.equal(h[SSE], b64(unicode));
  assert.equal(h[`${SSE}-md5`], md5b64(unicode));

  await s3.getObject({ Bucket: "b", Key: "k", SSECustomerKey: b64(KEY) });
  h = http.only().headers;
  assert.equal(h[SSE], b64(KEY));
  assert.equal(h[`${SSE}-md5`], md5b64(KEY));

  await s3.getObject({ Bucket: "b", Key: "k", SSECustomerKey: KEY, SSECustomerKeyMD5: "given" });
  h = http.only().headers;
  assert.equal(h[SSE], b64(KEY));
  assert.equal(h[`${SSE}-md5`], "given");
});

test("SSE-C: every operation that carries a key member sends it encoded, copy-source keys included", async () => {
  const other = KEY.map((b) => b ^ 0xff);
  const { http, s3 } = s3With();
  const base = { Bucket: "b", Key: "k", SSECustomerAlgorithm: "AES256", SSECustomerKey: KEY };
  const copy = { CopySource: "src/k", CopySourceSSECustomerAlgorithm: "AES256", CopySourceSSECustomerKey: other };
  const calls: [string, () => Promise<unknown>, boolean][] = [
    ["PutObject", () => s3.putObject({ ...base, Body: "x" }), false],
    ["GetObject", () => s3.getObject(base), false],
    ["HeadObject", () => s3.headObject(base), false],
    ["CreateMultipartUpload", () => s3.createMultipartUpload(base), false],
    ["UploadPart", () => s3.uploadPart({ ...base, UploadId: "u", PartNumber: 1, Body: "x" }), false],
    ["CompleteMultipartUpload", () => s3.completeMultipartUpload({ ...base, UploadId: "u" }), false],
    ["ListParts", () => s3.listParts({ ...base, UploadId: "u" }), false],
    ["GetObjectAttributes", () => s3.getObjectAttributes({ ...base, ObjectAttributes: ["ETag"] }), false],
    ["CopyObject", () => s3.copyObject({ ...base, ...copy }), true],
    ["UploadPartCopy", () => s3.uploadPartCopy({ ...base, ...copy, UploadId: "u", PartNumber: 1 }), true],
  ];
  for (const [name, call, copies] of calls) {
    await call().catch(() => undefined); // the canned replies need not parse: the request is what is checked
    const h = http.only().headers;
    assert.equal(h[SSE], b64(KEY), name);
    assert.equal(h[`${SSE}-md5`], md5b64(KEY), name);
    assert.equal(h[COPY_SSE], copies ? b64(other) : undefined, name);
    assert.equal(h[`${COPY_SSE}-md5`], copies ? md5b64(other) : undefined, name);
  }
  // SelectObjectContent answers an event stream: only its request is looked at.
  await s3
    .selectObjectContent({
      ...base,
      Expression: "select * from s3object",
      ExpressionType: "SQL",
      InputSerialization: { CSV: {} },
      OutputSerialization: { CSV: {} },
    })
    .catch(() => undefined);
  assert.equal(http.only().headers[`${SSE}-md5`], md5b64(KEY));
});

test("SSE-C: a key that is not 256 bits is refused before sending, and the error does not show it", async () => {
  const { http, s3 } = s3With();
  for (const bad of ["short-secret-key", new Uint8Array(31).fill(65), b64(new Uint8Array(16))]) {
    const error = await s3.putObject({ Bucket: "b", Key: "k", Body: "x", SSECustomerKey: bad }).then(
      () => assert.fail("sent"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RequestFormError, String(error));
    assert.match(error.message, /SSECustomerKey must be a 256-bit key/);
    const shown = typeof bad === "string" ? bad : Buffer.from(bad).toString("latin1");
    assert.ok(!error.message.includes(shown) && !String(error.stack).includes(shown));
  }
  assert.equal(http.requests.length, 0);
});

test("SSE-C: a presigned URL signs the encoded key and its MD5, and returns them to send", async () => {
  const { s3 } = s3With();
  const { url, headers } = await presign(s3, GetObject, { Bucket: "b", Key: "k", SSECustomerAlgorithm: "AES256", SSECustomerKey: KEY });
  const signed = new URL(url).searchParams.get("X-Amz-SignedHeaders")!.split(";");
  assert.ok(signed.includes(SSE) && signed.includes(`${SSE}-md5`), signed.join(";"));
  assert.equal(headers[SSE], b64(KEY));
  assert.equal(headers[`${SSE}-md5`], md5b64(KEY));
  assert.ok(!url.includes(b64(KEY)) && !url.includes(encodeURIComponent(b64(KEY))));
  const put = await presign(s3, PutObject, { Bucket: "b", Key: "k", SSECustomerKey: b64(KEY) });
  assert.equal(put.headers[SSE], b64(KEY));
});

// S3 with encoding-type=url: a space is `+`, other reserved and non-ASCII bytes %XX (UTF-8).
const KEYS = ["a b", "a+b", "100%", "ünï/cødé", "ctl\u0001x"];
const s3Encode = (k: string): string => encodeURIComponent(k).replace(/%20/g, "+");

test("urlDecode reads what S3 encodes as Python's unquote_plus does", () => {
  for (const k of KEYS) assert.equal(urlDecode(s3Encode(k)), k);
  assert.equal(urlDecode("100%"), "100%"); // a lone % stays
  assert.equal(urlDecode("%FF%41"), "\uFFFDA");
});

function contents(keys: readonly string[], encode: boolean): string {
  return keys.map((k) => `<Contents><Key>${encode ? s3Encode(k) : k}</Key><Size>1</Size></Contents>`).join("");
}

test("ListObjectsV2: asks for encoding-type=url unless told, decodes keys, prefixes, delimiter and StartAfter; as sent when the caller chose", async () => {
  const body =
    `<ListBucketResult><Name>b</Name><Prefix>${s3Encode("a b/")}</Prefix><Delimiter>${s3Encode("+")}</Delimiter>` +
    `<StartAfter>${s3Encode("ü")}</StartAfter><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>` +
    contents(KEYS, true) +
    `<CommonPrefixes><Prefix>${s3Encode("x y+")}</Prefix></CommonPrefixes></ListBucketResult>`;
  const { http, s3 } = s3With(() => ({ headers: XML, body }));
  const input = { Bucket: "b", Prefix: "a b/", Delimiter: "+", StartAfter: "ü" };
  const out = await s3.listObjectsV2(input);
  const q = new URLSearchParams(http.only().query);
  assert.equal(q.get("encoding-type"), "url");
  assert.equal(q.get("prefix"), "a b/");
  assert.deepEqual(input, { Bucket: "b", Prefix: "a b/", Delimiter: "+", StartAfter: "ü" });
  assert.deepEqual(out.Contents?.map((c) => c.Key), KEYS);
  assert.equal(out.Prefix, "a b/");
  assert.equal(out.Delimiter, "+");
  assert.equal(out.StartAfter, "ü");
  assert.equal(out.EncodingType, "url");
  assert.deepEqual(out.CommonPrefixes, [{ Prefix: "x y+" }]);

  const raw = await s3.listObjectsV2({ Bucket: "b", EncodingType: "url" });
  assert.equal(new URLSearchParams(http.only().query).get("encoding-type"), "url");
  assert.deepEqual(raw.Contents?.map((c) => c.Key), KEYS.map(s3Encode));
  assert.equal(raw.Prefix, s3Encode("a b/"));
});

test("ListObjects, ListObjectVersions, ListMultipartUploads decode the members S3 encodes (ListObjects' Prefix as botocore: not)", async () => {
  const enc = s3Encode;
  const replies: Record<string, string> = {
    objects:
      `<ListBucketResult><Prefix>${enc("p q")}</Prefix><Marker>${enc("m n")}</Marker><NextMarker>${enc("n+o")}</NextMarker><Delimiter>${enc(" ")}</Delimiter>` +
      `<EncodingType>url</EncodingType>${contents(KEYS, true)}<CommonPrefixes><Prefix>${enc("c d")}</Prefix></CommonPrefixes></ListBucketResult>`,
    versions:
      `<ListVersionsResult><Prefix>${enc("p q")}</Prefix><KeyMarker>${enc("m n")}</KeyMarker><NextKeyMarker>${enc("n+o")}</NextKeyMarker><Delimiter>${enc(" ")}</Delimiter><EncodingType>url</EncodingType>` +
      KEYS.map((k) => `<Version><Key>${enc(k)}</Key><VersionId>v</VersionId></Version>`).join("") +
      `<DeleteMarker><Key>${enc("d m")}</Key></DeleteMarker><CommonPrefixes><Prefix>${enc("c d")}</Prefix></CommonPrefixes></ListVersionsResult>`,
    uploads:
      `<ListMultipartUploadsResult><Prefix>${enc("p q")}</Prefix><KeyMarker>${enc("m n")}</KeyMarker><NextKeyMarker>${enc("n+o")}</NextKeyMarker><Delimiter>${enc(" ")}</Delimiter><EncodingType>url</EncodingType>` +
      KEYS.map((k) => `<Upload><Key>${enc(k)}</Key><UploadId>u</UploadId></Upload>`).join("") +
      `<CommonPrefixes><Prefix>${enc("c d")}</Prefix></CommonPrefixes></ListMultipartUploadsResult>`,
  };
  const { http, s3 } = s3With((r) => ({
    headers: XML,
    body: r.query.includes("versions") ? replies.versions! : r.query.includes("uploads") ? replies.uploads! : replies.objects!,
  }));
  const objects = await s3.listObjects({ Bucket: "b" });
  assert.equal(new URLSearchParams(http.only().query).get("encoding-type"), "url");
  assert.deepEqual(objects.Contents?.map((c) => c.Key), KEYS);
  assert.deepEqual([objects.Marker, objects.NextMarker, objects.Delimiter, objects.Prefix], ["m n", "n+o", " ", enc("p q")]);
  assert.deepEqual(objects.CommonPrefixes, [{ Prefix: "c d" }]);

  const versions = await s3.listObjectVersions({ Bucket: "b" });
  assert.equal(new URLSearchParams(http.only().query).get("encoding-type"), "url");
  assert.deepEqual(versions.Versions?.map((v) => v.Key), KEYS);
  assert.deepEqual(versions.DeleteMarkers?.map((v) => v.Key), ["d m"]);
  assert.deepEqual([versions.KeyMarker, versions.NextKeyMarker, versions.Delimiter, versions.Prefix], ["m n", "n+o", " ", "p q"]);
  assert.deepEqual(versions.CommonPrefixes, [{ Prefix: "c d" }]);

  const uploads = await s3.listMultipartUploads({ Bucket: "b" });
  assert.equal(new URLSearchParams(http.only().query).get("encoding-type"), "url");
  assert.deepEqual(uploads.Uploads?.map((v) => v.Key), KEYS);
  assert.deepEqual([uploads.KeyMarker, uploads.NextKeyMarker, uploads.Delimiter, uploads.Prefix], ["m n", "n+o", " ", "p q"]);
  assert.deepEqual(uploads.CommonPrefixes, [{ Prefix: "c d" }]);
});

test("paginators continue across pages with the decoded markers (ListObjects' last key, ListObjectVersions' NextKeyMarker)", async () => {
  // ListObjects pages: the next marker is the last key of the page (no NextMarker), sent back decoded.
  const pages = [KEYS.slice(0, 2), KEYS.slice(2, 4), KEYS.slice(4)];
  const { http, s3 } = s3With((r) => {
    const q = new URLSearchParams(r.query);
    const marker = q.get(q.has("versions") ? "key-marker" : "marker");
    const i = marker === null ? 0 : pages.findIndex((p) => p.at(-1) === marker) + 1;
    const page = pages[i] ?? [];
    const truncated = i < pages.length - 1;
    if (q.has("versions")) {
      const next = truncated ? `<NextKeyMarker>${s3Encode(page.at(-1)!)}</NextKeyMarker><NextVersionIdMarker>v</NextVersionIdMarker>` : "";
      const versions = page.map((k) => `<Version><Key>${s3Encode(k)}</Key><VersionId>v</VersionId></Version>`).join("");
      return {
        headers: XML,
        body: `<ListVersionsResult><EncodingType>url</EncodingType><IsTruncated>${truncated}</IsTruncated>${next}${versions}</ListVersionsResult>`,
      } satisfies Reply;
    }
    return { headers: XML, body: `<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>${truncated}</IsTruncated>${contents(page, true)}</ListBucketResult>` };
  });
  const keys: string[] = [];
  for await (const o of s3.paginate.listObjects({ Bucket: "b" }).items()) keys.push(o.Key!);
  assert.deepEqual(keys, KEYS);
  const sent = http.requests.map((r) => new URLSearchParams(r.query).get("marker"));
  assert.deepEqual(sent, [null, KEYS[1], KEYS[3]]);
  assert.ok(http.requests.every((r) => new URLSearchParams(r.query).get("encoding-type") === "url"));

  const versions: string[] = [];
  for await (const v of s3.paginate.listObjectVersions({ Bucket: "b" }).items()) versions.push(v.Key!);
  assert.deepEqual(versions, KEYS);
  assert.deepEqual(http.requests.slice(3).map((r) => new URLSearchParams(r.query).get("key-marker")), [null, KEYS[1], KEYS[3]]);
});

test("Expect: 100-continue on PutObject and UploadPart bodies of 2 MiB or more, not on smaller ones nor other operations", async () => {
  const { http, s3 } = s3With();
  const big = new Uint8Array(2 * 1024 * 1024);
  await s3.putObject({ Bucket: "b", Key: "k", Body: big });
  assert.equal(http.only().headers.expect, "100-continue");
  await s3.uploadPart({ Bucket: "b", Key: "k", UploadId: "u", PartNumber: 1, Body: big });
  assert.equal(http.only().headers.expect, "100-continue");
  await s3.putObject({ Bucket: "b", Key: "k", Body: big.subarray(1) });
  assert.equal(http.only().headers.expect, undefined);
  await s3.putObject({ Bucket: "b", Key: "k" });
  assert.equal(http.only().headers.expect, undefined);
  await s3.putBucketTagging({ Bucket: "b", Tagging: { TagSet: [{ Key: "k", Value: "x".repeat(256) }] } });
  assert.equal(http.only().headers.expect, undefined);
});
