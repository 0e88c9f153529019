// SigV2 (runtime/signer/sigv2.ts) against the tests' own verifier (test/support/sigv2-verify.ts,
// which imports nothing of the runtime), and both against AWS's published example: the
// DescribeJobFlows request of the AWS General Reference's "Signature Version 2 signing process"
// (docs.aws.amazon.com/general/latest/gr/signature-version-2.html; the page itself was not
// read here: the request, the example key pair and the signature i91nKc4P...YIs= are as other
// projects' SigV2 tests quote that page, and node:crypto reproduces the signature from the
// string to sign). A request changed after signing (a value, a parameter added, the host, the
// path, the method, the signature) must fail verification; so must one signed too long ago.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { signRequestV2, signatureV2, stringToSignV2, timestampV2 } from "../../runtime/signer/sigv2.ts";
import type { HttpRequest } from "../../runtime/http/types.ts";
import { stringToSign, verifySigV2 } from "../support/sigv2-verify.ts";
import type { SignedRequestParts } from "../support/sigv4-verify.ts";
import { countedTests } from "../support/counted.ts";

const check = countedTests("signer sigv2");

// AWS's example key pair (the SigV2 page's; note "/bPxR", not SigV4's "+bPxR").
const EXAMPLE_ID = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const EXAMPLE_STRING_TO_SIGN =
  "GET\nelasticmapreduce.amazonaws.com\n/\nAWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31";
const EXAMPLE_SIGNATURE = "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs=";
const EXAMPLE_QUERY =
  "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31&Signature=i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf%2FMj6vPxyYIs%3D";
const EXAMPLE_TIME = Date.UTC(2011, 9, 3, 15, 19, 30);
const EXAMPLE_PARAMS: [string, string][] = [
  ["Action", "DescribeJobFlows"],
  ["Version", "2009-03-31"],
  ["AWSAccessKeyId", EXAMPLE_ID],
  ["SignatureVersion", "2"],
  ["SignatureMethod", "HmacSHA256"],
  ["Timestamp", "2011-10-03T15:19:30"],
];

const ID = "AKIDSIGV2";
const SECRET = "sigv2-secret/with+chars";
const SECRETS = { [ID]: SECRET, [EXAMPLE_ID]: EXAMPLE_SECRET };
const NOW = Date.UTC(2024, 4, 6, 7, 8, 9);

/** The request as the server receives it (the Host header as the node handler writes it). */
function received(r: HttpRequest): SignedRequestParts {
  const port = r.port !== undefined && r.port !== (r.protocol === "http:" ? 80 : 443) ? `:${r.port}` : "";
  const body = typeof r.body === "string" ? new TextEncoder().encode(r.body) : r.body instanceof Uint8Array ? r.body : new Uint8Array(0);
  return { method: r.method, path: r.path, query: r.query, headers: { ...r.headers, host: `${r.hostname}${port}` }, body };
}

function formRequest(body: string, extra: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: "POST",
    protocol: "https:",
    hostname: "sdb.amazonaws.com",
    path: "/",
    query: "",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", "content-length": String(body.length) },
    body,
    ...extra,
  };
}

async function signed(r: HttpRequest, sessionToken?: string, date = new Date(NOW)): Promise<HttpRequest> {
  return signRequestV2(r, { credentials: { accessKeyId: ID, secretAccessKey: SECRET, ...(sessionToken ? { sessionToken } : {}) }, date });
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

check("known answer: the verifier accepts AWS's published SigV2 example and builds its string to sign", () => {
  assert.equal(stringToSign("GET", "elasticmapreduce.amazonaws.com", "/", EXAMPLE_PARAMS), EXAMPLE_STRING_TO_SIGN);
  assert.equal(createHmac("sha256", EXAMPLE_SECRET).update(EXAMPLE_STRING_TO_SIGN).digest("base64"), EXAMPLE_SIGNATURE);
  const request: SignedRequestParts = { method: "GET", path: "/", query: EXAMPLE_QUERY, headers: { host: "elasticmapreduce.amazonaws.com" }, body: new Uint8Array(0) };
  const verdict = verifySigV2(request, { secrets: SECRETS, now: EXAMPLE_TIME + 60_000 });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
  const tampered = verifySigV2({ ...request, query: EXAMPLE_QUERY.replace("DescribeJobFlows", "RunJobFlow") }, { secrets: SECRETS, now: EXAMPLE_TIME });
  assert.equal(tampered.ok, false);
});

check("known answer: the signer's string to sign and signature for AWS's example", async () => {
  const toSign = stringToSignV2("GET", "ElasticMapReduce.amazonaws.com", "/", EXAMPLE_PARAMS);
  assert.equal(toSign, EXAMPLE_STRING_TO_SIGN);
  assert.equal(await signatureV2(EXAMPLE_SECRET, toSign), EXAMPLE_SIGNATURE);
  assert.equal(timestampV2(new Date(Date.UTC(2011, 9, 3, 15, 19, 30, 456))), "2011-10-03T15:19:30Z");
});

check("a signed form body verifies; its parameters keep their order with the auth parameters and Signature appended", async () => {
  const body = "Action=PutAttributes&Version=2009-04-15&DomainName=d&ItemName=i&Attribute.1.Name=color&Attribute.1.Value=blue";
  const r = await signed(formRequest(body));
  const sent = r.body as string;
  assert.ok(sent.startsWith(`${body}&AWSAccessKeyId=${ID}&SignatureVersion=2&SignatureMethod=HmacSHA256&Timestamp=2024-05-06T07%3A08%3A09Z&Signature=`), sent);
  assert.equal(r.headers["content-length"], String(sent.length));
  assert.equal(r.headers.authorization, undefined);
  assert.equal(r.query, "");
  const verdict = verifySigV2(received(r), { secrets: SECRETS, now: NOW });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
  assert.equal(verdict.params.get("Attribute.1.Value"), "blue");
});

check("values that need encoding (spaces, + / = & ~ * ' ( ) !, UTF-8, an empty value) sign as the verifier encodes them", async () => {
  const values = ["a b", "x+y/z=w&v", "~*'()!", "caf\u00e9 \u2713 \ud83d\ude00", ""];
  const body = ["Action=Select", "Version=2009-04-15", ...values.map((v, i) => `P${i}=${encodeURIComponent(v).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())}`)].join("&");
  const r = await signed(formRequest(body));
  const verdict = verifySigV2(received(r), { secrets: SECRETS, now: NOW });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
  values.forEach((v, i) => assert.equal(verdict.params.get(`P${i}`), v));
});

check("a session token is sent and signed as SecurityToken", async () => {
  const r = await signed(formRequest("Action=ListDomains&Version=2009-04-15"), "the/session+token=");
  const verdict = verifySigV2(received(r), { secrets: SECRETS, now: NOW });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
  assert.equal(verdict.params.get("SecurityToken"), "the/session+token=");
  assert.equal(r.headers["x-amz-security-token"], undefined);
});

check("a tampered request fails verification: a value, an added parameter, the host, the path, the method, the signature, the clock", async () => {
  const r = await signed(formRequest("Action=GetAttributes&Version=2009-04-15&DomainName=d&ItemName=i"));
  const good = received(r);
  assert.ok(verifySigV2(good, { secrets: SECRETS, now: NOW }).ok);
  const withBody = (s: string): SignedRequestParts => ({ ...good, body: new TextEncoder().encode(s) });
  const sent = text(good.body);
  const cases: [string, SignedRequestParts, number][] = [
    ["value", withBody(sent.replace("ItemName=i", "ItemName=j")), NOW],
    ["added parameter", withBody(`${sent}&ConsistentRead=true`), NOW],
    ["host", { ...good, headers: { ...good.headers, host: "sdb.us-west-2.amazonaws.com" } }, NOW],
    ["path", { ...good, path: "/x" }, NOW],
    ["method", { ...good, method: "PUT", headers: good.headers }, NOW],
    ["signature", withBody(sent.replace(/Signature=([^&]+)$/, (_, s: string) => `Signature=${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`)), NOW],
    ["clock", good, NOW + 16 * 60_000],
    ["unknown key", withBody(sent.replace(`AWSAccessKeyId=${ID}`, "AWSAccessKeyId=AKIDOTHER")), NOW],
  ];
  for (const [what, request, now] of cases) {
    const verdict = verifySigV2(request, { secrets: SECRETS, now });
    assert.equal(verdict.ok, false, `${what}: accepted`);
  }
});

check("the host signed is the Host header: lower case, the port only when it is not the scheme's default", async () => {
  for (const [extra, host] of [
    [{ protocol: "http:", hostname: "127.0.0.1", port: 4567 }, "127.0.0.1:4567"],
    [{ protocol: "https:", hostname: "sdb.amazonaws.com", port: 443 }, "sdb.amazonaws.com"],
    [{ protocol: "http:", hostname: "sdb.amazonaws.com", port: 80 }, "sdb.amazonaws.com"],
    [{ protocol: "https:", hostname: "SDB.Example.com", port: 8443 }, "sdb.example.com:8443"],
  ] as const) {
    const r = await signed(formRequest("Action=ListDomains&Version=2009-04-15", extra));
    const verdict = verifySigV2({ ...received(r), headers: { ...r.headers, host } }, { secrets: SECRETS, now: NOW });
    assert.ok(verdict.ok, `${host}: ${verdict.ok ? "" : verdict.reason}`);
  }
});

check("a previous attempt's auth parameters are replaced, not repeated; a request without a body is signed in its query", async () => {
  const first = await signed(formRequest("Action=ListDomains&Version=2009-04-15"), undefined, new Date(NOW - 60_000));
  const again = await signed(formRequest(first.body as string));
  const verdict = verifySigV2(received(again), { secrets: SECRETS, now: NOW });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason); // a repeated parameter fails verification
  assert.equal(verdict.params.get("Timestamp"), "2024-05-06T07:08:09Z");

  const get: HttpRequest = { method: "GET", protocol: "https:", hostname: "sdb.amazonaws.com", path: "/", query: "Action=ListDomains&Version=2009-04-15", headers: {} };
  const r = await signed(get);
  assert.equal(r.body, undefined);
  assert.match(r.query, /^Action=ListDomains&Version=2009-04-15&AWSAccessKeyId=AKIDSIGV2&.*&Signature=[^&]+$/);
  const v = verifySigV2(received(r), { secrets: SECRETS, now: NOW });
  assert.ok(v.ok, v.ok ? "" : v.reason);
});
