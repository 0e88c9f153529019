// The aws-c-auth SigV4a suite (test/vendor/conformance/sigv4/aws-signing-test-suite/v4a):
// 38 complete cases, each signed twice (header and query), plus 2 input-only cases with no
// expected output (counted apart as skipped). ECDSA signatures are randomized, so they are
// never compared: a case-mode passes when
//  - the P-256 public key derived from the credentials equals public-key.json;
//  - the canonical request rebuilt from our signed request and the string to sign equal the
//    expected files byte for byte;
//  - the given signatures (*-signature.txt and the one inside *-signed-request.txt) verify
//    over the expected string to sign with our verifier;
//  - our own signatures (native and pure-TS signer) verify with our verifier and with
//    node:crypto, and fail to verify over a different string;
//  - the signed request equals *-signed-request.txt apart from the signature value.
import assert from "node:assert/strict";
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { after, describe, test } from "node:test";
import { stringToSign, canonicalRequest, payloadHash } from "../../runtime/signer/sigv4.js";
import {
  ALGORITHM_V4A,
  credentialScopeV4a,
  deriveKeyPair,
  presignRequestV4a,
  signRequestV4a,
  verifySignature,
  type P256PublicKey,
  type SigV4aSigningOptions,
} from "../../runtime/signer/sigv4a.js";
import type { HttpRequest } from "../../runtime/http/types.js";
import { bigIntToBytes } from "../../runtime/signer/p256.js";
import {
  CONFORMANCE,
  caseTest,
  existsSync,
  join,
  listDirs,
  parseRawRequest,
  read,
  shapeOf,
  shapeOfRaw,
  skipCase,
  summary,
  tally,
  toHttpRequest,
  optionsOf,
  verifierView,
  type RequestShape,
  type SuiteContext,
} from "./harness.js";

const DIR = join(CONFORMANCE, "aws-signing-test-suite/v4a");
const EXPECTED_COMPLETE = 38;
/** Cases that hold only context.json and request.txt, with the reason they cannot pass or fail. */
const INPUT_ONLY: Record<string, string> = {
  "get-vanilla-query-order-key": "no expected output (input only)",
  "get-vanilla-query-order-value": "no expected output (input only)",
};

function v4aOptions(ctx: SuiteContext, nativeSigning: boolean): SigV4aSigningOptions {
  const { region, signingKeyCache: _cache, ...base } = optionsOf(ctx);
  return { ...base, regionSet: [region], nativeSigning };
}

function publicKeyJson(dir: string): P256PublicKey {
  const json = JSON.parse(read(join(dir, "public-key.json"))) as { X: string; Y: string };
  return { x: BigInt("0x" + json.X), y: BigInt("0x" + json.Y) };
}

function nodeVerifies(pub: P256PublicKey, message: string, derHex: string): boolean {
  const b64 = (v: bigint): string => Buffer.from(bigIntToBytes(v)).toString("base64url");
  const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: b64(pub.x), y: b64(pub.y) }, format: "jwk" });
  return nodeVerify("sha256", Buffer.from(message), { key, dsaEncoding: "der" }, Buffer.from(derHex, "hex"));
}

/** The signature of a signed request: from Authorization, or X-Amz-Signature. */
function signatureOf(shape: RequestShape): string {
  const auth = shape.headers.authorization;
  if (auth !== undefined) return /Signature=([0-9a-f]+)$/.exec(auth)![1]!;
  const param = shape.query.find((p) => p.startsWith("X-Amz-Signature="));
  return param!.slice("X-Amz-Signature=".length);
}

function withoutSignature(shape: RequestShape): RequestShape {
  const headers = { ...shape.headers };
  if (headers.authorization !== undefined) headers.authorization = headers.authorization.replace(/Signature=[0-9a-f]+$/, "Signature=*");
  return { ...shape, headers, query: shape.query.map((p) => (p.startsWith("X-Amz-Signature=") ? "X-Amz-Signature=*" : p)) };
}

async function signBoth(request: HttpRequest, ctx: SuiteContext, mode: "header" | "query", native: boolean): Promise<HttpRequest> {
  const options = v4aOptions(ctx, native);
  return mode === "header" ? signRequestV4a(request, options) : presignRequestV4a(request, { ...options, expiresIn: ctx.expiration_in_seconds });
}

const dirs = listDirs(DIR);
const complete = dirs.filter((d) => !(d in INPUT_ONLY));
const t = tally();

test("v4a suite holds 38 complete and 2 input-only cases", () => {
  assert.equal(complete.length, EXPECTED_COMPLETE);
  assert.equal(dirs.length, EXPECTED_COMPLETE + Object.keys(INPUT_ONLY).length);
  for (const name of Object.keys(INPUT_ONLY)) {
    assert.ok(dirs.includes(name), `${name} exists`);
    assert.equal(existsSync(join(DIR, name, "header-canonical-request.txt")), false, `${name} really has no expected output`);
  }
  for (const name of complete) assert.ok(existsSync(join(DIR, name, "header-canonical-request.txt")), `${name} has expected output`);
});

describe("aws-signing-test-suite/v4a", () => {
  for (const name of dirs) {
    const dir = join(DIR, name);
    const ctx = JSON.parse(read(join(dir, "context.json"))) as SuiteContext;
    if (name in INPUT_ONLY) {
      skipCase(t, name, INPUT_ONLY[name]!);
      continue;
    }
    const expected = (file: string): string => read(join(dir, file));
    for (const mode of ["header", "query"] as const) {
      caseTest(t, `${name} (${mode})`, async () => {
        const request = toHttpRequest(parseRawRequest(expected("request.txt")));
        const frozen = JSON.stringify(request);
        const creds = ctx.credentials;
        const { publicKey } = deriveKeyPair({ accessKeyId: creds.access_key_id, secretAccessKey: creds.secret_access_key });
        assert.deepEqual(publicKey, publicKeyJson(dir), "derived public key");

        const signed = await signBoth(request, ctx, mode, true);
        const signedPure = await signBoth(request, ctx, mode, false);
        assert.equal(JSON.stringify(request), frozen, "input request not mutated");

        const view = verifierView(signed, ctx);
        const hash = view.headers["x-amz-content-sha256"] ?? (await payloadHash(request.body));
        const creq = canonicalRequest(view, hash, { normalizePath: ctx.normalize }).canonical;
        assert.equal(creq, expected(`${mode}-canonical-request.txt`), "canonical request");
        const longDate = ctx.timestamp.replace(/[-:]/g, "");
        const sts = await stringToSign(ALGORITHM_V4A, longDate, credentialScopeV4a(longDate.slice(0, 8), ctx.service), creq);
        const expectedSts = expected(`${mode}-string-to-sign.txt`);
        assert.equal(sts, expectedSts, "string to sign");

        const expectedShape = shapeOfRaw(parseRawRequest(expected(`${mode}-signed-request.txt`)));
        const given = [expected(`${mode}-signature.txt`).trim(), signatureOf(expectedShape)];
        assert.notEqual(given[0], given[1], "the suite's two signatures differ (randomized ECDSA)");
        for (const sig of given) assert.ok(verifySignature(publicKey, expectedSts, sig), `given signature ${sig.slice(0, 16)}... verifies`);

        for (const [label, req] of [["native", signed], ["pure-TS", signedPure]] as const) {
          const shape = shapeOf(req);
          const ours = signatureOf(shape);
          assert.ok(verifySignature(publicKey, sts, ours), `our ${label} signature verifies`);
          assert.ok(nodeVerifies(publicKey, sts, ours), `our ${label} signature verifies with node:crypto`);
          assert.equal(verifySignature(publicKey, sts + " ", ours), false, `our ${label} signature does not verify another string`);
          assert.deepEqual(withoutSignature(shape), withoutSignature(expectedShape), `${label} signed request`);
        }
      });
    }
  }
});

test("all 152 given v4a signatures verify over their string to sign", () => {
  let verified = 0;
  for (const name of complete) {
    const dir = join(DIR, name);
    const pub = publicKeyJson(dir);
    for (const mode of ["header", "query"]) {
      const sts = read(join(dir, `${mode}-string-to-sign.txt`));
      const sigs = [read(join(dir, `${mode}-signature.txt`)).trim(), signatureOf(shapeOfRaw(parseRawRequest(read(join(dir, `${mode}-signed-request.txt`)))))];
      for (const sig of sigs) {
        assert.ok(verifySignature(pub, sts, sig), `${name} ${mode} ${sig.slice(0, 16)}...`);
        verified++;
      }
    }
  }
  assert.equal(verified, 152);
});

test("input-only v4a cases sign and verify (not counted: nothing to compare with)", async () => {
  for (const name of Object.keys(INPUT_ONLY)) {
    const dir = join(DIR, name);
    const ctx = JSON.parse(read(join(dir, "context.json"))) as SuiteContext;
    const request = toHttpRequest(parseRawRequest(read(join(dir, "request.txt"))));
    const signed = await signBoth(request, ctx, "header", true);
    const longDate = ctx.timestamp.replace(/[-:]/g, "");
    const creq = canonicalRequest(verifierView(signed, ctx), await payloadHash(request.body)).canonical;
    const sts = await stringToSign(ALGORITHM_V4A, longDate, credentialScopeV4a(longDate.slice(0, 8), ctx.service), creq);
    const { publicKey } = deriveKeyPair({ accessKeyId: ctx.credentials.access_key_id, secretAccessKey: ctx.credentials.secret_access_key });
    assert.ok(verifySignature(publicKey, sts, signatureOf(shapeOf(signed))));
  }
});

test("get-vanilla's extra canonical-request.txt and string-to-sign.txt equal the header files", () => {
  const dir = join(DIR, "get-vanilla");
  assert.equal(read(join(dir, "canonical-request.txt")), read(join(dir, "header-canonical-request.txt")));
  assert.equal(read(join(dir, "string-to-sign.txt")), read(join(dir, "header-string-to-sign.txt")));
});

after(() => {
  console.log(summary("sigv4a aws-signing-test-suite/v4a (38 cases x header/query + 2 input-only)", t));
  if (t.failures.length) console.log("  failed: " + t.failures.join(", "));
});
