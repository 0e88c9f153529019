// The JMESPath compliance suite (test/vendor/conformance/jmespath/*.json) against
// runtime/jmespath. A `result` case passes when `search(expression, given)` equals the
// expected JSON value (`"result": null` expects null); an `error` case passes when compiling
// or searching throws a JmesPathError of that kind. `bench` cases (benchmarks.json) are
// run, `parse` ones through the parser only and `full` ones through search, but they have
// no expected value: they are counted apart, not as assertions. Counts are asserted per
// file so a truncated copy fails. A case may be skipped only with a reason in SKIPS, keyed
// by `file:group:case`.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, test } from "node:test";
import { JmesPathError, compile } from "../../runtime/jmespath/index.js";
import { parse } from "../../runtime/jmespath/parser.js";

const DIR = new URL("../vendor/conformance/jmespath/", import.meta.url);
/** Per file: result, error and bench cases. */
const COUNTS: Record<string, [number, number, number]> = {
  "basic.json": [18, 0, 0],
  "benchmarks.json": [0, 0, 16],
  "boolean.json": [60, 0, 0],
  "current.json": [3, 0, 0],
  "escape.json": [8, 0, 0],
  "filters.json": [88, 0, 0],
  "functions.json": [130, 45, 0],
  "identifiers.json": [125, 0, 0],
  "indices.json": [59, 0, 0],
  "literal.json": [40, 1, 0],
  "multiselect.json": [53, 0, 0],
  "pipe.json": [17, 0, 0],
  "slice.json": [37, 4, 0],
  "syntax.json": [35, 100, 0],
  "unicode.json": [4, 0, 0],
  "wildcard.json": [65, 0, 0],
};
const TOTALS = { result: 742, error: 150, bench: 16 };
const SKIPS: Record<string, string> = {};

interface Case {
  expression: string;
  result?: unknown;
  error?: string;
  bench?: "parse" | "full";
}
interface Group {
  given: unknown;
  cases: Case[];
}

/** JSON equality (key order ignored, numbers by value). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as never)[k], (b as never)[k]))
    );
  }
  return false;
}

/** Runs one assertion case; null when it passes, else what went wrong. */
function check(c: Case, given: unknown): string | null {
  let got: unknown;
  try {
    got = compile(c.expression).search(given);
  } catch (e) {
    if (!(e instanceof JmesPathError)) return `threw a non-JmesPathError: ${String(e)}`;
    if (c.error === undefined) return `unexpected ${e.kind} error: ${e.message}`;
    return e.kind === c.error ? null : `raised ${e.kind} (${e.message}), expected ${c.error}`;
  }
  if (c.error !== undefined) return `expected a ${c.error} error, got ${JSON.stringify(got)}`;
  return jsonEqual(got, c.result) ? null : `got ${JSON.stringify(got)}, expected ${JSON.stringify(c.result)}`;
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();
const total = { passed: 0, failed: 0, skipped: 0, result: 0, error: 0, bench: 0, benchRan: 0 };
const lines: string[] = [];

test("the suite has the expected files", () => {
  assert.deepEqual(files, Object.keys(COUNTS).sort());
});

for (const file of files) {
  test(file, () => {
    const groups = JSON.parse(readFileSync(new URL(file, DIR), "utf8")) as Group[];
    const tally = { passed: 0, failed: 0, skipped: 0, result: 0, error: 0, bench: 0, benchRan: 0 };
    const failures: string[] = [];
    groups.forEach((group, g) =>
      group.cases.forEach((c, i) => {
        const key = `${file}:${g}:${i}`;
        if (c.bench !== undefined) {
          // Not an assertion: runs the expression the way the benchmark names.
          tally.bench++;
          try {
            if (c.bench === "parse") parse(c.expression);
            else compile(c.expression).search(group.given);
            tally.benchRan++;
          } catch (e) {
            failures.push(`${key} bench ${JSON.stringify(c.expression)} threw ${String(e)}`);
          }
          return;
        }
        if ("error" in c) tally.error++;
        else if ("result" in c) tally.result++;
        else throw new Error(`${key}: case has neither result, error nor bench`);
        if (SKIPS[key]) {
          tally.skipped++;
          return;
        }
        const problem = check(c, group.given);
        if (problem === null) tally.passed++;
        else {
          tally.failed++;
          failures.push(`${key} ${JSON.stringify(c.expression)}: ${problem}`);
        }
      }),
    );
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += tally[k];
    const bench = tally.bench ? `, ${tally.benchRan}/${tally.bench} benchmarks ran (not assertions)` : "";
    lines.push(`  ${file}: ${tally.passed} passed / ${tally.failed} failed / ${tally.skipped} skipped${bench}`);
    assert.deepEqual([tally.result, tally.error, tally.bench], COUNTS[file], `${file}: case counts`);
    assert.deepEqual(failures, [], `${file}: ${failures.length} failing`);
  });
}

after(() => {
  const reasons = [...new Set(Object.values(SKIPS))];
  console.log(lines.join("\n"));
  console.log(
    `jmespath compliance: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped` +
      `${reasons.length ? ` (${reasons.join("; ")})` : ""}; ${total.benchRan}/${total.bench} benchmarks ran (not assertions)`,
  );
});

test("totals", () => {
  // Runs after the per-file tests (node:test runs top-level tests in order).
  assert.deepEqual({ result: total.result, error: total.error, bench: total.bench }, TOTALS);
  assert.equal(total.passed + total.failed + total.skipped, TOTALS.result + TOTALS.error);
});
