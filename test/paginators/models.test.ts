// Every paginator of every model, end to end through the generated modules:
// 1. coverage: each paginators-1.json entry has its standalone `paginateX` in index.js and
//    index.d.ts and its method on the full client's `paginate`; token expressions the generator
//    could not compile (kept for the runtime interpreter) and paginators it could not generate
//    are listed from the `// tsaws:` notes in index.js; the counts are printed;
// 2. differential: each generated paginator runs against a fake `send` whose first page is
//    seeded random data shaped like the operation's output; the next request (or the end of
//    the run) and the items of the first page must be what the model's output_token,
//    more_results and result_key say under botocore's rules, evaluated independently here
//    with the runtime JMESPath interpreter.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listServices, loadService, type BotoShape } from "../../codegen/model.ts";
import { className, methodName } from "../../codegen/emit.ts";
import { search } from "../../runtime/jmespath/index.ts";
import type { Paginator } from "../../runtime/paginate.ts";
import { rng, sample } from "../waiters/sample.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const SAMPLES = 4;

interface ModelPaginator {
  input_token: string | string[];
  output_token: string | string[];
  result_key: string | string[];
  limit_key?: string;
  more_results?: string;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const services = listServices()
  .map((name) => ({ name, files: loadService(name) }))
  .filter((s) => Object.keys(s.files.paginators?.pagination ?? {}).length > 0);

test("coverage: every paginator in the models is generated", () => {
  let total = 0;
  let generated = 0;
  const notes: string[] = [];
  for (const { name, files } of services) {
    const js = readFileSync(join(ROOT, "generated", name, "index.js"), "utf8");
    const dts = readFileSync(join(ROOT, "generated", name, "index.d.ts"), "utf8");
    for (const line of js.split("\n")) if (line.startsWith("// tsaws: paginator")) notes.push(`${name}: ${line.slice(10)}`);
    for (const p of Object.keys(files.paginators!.pagination)) {
      total++;
      const inJs = js.includes(`export function paginate${p}(client, input, options) {`);
      const inDts = dts.includes(`export declare function paginate${p}(`) && new RegExp(`\\n\\s+${methodName(p)}\\(`).test(dts);
      if (inJs && inDts) generated++;
      else assert.ok(notes.some((n) => n.includes(`paginator ${p} is not generated`)), `${name}: paginator ${p} is missing without a note`);
    }
  }
  const interpreted = notes.filter((n) => n.includes("JMESPath interpreter")).length;
  console.log(
    `paginators coverage: ${total} in ${services.length} models, ${generated} generated, ${total - generated} not generated; ` +
      `${interpreted} token/more_results expressions left to the interpreter${notes.length ? `\n  ${notes.join("\n  ")}` : ""}`,
  );
  assert.ok(total >= 3200, `only ${total} paginators in the models`);
  assert.equal(generated, total);
});

/** Python's truthiness, which botocore applies to tokens and more_results. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === "" || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object" && !(v instanceof Date) && !(v instanceof Uint8Array)) return Object.keys(v).length > 0;
  return true;
}

function shapeAt(shapes: Record<string, BotoShape>, start: string, path: string): BotoShape | undefined {
  let s: BotoShape | undefined = shapes[start];
  for (const seg of path.split(".")) s = s?.members?.[seg] ? shapes[s.members[seg]!.shape] : undefined;
  return s;
}

test("differential: every generated paginator follows its model's tokens and result keys", async () => {
  let runs = 0;
  let paginators = 0;
  let continued = 0;
  let itemsSeen = 0;
  const mismatches: string[] = [];
  for (const { name, files } of services) {
    const mod = (await import(`tsaws/${name}`)) as Record<string, unknown>;
    const Cls = mod[className(files.service.metadata.serviceId)] as new (c: object) => {
      send: unknown;
      paginate: Record<string, (input: object) => Paginator<unknown, unknown>>;
    };
    const client = new Cls({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "secret" } });
    const shapes = files.service.shapes;
    for (const [p, spec] of Object.entries(files.paginators!.pagination as Record<string, ModelPaginator>)) {
      paginators++;
      const outShape = files.service.operations[p]!.output!.shape;
      const inputs = list(spec.input_token);
      const outputs = list(spec.output_token);
      const results = list(spec.result_key);
      const primary = results.find((k) => shapeAt(shapes, outShape, k)?.type === "list") ?? results[0]!;
      const random = rng(paginators);
      for (let n = 0; n < SAMPLES; n++) {
        runs++;
        const page = sample(shapes, outShape, { random, strings: ["", "t1", "t2"], presence: 0.8 }) as Record<string, unknown>;
        const calls: Record<string, unknown>[] = [];
        client.send = async (_op: unknown, input: Record<string, unknown>) => {
          calls.push({ ...input });
          return calls.length === 1 ? structuredClone(page) : {};
        };
        // botocore: stop on more_results false or all-empty tokens; else send the non-empty ones.
        let want: Record<string, unknown>[] = [{ Seed: n }];
        const more = spec.more_results === undefined || truthy(search(spec.more_results, page));
        const tokens = outputs.map((e) => search(e, page));
        if (more && tokens.some(truthy)) {
          const next: Record<string, unknown> = { Seed: n };
          tokens.forEach((t, i) => truthy(t) && (next[inputs[i]!] = t));
          want = [...want, next];
        }
        const items: unknown[] = [];
        const paginator = client.paginate[methodName(p)]!({ Seed: n });
        for await (const item of paginator.items()) items.push(item);
        if (want.length > 1) continued++;
        const wantItems = shapeAt(shapes, outShape, primary)?.type === "list" ? ((search(primary, page) as unknown[] | null) ?? []) : undefined;
        if (wantItems) itemsSeen += wantItems.length;
        try {
          assert.deepEqual(calls, want);
          if (wantItems) assert.deepEqual(items, wantItems);
        } catch (e) {
          mismatches.push(`${name} ${p} sample ${n}: ${(e as Error).message.split("\n").slice(0, 12).join(" ")}`);
        }
      }
    }
  }
  console.log(
    `paginators differential: ${paginators} paginators x ${SAMPLES} samples = ${runs} runs: ${continued} continued to a second page, ` +
      `${itemsSeen} items compared, ${mismatches.length} mismatches`,
  );
  assert.deepEqual(mismatches.slice(0, 10), []);
  assert.ok(continued > runs / 4 && continued < runs, `only ${continued} of ${runs} runs had a next page`);
});
