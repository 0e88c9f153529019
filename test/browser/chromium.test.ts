// The browser build in a real browser: test/browser/page.ts, bundled by esbuild from the
// built package (generated/ + dist/, package.json "browser" conditions: fetch handler, web
// crypto, web defaults), runs in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) from a page on 127.0.0.1 and calls s3rver and dynalite on other ports,
// so every request crosses origins under CORS as it would from a web app. Each request's
// SigV4 signature, as the browser really sent it, is checked by the verifying proxy in front
// of each server (test/support/servers.ts); the bucket and its CORS rules are set up from
// Node first (s3rver answers CORS only on object routes).
//
// Without Chromium the file is skipped with that reason, unless TSAWS_REQUIRE_BROWSER=1
// (set by .ci/run, which installs Chromium): then a missing browser fails the run
// (test/support/browser.ts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { S3 } from "tsaws/s3";
import { startS3rver, startDynalite, S3RVER_CREDENTIALS, LOCAL_CREDENTIALS, type LocalServer, assertAllSigned } from "../support/servers.ts";
import { browserSkip as skip, withBundledPage } from "../support/browser.ts";
import type { PageConfig, PageRecord } from "./page.ts";

const Bucket = "tsaws-browser";
let s3rver: LocalServer | undefined;
let dynalite: LocalServer | undefined;
let record: PageRecord = {};
let workerRecord: PageRecord = {};
let pageErrors: string[] = [];
let bundledInputs: string[] = [];
let userAgent = "";
let secureContext = false;

before(async () => {
  if (skip) return;
  s3rver = await startS3rver();
  dynalite = await startDynalite();
  const s3 = new S3({ region: "us-east-1", endpoint: s3rver.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  await s3.createBucket({ Bucket });
  await s3.putBucketCors({
    Bucket,
    CORSConfiguration: {
      CORSRules: [
        {
          AllowedOrigins: ["*"],
          AllowedMethods: ["GET", "PUT", "POST", "DELETE", "HEAD"],
          AllowedHeaders: ["*"],
          ExposeHeaders: ["ETag", "x-amz-request-id", "x-amz-meta-origin", "Content-Length", "Content-Type"],
        },
      ],
    },
  });
  await s3.putObject({ Bucket, Key: "seed.txt", Body: "seeded from node" });
  s3.destroy();

  const cfg: PageConfig = {
    s3: s3rver.endpoint,
    dynamodb: dynalite.endpoint,
    bucket: Bucket,
    table: "browser-table",
    s3Credentials: S3RVER_CREDENTIALS,
    localCredentials: LOCAL_CREDENTIALS,
  };
  await withBundledPage("test/browser/page.ts", "tsawsRun", async ({ page, inputs, errors }) => {
    bundledInputs = inputs;
    pageErrors = errors;
    userAgent = await page.evaluate(() => navigator.userAgent);
    secureContext = await page.evaluate(() => globalThis.isSecureContext);
    record = await page.evaluate(
      (c) => (globalThis as unknown as { tsawsRun: (c: PageConfig) => Promise<PageRecord> }).tsawsRun(c),
      cfg,
    );
    workerRecord = await page.evaluate(
      (c) => (globalThis as unknown as { tsawsRunInWorker: (c: PageConfig) => Promise<PageRecord> }).tsawsRunInWorker(c),
      cfg,
    );
  });
});

after(async () => {
  await s3rver?.close();
  await dynalite?.close();
});

test("the page carries the browser build: fetch handler and web crypto from dist/, no runtime sources", { skip }, () => {
  assert.ok(bundledInputs.includes("dist/runtime/http/fetch.js"), bundledInputs.join(" "));
  assert.ok(bundledInputs.includes("dist/runtime/crypto/web.js"));
  assert.ok(bundledInputs.includes("generated/s3/index.js"));
  // XML is read by the browser's DOMParser (fast-xml-parser is only its fallback where there is
  // none, a lazily loaded chunk in a split build: test/codegen/bundle.test.ts).
  assert.ok(bundledInputs.includes("dist/runtime/protocols/xml-parser-dom.js"));
  assert.deepEqual(bundledInputs.filter((p) => /^runtime\/|\/node\.js$/.test(p)), []);
});

test("the page runs in Chromium, in a secure context, with no uncaught error", { skip }, () => {
  assert.match(userAgent, /Chrome\//);
  assert.equal(secureContext, true);
  assert.deepEqual(pageErrors, []);
});

test("S3 from the browser: put a string and bytes, read them back, head (signatures checked by the verifying proxy)", { skip }, () => {
  assert.deepEqual(record["putString"], { status: 200, etag: (record["putString"] as { etag: unknown }).etag });
  assert.match(String((record["putString"] as { etag: unknown }).etag), /^"[0-9a-f]{32}"$/);
  assert.deepEqual(record["putBytes"], { status: 200 });
  assert.deepEqual(record["getString"], { text: "hello from chromium", contentType: "text/plain", contentLength: 19, attempts: 1 });
  let sum = 0;
  for (let i = 0; i < 70_000; i++) sum = (sum + (i % 251)) % 1_000_003;
  assert.deepEqual(record["getBytes"], { length: 70_000, sum, metadata: { origin: "browser" } });
  assert.deepEqual(record["head"], { contentLength: 70_000 });
});

test("S3 from the browser: a paginator walks ListObjectsV2 one key per page", { skip }, () => {
  assert.deepEqual(record["listPages"], { pages: 3, keys: ["bytes.bin", "hello.txt", "seed.txt"] });
});

test("S3 from the browser: NoSuchKey is the typed error; an aborted call is an AbortError; delete", { skip }, () => {
  assert.deepEqual(record["noSuchKey"], {
    thrown: true,
    isNoSuchKey: true,
    name: "NoSuchKey",
    message: (record["noSuchKey"] as { message: string }).message,
    status: 404,
    isServiceError: true,
  });
  const aborted = record["aborted"] as { thrown: boolean; name: string; isServiceError: boolean };
  assert.equal(aborted.thrown, true);
  assert.equal(aborted.name, "AbortError");
  assert.equal(aborted.isServiceError, false);
  assert.deepEqual(record["delete"], { status: 204 });
});

test("S3 from the browser: a URL presigned in the page (web crypto) fetches the object", { skip }, () => {
  assert.deepEqual(record["presignedGet"], { status: 200, text: "hello from chromium" });
});

test("DynamoDB from the browser: create a table, put, get (sets, binary), query", { skip }, () => {
  assert.deepEqual(record["createTable"], { name: "browser-table" });
  assert.deepEqual(record["putItems"], { count: 3 });
  assert.deepEqual(record["getItem"], { sk: "2", tags: ["a", "b"], blob: [2, 0, 255] });
  assert.deepEqual(record["query"], { count: 2, sks: ["2", "3"] });
});

test("DynamoDB from the browser: modeled errors are typed", { skip }, () => {
  const ccf = record["conditionalCheckFailed"] as Record<string, unknown>;
  assert.equal(ccf["thrown"], true);
  assert.equal(ccf["isTyped"], true);
  assert.equal(ccf["name"], "ConditionalCheckFailedException");
  assert.equal(ccf["status"], 400);
  const rnf = record["resourceNotFound"] as Record<string, unknown>;
  assert.equal(rnf["thrown"], true);
  assert.equal(rnf["isTyped"], true);
  assert.equal(rnf["name"], "ResourceNotFoundException");
});

test("in a web worker (no DOMParser) the same build reads S3's XML with its fallback tokenizer", { skip }, () => {
  assert.deepEqual(workerRecord, { hasDomParser: false, list: ["bytes.bin", "seed.txt"], noSuchKey: { thrown: true, isNoSuchKey: true } });
});

test("every request the browser sent carried a valid SigV4 signature (verifying proxies)", { skip }, () => {
  assertAllSigned(s3rver, 11);
  assertAllSigned(dynalite, 6);
});
