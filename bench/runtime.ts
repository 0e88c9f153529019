// Runtime measurements: CPU per call + memory (one fresh process per contender and
// workload), and cold start (one fresh process per sample, samples interleaved across
// contenders so drift hits everyone alike). The servers run in their own process.
import type { Contender, Endpoints, Workload } from "./common.js";
import { median } from "./common.js";
import type { ColdResult, CpuResult } from "./child.js";
import { lastJson, run } from "./proc.js";

export interface RuntimeOptions {
  root: string;
  childPath: string;
  endpoints: Endpoints;
  contenders: readonly Contender[];
  warmup: number;
  batches: number;
  batchIters: number;
  log: (line: string) => void;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

function childEnv(o: RuntimeOptions, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_ENDPOINTS: JSON.stringify(o.endpoints), ...extra };
  // The children must run as users run: no loaders, no source conditions, no inherited flags.
  delete env["NODE_OPTIONS"];
  // v3 warns on stderr about Node 20 support ending; the bench does not need warnings.
  env["NODE_NO_WARNINGS"] = "1";
  // Keep SDK credential/region chains from reading anything from this machine.
  env["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
  env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
  env["AWS_EC2_METADATA_DISABLED"] = "true";
  delete env["AWS_PROFILE"];
  return env;
}

/** A CPU result: the round with the lowest CPU per call, plus every round's figure. */
export type CpuSummary = CpuResult & { rounds: number[] };

/**
 * CPU + memory. `rounds` passes over all contenders (odd rounds in reverse order, so no one
 * always runs first or last); per contender the round with the least CPU per call is kept
 * (the one least disturbed by other load), with all rounds listed.
 */
export async function measureCpu(
  o: RuntimeOptions,
  workloads: readonly Workload[],
  rounds: number,
): Promise<Record<Workload, Partial<Record<Contender, Outcome<CpuSummary>>>>> {
  const out = {} as Record<Workload, Partial<Record<Contender, Outcome<CpuSummary>>>>;
  const env = childEnv(o, {
    BENCH_WARMUP: String(o.warmup),
    BENCH_BATCHES: String(o.batches),
    BENCH_BATCH_ITERS: String(o.batchIters),
  });
  for (const w of workloads) {
    const acc = new Map<Contender, CpuResult[]>();
    const failed = new Map<Contender, string>();
    for (let round = 0; round < Math.max(1, rounds); round++) {
      const order = round % 2 === 0 ? o.contenders : [...o.contenders].reverse();
      for (const c of order) {
        if (failed.has(c)) continue;
        const r = await run(process.execPath, ["--expose-gc", o.childPath, "cpu", c, w], {
          env,
          cwd: o.root,
          timeoutMs: 240_000,
        });
        const v = lastJson<CpuResult>(r);
        if (v instanceof Error) {
          failed.set(c, v.message);
          o.log(`  cpu ${w} ${c}: FAILED ${v.message}`);
          continue;
        }
        acc.set(c, [...(acc.get(c) ?? []), v]);
        o.log(
          `  cpu ${w} ${c} (round ${round + 1}): ${v.cpuPerCall.toFixed(1)} µs/call (batches ${v.cpuPerCallBatches.map((x) => x.toFixed(0)).join(" ")}), ` +
            `heap ${(v.heapUsed / 1048576).toFixed(1)} MiB, rss ${(v.rss / 1048576).toFixed(1)} MiB, ${(r.wall / 1000).toFixed(1)} s`,
        );
      }
    }
    out[w] = {};
    for (const c of o.contenders) {
      const f = failed.get(c);
      const xs = acc.get(c) ?? [];
      if (f !== undefined || xs.length === 0) {
        out[w][c] = { ok: false, error: f ?? "no result" };
        continue;
      }
      const best = xs.reduce((a, b) => (b.cpuPerCall < a.cpuPerCall ? b : a));
      out[w][c] = { ok: true, value: { ...best, rounds: xs.map((x) => x.cpuPerCall) } };
    }
  }
  return out;
}

export interface ColdSummary {
  /** Median ms of import + construct + first call (in-process). */
  importConstructFirstCall: number;
  importConstruct: number;
  /** Median ms from process start to end of first call. */
  sinceProcessStart: number;
  /** Median wall ms of the whole process (spawn to exit), as the parent saw it. */
  processWall: number;
  samples: number[];
}

export async function measureCold(
  o: RuntimeOptions,
  workloads: readonly Workload[],
  samples: number,
): Promise<{
  node: { sinceProcessStart: number; processWall: number };
  results: Record<Workload, Partial<Record<Contender, Outcome<ColdSummary>>>>;
}> {
  const env = childEnv(o);
  const nodeStart: number[] = [];
  const nodeWall: number[] = [];
  const results = {} as Record<Workload, Partial<Record<Contender, Outcome<ColdSummary>>>>;
  for (const w of workloads) {
    const acc = new Map<Contender, { r: ColdResult; wall: number }[]>();
    const failed = new Map<Contender, string>();
    for (let s = 0; s < samples; s++) {
      if (w === workloads[0]) {
        const r = await run(process.execPath, [o.childPath, "noop"], { env, cwd: o.root, timeoutMs: 60_000 });
        const v = lastJson<{ sinceProcessStart: number }>(r);
        if (!(v instanceof Error)) {
          nodeStart.push(v.sinceProcessStart);
          nodeWall.push(r.wall);
        }
      }
      for (const c of o.contenders) {
        if (failed.has(c)) continue;
        const r = await run(process.execPath, [o.childPath, "cold", c, w], { env, cwd: o.root, timeoutMs: 60_000 });
        const v = lastJson<ColdResult>(r);
        if (v instanceof Error) failed.set(c, v.message);
        else acc.set(c, [...(acc.get(c) ?? []), { r: v, wall: r.wall }]);
      }
    }
    results[w] = {};
    for (const c of o.contenders) {
      const f = failed.get(c);
      const xs = acc.get(c) ?? [];
      if (f !== undefined) {
        results[w][c] = { ok: false, error: f };
        o.log(`  cold ${w} ${c}: FAILED ${f}`);
        continue;
      }
      const v: ColdSummary = {
        importConstructFirstCall: median(xs.map((x) => x.r.importConstructFirstCall)),
        importConstruct: median(xs.map((x) => x.r.importConstruct)),
        sinceProcessStart: median(xs.map((x) => x.r.sinceProcessStart)),
        processWall: median(xs.map((x) => x.wall)),
        samples: xs.map((x) => x.r.importConstructFirstCall),
      };
      results[w][c] = { ok: true, value: v };
      o.log(
        `  cold ${w} ${c}: ${v.importConstructFirstCall.toFixed(1)} ms (import+construct ${v.importConstruct.toFixed(1)} ms, process ${v.processWall.toFixed(0)} ms)`,
      );
    }
  }
  return { node: { sinceProcessStart: median(nodeStart), processWall: median(nodeWall) }, results };
}
