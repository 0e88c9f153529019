// Runs the signer suites again with #crypto resolved to runtime/crypto/web.ts and
// #crypto-core to web-core.ts (the browser implementations: WebCrypto SHA-256, HMAC and
// ECDSA, so SigV4 signs asynchronously; pure-JS hashes for the synchronous helpers), each in
// a child process whose resolve hook (web-crypto.register.mjs) swaps the modules. Passing means every case of
// every suite passes there too, with the same counts as under node.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Each suite file with the summary line it must print under web.ts. */
const SUITES: [string, RegExp][] = [
  ["sigv4-suite.test.ts", /sigv4 aws-signing-test-suite\/v4 \(38 cases x header\/query\): 76 passed, 0 failed, 0 skipped/],
  ["aws4-testsuite.test.ts", /sigv4 aws4_testsuite \(34 cases\): 34 passed, 0 failed, 0 skipped/],
  ["sigv4a-suite.test.ts", /sigv4a aws-signing-test-suite\/v4a .*: 76 passed, 0 failed, 2 skipped/],
  ["signer-unit.test.ts", /signer unit: \d+ passed, 0 failed, 0 skipped/],
  ["sigv2.test.ts", /signer sigv2: 8 passed, 0 failed, 0 skipped/],
];

const counts = { passed: 0, failed: 0 };

for (const [file, summary] of SUITES) {
  test(`${file} under #crypto = web.ts`, () => {
    try {
      const child = spawnSync(
        process.execPath,
        ["--conditions=tsaws-source", "--import", "tsx", "--import", here("./web-crypto.register.mjs"), here(`./${file}`)],
        { cwd: ROOT, encoding: "utf8", timeout: 300_000 },
      );
      const out = child.stdout + child.stderr;
      assert.equal(child.status, 0, `exit status; output tail:\n${out.slice(-3000)}`);
      assert.match(out, summary);
      counts.passed++;
    } catch (e) {
      counts.failed++;
      throw e;
    }
  });
}

after(() => {
  console.log(`signer suites under web.ts: ${counts.passed} passed, ${counts.failed} failed, 0 skipped (of ${SUITES.length} suite files)`);
});
