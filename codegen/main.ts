// The generator's entry point: checks models/ against its manifest, then emits every
// service (or those named in SERVICES=a,b) into generated/<service>/, spread over worker
// threads (one per core). Each worker runs the pure emitter; only this thread writes files,
// in sorted order, so the output is the same whatever the scheduling.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { mkdirSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { listServices, loadService } from "./model.ts";
import { emitService } from "./emit.ts";
import { checkModels } from "./models.ts";
import { compactRuleSetSource } from "./ruleset.ts";
import { format } from "prettier";

const ROOT = new URL("..", import.meta.url).pathname;

interface Job { services: string[] }
interface Result { name: string; files: Record<string, string>; operations: number; error?: string }

/** Prettier settings for generated code (explicit, so no local config file changes the bytes). */
export const PRETTIER = { printWidth: 120 } as const;

/** Formats emitted files; rule-set data (endpoints.js) stays compact: it is data, not code to read. */
export async function formatFiles(files: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [f, text] of Object.entries(files)) {
    if (f === "endpoints.js" || process.env.CODEGEN_NO_FORMAT) out[f] = text;
    else out[f] = await format(text, { ...PRETTIER, parser: f.endsWith(".ts") ? "typescript" : "babel" });
  }
  return out;
}

async function generateOne(name: string): Promise<Result> {
  try {
    const emitted = emitService(loadService(name), compactRuleSetSource);
    return { name, operations: emitted.operations, files: await formatFiles(emitted.files) };
  } catch (e) {
    return { name, files: {}, operations: 0, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const outDir = process.env.GENERATED_DIR ?? join(ROOT, "generated");
  const files = checkModels();
  const all = listServices();
  const only = process.env.SERVICES?.split(",").map((s) => s.trim()).filter(Boolean);
  const services = only?.length ? only : all;
  for (const s of services) if (!all.includes(s)) throw new Error(`SERVICES names ${s}, which is not in models/`);

  if (!only?.length) {
    // A full run owns the folder: stale services disappear.
    for (const d of existsSync(outDir) ? readdirSync(outDir) : []) if (d !== "_root" && !all.includes(d)) rmSync(join(outDir, d), { recursive: true });
  }
  const { emitRoot } = await import("./root.ts");
  emitRoot(join(outDir, "_root"));

  const workers = Math.max(1, Math.min(Number(process.env.CODEGEN_WORKERS) || availableParallelism(), services.length));
  // Big services first so the workers finish together.
  const queue = [...services].sort((a, b) => sizeHint(b) - sizeHint(a));
  let ops = 0;
  // Paginator tokens and waiter acceptor paths the JMESPath compiler could not turn into typed
  // code: emitted as strings for the runtime interpreter, each with a `// tsaws:` note in index.js.
  const interpreted: string[] = [];
  const failures: string[] = [];
  const write = (r: Result) => {
    if (r.error) {
      failures.push(`${r.name}: ${r.error}`);
      return;
    }
    const dir = join(outDir, r.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of Object.keys(r.files).sort()) writeFileSync(join(dir, f), r.files[f]!);
    ops += r.operations;
    for (const line of (r.files["index.js"] ?? "").split("\n")) {
      if (line.startsWith("// tsaws: ") && line.includes("JMESPath interpreter")) interpreted.push(`${r.name}: ${line.slice(10)}`);
    }
  };
  await Promise.all(
    Array.from({ length: workers }, () =>
      new Promise<void>((resolve, reject) => {
        // Workers do not inherit the tsx loader: register it, then load this module.
        const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
        const w = new Worker(boot, { eval: true, workerData: null });
        const next = () => {
          const s = queue.shift();
          if (s === undefined) {
            void w.terminate();
            resolve();
          } else w.postMessage({ services: [s] } satisfies Job);
        };
        w.on("message", (r: Result) => {
          write(r);
          next();
        });
        w.on("error", reject);
        next();
      }),
    ),
  );
  if (failures.length) {
    console.error(failures.join("\n\n"));
    throw new Error(`codegen failed for ${failures.length} service(s)`);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`codegen: ${services.length} services, ${ops} operations from ${files} model files in ${secs}s (${workers} workers)`);
  console.log(
    `codegen: ${interpreted.length} paginator/waiter JMESPath expression(s) not compiled to typed code (left to the runtime interpreter)` +
      interpreted.map((n) => `\n  ${n}`).join(""),
  );
}

const SIZE_HINT: Record<string, number> = { ec2: 10, s3: 5, sagemaker: 5, iam: 3, rds: 3, glue: 3, quicksight: 3 };
function sizeHint(s: string): number {
  return SIZE_HINT[s] ?? 1;
}

if (isMainThread) {
  if (import.meta.url === `file://${process.argv[1]}`) {
    main().catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
  }
} else if (workerData === null) {
  parentPort!.on("message", async (job: Job) => {
    for (const s of job.services) parentPort!.postMessage(await generateOne(s));
  });
}
