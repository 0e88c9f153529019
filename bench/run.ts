// `make bench`: tsaws against its peers (AWS SDK v3, aws-lite, aws4fetch) and a raw floor
// (node:http + hand-written SigV4 + JSON), in one run: CPU per call, memory, cold start,
// browser bundle size and type-check cost. Prints a table and writes
// bench/results/latest.json.
//
// How: the servers (dynalite, s3rver, a fake SQS) run in their own process; every runtime
// measurement is a fresh `node` running bench/child.ts bundled to plain JS (contender
// libraries left as imports, resolved as an application resolves them: tsaws from its
// built generated/ + dist/, no tsaws-source condition), so only client work is counted.
//
// Knobs (env): BENCH_QUICK=1 (smoke-run counts), BENCH_ONLY=cpu,cold,bundle,compile,endpoints,
// BENCH_CONTENDERS=raw,tsaws,..., BENCH_WORKLOADS=dynamodb,s3,sqs,
// BENCH_COLD_WORKLOADS=dynamodb,s3, BENCH_ROUNDS, BENCH_WARMUP, BENCH_BATCHES, BENCH_BATCH_ITERS,
// BENCH_COLD_SAMPLES, BENCH_COMPILE_RUNS. No timing assertions: it reports, it never fails
// on a number; it exits non-zero only when the harness itself breaks.
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTENDERS, QUICK, WORKLOADS, envInt, type Contender, type Workload } from "./common.js";
import { measureCold, measureCpu, type RuntimeOptions } from "./runtime.js";
import { startServers } from "./proc.js";
import { measureBundles, type BundleRow } from "./bundle.js";
import { COMPILE_VARIANTS, measureCompile } from "./compile.js";
import { formatEndpoints, measureEndpoints, type EndpointsResult } from "./endpoints.js";
import { computeTargets, formatReport, type Results } from "./report.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = join(ROOT, "bench", "results");
const BUILD_DIR = join(OUT_DIR, ".build");

const SECTIONS = ["cpu", "cold", "bundle", "compile", "endpoints"] as const;
type Section = (typeof SECTIONS)[number];

function list<T extends string>(name: string, all: readonly T[], fallback: readonly T[] = all): T[] {
  const v = process.env[name];
  if (!v) return [...fallback];
  const picked = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of picked)
    if (!all.includes(p as T)) throw new Error(`bench: ${name}: unknown "${p}" (one of ${all.join(", ")})`);
  return picked as T[];
}

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
      .version;
  } catch {
    return "?";
  }
}

const log = (line: string): void => void process.stderr.write(line + "\n");
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

async function main(): Promise<void> {
  const started = performance.now();
  const sections = list<Section>("BENCH_ONLY", SECTIONS);
  const contenders = list<Contender>("BENCH_CONTENDERS", CONTENDERS);
  const workloads = list<Workload>("BENCH_WORKLOADS", WORKLOADS);
  const coldWorkloads = list<Workload>("BENCH_COLD_WORKLOADS", WORKLOADS, ["dynamodb", "s3"]);
  const cpuCfg = {
    warmup: envInt("BENCH_WARMUP", QUICK ? 30 : 1500),
    batches: envInt("BENCH_BATCHES", QUICK ? 3 : 8),
    batchIters: envInt("BENCH_BATCH_ITERS", QUICK ? 40 : 300),
  };
  const cpuRounds = envInt("BENCH_ROUNDS", QUICK ? 1 : 2);
  const coldSamples = envInt("BENCH_COLD_SAMPLES", QUICK ? 2 : 15);
  const compileRuns = envInt("BENCH_COMPILE_RUNS", QUICK ? 1 : 5);

  const tsawsBuilt =
    existsSync(join(ROOT, "dist", "runtime", "client.js")) &&
    existsSync(join(ROOT, "generated", "dynamodb", "index.js"));
  if (contenders.includes("tsaws") && !tsawsBuilt) {
    log("bench: warning: tsaws is not built (dist/runtime or generated/ missing; run `make`); its rows will fail");
  }

  const rt = { v3: version("@aws-sdk/client-dynamodb") };
  const results: Results & { endpoints?: EndpointsResult } = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "?",
      loadStart: load(),
      quick: QUICK,
      sections,
      contenders,
      versions: {
        tsaws: (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version,
        "@aws-sdk/client-*":
          rt.v3 === version("@aws-sdk/client-s3")
            ? rt.v3
            : `${rt.v3} (dynamodb) / ${version("@aws-sdk/client-s3")} (s3)`,
        "@aws-lite/client": version("@aws-lite/client"),
        aws4fetch: version("aws4fetch"),
        typescript: version("typescript"),
        esbuild: version("esbuild"),
        dynalite: version("dynalite"),
        s3rver: version("s3rver"),
      },
    },
  };

  if (sections.includes("cpu") || sections.includes("cold")) {
    // The measured child, bundled with the contender wrappers only; packages stay imports.
    mkdirSync(BUILD_DIR, { recursive: true });
    const childPath = join(BUILD_DIR, "child.mjs");
    await build({
      entryPoints: [join(ROOT, "bench", "child.ts")],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: childPath,
      logLevel: "warning",
    });
    log("bench: starting servers (dynalite, s3rver, fake SQS)");
    const servers = await startServers(ROOT);
    try {
      const o: RuntimeOptions = { root: ROOT, childPath, endpoints: servers.endpoints, contenders, ...cpuCfg, log };
      if (sections.includes("cpu")) {
        log(
          `bench: CPU + memory (${cpuRounds} round(s) of ${cpuCfg.warmup} warm-up + ${cpuCfg.batches}×${cpuCfg.batchIters} iterations per contender and workload)`,
        );
        results.meta["cpu"] = {
          ...cpuCfg,
          rounds: cpuRounds,
          calls: 1 + 2 * (cpuCfg.warmup + cpuCfg.batches * cpuCfg.batchIters),
        };
        results.cpu = await measureCpu(o, workloads, cpuRounds);
      }
      if (sections.includes("cold")) {
        log(`bench: cold start (${coldSamples} fresh processes per contender and workload)`);
        results.meta["cold"] = { samples: coldSamples, workloads: coldWorkloads };
        results.cold = await measureCold(o, coldWorkloads, coldSamples);
      }
    } finally {
      await servers.stop();
    }
  }

  if (sections.includes("bundle")) {
    log("bench: browser bundles");
    const rows: BundleRow[] = [...contenders.filter((c) => c !== "raw")];
    if (contenders.includes("tsaws")) rows.splice(rows.indexOf("tsaws") + 1, 0, "tsaws (class)");
    results.bundle = await measureBundles(ROOT, rows, log);
  }

  if (sections.includes("compile")) {
    log(`bench: compile cost (${compileRuns} run(s) per variant)`);
    results.meta["compile"] = { runs: compileRuns };
    results.compile = await measureCompile(ROOT, COMPILE_VARIANTS, compileRuns, log);
  }

  if (sections.includes("endpoints")) {
    log("bench: endpoint resolution per call (cached, uncached, first call)");
    results.endpoints = await measureEndpoints(ROOT, log);
  }

  results.meta["loadEnd"] = load();
  results.meta["seconds"] = Math.round((performance.now() - started) / 1000);
  results.targets = computeTargets(results, contenders);
  mkdirSync(OUT_DIR, { recursive: true });
  const jsonPath = join(OUT_DIR, "latest.json");
  writeFileSync(jsonPath, JSON.stringify(results, null, 2) + "\n");
  process.stdout.write("\n" + formatReport(results, contenders) + "\n\n");
  if (results.endpoints) process.stdout.write(formatEndpoints(results.endpoints) + "\n\n");
  process.stdout.write(`bench: ${String(results.meta["seconds"])} s; results in ${jsonPath}\n`);
}

main().catch((e: unknown) => {
  log(`bench: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
