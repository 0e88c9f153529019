// The rules-engine conformance suite (test/vendor/conformance/endpoints/engine): every
// valid-rules ruleset must compact (load and validate), and every test-cases case must
// resolve, through the compact JS source the generator emits, to the expected url,
// properties and headers, or throw EndpointError with exactly the expected message.
// Partitions come from models/_root/partitions.json, as in generated code.
// A case may be skipped only with a reason in SKIPS, keyed by `file:index`.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, test } from "node:test";
import { compactPartitionsSource, compactRuleSetSource } from "../../codegen/endpoints.js";
import { resolveEndpoint } from "../../runtime/endpoints/engine.js";
import type { EndpointParams, Partitions, RuleSet } from "../../runtime/endpoints/types.js";
import { EndpointError } from "../../runtime/errors.js";

const DIR = new URL("../vendor/conformance/endpoints/engine/", import.meta.url);
const MODELS = new URL("../../models/", import.meta.url);
const COUNTS = { rulesets: 18, testFiles: 15, cases: 101, endpoint: 43, error: 58 };
/** Rulesets without tests (passing means they load). */
const NO_TESTS = ["deprecated-param", "get-attr-type-inference", "minimal-ruleset"];
const SKIPS: Record<string, string> = {};

interface Expect {
  endpoint?: { url: string; properties?: Record<string, unknown>; headers?: Record<string, string[]> };
  error?: string;
}
interface Case {
  documentation?: string;
  params?: EndpointParams;
  expect: Expect;
}

/** Evaluates generated JS source for a data expression (what the generated module exports). */
function load<T>(source: string): T {
  return new Function(`return (${source});`)() as T;
}

/** Runs one case; returns null on success or a description of the mismatch. */
function checkCase(ruleset: RuleSet, partitions: Partitions, params: EndpointParams, expect: Expect): string | null {
  let got;
  try {
    got = resolveEndpoint(ruleset, params, partitions);
  } catch (e) {
    if (!(e instanceof EndpointError)) return `threw ${String(e)}`;
    if (expect.error === undefined) return `unexpected error: ${e.message}`;
    return e.message === expect.error ? null : `error ${JSON.stringify(e.message)} != ${JSON.stringify(expect.error)}`;
  }
  if (!expect.endpoint) return `expected error ${JSON.stringify(expect.error)}, got ${got.url}`;
  try {
    assert.deepStrictEqual(
      { url: got.url, properties: got.properties, headers: got.headers },
      { url: expect.endpoint.url, properties: expect.endpoint.properties ?? {}, headers: expect.endpoint.headers ?? {} },
    );
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

const partitions = load<Partitions>(compactPartitionsSource(JSON.parse(readFileSync(new URL("_root/partitions.json", MODELS), "utf8"))));
const tally = { passed: 0, failed: 0, skipped: 0, endpoint: 0, error: 0, reasons: new Map<string, number>() };

const rulesetFiles = readdirSync(new URL("valid-rules/", DIR)).filter((f) => f.endsWith(".json")).sort();
const testFiles = readdirSync(new URL("test-cases/", DIR)).filter((f) => f.endsWith(".json")).sort();

test("engine suite has the expected files", () => {
  assert.equal(rulesetFiles.length, COUNTS.rulesets);
  assert.equal(testFiles.length, COUNTS.testFiles);
  const untested = rulesetFiles.filter((f) => !testFiles.includes(f)).map((f) => f.replace(/\.json$/, ""));
  assert.deepEqual(untested, NO_TESTS);
});

const rulesets = new Map<string, RuleSet>();
for (const file of rulesetFiles) {
  test(`valid-rules/${file} loads`, () => {
    const json: unknown = JSON.parse(readFileSync(new URL(`valid-rules/${file}`, DIR), "utf8"));
    rulesets.set(file, load<RuleSet>(compactRuleSetSource(json)));
  });
}

for (const file of testFiles) {
  test(`test-cases/${file}`, () => {
    const ruleset = rulesets.get(file);
    assert.ok(ruleset, `valid-rules/${file} did not load`);
    const { testCases } = JSON.parse(readFileSync(new URL(`test-cases/${file}`, DIR), "utf8")) as { testCases: Case[] };
    const failures: string[] = [];
    let passed = 0;
    let skipped = 0;
    testCases.forEach((c, i) => {
      if (c.expect.error !== undefined) tally.error++;
      else tally.endpoint++;
      const key = `${file}:${i}`;
      const skip = SKIPS[key];
      if (skip) {
        skipped++;
        tally.reasons.set(skip, (tally.reasons.get(skip) ?? 0) + 1);
        return;
      }
      const problem = checkCase(ruleset, partitions, c.params ?? {}, c.expect);
      if (problem) failures.push(`${key} (${c.documentation ?? ""}): ${problem}`);
      else passed++;
    });
    tally.passed += passed;
    tally.failed += failures.length;
    tally.skipped += skipped;
    console.log(`endpoints engine ${file}: ${passed} passed, ${failures.length} failed, ${skipped} skipped`);
    assert.deepEqual(failures, []);
  });
}

test("engine suite totals", () => {
  assert.equal(tally.endpoint + tally.error, COUNTS.cases);
  assert.equal(tally.endpoint, COUNTS.endpoint);
  assert.equal(tally.error, COUNTS.error);
  assert.equal(tally.passed + tally.failed + tally.skipped, COUNTS.cases);
});

after(() => {
  const reasons = [...tally.reasons].map(([r, n]) => `${n}: ${r}`).join("; ");
  console.log(
    `endpoints engine: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped${reasons ? ` (${reasons})` : ""}; ${rulesets.size}/${COUNTS.rulesets} rulesets load`,
  );
});
