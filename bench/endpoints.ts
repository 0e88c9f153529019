// `make bench` section `endpoints` (BENCH_ONLY=endpoints): what endpoint resolution costs per
// API call, in microseconds, with the artifacts an application runs (generated/<svc>/endpoints.js,
// generated/_root/partitions.js, dist/runtime), in a fresh `node` without the source condition.
// For one typical operation of each service it measures:
//   - per call (cached): the client's resolver for the operation and input, as every call runs
//     it: parameter binding (built-ins, client and operation context params), the memoised rule
//     set lookup, the parsed-URL memo and the auth scheme;
//   - uncached: the same parameters through the rule set walk every time (resolveEndpoint);
//   - first call: a new client resolver and its first resolve (the one-off cost per client);
//   - suite: the rule set walk over every endpoint test case's parameters (a wider mix of
//     FIPS, dual-stack, partitions, custom endpoints and ARNs than a client sees).
// The bytes the rule set adds to a browser bundle are in the `bundle` section (bench/bundle.ts);
// this section only prints the size of each endpoints.js for reference. Each figure is the best
// of a few rounds of wall time; no figure is asserted.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { lastJson, run } from "./proc.js";

export interface EndpointRow {
  service: string;
  operation: string;
  /** Raw and gzip bytes of generated/<svc>/endpoints.js. */
  ruleSetBytes: number;
  ruleSetGzip: number;
  /** µs per resolve. */
  perCallCached: number;
  uncached: number;
  firstCall: number;
  suite: number | undefined;
  suiteCases: number;
  /** The URL resolved for the operation (a sanity check that the right thing was measured). */
  url: string;
}

export type EndpointsResult = { rows: EndpointRow[] } | { error: string };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Case {
  service: string;
  module: string;
  client: string;
  operation: string;
  input: Record<string, unknown>;
  config?: Record<string, unknown>;
}

const CASES: Case[] = [
  { service: "s3", module: "tsaws/s3", client: "S3Client", operation: "GetObject", input: { Bucket: "my-bucket", Key: "some/key.txt" }, config: { s3UsEast1RegionalEndpoint: "regional" } },
  { service: "dynamodb", module: "tsaws/dynamodb", client: "DynamoDBClient", operation: "GetItem", input: { TableName: "bench", Key: { pk: { S: "a" } } } },
  { service: "sqs", module: "tsaws/sqs", client: "SQSClient", operation: "SendMessage", input: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/000000000000/q", MessageBody: "m" } },
  { service: "sts", module: "tsaws/sts", client: "STSClient", operation: "GetCallerIdentity", input: {}, config: { stsRegionalEndpoints: "regional" } },
  { service: "ec2", module: "tsaws/ec2", client: "EC2Client", operation: "DescribeInstances", input: {} },
];

/** Best-of-`rounds` microseconds per call of `fn`, run `ops` times a round after a warm-up round. */
function usPerOp(ops: number, fn: (i: number) => void, rounds = 5): number {
  for (let i = 0; i < ops; i++) fn(i);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) fn(i);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / ops / 1000);
  }
  return best;
}

type Params = Record<string, unknown>;

/** Runs in the fresh child: measures every case and prints one JSON line. */
async function child(): Promise<void> {
  // Imported as an application imports them: dist/ and generated/, no source condition.
  const endpoint = (await import(join(ROOT, "dist/runtime/endpoint.js"))) as {
    createEndpointResolver: (ruleset: unknown, partitions: unknown, service: unknown, config: Params, region: string) => (op: unknown, input: Params) => { url: URL };
  };
  const engine = (await import(join(ROOT, "dist/runtime/endpoints/engine.js"))) as {
    resolveEndpoint: (ruleset: unknown, params: Params, partitions: unknown) => { url: string };
    createResolver: (ruleset: unknown, partitions: unknown) => (params: Params) => { url: string };
  };
  const params = (await import(join(ROOT, "dist/runtime/endpoints/params.js"))) as {
    createParamBinder: (defs: unknown, sources: { builtins: Params; clientParams?: Params }) => (op: unknown, input: unknown) => Params;
  };
  const partitions = ((await import(join(ROOT, "generated/_root/partitions.js"))) as { default: unknown }).default;
  const rows: EndpointRow[] = [];
  for (const c of CASES) {
    const file = join(ROOT, "generated", c.service, "endpoints.js");
    const source = readFileSync(file);
    const ruleset = ((await import(file)) as { default: { p: unknown } }).default;
    const mod = (await import(c.module)) as Record<string, unknown>;
    const Client = mod[c.client] as new (config: object) => { destroy(): void };
    const op = mod[c.operation];
    if (!Client || !op) throw new Error(`${c.module} has no ${c.client} / ${c.operation}`);
    const client = new Client({ region: "us-east-1", credentials: { accessKeyId: "A", secretAccessKey: "s" } });
    // The client's service schema (protected in the class: read here for the measurement only).
    const service = (client as unknown as { service: { cc?: Record<string, string> } }).service;
    client.destroy();
    const config = { ...c.config };
    const region = "us-east-1";

    const resolver = endpoint.createEndpointResolver(ruleset, partitions, service, config, region);
    const url = resolver(op, c.input).url.href;
    const perCallCached = usPerOp(100_000, () => void resolver(op, c.input));

    // The parameters the client binds for this call, then the rule set walk on them every time.
    const builtins: Params = { "AWS::Region": region, "AWS::UseFIPS": false, "AWS::UseDualStack": false };
    if (c.service === "s3") builtins["AWS::S3::UseGlobalEndpoint"] = false;
    if (c.service === "sts") builtins["AWS::STS::UseGlobalEndpoint"] = false;
    const bound = params.createParamBinder(ruleset.p, { builtins })(op, c.input);
    const walked = engine.resolveEndpoint(ruleset, bound, partitions).url;
    if (new URL(walked).href !== url) throw new Error(`${c.service}: the walk gave ${walked}, the client ${url}`);
    const uncached = usPerOp(20_000, () => void engine.resolveEndpoint(ruleset, bound, partitions));
    const firstCall = usPerOp(5_000, () => void endpoint.createEndpointResolver(ruleset, partitions, service, config, region)(op, c.input));

    let suite: number | undefined;
    let suiteCases = 0;
    const tests = join(ROOT, "test/vendor/conformance/endpoints/services", c.service, "endpoint-tests-1.json");
    if (existsSync(tests)) {
      const sets = (JSON.parse(readFileSync(tests, "utf8")) as { testCases: { params?: Params; expect: { error?: string } }[] }).testCases
        .filter((t) => t.expect.error === undefined)
        .map((t) => t.params ?? {});
      suiteCases = sets.length;
      if (sets.length) {
        const reps = Math.max(1, Math.ceil(20_000 / sets.length));
        suite = usPerOp(reps * sets.length, (i) => void engine.resolveEndpoint(ruleset, sets[i % sets.length]!, partitions));
      }
    }
    rows.push({
      service: c.service,
      operation: c.operation,
      ruleSetBytes: source.length,
      ruleSetGzip: gzipSync(source, { level: 9 }).length,
      perCallCached,
      uncached,
      firstCall,
      suite,
      suiteCases,
      url,
    });
  }
  process.stdout.write(JSON.stringify({ rows }) + "\n");
}

/** Runs the measurement in a fresh node (no loaders' conditions, no inherited NODE_OPTIONS). */
export async function measureEndpoints(root: string, log: (line: string) => void): Promise<EndpointsResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: "1" };
  delete env["NODE_OPTIONS"];
  const r = await run(process.execPath, ["--import", "tsx", join(root, "bench", "endpoints.ts"), "--child"], {
    cwd: root,
    env,
    timeoutMs: 300_000,
  });
  const out = lastJson<{ rows: EndpointRow[] }>(r);
  if (out instanceof Error) {
    log(`bench: endpoints: failed: ${out.message}`);
    return { error: out.message };
  }
  return out;
}

export function formatEndpoints(result: EndpointsResult): string {
  if ("error" in result) return `Endpoint resolution: failed: ${result.error}`;
  const f = (n: number | undefined) => (n === undefined ? "-" : n < 10 ? n.toFixed(2) : n.toFixed(1));
  const head = ["service / operation", "per call (cached)", "uncached walk", "first call", "suite walk", "endpoints.js"];
  const rows = result.rows.map((r) => [
    `${r.service} ${r.operation}`,
    `${f(r.perCallCached)} µs`,
    `${f(r.uncached)} µs`,
    `${f(r.firstCall)} µs`,
    r.suite === undefined ? "-" : `${f(r.suite)} µs (${r.suiteCases} cases)`,
    `${r.ruleSetBytes} B (${r.ruleSetGzip} gz)`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    "Endpoint resolution, µs per resolve (best of 5 rounds; dist/ + generated/ in a fresh node):",
    "  per call (cached): what each API call pays (binding + memoised lookup); uncached walk: the rule set",
    "  evaluated on the same parameters; first call: a new client resolver + its first resolve;",
    "  suite walk: every endpoint test case's parameters. Rule set bytes in a bundle: see the bundle section.",
    "  " + line(head),
    ...rows.map((r) => "  " + line(r)),
  ].join("\n");
}

if (process.argv.includes("--child") && import.meta.url === `file://${process.argv[1]}`) {
  child().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
