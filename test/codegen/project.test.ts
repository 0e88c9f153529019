// The project's own files do what the README promises: `make` ends with the demo and `make test`
// runs everything, the models and golden checks have targets, CI installs and calls `make test`,
// the TypeScript settings are strict, build outputs are ignored by git, and the demo itself runs
// against the local servers (with the runtime's TypeScript sources, as the rest of the suite).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("../..", import.meta.url).pathname;
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");

/** The prerequisites and recipe lines of one Makefile target. */
function target(makefile: string, name: string): { deps: string[]; recipe: string[] } {
  const lines = makefile.split("\n");
  const i = lines.findIndex((l) => l.startsWith(`${name}:`));
  assert.ok(i >= 0, `Makefile has no ${name} target`);
  const recipe: string[] = [];
  for (let j = i + 1; j < lines.length && lines[j]!.startsWith("\t"); j++) recipe.push(lines[j]!.trim());
  return { deps: lines[i]!.slice(name.length + 1).trim().split(/\s+/).filter(Boolean), recipe };
}

test("Makefile: `make` installs, generates, builds, type-checks and ends with the demo; the other targets exist", () => {
  const mk = read("Makefile");
  const all = target(mk, "all");
  assert.deepEqual(all.deps, ["install", "generate", "build", "typecheck", "demo"]);
  assert.ok(mk.split("\n").find((l) => /^[a-z]/.test(l))?.startsWith("all:"), "all is the default goal");
  assert.ok(target(mk, "demo").recipe.some((r) => r.includes("examples/demo.js")));
  assert.ok(target(mk, "test").recipe.some((r) => r.includes("test/run.ts")));
  assert.ok(target(mk, "models-check").recipe.some((r) => r.includes("codegen/models.ts check")));
  assert.ok(target(mk, "update-models").recipe.some((r) => r.includes("codegen/models.ts update")));
  assert.ok(target(mk, "golden").recipe.some((r) => r.includes("codegen/golden.ts write")));
  assert.ok(target(mk, "golden-check").recipe.some((r) => r.includes("codegen/golden.ts check")));
  // Every declared phony target has a rule.
  const phonyLine = mk.replace(/\\\n/g, " ").split("\n").find((l) => l.startsWith(".PHONY:"))!;
  const phony = phonyLine.slice(".PHONY:".length).split(/\s+/).filter(Boolean);
  assert.ok(phony.includes("test") && phony.includes("golden-check"), phony.join(" "));
  for (const t of phony) target(mk, t);
  // `make generate` verifies models/ against the manifest before generating anything.
  assert.match(read("codegen/main.ts"), /const files = checkModels\(\);/);
});

test("CI installs the dependencies and runs make test", () => {
  const ci = read(".ci/run");
  assert.match(ci, /^#!\/usr\/bin\/env bash/);
  assert.match(ci, /set -euo pipefail/);
  assert.match(ci, /npm (ci|install)/);
  assert.match(ci, /^make test$/m);
});

test("tsconfig is strict; .gitignore keeps build outputs out; README documents make and make test", () => {
  const ts = JSON.parse(read("tsconfig.json")) as { compilerOptions: Record<string, unknown> };
  for (const flag of ["strict", "exactOptionalPropertyTypes", "noUncheckedIndexedAccess"]) assert.equal(ts.compilerOptions[flag], true, flag);
  const gen = JSON.parse(read("tsconfig.generated.json")) as { compilerOptions: Record<string, unknown> };
  for (const flag of ["strict", "exactOptionalPropertyTypes", "noUncheckedIndexedAccess"]) assert.equal(gen.compilerOptions[flag], true, `generated: ${flag}`);
  const ignore = read(".gitignore").split("\n");
  for (const entry of ["node_modules/", "/generated/", "/dist/"]) assert.ok(ignore.includes(entry), `.gitignore lacks ${entry}`);
  const readme = read("README.md");
  assert.match(readme, /^make +#/m);
  assert.match(readme, /^make test +#/m);
  assert.match(readme, /make update-models/);
  assert.match(readme, /make golden-check/);
});

test("the demo runs against s3rver and dynalite and finishes", () => {
  const out = execFileSync(process.execPath, ["--conditions=tsaws-source", "--import", "tsx", "--openssl-legacy-provider", "examples/demo.js"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
  });
  assert.match(out, /getObject hello\.txt -> "Hello from tsaws!"/);
  assert.match(out, /NoSuchKey \(instanceof NoSuchKey: true, HTTP 404\)/);
  assert.match(out, /ConditionalCheckFailedException \(instanceof: true\)/);
  assert.match(out, /demo: done\s*$/);
});
