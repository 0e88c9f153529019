// The tests' own SigV4 verifier (test/support/sigv4-verify.ts, the server side the verifying
// proxy in front of s3rver and dynalite runs) against the vendored suites: every signed
// request they contain must verify, and the same request with its signature, method, path,
// query or a signed header changed must not. A verifier that accepted anything would make the
// integration tests' signature checks worthless; this is what shows it does not.
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { test } from "node:test";
import { CONFORMANCE, join, listDirs, parseRawRequest, read, toHttpRequest } from "./harness.js";
import { sigV4aPublicKey, verifySigV4, type SignedRequestParts, type VerifyOptions } from "../support/sigv4-verify.ts";

const SECRETS = { AKIDEXAMPLE: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

function parts(text: string): SignedRequestParts {
  const r = toHttpRequest(parseRawRequest(text));
  return { method: r.method, path: r.path, query: r.query, headers: r.headers, body: new TextEncoder().encode(typeof r.body === "string" ? r.body : "") };
}

/** Each way of breaking a signed request; every one must be refused. */
function broken(p: SignedRequestParts): [string, SignedRequestParts][] {
  const flip = (s: string): string => s.replace(/([0-9a-f])(?=[^0-9a-f]*$)/, (c) => (c === "0" ? "1" : "0"));
  const out: [string, SignedRequestParts][] = [
    ["method", { ...p, method: p.method === "GET" ? "DELETE" : "GET" }],
    ["path", { ...p, path: p.path + "x" }],
    ["query", { ...p, query: p.query === "" ? "extra=1" : p.query + "&extra=1" }],
    ["host", { ...p, headers: { ...p.headers, host: "other.amazonaws.com" } }],
  ];
  if (p.headers["authorization"]) out.push(["signature", { ...p, headers: { ...p.headers, authorization: flip(p.headers["authorization"]) } }]);
  else out.push(["signature", { ...p, query: p.query.replace(/X-Amz-Signature=([0-9a-f]+)/, (_, s: string) => `X-Amz-Signature=${flip(s)}`) }]);
  return out;
}

/**
 * The two signed requests of the suites that no server can accept, so the verifier must refuse
 * them: the 2015 suite's .sreq for get-vanilla-with-session-token carries a Signature that is
 * not an HMAC at all (the session token's hex, rotated: a defect of that file); and in the
 * query form of post-sts-header-after the token joins the query after signing, which a service
 * that signs the whole query (every AWS service but the few that document otherwise) refuses.
 */
const REFUSED: Record<string, string> = {
  "get-vanilla-with-session-token.sreq": "SignatureDoesNotMatch",
  "post-sts-header-after query": "SignatureDoesNotMatch",
};

function check(name: string, p: SignedRequestParts, options: VerifyOptions): void {
  const verdict = verifySigV4(p, options);
  const refusal = Object.entries(REFUSED).find(([k]) => name.endsWith(k));
  if (refusal) {
    assert.equal(verdict.ok, false, `${name} must be refused`);
    assert.ok(!verdict.ok && verdict.reason.startsWith(refusal[1]));
    return;
  }
  assert.ok(verdict.ok, `${name}: ${verdict.ok ? "" : verdict.reason}`);
  for (const [how, bad] of broken(p)) assert.equal(verifySigV4(bad, options).ok, false, `${name} with its ${how} changed still verified`);
}

function sreqFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sreqFiles(p));
    else if (name.endsWith(".sreq")) out.push(p);
  }
  return out;
}

test("aws4_testsuite: 33 of the 34 signed requests verify, the defective one is refused; each altered one is refused", () => {
  const files = sreqFiles(join(CONFORMANCE, "aws4_testsuite"));
  assert.equal(files.length, 34);
  const now = Date.parse("2015-08-30T12:36:00Z");
  for (const f of files) check(f, parts(read(f)), { secrets: SECRETS, now, normalizePath: true, escapePath: true });
});

test("aws-signing-test-suite v4: 75 of 76 header- and query-signed requests verify, the token-after-signing query is refused; each altered one is refused", () => {
  const dir = join(CONFORMANCE, "aws-signing-test-suite", "v4");
  let n = 0;
  for (const c of listDirs(dir)) {
    const ctx = JSON.parse(read(join(dir, c, "context.json"))) as { timestamp: string; normalize: boolean };
    const options: VerifyOptions = { secrets: SECRETS, now: Date.parse(ctx.timestamp), normalizePath: ctx.normalize, escapePath: true };
    for (const kind of ["header", "query"]) {
      check(`${c} ${kind}`, parts(read(join(dir, c, `${kind}-signed-request.txt`))), options);
      n++;
    }
  }
  assert.equal(n, 76);
});

test("aws-signing-test-suite v4a: the verifier derives the suite's public key; 75 of 76 header- and query-signed requests verify, the token-after-signing query is refused; each altered one is refused", () => {
  const dir = join(CONFORMANCE, "aws-signing-test-suite", "v4a");
  let n = 0;
  let inputOnly = 0;
  for (const c of listDirs(dir)) {
    // Two cases hold only a request and its context (no signature to check): the signer's suite test lists them.
    if (!existsSync(join(dir, c, "public-key.json"))) {
      inputOnly++;
      continue;
    }
    const ctx = JSON.parse(read(join(dir, c, "context.json"))) as { timestamp: string; normalize: boolean };
    const expected = JSON.parse(read(join(dir, c, "public-key.json"))) as { X: string; Y: string };
    const derived = sigV4aPublicKey("AKIDEXAMPLE", SECRETS.AKIDEXAMPLE);
    assert.deepEqual({ X: derived.x, Y: derived.y }, { X: expected.X.toLowerCase(), Y: expected.Y.toLowerCase() }, c);
    const options: VerifyOptions = { secrets: SECRETS, now: Date.parse(ctx.timestamp), normalizePath: ctx.normalize, escapePath: true };
    for (const kind of ["header", "query"]) {
      check(`v4a ${c} ${kind}`, parts(read(join(dir, c, `${kind}-signed-request.txt`))), options);
      n++;
    }
  }
  assert.equal(n, 76);
  assert.equal(inputOnly, 2);
});

test("time: a header signature older than 15 minutes and an expired presigned URL are refused", () => {
  const dir = join(CONFORMANCE, "aws-signing-test-suite", "v4", "get-vanilla");
  const signedAt = Date.parse("2015-08-30T12:36:00Z");
  const header = parts(read(join(dir, "header-signed-request.txt")));
  const query = parts(read(join(dir, "query-signed-request.txt")));
  assert.equal(verifySigV4(header, { secrets: SECRETS, now: signedAt + 14 * 60_000 }).ok, true);
  assert.deepEqual(verifySigV4(header, { secrets: SECRETS, now: signedAt + 16 * 60_000 }), { ok: false, reason: "RequestTimeTooSkewed" });
  assert.equal(verifySigV4(query, { secrets: SECRETS, now: signedAt + 3600_000 }).ok, true);
  assert.deepEqual(verifySigV4(query, { secrets: SECRETS, now: signedAt + 3601_000 }), { ok: false, reason: "Request has expired" });
  assert.equal(verifySigV4(header, { secrets: {}, now: signedAt }).ok, false);
});
