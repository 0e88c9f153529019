// Every waiter of every model, end to end through the generated modules:
// 1. coverage: each waiters-2.json entry has its standalone `waitForX` in index.js and
//    index.d.ts and its method on the full client's `waitFor`; acceptor paths the generator
//    could not compile (kept for the runtime interpreter) and waiters it could not generate are
//    listed from the `// tsaws:` notes in index.js; the counts are printed;
// 2. differential: each generated waiter runs one attempt against a fake `send` returning
//    seeded random outputs (shaped by the model) or service errors, and its outcome (success,
//    failure, or timeout) must equal what the model's acceptors say under botocore's rules,
//    evaluated independently here with the runtime JMESPath interpreter.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listServices, loadService } from "../../codegen/model.ts";
import { className, methodName } from "../../codegen/emit.ts";
import { search } from "../../runtime/jmespath/index.ts";
import { ServiceError } from "../../runtime/errors.ts";
import { WaiterFailureError, WaiterTimeoutError, type WaiterOptions, type WaiterResult } from "../../runtime/waiter.ts";
import { rng, sample } from "./sample.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const SAMPLES = 12;

interface Acceptor {
  matcher: string;
  state: string;
  expected: unknown;
  argument?: string;
}
interface ModelWaiter {
  operation: string;
  delay: number;
  maxAttempts: number;
  acceptors: Acceptor[];
}

const services = listServices()
  .map((name) => ({ name, files: loadService(name) }))
  .filter((s) => Object.keys(s.files.waiters?.waiters ?? {}).length > 0);

test("coverage: every waiter in the models is generated", () => {
  let total = 0;
  let generated = 0;
  let paths = 0;
  const notes: string[] = [];
  for (const { name, files } of services) {
    const js = readFileSync(join(ROOT, "generated", name, "index.js"), "utf8");
    const dts = readFileSync(join(ROOT, "generated", name, "index.d.ts"), "utf8");
    for (const line of js.split("\n")) if (line.startsWith("// tsaws: waiter")) notes.push(`${name}: ${line.slice(10)}`);
    for (const [w, spec] of Object.entries((files.waiters!.waiters ?? {}) as Record<string, ModelWaiter>)) {
      total++;
      paths += spec.acceptors.filter((a) => a.argument !== undefined).length;
      const inJs = js.includes(`export function waitFor${w}(client, input, options) {`);
      const inDts = dts.includes(`export declare function waitFor${w}(`) && new RegExp(`\\n\\s+${methodName(w)}\\(`).test(dts);
      if (inJs && inDts) generated++;
      else assert.ok(notes.some((n) => n.includes(`waiter ${w} is not generated`)), `${name}: waiter ${w} is missing without a note`);
    }
  }
  const interpreted = notes.filter((n) => n.includes("JMESPath interpreter")).length;
  console.log(
    `waiters coverage: ${total} in ${services.length} models, ${generated} generated, ${total - generated} not generated; ` +
      `${paths} acceptor paths, ${paths - interpreted} compiled, ${interpreted} interpreted${notes.length ? `\n  ${notes.join("\n  ")}` : ""}`,
  );
  assert.ok(total >= 370, `only ${total} waiters in the models`);
  assert.equal(generated, total);
});

/** botocore's rule for one acceptor. */
function matches(a: Acceptor, output: Record<string, unknown> | undefined, error: ServiceError | undefined): boolean {
  switch (a.matcher) {
    case "status":
      return (error ? error.$metadata.httpStatusCode : 200) === a.expected;
    case "error":
      if (a.expected === true) return error !== undefined;
      if (a.expected === false) return error === undefined;
      return error?.code === a.expected;
    default: {
      if (!output) return false;
      let v: unknown;
      try {
        v = search(a.argument!, output);
      } catch {
        return false;
      }
      if (a.matcher === "path") return v === a.expected;
      if (!Array.isArray(v) || v.length === 0) return false;
      return a.matcher === "pathAll" ? v.every((x) => x === a.expected) : v.some((x) => x === a.expected);
    }
  }
}

type Outcome = "success" | "failure" | "timeout";

function expectedOutcome(w: ModelWaiter, output: Record<string, unknown> | undefined, error: ServiceError | undefined): Outcome {
  const hit = w.acceptors.find((a) => matches(a, output, error));
  if (!hit) return error ? "failure" : "timeout";
  return hit.state === "success" ? "success" : hit.state === "failure" ? "failure" : "timeout";
}

test("differential: every generated waiter decides as its model's acceptors say", async () => {
  const counts: Record<Outcome, number> = { success: 0, failure: 0, timeout: 0 };
  let runs = 0;
  let waiters = 0;
  const mismatches: string[] = [];
  for (const { name, files } of services) {
    const mod = (await import(`tsaws/${name}`)) as Record<string, unknown>;
    const Cls = mod[className(files.service.metadata.serviceId)] as new (c: object) => {
      send: unknown;
      waitFor: Record<string, (input: object, options: WaiterOptions) => Promise<WaiterResult<unknown>>>;
    };
    const client = new Cls({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "secret" } });
    const shapes = files.service.shapes;
    for (const [w, spec] of Object.entries((files.waiters!.waiters ?? {}) as Record<string, ModelWaiter>)) {
      waiters++;
      const random = rng(runs + 1);
      const strings = spec.acceptors.filter((a) => typeof a.expected === "string").map((a) => a.expected as string);
      const codes = spec.acceptors.filter((a) => a.matcher === "error" && typeof a.expected === "string").map((a) => a.expected as string);
      const statuses = spec.acceptors.filter((a) => a.matcher === "status").map((a) => a.expected as number);
      const outShape = files.service.operations[spec.operation]!.output?.shape;
      for (let n = 0; n < SAMPLES; n++) {
        runs++;
        let output: Record<string, unknown> | undefined;
        let error: ServiceError | undefined;
        if (random() < 0.25) {
          const code = [...codes, "SomethingElse"][Math.floor(random() * (codes.length + 1))]!;
          const status = [...statuses.filter((s) => s >= 300), 400][Math.floor(random() * (statuses.filter((s) => s >= 300).length + 1))]!;
          error = new ServiceError(code, "sampled", { httpStatusCode: status, attempts: 1, totalRetryDelay: 0 });
        } else {
          output = (outShape ? sample(shapes, outShape, { random, strings }) : {}) as Record<string, unknown>;
          Object.defineProperty(output, "$metadata", { value: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 }, enumerable: false });
        }
        const want = expectedOutcome(spec, output, error);
        client.send = async () => {
          if (error) throw error;
          return output;
        };
        let got: Outcome;
        try {
          await client.waitFor[methodName(w)]!({}, { maxAttempts: 1, delay: 0 });
          got = "success";
        } catch (e) {
          if (e instanceof WaiterFailureError) got = "failure";
          else if (e instanceof WaiterTimeoutError) got = "timeout";
          else throw e;
        }
        counts[got]++;
        if (got !== want) mismatches.push(`${name} ${w} sample ${n}: generated ${got}, model ${want}: ${error ? `error ${error.code}` : JSON.stringify(output)}`);
      }
    }
  }
  console.log(
    `waiters differential: ${waiters} waiters x ${SAMPLES} samples = ${runs} runs: ${counts.success} success, ` +
      `${counts.failure} failure, ${counts.timeout} retry/timeout, ${mismatches.length} mismatches`,
  );
  assert.deepEqual(mismatches.slice(0, 20), []);
  // The samples must exercise every outcome, or the comparison says little.
  for (const k of Object.keys(counts) as Outcome[]) assert.ok(counts[k] > runs / 20, `too few ${k} outcomes: ${counts[k]}`);
});
