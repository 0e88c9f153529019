// The aws-c-auth SigV4 suite (test/vendor/conformance/sigv4/aws-signing-test-suite/v4):
// 38 cases, each signed twice (header and query). A case-mode passes when
//  - the signed request equals *-signed-request.txt (parsed: method, path, query pairs,
//    headers with whitespace folded, body), which pins the signature too;
//  - the canonical request a verifier rebuilds from our signed request, the string to sign
//    and the signature (each stage called on its own) equal the expected files byte for byte.
// The request-line path of request.txt is the wire path (aws-c-auth signs it as written and
// URI-encodes it once in the canonical request), so it goes into `path` unchanged.
import assert from "node:assert/strict";
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
} from "../../runtime/signer/sigv4.js";
import { presignRequest } from "../../runtime/signer/query.js";
import {
  CONFORMANCE,
  caseTest,
  join,
  listDirs,
  optionsOf,
  parseRawRequest,
  read,
  shapeOf,
  shapeOfRaw,
  summary,
  tally,
  toHttpRequest,
  verifierView,
  type SuiteContext,
} from "./harness.js";

const DIR = join(CONFORMANCE, "aws-signing-test-suite/v4");
const EXPECTED_CASES = 38;

const cases = listDirs(DIR);
const t = tally();

test("v4 suite holds 38 cases", () => {
  assert.equal(cases.length, EXPECTED_CASES);
});

describe("aws-signing-test-suite/v4", () => {
  for (const name of cases) {
    const dir = join(DIR, name);
    const ctx = JSON.parse(read(join(dir, "context.json"))) as SuiteContext;
    const expected = (file: string): string => read(join(dir, file));
    for (const mode of ["header", "query"] as const) {
      caseTest(t, `${name} (${mode})`, async () => {
        const request = toHttpRequest(parseRawRequest(read(join(dir, "request.txt"))));
        const frozen = JSON.stringify(request);
        const options = optionsOf(ctx);
        const signed =
          mode === "header" ? await signRequest(request, options) : await presignRequest(request, { ...options, expiresIn: ctx.expiration_in_seconds });
        assert.equal(JSON.stringify(request), frozen, "input request not mutated");

        // Stage by stage, each from the previous stage's own output.
        const view = verifierView(signed, ctx);
        const hash = view.headers["x-amz-content-sha256"] ?? (await payloadHash(request.body));
        const creq = canonicalRequest(view, hash, { normalizePath: ctx.normalize }).canonical;
        assert.equal(creq, expected(`${mode}-canonical-request.txt`), "canonical request");
        const longDate = ctx.timestamp.replace(/[-:]/g, "");
        const scope = credentialScope(longDate.slice(0, 8), ctx.region, ctx.service);
        const sts = await stringToSign(ALGORITHM, longDate, scope, creq);
        assert.equal(sts, expected(`${mode}-string-to-sign.txt`), "string to sign");
        const sig = await signature(await signingKey(ctx.credentials.secret_access_key, longDate.slice(0, 8), ctx.region, ctx.service), sts);
        assert.equal(sig, expected(`${mode}-signature.txt`), "signature");

        // The whole signed request, including the signature signRequest/presignRequest put in.
        assert.deepEqual(shapeOf(signed), shapeOfRaw(parseRawRequest(expected(`${mode}-signed-request.txt`))), "signed request");
      });
    }
  }
});

after(() => {
  console.log(summary("sigv4 aws-signing-test-suite/v4 (38 cases x header/query)", t));
  if (t.failures.length) console.log("  failed: " + t.failures.join(", "));
});
