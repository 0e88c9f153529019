// Runs every test file (test/**/*.test.ts) under node's test runner with the TypeScript
// sources of the runtime (condition `tsaws-source`), then prints one plain summary line.
// TESTS=protocols,endpoints runs only the files under those folders.
import { spawn } from "node:child_process";
import { readdirSync, statSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { tmpdir } from "node:os";

const ROOT = new URL("..", import.meta.url).pathname;
const only = process.env.TESTS?.split(",").map((s) => s.trim()).filter(Boolean);

function find(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === "vendor" || name === "golden" || name === "node_modules") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const files = find(join(ROOT, "test")).filter((f) => !only || only.some((o) => relative(join(ROOT, "test"), f).startsWith(o)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const tapDir = mkdtempSync(join(tmpdir(), "tsaws-test-"));
const tapFile = join(tapDir, "out.tap");
const args = [
  "--conditions=tsaws-source",
  "--import",
  "tsx",
  // s3rver's listing continuation tokens use a cipher that OpenSSL 3 keeps in its legacy provider.
  "--openssl-legacy-provider",
  "--test",
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? "2"}`,
  // A test that hangs (a server that never answers) fails after 5 minutes instead of stalling CI.
  `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? "300000"}`,
  "--test-reporter=spec",
  "--test-reporter-destination=stdout",
  "--test-reporter=tap",
  `--test-reporter-destination=${tapFile}`,
  ...files,
];
const child = spawn(process.execPath, args, { stdio: "inherit", cwd: ROOT });
child.on("exit", (code) => {
  let summary = "";
  try {
    const tap = readFileSync(tapFile, "utf8");
    const n = (k: string) => Number(new RegExp(`^# ${k} (\\d+)`, "m").exec(tap)?.[1] ?? 0);
    summary = `tests: ${n("pass")} passed, ${n("fail")} failed, ${n("skipped") + n("todo")} skipped`;
  } catch {
    summary = "tests: 0 passed, 1 failed (no test report was written)";
  }
  rmSync(tapDir, { recursive: true, force: true });
  console.log(`\n${summary}`);
  process.exit(code ?? 1);
});
