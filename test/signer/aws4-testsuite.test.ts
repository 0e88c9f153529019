// The 2015 AWS Signature Version 4 Test Suite (test/vendor/conformance/sigv4/aws4_testsuite):
// 34 cases found by their .req files. Credentials, region, service and clock are the suite's
// fixed ones. A case passes when the canonical request (.creq), string to sign (.sts) and
// Authorization value (.authz) are equal byte for byte, and the signed request is equivalent
// to .sreq (parsed; the suite writes "Authorization: " with a space).
// Every case expects a normalized, once-more-escaped path (the suite notes S3 does not).
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { relative } from "node:path";
import { after, describe, test } from "node:test";
import {
  ALGORITHM,
  canonicalRequest,
  credentialScope,
  payloadHash,
  signature,
  signingKey,
  signRequest,
  stringToSign,
  type SigningOptions,
} from "../../runtime/signer/sigv4.js";
import { CONFORMANCE, caseTest, join, parseRawRequest, read, shapeOf, shapeOfRaw, summary, tally, toHttpRequest } from "./harness.js";

const DIR = join(CONFORMANCE, "aws4_testsuite");
const EXPECTED_CASES = 34;
const ACCESS_KEY = "AKIDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const DATE = new Date("2015-08-30T12:36:00Z");
const STS_TOKEN =
  "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

/** Session tokens per case: the .req of get-vanilla-with-session-token carries none, so the README's token is supplied. */
const TOKENS: Record<string, { token: string; signed: boolean }> = {
  "get-vanilla-with-session-token": { token: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267", signed: true },
  // The .req already holds the token header; the same token as a credential is signed too.
  "post-sts-token/post-sts-header-before": { token: STS_TOKEN, signed: true },
  // The token is added after signing (outside the signature).
  "post-sts-token/post-sts-header-after": { token: STS_TOKEN, signed: false },
};

/**
 * The .sreq of get-vanilla-with-session-token carries the get-vanilla signature (5fa00f...),
 * which is wrong for a request that signs x-amz-security-token; its .authz (07ec16...)
 * is the recomputed, correct value. That case's signed request is compared against .authz.
 */
const WRONG_SREQ_SIGNATURE = new Set(["get-vanilla-with-session-token"]);

function findCases(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findCases(p));
    else if (name.endsWith(".req")) out.push(relative(DIR, p).slice(0, -4));
  }
  return out;
}

const cases = findCases(DIR);
const t = tally();

test("aws4_testsuite holds 34 cases", () => {
  assert.equal(cases.length, EXPECTED_CASES);
  for (const key of [...Object.keys(TOKENS), ...WRONG_SREQ_SIGNATURE]) {
    assert.ok(cases.some((c) => c.replace(/\/[^/]+$/, "") === key), `${key} names a case`);
  }
});

describe("aws4_testsuite", () => {
  for (const path of cases) {
    const key = path.replace(/\/[^/]+$/, ""); // directory of the case
    const name = key.replace(/^.*\//, "");
    caseTest(t, key, async () => {
      const expected = (ext: string): string => read(join(DIR, path + ext));
      const request = toHttpRequest(parseRawRequest(expected(".req")));
      const tok = TOKENS[key];
      const options: SigningOptions = {
        credentials: tok ? { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: tok.token } : { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
        region: "us-east-1",
        service: "service",
        date: DATE,
        ...(tok && !tok.signed ? { signSessionToken: false } : {}),
      };
      const signed = await signRequest(request, options);

      // Stages, from the verifier's view of our signed request.
      const view = { ...signed, headers: { ...signed.headers } };
      delete view.headers.authorization;
      if (tok && !tok.signed) delete view.headers["x-amz-security-token"];
      const creq = canonicalRequest(view, await payloadHash(request.body)).canonical;
      assert.equal(creq, expected(".creq"), "canonical request");
      const scope = credentialScope("20150830", "us-east-1", "service");
      const sts = await stringToSign(ALGORITHM, "20150830T123600Z", scope, creq);
      assert.equal(sts, expected(".sts"), "string to sign");
      const sig = await signature(await signingKey(SECRET, "20150830", "us-east-1", "service"), sts);
      assert.equal(signed.headers.authorization, expected(".authz"), "authorization");
      assert.ok(expected(".authz").endsWith(`Signature=${sig}`), "stage signature matches .authz");

      const sreq = shapeOfRaw(parseRawRequest(expected(".sreq")));
      if (WRONG_SREQ_SIGNATURE.has(name)) {
        assert.notEqual(sreq.headers.authorization, expected(".authz"), "the known-wrong .sreq signature is still wrong");
        sreq.headers.authorization = expected(".authz");
      }
      assert.deepEqual(shapeOf(signed), sreq, "signed request");
    });
  }
});

after(() => {
  console.log(summary("sigv4 aws4_testsuite (34 cases)", t));
  if (t.failures.length) console.log("  failed: " + t.failures.join(", "));
});
