// Runtime measurements: CPU per call + memory (one fresh process per contender, workload
// and round, their batches taken in turns), and cold start (one fresh process per sample, samples interleaved across
// contenders so drift hits everyone alike). The servers run in their own process.
import type { Contender, Endpoints, Workload } from "./common.js";
import { median } from "./common.js";
import type { ColdResult, CpuBatch, CpuEnd } from "./child.js";
import { lastJson, run, startWorker, type Worker } from "./proc.js";

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

/**
 * A contender's CPU figures for one workload: its batches (µs of CPU per call) in the order
 * they were taken — round by round, batch by batch, the same order for every contender, so
 * `batches[i]` of two contenders were taken back to back — and its memory after the last round.
 */
export interface CpuSummary extends CpuEnd {
  /** Median over every batch of every round. */
  cpuPerCall: number;
  userPerCall: number;
  systemPerCall: number;
  wallPerCall: number;
  batches: number[];
  /** Per round, the median of its batches (their spread is the noise line of the report). */
  rounds: number[];
}

/**
 * CPU + memory, interleaved: per workload and round, one fresh process per contender does
 * its warm-up (one at a time) and then waits; the batches are then taken in turns — batch 1
 * of every contender, then batch 2, ..., the order rotating each time — so drift in the
 * machine's speed (other load, the servers slowing as they fill) hits every contender alike
 * and `batches[i]` of two contenders can be compared pairwise (report.ts takes the median
 * of those paired ratios). Memory is read from the last round's processes.
 */
export async function measureCpu(
  o: RuntimeOptions,
  workloads: readonly Workload[],
  rounds: number,
): Promise<Record<Workload, Partial<Record<Contender, Outcome<CpuSummary>>>>> {
  const out = {} as Record<Workload, Partial<Record<Contender, Outcome<CpuSummary>>>>;
  const env = childEnv(o, { BENCH_WARMUP: String(o.warmup), BENCH_BATCH_ITERS: String(o.batchIters) });
  for (const w of workloads) {
    const taken = new Map<Contender, { batches: CpuBatch[]; rounds: number[]; end?: CpuEnd }>();
    const failed = new Map<Contender, string>();
    const fail = (c: Contender, e: unknown): void => {
      const message = e instanceof Error ? e.message : String(e);
      failed.set(c, message);
      o.log(`  cpu ${w} ${c}: FAILED ${message}`);
    };
    for (let round = 0; round < Math.max(1, rounds); round++) {
      const workers = new Map<Contender, Worker>();
      const started = performance.now();
      for (const c of round % 2 === 0 ? o.contenders : [...o.contenders].reverse()) {
        if (failed.has(c)) continue;
        const worker = startWorker(process.execPath, ["--expose-gc", o.childPath, "cpu", c, w], { env, cwd: o.root });
        try {
          await worker.ask<{ ready: true }>();
          workers.set(c, worker);
        } catch (e) {
          worker.kill();
          fail(c, e);
        }
      }
      const roundBatches = new Map<Contender, CpuBatch[]>();
      for (let b = 0; b < o.batches; b++) {
        const live = [...workers.keys()];
        const order = live.map((_, i) => live[(i + b) % live.length]!);
        for (const c of order) {
          try {
            const batch = await workers.get(c)!.ask<CpuBatch>("batch");
            roundBatches.set(c, [...(roundBatches.get(c) ?? []), batch]);
          } catch (e) {
            workers.get(c)!.kill();
            workers.delete(c);
            fail(c, e);
          }
        }
      }
      for (const [c, worker] of workers) {
        try {
          const end = await worker.ask<CpuEnd>("end");
          const batches = roundBatches.get(c) ?? [];
          const t = taken.get(c) ?? { batches: [], rounds: [] };
          t.batches.push(...batches);
          t.rounds.push(median(batches.map((x) => x.cpu)));
          t.end = end;
          taken.set(c, t);
        } catch (e) {
          worker.kill();
          fail(c, e);
        }
      }
      o.log(
        `  cpu ${w} round ${round + 1} (${((performance.now() - started) / 1000).toFixed(1)} s): ` +
          o.contenders
            .filter((c) => !failed.has(c))
            .map((c) => `${c} ${(roundBatches.get(c) ?? []).map((x) => x.cpu.toFixed(0)).join(" ")}`)
            .join("; ") +
          " µs/call",
      );
    }
    out[w] = {};
    for (const c of o.contenders) {
      const f = failed.get(c);
      const t = taken.get(c);
      if (f !== undefined || !t?.end) {
        out[w][c] = { ok: false, error: f ?? "no result" };
        continue;
      }
      const pick = (k: keyof CpuBatch): number => median(t.batches.map((x) => x[k]));
      out[w][c] = {
        ok: true,
        value: {
          ...t.end,
          cpuPerCall: pick("cpu"),
          userPerCall: pick("user"),
          systemPerCall: pick("system"),
          wallPerCall: pick("wall"),
          batches: t.batches.map((x) => x.cpu),
          rounds: t.rounds,
        },
      };
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
