// Type-checks every generated service's declarations (generated/*/index.d.ts with their
// types.d.ts) against the built runtime, with skipLibCheck off, and prints tsc's cost figures.
import { spawnSync } from "node:child_process";

const ROOT = new URL("..", import.meta.url).pathname;
const started = Date.now();
const r = spawnSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, "-p", `${ROOT}tsconfig.generated.json`, "--extendedDiagnostics"], {
  encoding: "utf8",
  cwd: ROOT,
});
const out = `${r.stdout}${r.stderr}`;
const errors = out.split("\n").filter((l) => /error TS\d+/.test(l));
const figure = (name: string) => new RegExp(`^${name}:\\s+(.+)$`, "m").exec(out)?.[1]?.trim() ?? "?";
const wall = ((Date.now() - started) / 1000).toFixed(1);
if (errors.length || r.status !== 0) {
  console.error(errors.slice(0, 50).join("\n") || out);
  console.error(`typecheck: ${errors.length} errors in generated declarations`);
  process.exit(1);
}
console.log(
  `typecheck: generated declarations clean — ${figure("Files")} files, ${figure("Lines")} lines, ${figure("Types")} types, ` +
    `${figure("Instantiations")} instantiations, ${figure("Memory used")} memory, check ${figure("Check time")}, wall ${wall}s`,
);
