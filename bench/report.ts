// Turns the bench results into the printed tables (ratios to the raw floor and to v3) and
// the target verdicts the issues set. Pure functions of the results object.
import type { Contender, Workload } from "./common.js";
import type { ColdSummary, CpuSummary, Outcome } from "./runtime.js";
import type { BundleOp, BundleResults, BundleRow, BundleSize, TsawsEndpointShare } from "./bundle.js";
import type { CompileResult, CompileVariant } from "./compile.js";

export interface Results {
  meta: Record<string, unknown>;
  cpu?: Partial<Record<Workload, Partial<Record<Contender, Outcome<CpuSummary>>>>>;
  cold?: {
    node: { sinceProcessStart: number; processWall: number };
    results: Partial<Record<Workload, Partial<Record<Contender, Outcome<ColdSummary>>>>>;
  };
  bundle?: BundleResults;
  compile?: Partial<Record<CompileVariant, CompileResult | { error: string }>>;
  targets?: Target[];
}

export interface Target {
  what: string;
  goal: string;
  value: string;
  met: boolean | null;
}

const LABEL: Record<Workload, string> = {
  dynamodb: "DynamoDB Put+Get",
  s3: "S3 Put+Get 1 KiB",
  sqs: "SQS Send+Receive",
};
const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : " ".repeat(n - s.length) + s);
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !(b > 0) ? "-" : `${(a / b).toFixed(2)}x`;
const mib = (b: number): string => (b / 1048576).toFixed(1);

function ok<T>(o: Outcome<T> | undefined): T | undefined {
  return o && o.ok ? o.value : undefined;
}

/**
 * CPU per call of `a` relative to `b`: the median of the ratios of their batches taken back to
 * back (runtime.ts takes every contender's batch i in one turn), which cancels the machine's
 * drift between turns that a ratio of two medians would keep.
 */
export function cpuRatio(a: CpuSummary | undefined, b: CpuSummary | undefined): number | undefined {
  return a && b ? pairedRatio(a.batches, b.batches) : undefined;
}

/** Cold start of `a` relative to `b`: the median ratio of their samples, taken in turns (runtime.ts). */
export function coldRatio(a: ColdSummary | undefined, b: ColdSummary | undefined): number | undefined {
  return a && b ? pairedRatio(a.samples, b.samples) : undefined;
}

/** The median of a[i] / b[i]: measurements taken back to back, so the machine's drift cancels. */
function pairedRatio(a: readonly number[], b: readonly number[]): number | undefined {
  if (a.length !== b.length || a.length === 0) return undefined;
  const rs = a.map((x, i) => x / b[i]!).sort((p, q) => p - q);
  const m = rs.length >> 1;
  return rs.length % 2 ? rs[m] : (rs[m - 1]! + rs[m]!) / 2;
}

const times = (x: number | undefined): string => (x === undefined ? "-" : `${x.toFixed(2)}x`);

function isSize(x: BundleSize | { error: string } | undefined): x is BundleSize {
  return x !== undefined && "raw" in x;
}

function isCompile(x: CompileResult | { error: string } | undefined): x is CompileResult {
  return x !== undefined && "checkTime" in x;
}

export function computeTargets(r: Results, contenders: readonly Contender[]): Target[] {
  const t: Target[] = [];
  if (r.cpu && contenders.includes("tsaws")) {
    for (const [w, row] of Object.entries(r.cpu) as [Workload, Partial<Record<Contender, Outcome<CpuSummary>>>][]) {
      const vsRaw = cpuRatio(ok(row.tsaws), ok(row.raw));
      const vsV3 = cpuRatio(ok(row.tsaws), ok(row.v3));
      t.push({
        what: `CPU/call ${LABEL[w]}: tsaws vs raw floor`,
        goal: "<= 1.30x",
        value: times(vsRaw),
        met: vsRaw !== undefined ? vsRaw <= 1.3 : null,
      });
      t.push({
        what: `CPU/call ${LABEL[w]}: tsaws vs v3`,
        goal: "< 0.50x",
        value: times(vsV3),
        met: vsV3 !== undefined ? vsV3 < 0.5 : null,
      });
    }
  }
  if (r.bundle) {
    for (const [op, row] of Object.entries(r.bundle.sizes) as [
      BundleOp,
      Partial<Record<BundleRow, BundleSize | { error: string }>>,
    ][]) {
      const ts = row.tsaws;
      const v3 = row.v3;
      if (!row.tsaws && !row.v3) continue;
      for (const k of ["raw", "gzip"] as const) {
        const a = isSize(ts) ? ts[k] : undefined;
        const b = isSize(v3) ? v3[k] : undefined;
        t.push({
          what: `bundle ${op} (${k === "raw" ? "minified" : "min+gzip"}): tsaws vs v3`,
          goal: "< 0.20x",
          value: ratio(a, b),
          met: a !== undefined && b !== undefined ? a / b < 0.2 : null,
        });
      }
      // With lazily loaded chunks, the total (every chunk) is checked too.
      if (isSize(ts) && ts.lazyChunks && isSize(v3)) {
        for (const k of ["totalRaw", "totalGzip"] as const) {
          const a = ts[k];
          const b = v3[k] ?? v3[k === "totalRaw" ? "raw" : "gzip"];
          t.push({
            what: `bundle ${op} (${k === "totalRaw" ? "minified" : "min+gzip"}, incl. lazy chunks): tsaws vs v3`,
            goal: "< 0.20x",
            value: ratio(a, b),
            met: a !== undefined && b !== undefined ? a / b < 0.2 : null,
          });
        }
      }
    }
  }
  if (r.cold) {
    for (const [w, row] of Object.entries(r.cold.results) as [
      Workload,
      Partial<Record<Contender, Outcome<ColdSummary>>>,
    ][]) {
      const vsV3 = coldRatio(ok(row.tsaws), ok(row.v3));
      t.push({
        what: `cold start ${w} (import+construct+first call): tsaws vs v3`,
        goal: "< 0.33x",
        value: times(vsV3),
        met: vsV3 !== undefined ? vsV3 < 1 / 3 : null,
      });
    }
  }
  if (r.compile) {
    const ts = r.compile.tsaws;
    const v3 = r.compile.v3;
    const a = isCompile(ts) && ts.errors === 0 ? ts.checkTime : undefined;
    const b = isCompile(v3) && v3.errors === 0 ? v3.checkTime : undefined;
    t.push({
      what: "type-check time (tsc Check time): tsaws vs v3",
      goal: "<= 0.50x",
      value: ratio(a, b),
      met: a !== undefined && b !== undefined ? a / b <= 0.5 : null,
    });
  }
  return t;
}

export function formatReport(r: Results, contenders: readonly Contender[]): string {
  const L: string[] = [];
  const m = r.meta;
  L.push(
    `tsaws bench — ${String(m["node"])} on ${String(m["cpus"])} × ${String(m["cpuModel"])}, load avg ${String(m["loadStart"])} → ${String(m["loadEnd"])}${m["quick"] ? " (BENCH_QUICK: smoke-run counts, numbers are rough)" : ""}`,
  );
  L.push(
    `versions: ${Object.entries(m["versions"] as Record<string, string>)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  const cw = 12;

  if (r.cpu) {
    const c = m["cpu"] as { warmup: number; batches: number; batchIters: number; rounds: number };
    L.push("");
    L.push(
      `1. CPU per call — µs of client-process CPU (user+sys): median of ${c.rounds} round(s) × ${c.batches} batches × ${c.batchIters} iterations (2 calls each) after ${c.warmup} warm-up iterations, ` +
        `a fresh process per contender and round, batches taken in turns; ratios are medians of the paired batch ratios; servers in another process`,
    );
    const ws = Object.keys(r.cpu) as Workload[];
    L.push(pad("", cw) + ws.map((w) => pad(LABEL[w], 24)).join(""));
    L.push(pad("", cw) + ws.map(() => pad(lpad("µs", 7) + lpad("×raw", 8) + lpad("×v3", 8), 24)).join(""));
    for (const ct of contenders) {
      let line = pad(ct, cw);
      for (const w of ws) {
        const row = r.cpu[w]!;
        const o = row[ct];
        const v = ok(o);
        line += pad(
          v === undefined
            ? lpad(o ? "failed" : "-", 7) + " ".repeat(16)
            : lpad(v.cpuPerCall.toFixed(1), 7) +
                lpad(times(cpuRatio(v, ok(row.raw))), 8) +
                lpad(times(cpuRatio(v, ok(row.v3))), 8),
          24,
        );
      }
      L.push(line);
    }
    const spreads: number[] = [];
    for (const w of ws) {
      for (const ct of contenders) {
        const rs = ok(r.cpu[w]![ct])?.rounds ?? [];
        if (rs.length > 1) spreads.push(Math.max(...rs) / Math.min(...rs) - 1);
      }
    }
    if (spreads.length > 0) {
      const sorted = [...spreads].sort((a, b) => a - b);
      L.push(
        `   drift: round-to-round spread of a contender's CPU/call, median ${(100 * sorted[sorted.length >> 1]!).toFixed(0)}%, max ${(100 * sorted[sorted.length - 1]!).toFixed(0)}% (what pairing the batches cancels)`,
      );
    }
    for (const w of ws) {
      const ts = ok(r.cpu[w]!.tsaws);
      const raw = ok(r.cpu[w]!.raw);
      if (!ts || !raw || ts.batches.length !== raw.batches.length || ts.batches.length < 4) continue;
      const rs = ts.batches.map((x, i) => x / raw.batches[i]!).sort((p, q) => p - q);
      const q = (f: number): string => rs[Math.min(rs.length - 1, Math.floor(f * rs.length))]!.toFixed(2);
      L.push(
        `   tsaws/raw per batch pair, ${LABEL[w]}: quartiles ${q(0.25)} / ${q(0.5)} / ${q(0.75)}, range ${rs[0]!.toFixed(2)}–${rs[rs.length - 1]!.toFixed(2)} (${rs.length} pairs)`,
      );
    }
    L.push("");
    L.push(
      `2. Memory after ${String((m["cpu"] as { calls?: number }).calls ?? "?")} calls, after full GC (--expose-gc) — heapUsed / RSS in MiB`,
    );
    L.push(pad("", cw) + ws.map((w) => pad(LABEL[w], 24)).join(""));
    for (const ct of contenders) {
      let line = pad(ct, cw);
      for (const w of ws) {
        const v = ok(r.cpu[w]![ct]);
        line += pad(
          v ? lpad(mib(v.heapUsed), 7) + " / " + lpad(mib(v.rss), 6) : lpad(r.cpu[w]![ct] ? "failed" : "-", 7),
          24,
        );
      }
      L.push(line);
    }
    const heapRow = ws.map((w) => ratio(ok(r.cpu![w]!.tsaws)?.heapUsed, ok(r.cpu![w]!.v3)?.heapUsed)).join(", ");
    const rssRow = ws.map((w) => ratio(ok(r.cpu![w]!.tsaws)?.rss, ok(r.cpu![w]!.v3)?.rss)).join(", ");
    L.push(`   tsaws vs v3: heapUsed ${heapRow}; RSS ${rssRow}`);
  }

  if (r.cold) {
    const c = m["cold"] as { samples: number };
    L.push("");
    L.push(
      `3. Cold start — ms for import + construct + first call, in a fresh node process, median of ${c.samples} taken in turns (process wall, spawn to exit, in parentheses; bare node: ${r.cold.node.processWall.toFixed(0)} ms); ratios are medians of the paired samples`,
    );
    const ws = Object.keys(r.cold.results) as Workload[];
    L.push(
      pad("", cw) +
        ws
          .map((w) =>
            pad(`${w} (first ${w === "dynamodb" ? "GetItem" : w === "s3" ? "GetObject" : "SendMessage"})`, 34),
          )
          .join(""),
    );
    L.push(
      pad("", cw) +
        ws.map(() => pad(lpad("ms", 7) + lpad("(wall)", 8) + lpad("×raw", 8) + lpad("×v3", 8), 34)).join(""),
    );
    for (const ct of contenders) {
      let line = pad(ct, cw);
      for (const w of ws) {
        const row = r.cold.results[w]!;
        const v = ok(row[ct]);
        line += pad(
          v
            ? lpad(v.importConstructFirstCall.toFixed(1), 7) +
                lpad(`(${v.processWall.toFixed(0)})`, 8) +
                lpad(times(coldRatio(v, ok(row.raw))), 8) +
                lpad(times(coldRatio(v, ok(row.v3))), 8)
            : lpad(row[ct] ? "failed" : "-", 7),
          34,
        );
      }
      L.push(line);
    }
    for (const w of ws) {
      const row = r.cold.results[w]!;
      const parts = contenders.map((ct) => {
        const v = ok(row[ct]);
        return `${ct} ${v ? v.importConstruct.toFixed(1) : "-"}`;
      });
      L.push(`   ${w}: of which import + construct (ms): ${parts.join(", ")}`);
    }
  }

  if (r.bundle) {
    L.push("");
    L.push(
      "4. Browser bundle — esbuild --bundle --minify --splitting --platform=browser --format=esm, one operation; initial bytes (entry + static chunks) minified / gzip -9 (ratio to v3 on gzip); lazy chunks below",
    );
    const ops = Object.keys(r.bundle.sizes) as BundleOp[];
    const rows = new Set<BundleRow>();
    for (const op of ops) for (const k of Object.keys(r.bundle.sizes[op]) as BundleRow[]) rows.add(k);
    L.push(pad("", 15) + ops.map((o) => pad(o, 30)).join(""));
    for (const row of rows) {
      let line = pad(row, 15);
      for (const op of ops) {
        const s = r.bundle.sizes[op][row];
        const v3 = r.bundle.sizes[op].v3;
        line += pad(
          isSize(s)
            ? lpad(String(s.raw), 8) +
                " / " +
                lpad(String(s.gzip), 6) +
                lpad(ratio(s.gzip, isSize(v3) ? v3.gzip : undefined), 8)
            : s
              ? "  " + shortBundleError(s.error)
              : "",
          30,
        );
      }
      L.push(line);
    }
    // Lazily loaded chunks (dynamic import()): the table shows the initial bytes; the total follows.
    for (const op of ops) {
      for (const [row, s] of Object.entries(r.bundle.sizes[op])) {
        const v3 = r.bundle.sizes[op].v3;
        if (isSize(s) && s.lazyChunks)
          L.push(
            `   ${row} ${op}: initial ${s.raw} / ${s.gzip} B; with its ${s.lazyChunks} lazy chunk(s) ${s.totalRaw} / ${s.totalGzip} B` +
              ` (${ratio(s.totalRaw, isSize(v3) ? (v3.totalRaw ?? v3.raw) : undefined)} min, ${ratio(s.totalGzip, isSize(v3) ? (v3.totalGzip ?? v3.gzip) : undefined)} gz of v3's total)`,
          );
      }
    }
    for (const op of ops) {
      for (const [row, s] of Object.entries(r.bundle.sizes[op])) {
        if (s && "error" in s && !shortBundleError(s.error).startsWith("n/a"))
          L.push(`   ${row} ${op} failed: ${s.error}`);
      }
    }
    for (const op of ops) {
      const e = r.bundle.tsawsEndpoints[op];
      if (!e) continue;
      if ("error" in e) {
        L.push(`   tsaws ${op} endpoint share: failed: ${e.error}`);
        continue;
      }
      L.push(`   tsaws ${op} endpoint share: ${endpointLine(e, r.bundle.sizes[op].tsaws)}`);
      L.push(
        `   tsaws ${op} largest inputs (min bytes): ${e.largest.map((x) => `${x.path.replace(/^node_modules\//, "")} ${x.bytes}`).join(", ")}`,
      );
    }
  }

  if (r.compile) {
    const c = m["compile"] as { runs: number };
    L.push("");
    L.push(
      `5. Compile cost — tsc ${String((m["versions"] as Record<string, string>)["typescript"])} --noEmit --extendedDiagnostics, strict, skipLibCheck; S3+DynamoDB+EC2 program; median of ${c.runs} runs`,
    );
    L.push(
      pad("", 12) +
        lpad("check s", 9) +
        lpad("total s", 9) +
        lpad("instant.", 10) +
        lpad("types", 9) +
        lpad("files", 7) +
        lpad("mem MiB", 9) +
        lpad("check×v3", 10) +
        lpad("total×v3", 10),
    );
    const v3 = r.compile.v3;
    for (const [v, res] of Object.entries(r.compile) as [CompileVariant, CompileResult | { error: string }][]) {
      if (!isCompile(res)) {
        L.push(pad(v, 12) + "failed: " + res.error.slice(0, 100));
        continue;
      }
      L.push(
        pad(v, 12) +
          lpad(res.checkTime.toFixed(3), 9) +
          lpad(res.totalTime.toFixed(3), 9) +
          lpad(String(res.instantiations), 10) +
          lpad(String(res.types), 9) +
          lpad(String(res.files), 7) +
          lpad((res.memoryKiB / 1024).toFixed(0), 9) +
          lpad(ratio(res.checkTime, isCompile(v3) ? v3.checkTime : undefined), 10) +
          lpad(ratio(res.totalTime, isCompile(v3) ? v3.totalTime : undefined), 10) +
          (res.errors ? `  (${res.errors} type errors!)` : ""),
      );
    }
    L.push(
      "   variants: tsaws = `new S3(cfg).getObject()`, tsaws-bare = `client.send(GetObject, …)`, v3 = `client.send(new GetObjectCommand(…))`, v3-class = `new S3(cfg).getObject()`",
    );
  }

  if (r.targets && r.targets.length > 0) {
    L.push("");
    L.push("Targets (from the issues)");
    for (const t of r.targets) {
      L.push(
        `  ${t.met === null ? "n/a " : t.met ? "MET " : "MISS"}  ${pad(t.what, 66)} ${lpad(t.value, 7)}  (goal ${t.goal})`,
      );
    }
  }
  return L.join("\n");
}

function shortBundleError(e: string): string {
  if (/Could not resolve "(node:)?(child_process|fs|path|http|https|os|crypto)"/.test(e))
    return "n/a: Node-only (node builtins)";
  return "failed (below)";
}

function endpointLine(e: TsawsEndpointShare, full: BundleSize | { error: string } | undefined): string {
  const f = isSize(full) ? full : undefined;
  const d = (s: BundleSize): string =>
    f ? `-${f.raw - s.raw} B min / -${f.gzip - s.gzip} B gz` : `${s.raw} / ${s.gzip}`;
  return (
    `metafile: rule set ${e.metafile.ruleSet} B, partitions ${e.metafile.partitions} B, rules engine ${e.metafile.engine} B of ${e.metafile.total} B minified; ` +
    `stubbing the rule set ${d(e.withoutRuleSet)}, rule set + partitions ${d(e.withoutRuleSetAndPartitions)}`
  );
}
