// Compile cost: the same small program (S3, DynamoDB and EC2, a few calls each) written for
// tsaws and for v3 (bench/compile/<variant>/program.ts, one tsconfig each, strict), type-checked
// with `tsc --noEmit --extendedDiagnostics`. Reports the median of N runs of check time and
// total time, and the instantiation/type/file counts (deterministic). A baseline program
// with no SDK shows the fixed cost of the settings (lib + @types/node).
import { join } from "node:path";
import { median } from "./common.js";
import { run } from "./proc.js";

export const COMPILE_VARIANTS = ["tsaws", "tsaws-bare", "v3", "v3-class", "baseline"] as const;
export type CompileVariant = (typeof COMPILE_VARIANTS)[number];

export interface CompileResult {
  checkTime: number;
  totalTime: number;
  checkTimes: number[];
  instantiations: number;
  types: number;
  files: number;
  memoryKiB: number;
  /** Type errors in the program (should be 0: numbers from a broken program mean little). */
  errors: number;
  firstError?: string;
}

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+([0-9.]+)(s|K)?\\s*$`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
}

export async function measureCompile(
  root: string,
  variants: readonly CompileVariant[],
  runs: number,
  log: (l: string) => void,
): Promise<Partial<Record<CompileVariant, CompileResult | { error: string }>>> {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const out: Partial<Record<CompileVariant, CompileResult | { error: string }>> = {};
  const samples = new Map<CompileVariant, string[]>();
  // Interleave the runs so machine drift spreads over all variants.
  for (let i = 0; i < runs; i++) {
    for (const v of variants) {
      const r = await run(
        process.execPath,
        [tsc, "-p", join(root, "bench", "compile", v), "--noEmit", "--extendedDiagnostics", "--pretty", "false"],
        {
          cwd: root,
          timeoutMs: 300_000,
        },
      );
      samples.set(v, [...(samples.get(v) ?? []), r.stdout + r.stderr]);
    }
  }
  for (const v of variants) {
    const texts = samples.get(v) ?? [];
    const last = texts[texts.length - 1] ?? "";
    const checkTimes = texts.map((t) => metric(t, "Check time"));
    if (checkTimes.some((x) => Number.isNaN(x))) {
      out[v] = { error: `no diagnostics from tsc: ${last.slice(0, 300)}` };
      log(`  compile ${v}: FAILED`);
      continue;
    }
    const errorLines = last.split("\n").filter((l) => /error TS\d+/.test(l));
    const res: CompileResult = {
      checkTime: median(checkTimes),
      totalTime: median(texts.map((t) => metric(t, "Total time"))),
      checkTimes,
      instantiations: metric(last, "Instantiations"),
      types: metric(last, "Types"),
      files: metric(last, "Files"),
      memoryKiB: metric(last, "Memory used"),
      errors: errorLines.length,
      ...(errorLines[0] ? { firstError: errorLines[0].slice(0, 300) } : {}),
    };
    out[v] = res;
    log(
      `  compile ${v}: check ${res.checkTime.toFixed(3)} s, total ${res.totalTime.toFixed(3)} s, ${res.instantiations} instantiations, ${res.files} files` +
        (res.errors ? `, ${res.errors} TYPE ERRORS (${res.firstError})` : ""),
    );
  }
  return out;
}
