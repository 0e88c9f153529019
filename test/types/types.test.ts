// Runs the compile-time checks in test/types/*.ts through tsc: code that must compile does,
// and every `@ts-expect-error` line really is an error (tsc flags an unused directive).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

const ROOT = new URL("../..", import.meta.url).pathname;

test("generated types accept valid input and reject invalid input", () => {
  let output = "";
  try {
    execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, "-p", `${ROOT}test/types/tsconfig.json`], {
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (e) {
    output = String((e as { stdout?: string }).stdout ?? e);
  }
  assert.equal(output.trim(), "", `type errors:\n${output}`);
});
