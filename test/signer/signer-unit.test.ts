// Signer behaviour the suites do not cover: AWS's documented IAM example, the S3 options,
// payload-hash defaults, host/port, unsignable headers, the signing key cache, presign
// limits, canonicalization edge cases, and SigV4a key derivation / ECDSA vectors.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { HttpRequest } from "../../runtime/http/types.js";
import {
  EMPTY_SHA256,
  UNSIGNED_PAYLOAD,
  amzDate,
  createSigningKeyCache,
  hostHeader,
  signingKey,
  signRequest,
  type SigningKeyCache,
  type SigningOptions,
} from "../../runtime/signer/sigv4.js";
import { presignRequest } from "../../runtime/signer/query.js";
import { canonicalHeaders, canonicalHeaderValue, canonicalQuery, canonicalUri, normalizePath, uriEncode } from "../../runtime/signer/canonical.js";
import {
  deriveKeyPair,
  derivePrivateKey,
  presignRequestV4a,
  signatureV4a,
  signRequestV4a,
  verifySignature,
} from "../../runtime/signer/sigv4a.js";
import { N, publicKeyOf, signDigest, verifyDigest } from "../../runtime/signer/p256.js";
import { sha256Sync } from "#crypto";
import { toHex } from "../../runtime/encoding.js";
import { RequestFormError } from "../../runtime/errors.js";
import { verifySigV4 } from "../support/sigv4-verify.ts";

const counts = { passed: 0, failed: 0, skipped: 0 };
function counted(name: string, fn: () => void | Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
      counts.passed++;
    } catch (e) {
      counts.failed++;
      throw e;
    }
  });
}

const CREDS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const DATE = new Date("2015-08-30T12:36:00Z");

function req(over: Partial<HttpRequest> = {}): HttpRequest {
  return { method: "GET", protocol: "https:", hostname: "example.amazonaws.com", path: "/", query: "", headers: {}, ...over };
}

function authParts(auth: string): { credential: string; signedHeaders: string; signature: string } {
  const m = /^\S+ Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(auth);
  assert.ok(m, `authorization shape: ${auth}`);
  return { credential: m[1]!, signedHeaders: m[2]!, signature: m[3]! };
}

describe("SigV4", () => {
  counted("AWS documentation example: IAM ListUsers signing key and signature", async () => {
    assert.equal(toHex(await signingKey(CREDS.secretAccessKey, "20150830", "us-east-1", "iam")), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    const signed = await signRequest(
      req({
        hostname: "iam.amazonaws.com",
        query: "Action=ListUsers&Version=2010-05-08",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      }),
      { credentials: CREDS, region: "us-east-1", service: "iam", date: DATE },
    );
    assert.equal(
      signed.headers.authorization,
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
  });

  counted("the input request is not mutated and a new one is returned", async () => {
    const input = req({ headers: { "x-custom": "a" }, body: "hello" });
    const copy = structuredClone(input);
    const signed = await signRequest(input, { credentials: { ...CREDS, sessionToken: "tok" }, region: "us-east-1", service: "s3", date: DATE, contentSha256Header: true });
    assert.deepEqual(input, copy);
    assert.notEqual(signed, input);
    assert.notEqual(signed.headers, input.headers);
    const presigned = await presignRequest(input, { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE, expiresIn: 60 });
    assert.deepEqual(input, copy);
    assert.notEqual(presigned.headers, input.headers);
  });

  counted("host header: default ports omitted, others kept, IPv6 bracketed; an existing host header wins", async () => {
    assert.equal(hostHeader(req({ port: 443 })), "example.amazonaws.com");
    assert.equal(hostHeader(req({ protocol: "http:", port: 80 })), "example.amazonaws.com");
    assert.equal(hostHeader(req({ port: 8443 })), "example.amazonaws.com:8443");
    assert.equal(hostHeader(req({ protocol: "http:", port: 443 })), "example.amazonaws.com:443");
    assert.equal(hostHeader(req({ hostname: "::1", protocol: "http:", port: 9000 })), "[::1]:9000");
    const signed = await signRequest(req({ protocol: "http:", hostname: "127.0.0.1", port: 4566 }), { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE });
    assert.equal(signed.headers.host, "127.0.0.1:4566");
    const own = await signRequest(req({ headers: { host: "custom.example" } }), { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE });
    assert.equal(own.headers.host, "custom.example");
  });

  counted("payload hash defaults: empty, string, bytes, stream; explicit value and existing header win", async () => {
    const opts: SigningOptions = { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE, contentSha256Header: true };
    const hashOf = async (r: HttpRequest, o: SigningOptions = opts): Promise<string | undefined> => (await signRequest(r, o)).headers["x-amz-content-sha256"];
    assert.equal(await hashOf(req()), EMPTY_SHA256);
    assert.equal(await hashOf(req({ body: "" })), EMPTY_SHA256);
    assert.equal(await hashOf(req({ body: "abc" })), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert.equal(await hashOf(req({ body: new TextEncoder().encode("abc") })), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const stream = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    assert.equal(await hashOf(req({ body: stream })), UNSIGNED_PAYLOAD);
    assert.equal(await hashOf(req({ body: "abc" }), { ...opts, payloadHash: UNSIGNED_PAYLOAD }), UNSIGNED_PAYLOAD);
    const streaming = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    assert.equal(await hashOf(req({ body: "abc", headers: { "x-amz-content-sha256": streaming } })), streaming);
    // Without contentSha256Header no header is added, but the hash is still signed.
    const plain = await signRequest(req({ body: "abc" }), { ...opts, contentSha256Header: false });
    assert.equal(plain.headers["x-amz-content-sha256"], undefined);
  });

  counted("UNSIGNED-PAYLOAD is declared in x-amz-content-sha256 for every service (unsignedPayload operations, stream bodies), so a server can check it", async () => {
    // EBS PutSnapshotBlock, Lex PostContent, MediaStore PutObject...: unsignedPayload operations of
    // services other than S3 (contentSha256Header off). Without the header the server hashes the
    // body it receives into its canonical request, and the signature never matches.
    const body = new TextEncoder().encode("block data");
    const date = DATE.getTime();
    const verify = (r: HttpRequest) =>
      verifySigV4({ method: r.method, path: r.path, query: r.query, headers: r.headers, body }, { secrets: { [CREDS.accessKeyId]: CREDS.secretAccessKey }, now: date });
    const options: SigningOptions = { credentials: CREDS, region: "us-east-1", service: "ebs", date: DATE, payloadHash: UNSIGNED_PAYLOAD };
    const unsigned = await signRequest(req({ method: "PUT", body }), options);
    assert.equal(unsigned.headers["x-amz-content-sha256"], UNSIGNED_PAYLOAD);
    assert.ok(authParts(unsigned.headers.authorization!).signedHeaders.split(";").includes("x-amz-content-sha256"));
    assert.deepEqual(verify(unsigned), { ok: true, accessKeyId: CREDS.accessKeyId });
    // A stream body is signed UNSIGNED-PAYLOAD too, and says so.
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(body), c.close()) });
    const streamed = await signRequest(req({ method: "PUT", body: stream }), { ...options, payloadHash: undefined });
    assert.equal(streamed.headers["x-amz-content-sha256"], UNSIGNED_PAYLOAD);
    assert.deepEqual(verify(streamed), { ok: true, accessKeyId: CREDS.accessKeyId });
    // SigV4a the same.
    const v4a = await signRequestV4a(req({ method: "PUT", body }), { credentials: CREDS, service: "ebs", date: DATE, regionSet: ["*"], payloadHash: UNSIGNED_PAYLOAD });
    assert.equal(v4a.headers["x-amz-content-sha256"], UNSIGNED_PAYLOAD);
    assert.deepEqual(verify(v4a), { ok: true, accessKeyId: CREDS.accessKeyId });
    // A hash of the body is still only sent where asked (S3).
    const hashed = await signRequest(req({ method: "PUT", body }), { ...options, payloadHash: undefined });
    assert.equal(hashed.headers["x-amz-content-sha256"], undefined);
    assert.deepEqual(verify(hashed), { ok: true, accessKeyId: CREDS.accessKeyId });
  });

  counted("S3 style: path neither normalized nor re-encoded; other services re-encode it once", async () => {
    const path = "/my-object//example//photo.user%20x";
    const s3 = await signRequest(req({ path }), { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE, uriEscapePath: false, normalizePath: false });
    const other = await signRequest(req({ path }), { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE });
    assert.notEqual(authParts(s3.headers.authorization!).signature, authParts(other.headers.authorization!).signature);
    assert.equal(canonicalUri(path, false, false), path);
    assert.equal(canonicalUri(path, true, true), "/my-object/example/photo.user%2520x");
    assert.equal(s3.path, path, "the wire path is unchanged");
  });

  counted("unsignable headers are left out; unsignedHeaders adds more", async () => {
    const signed = await signRequest(
      req({ headers: { "user-agent": "x", "x-amzn-trace-id": "t", expect: "100-continue", "transfer-encoding": "chunked", "x-keep": "1", "x-skip": "2" } }),
      { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE, unsignedHeaders: ["X-Skip"] },
    );
    assert.equal(authParts(signed.headers.authorization!).signedHeaders, "host;x-amz-date;x-keep");
    assert.equal(signed.headers["user-agent"], "x", "unsigned headers are still sent");
  });

  counted("session token: signed header by default, added after signing when signSessionToken is false", async () => {
    const creds = { ...CREDS, sessionToken: "TOKEN/+=" };
    const a = await signRequest(req(), { credentials: creds, region: "us-east-1", service: "s3", date: DATE });
    assert.equal(a.headers["x-amz-security-token"], "TOKEN/+=");
    assert.equal(authParts(a.headers.authorization!).signedHeaders, "host;x-amz-date;x-amz-security-token");
    const b = await signRequest(req(), { credentials: creds, region: "us-east-1", service: "s3", date: DATE, signSessionToken: false });
    assert.equal(b.headers["x-amz-security-token"], "TOKEN/+=");
    assert.equal(authParts(b.headers.authorization!).signedHeaders, "host;x-amz-date");
    const p = await presignRequest(req(), { credentials: creds, region: "us-east-1", service: "s3", date: DATE, expiresIn: 60 });
    assert.ok(p.query.includes("X-Amz-Security-Token=TOKEN%2F%2B%3D"));
  });

  counted("signing key cache: derived once per day/region/service/key, LRU-bounded", async () => {
    const inner = createSigningKeyCache(2);
    const log: string[] = [];
    const cache: SigningKeyCache = {
      get(k) {
        const v = inner.get(k);
        log.push(v ? "hit" : "miss");
        return v;
      },
      set(k, v) {
        log.push("set");
        inner.set(k, v);
      },
    };
    const opts = { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE, signingKeyCache: cache };
    const first = await signRequest(req(), opts);
    const second = await signRequest(req(), opts);
    assert.equal(first.headers.authorization, second.headers.authorization);
    assert.deepEqual(log, ["miss", "set", "hit"]);
    // Capacity 2: a third key evicts the least recently used one.
    await signRequest(req(), { ...opts, region: "us-west-2" });
    await signRequest(req(), { ...opts, region: "eu-west-1" });
    log.length = 0;
    await signRequest(req(), opts);
    assert.deepEqual(log, ["miss", "set"]);
    // A different secret with the same key id never reuses the cached key.
    const other = await signRequest(req(), { ...opts, credentials: { ...CREDS, secretAccessKey: "other" } });
    assert.notEqual(other.headers.authorization, first.headers.authorization);
  });

  counted("presign: expiresIn limits, S3-style UNSIGNED-PAYLOAD, headers untouched", async () => {
    const base = { credentials: CREDS, region: "us-east-1", service: "s3", date: DATE };
    for (const bad of [0, -1, 1.5, 604801, Number.NaN]) {
      await assert.rejects(presignRequest(req(), { ...base, expiresIn: bad }), RequestFormError);
    }
    const ok = await presignRequest(req({ path: "/bucket/key", query: "versionId=1" }), { ...base, expiresIn: 604800, uriEscapePath: false, normalizePath: false });
    assert.deepEqual(ok.headers, {});
    const params = new URLSearchParams(ok.query);
    assert.equal(params.get("versionId"), "1");
    assert.equal(params.get("X-Amz-Expires"), "604800");
    assert.equal(params.get("X-Amz-SignedHeaders"), "host");
    assert.match(params.get("X-Amz-Signature") ?? "", /^[0-9a-f]{64}$/);
    // S3-style presign signs UNSIGNED-PAYLOAD: the body does not change the signature.
    const withBody = await presignRequest(req({ path: "/bucket/key", query: "versionId=1", body: "data" }), { ...base, expiresIn: 604800, uriEscapePath: false, normalizePath: false });
    assert.equal(new URLSearchParams(withBody.query).get("X-Amz-Signature"), params.get("X-Amz-Signature"));
  });

  counted("amzDate formats the clock in UTC", () => {
    assert.equal(amzDate(new Date("2024-02-29T23:59:59.999Z")), "20240229T235959Z");
    assert.equal(amzDate(new Date(0)), "19700101T000000Z");
    assert.equal(amzDate(new Date("0987-01-02T03:04:05Z")), "09870102T030405Z");
    // Field by field, as the ISO form with its separators and milliseconds taken out, over many seconds.
    const iso = (d: Date): string => d.toISOString().replace(/[-:]|\.\d+/g, "");
    for (let ms = Date.UTC(1999, 11, 31, 23, 59, 58), i = 0; i < 400; i++, ms += 86_399_937) {
      const d = new Date(ms);
      assert.equal(amzDate(d), iso(d));
    }
    assert.throws(() => amzDate(new Date(Number.NaN)), RangeError);
  });
});

describe("canonicalization", () => {
  counted("uriEncode is strict RFC 3986 over UTF-8", () => {
    assert.equal(uriEncode("a b+c*d~e!'()"), "a%20b%2Bc%2Ad~e%21%27%28%29");
    assert.equal(uriEncode("/a b/", true), "/a%20b/");
    assert.equal(uriEncode("/", false), "%2F");
    assert.equal(uriEncode("\u00e9\u1234\u{1F600}"), "%C3%A9%E1%88%B4%F0%9F%98%80");
    assert.equal(uriEncode("%41"), "%2541");
    assert.equal(uriEncode("\ud800"), "%EF%BF%BD", "lone surrogate as U+FFFD");
  });

  counted("canonicalQuery sorts by key then value and normalizes escapes", () => {
    assert.equal(canonicalQuery(""), "");
    assert.equal(canonicalQuery("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
    assert.equal(canonicalQuery("k=%7e%2f%2F"), "k=~%2F%2F");
    assert.equal(canonicalQuery("k=a+b"), "k=a%2Bb");
    assert.equal(canonicalQuery("k=a b"), "k=a%20b");
    assert.equal(canonicalQuery("k=100%"), "k=100%25", "a stray % is encoded");
    assert.equal(canonicalQuery("&&a=1&"), "a=1");
    assert.equal(canonicalQuery("a=1&X-Amz-Signature=abc", "X-Amz-Signature"), "a=1");
    assert.equal(canonicalQuery("a=x=y"), "a=x%3Dy");
    // Sorting is by encoded key: "%E1..." < "P" < "a" (byte order).
    assert.equal(canonicalQuery("a=1&P=2&\u1234=3"), "%E1%88%B4=3&P=2&a=1");
  });

  counted("normalizePath", () => {
    const cases: [string, string][] = [
      ["/", "/"],
      ["", "/"],
      ["//", "/"],
      ["/a/b", "/a/b"],
      ["/a/b/", "/a/b/"],
      ["//example//", "/example/"],
      ["/example/..", "/"],
      ["/a/b/../..", "/"],
      ["/a/b/..", "/a/"],
      ["/./example", "/example"],
      ["/./", "/"],
      ["/a/./b/.", "/a/b/"],
      ["/../a", "/a"],
      ["/a..b/.c", "/a..b/.c"],
    ];
    for (const [input, out] of cases) assert.equal(normalizePath(input), out, input);
  });

  counted("canonicalHeaders: sorting, unsignable names, upper-case names, and the name-list memo", () => {
    const a = { "x-b": "2", "x-a": "1", "user-agent": "ua" };
    assert.deepEqual(canonicalHeaders(a), { canonical: "x-a:1\nx-b:2\n", signed: "x-a;x-b" });
    // Same names again (memo hit) with other values.
    assert.deepEqual(canonicalHeaders({ "x-b": "4", "x-a": "3", "user-agent": "ua" }), { canonical: "x-a:3\nx-b:4\n", signed: "x-a;x-b" });
    // Same names, another unsigned set: not reused.
    assert.deepEqual(canonicalHeaders(a, new Set(["x-b"])), { canonical: "x-a:1\n", signed: "x-a" });
    // Other names alternating with the first set.
    assert.deepEqual(canonicalHeaders({ "x-c": "5" }), { canonical: "x-c:5\n", signed: "x-c" });
    assert.deepEqual(canonicalHeaders(a), { canonical: "x-a:1\nx-b:2\n", signed: "x-a;x-b" });
    // Names not in lower case are lower-cased; case-only duplicates are joined with ",".
    assert.deepEqual(canonicalHeaders({ "X-A": "1", "x-a": "2", Host: "h" }), { canonical: "host:h\nx-a:1,2\n", signed: "host;x-a" });
    assert.deepEqual(canonicalHeaders({ "X-A": "3", "x-a": "4", Host: "i" }), { canonical: "host:i\nx-a:3,4\n", signed: "host;x-a" });
    assert.deepEqual(canonicalHeaders({}), { canonical: "", signed: "" });
  });

  counted("header values are trimmed and inner whitespace folded", () => {
    assert.equal(canonicalHeaderValue("  a  "), "a");
    assert.equal(canonicalHeaderValue('"a   b   c"'), '"a b c"');
    assert.equal(canonicalHeaderValue("value1\r\n  value2\t\tvalue3"), "value1 value2 value3");
    assert.equal(canonicalHeaderValue("plain value"), "plain value");
    assert.equal(canonicalHeaderValue(""), "");
    assert.equal(canonicalHeaderValue("   "), "");
    assert.equal(canonicalHeaderValue(" a"), "a");
    assert.equal(canonicalHeaderValue("a "), "a");
    assert.equal(canonicalHeaderValue("\u00a0a\u00a0"), "\u00a0a\u00a0", "only ASCII whitespace is trimmed");
  });
});

describe("SigV4a", () => {
  counted("key derivation matches the suite's public key and is cached", () => {
    const d = derivePrivateKey(CREDS.accessKeyId, CREDS.secretAccessKey);
    const pub = publicKeyOf(d);
    assert.equal(pub.x.toString(16).padStart(64, "0"), "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1");
    assert.equal(pub.y.toString(16).padStart(64, "0"), "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518");
    assert.deepEqual(deriveKeyPair(CREDS), { privateKey: d, publicKey: pub });
    assert.ok(d > 0n && d < N);
    assert.notEqual(derivePrivateKey("AKIDOTHER", CREDS.secretAccessKey), d);
  });

  counted("RFC 6979 A.2.5 P-256/SHA-256 deterministic signatures", () => {
    const d = 0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721n;
    const pub = publicKeyOf(d);
    assert.equal(pub.x, 0x60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6n);
    assert.equal(pub.y, 0x7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299n);
    const sample = signDigest(d, sha256Sync("sample"));
    assert.equal(sample.r, 0xefd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716n);
    assert.equal(sample.s, 0xf7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8n);
    const t = signDigest(d, sha256Sync("test"));
    assert.equal(t.r, 0xf1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367n);
    assert.equal(t.s, 0x019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083n);
    assert.ok(verifyDigest(pub, sha256Sync("sample"), sample.r, sample.s));
    assert.equal(verifyDigest(pub, sha256Sync("sample"), t.r, t.s), false);
  });

  counted("verifySignature rejects malformed, out-of-range and foreign signatures", () => {
    const { privateKey, publicKey } = deriveKeyPair(CREDS);
    const sig = signatureV4a(privateKey, "hello");
    assert.ok(verifySignature(publicKey, "hello", sig));
    assert.equal(verifySignature(publicKey, "hello!", sig), false);
    assert.equal(verifySignature(publicKey, "hello", sig.slice(0, -2)), false, "truncated");
    assert.equal(verifySignature(publicKey, "hello", sig + "00"), false, "trailing byte");
    assert.equal(verifySignature(publicKey, "hello", "zz"), false, "not hex");
    assert.equal(verifySignature(publicKey, "hello", ""), false, "empty");
    const other = publicKeyOf(12345n);
    assert.equal(verifySignature(other, "hello", sig), false, "another key");
    assert.equal(verifySignature({ x: publicKey.x, y: publicKey.y + 1n }, "hello", sig), false, "point off the curve");
    // r = 0 and s = n are out of range.
    assert.equal(verifySignature(publicKey, "hello", "3006020100020100"), false);
    assert.equal(verifySignature(publicKey, "hello", "3026020101022100" + N.toString(16)), false);
  });

  counted("region set: one or many regions, header and query forms", async () => {
    const signed = await signRequestV4a(req(), { credentials: CREDS, service: "s3", date: DATE, regionSet: ["us-east-1", "us-west-2"] });
    assert.equal(signed.headers["x-amz-region-set"], "us-east-1,us-west-2");
    const auth = authParts(signed.headers.authorization!);
    assert.equal(auth.credential, "AKIDEXAMPLE/20150830/s3/aws4_request");
    assert.equal(auth.signedHeaders, "host;x-amz-date;x-amz-region-set");
    assert.ok(signed.headers.authorization!.startsWith("AWS4-ECDSA-P256-SHA256 "));
    const presigned = await presignRequestV4a(req(), { credentials: CREDS, service: "s3", date: DATE, regionSet: "*", expiresIn: 900 });
    const params = new URLSearchParams(presigned.query);
    assert.equal(params.get("X-Amz-Region-Set"), "*");
    assert.equal(params.get("X-Amz-Algorithm"), "AWS4-ECDSA-P256-SHA256");
    assert.match(params.get("X-Amz-Signature") ?? "", /^30[0-9a-f]+$/);
  });

  counted("pure-TS signing is deterministic; native signing is randomized; both verify", async () => {
    const opts = { credentials: CREDS, service: "s3", date: DATE, regionSet: ["us-east-1"] };
    const a = await signRequestV4a(req(), { ...opts, nativeSigning: false });
    const b = await signRequestV4a(req(), { ...opts, nativeSigning: false });
    assert.equal(a.headers.authorization, b.headers.authorization);
    const c = await signRequestV4a(req(), opts);
    const d = await signRequestV4a(req(), opts);
    assert.notEqual(c.headers.authorization, d.headers.authorization);
  });
});

after(() => {
  console.log(`signer unit: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
});
