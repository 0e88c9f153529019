// The golden service: a small model made for the test (test/golden/models) and its generated
// output, both committed, so a reviewer sees in the diff what a codegen change does.
// `write` regenerates the committed output; `check` regenerates into memory and fails on any
// difference (run by `make golden-check` and the test suite).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { loadService } from "./model.ts";
import { emitService } from "./emit.ts";
import { formatFiles } from "./main.ts";
import { compactRuleSetSource } from "./ruleset.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MODELS = join(ROOT, "test/golden/models");
const OUT = join(ROOT, "test/golden/generated");

export async function renderGolden(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(MODELS).sort()) {
    const emitted = emitService(loadService(name, MODELS), compactRuleSetSource);
    const files = await formatFiles(emitted.files);
    for (const [f, text] of Object.entries(files)) out[`${name}/${f}`] = text;
  }
  return out;
}

/** Lists the differences between the committed golden output and a fresh rendering. */
export async function goldenDiff(): Promise<string[]> {
  const fresh = await renderGolden();
  const problems: string[] = [];
  const committed = new Set<string>();
  for (const svc of existsSync(OUT) ? readdirSync(OUT) : []) {
    for (const f of readdirSync(join(OUT, svc))) committed.add(`${svc}/${f}`);
  }
  for (const [f, text] of Object.entries(fresh)) {
    if (!committed.has(f)) problems.push(`missing ${f}`);
    else if (readFileSync(join(OUT, f), "utf8") !== text) problems.push(`differs ${f}`);
    committed.delete(f);
  }
  for (const f of committed) problems.push(`stale ${f}`);
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cmd = process.argv[2];
  if (cmd === "write") {
    const fresh = await renderGolden();
    rmSync(OUT, { recursive: true, force: true });
    for (const [f, text] of Object.entries(fresh)) {
      mkdirSync(join(OUT, f, ".."), { recursive: true });
      writeFileSync(join(OUT, f), text);
    }
    console.log(`golden: wrote ${Object.keys(fresh).length} files`);
  } else if (cmd === "check") {
    const problems = await goldenDiff();
    if (problems.length) {
      console.error(`golden output is out of date (run \`make golden\` and review the diff):\n  ${problems.join("\n  ")}`);
      process.exit(1);
    }
    console.log("golden: up to date");
  } else {
    console.error("usage: golden.ts write|check");
    process.exit(2);
  }
}
