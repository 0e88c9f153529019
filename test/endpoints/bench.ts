// Endpoint resolution cost, per call (not a test; prints ns/op). Run:
//   node --conditions=tsaws-source --import tsx test/endpoints/bench.ts
// For S3, DynamoDB and EC2 it resolves every parameter set of the service's endpoint tests
// through the compact rule set the generator emits: uncached (resolveEndpoint, each call
// walks the rules), cached (createResolver, the same few parameter sets again and again, as
// a client does), and the parameter binding a client does before each lookup (S3: GetObject's
// Bucket and Key context params and its static param). Each figure is the best of 5 rounds
// of wall time, so a busy machine inflates it; run it a few times.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { compactPartitionsSource, compactRuleSetSource } from "../../codegen/endpoints.js";
import { createResolver, resolveEndpoint } from "../../runtime/endpoints/engine.js";
import { bindEndpointParams, createParamBinder } from "../../runtime/endpoints/params.js";
import type { EndpointParams, Partitions, RuleSet } from "../../runtime/endpoints/types.js";

const MODELS = new URL("../../models/", import.meta.url);
const TESTS = new URL("../vendor/conformance/endpoints/services/", import.meta.url);

function load<T>(source: string): T {
  return new Function(`return (${source});`)() as T;
}

function nsPerOp(ops: number, fn: () => void): number {
  fn(); // warm up
  const rounds = 5;
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    const ns = Number(process.hrtime.bigint() - t0);
    best = Math.min(best, ns / ops);
  }
  return best;
}

const partitionsSource = compactPartitionsSource(JSON.parse(readFileSync(new URL("_root/partitions.json", MODELS), "utf8")));
const partitions = load<Partitions>(partitionsSource);
console.log(`partitions.js: ${partitionsSource.length} bytes, ${gzipSync(partitionsSource, { level: 9 }).length} gzipped`);

for (const service of ["s3", "dynamodb", "ec2"]) {
  const version = readdirSync(new URL(`${service}/`, MODELS)).sort().pop()!;
  const json = readFileSync(new URL(`${service}/${version}/endpoint-rule-set-1.json`, MODELS), "utf8");
  const source = compactRuleSetSource(JSON.parse(json));
  const ruleset = load<RuleSet>(source);
  const cases = (JSON.parse(readFileSync(new URL(`${service}/endpoint-tests-1.json`, TESTS), "utf8")) as {
    testCases: { params?: EndpointParams; expect: { error?: string } }[];
  }).testCases;
  const endpoints = cases.filter((c) => c.expect.error === undefined).map((c) => c.params ?? {});
  const errors = cases.filter((c) => c.expect.error !== undefined).map((c) => c.params ?? {});
  const reps = Math.max(1, Math.ceil(20000 / endpoints.length));

  const uncached = nsPerOp(reps * endpoints.length, () => {
    for (let r = 0; r < reps; r++) for (const p of endpoints) resolveEndpoint(ruleset, p, partitions);
  });
  const failing = errors.length
    ? nsPerOp(reps * errors.length, () => {
        for (let r = 0; r < reps; r++)
          for (const p of errors) {
            try {
              resolveEndpoint(ruleset, p, partitions);
            } catch {
              // expected
            }
          }
      })
    : NaN;
  // A client sees a handful of parameter sets: the first 8 endpoint cases, over and over.
  const hot = endpoints.slice(0, 8).map((p) => ({ ...p }));
  const resolver = createResolver(ruleset, partitions);
  const cachedOps = 200000;
  const cached = nsPerOp(cachedOps, () => {
    for (let i = 0; i < cachedOps; i++) resolver(hot[i & 7] ?? hot[0]!);
  });
  const region = { "AWS::Region": "us-west-2", "AWS::UseFIPS": false, "AWS::UseDualStack": false };
  const op = service === "s3" ? { cp: { Bucket: "Bucket", Key: "Key" }, sc: { UseS3ExpressControlEndpoint: false } } : {};
  const input = { Bucket: "my-bucket", Key: "some/key.txt" };
  const bind = nsPerOp(cachedOps, () => {
    for (let i = 0; i < cachedOps; i++) bindEndpointParams(ruleset.p, { builtins: region, op, input });
  });
  const binder = createParamBinder(ruleset.p, { builtins: region });
  const bindFast = nsPerOp(cachedOps, () => {
    for (let i = 0; i < cachedOps; i++) binder(op, input);
  });
  console.log(
    `${service}: rule set ${source.length} bytes (${gzipSync(source, { level: 9 }).length} gzipped; JSON ${json.length}); ` +
      `uncached ${uncached.toFixed(0)} ns/op over ${endpoints.length} endpoint cases, ` +
      `${Number.isNaN(failing) ? "-" : failing.toFixed(0)} ns/op over ${errors.length} error cases; ` +
      `cached ${cached.toFixed(0)} ns/op; binding: bindEndpointParams ${bind.toFixed(0)} ns/op, createParamBinder ${bindFast.toFixed(0)} ns/op`,
  );
}
