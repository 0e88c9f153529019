// The measured process. bench/run.ts bundles this file (with the contender wrappers, not
// the libraries) to plain JS and starts one fresh `node` per measurement, without loaders
// or the tsaws-source condition, so every library runs as users run it.
//
//   child.mjs cpu  <contender> <workload>   warm-up, then `{"ready":true}`; then, for each
//                                             `batch` line on stdin, one batch of iterations and
//                                             its CPU per call (process.cpuUsage, user + system);
//                                             on `end`, heap/RSS after a full GC (needs --expose-gc)
//   child.mjs cold <contender> <workload>   import + construct + first call, timed in-process
//   child.mjs noop                           nothing: node's own start-up, for reference
//
// Endpoints come in BENCH_ENDPOINTS (JSON); counts in BENCH_WARMUP / BENCH_BATCH_ITERS.
// Every answer is one JSON line on stdout; the last one is the result.
import { createInterface } from "node:readline";
import {
  CONTENDERS,
  WORKLOADS,
  envInt,
  type Contender,
  type ContenderModule,
  type Endpoints,
  type Workload,
} from "./common.js";
import raw from "./contenders/raw.js";
import tsaws from "./contenders/tsaws.js";
import v3 from "./contenders/v3.js";
import awsLite from "./contenders/aws-lite.js";
import aws4fetch from "./contenders/aws4fetch.js";

const MODULES: Record<Contender, ContenderModule> = { raw, tsaws, v3, "aws-lite": awsLite, aws4fetch };

/** One batch of iterations, as the child measured it: µs per call. */
export interface CpuBatch {
  /** CPU (user + system). */
  cpu: number;
  user: number;
  system: number;
  /** Wall time (includes server time). */
  wall: number;
}

/** The child's last line, after its batches and two full GCs. */
export interface CpuEnd {
  calls: number;
  heapUsed: number;
  rss: number;
  external: number;
  /** heapUsed after construct + first call, after GC (before the loop). */
  heapUsedAtStart: number;
}

export interface ColdResult {
  /** ms from the first line of this module to the end of the first call. */
  importConstructFirstCall: number;
  importConstruct: number;
  /** ms from process start (performance time origin) to the end of the first call. */
  sinceProcessStart: number;
}

function arg<T extends string>(i: number, allowed: readonly T[]): T {
  const v = process.argv[i];
  if (!allowed.includes(v as T))
    throw new Error(`bench child: argument ${i - 1} must be one of ${allowed.join(", ")}, got ${String(v)}`);
  return v as T;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<unknown> {
  const mode = arg(2, ["cpu", "cold", "noop"] as const);
  if (mode === "noop") return { sinceProcessStart: performance.now() };
  const contender = arg(3, CONTENDERS);
  const workload = arg(4, WORKLOADS) as Workload;
  const endpoints = JSON.parse(process.env["BENCH_ENDPOINTS"] ?? "null") as Endpoints | null;
  if (!endpoints) throw new Error("bench child: BENCH_ENDPOINTS is not set");

  if (mode === "cold") {
    const t0 = performance.now();
    const h = await MODULES[contender][workload](endpoints);
    const t1 = performance.now();
    await h.first();
    const t2 = performance.now();
    h.close();
    const r: ColdResult = { importConstructFirstCall: t2 - t0, importConstruct: t1 - t0, sinceProcessStart: t2 };
    return r;
  }

  if (!gc) throw new Error("bench child: run with --expose-gc");
  const warmup = envInt("BENCH_WARMUP", 500);
  const perBatch = Math.max(1, envInt("BENCH_BATCH_ITERS", 400));
  const h = await MODULES[contender][workload](endpoints);
  await h.first();
  gc();
  const heapUsedAtStart = process.memoryUsage().heapUsed;
  for (let i = 0; i < warmup; i++) await h.call();
  // Warm: the parent now asks for one batch at a time, taking turns with the other
  // contenders' processes, so that every contender's batches sample the same moments.
  process.stdout.write(JSON.stringify({ ready: true }) + "\n");
  let batches = 0;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "batch") {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      for (let i = 0; i < perBatch; i++) await h.call();
      const w1 = performance.now();
      const d = process.cpuUsage(c0);
      const calls = perBatch * 2;
      const b: CpuBatch = {
        cpu: (d.user + d.system) / calls,
        user: d.user / calls,
        system: d.system / calls,
        wall: ((w1 - w0) * 1000) / calls,
      };
      batches++;
      process.stdout.write(JSON.stringify(b) + "\n");
    } else if (line === "end") break;
    else throw new Error(`bench child: unknown command ${JSON.stringify(line)}`);
  }
  gc();
  gc();
  const mem = process.memoryUsage();
  h.close();
  const r: CpuEnd = {
    calls: 1 + 2 * (warmup + batches * perBatch),
    heapUsed: mem.heapUsed,
    rss: mem.rss,
    external: mem.external,
    heapUsedAtStart,
  };
  return r;
}

main().then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + "\n");
    process.exit(0);
  },
  (e: unknown) => {
    const err = e as { name?: string; message?: string; stack?: string };
    process.stderr.write(`${err.stack ?? `${err.name}: ${err.message}`}\n`);
    process.exit(1);
  },
);
