// botocore's per-service endpoint tests (test/vendor/conformance/endpoints/services/<service>/
// endpoint-tests-1.json) against each service's own rule set from models/<service>/<version>/,
// compacted and loaded from the JS source the generator emits, so the tests cover what ships.
//
// Each case resolves its `params` and must give the expected url/properties/headers, or throw
// EndpointError with exactly the expected message. Cases with `operationInputs` also check
// parameter binding: bindEndpointParams (runtime/endpoints/path.ts) binds the operation's
// static and context params (codegen/schema.ts SchemaBuilder.operation: `sc`, `cp`) from
// `operationParams` and the built-ins from `builtInParams`, and the bound set must resolve to
// the expected result (what botocore checks). A parameter both the case and the binding set
// must have the same value. The case's `params` and its operation input do not always agree
// on which parameters are set (s3 cases list `DisableAccessPoints: false` for GetObject,
// which binds no such parameter; kinesis cases list a StreamARN the input lacks; S3's `Key`
// was added to the rule set after many cases were written): such one-sided parameters are
// counted and printed, not failed, since the resolution check covers their effect. The client's
// binder (createParamBinder) must bind the same from the operation constant the generated
// service exports (whose non-member paths are compiled getters).
// A case may be skipped only with a reason in SKIPS, keyed by `service:index`.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { after, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { compactPartitionsSource, compactRuleSetSource } from "../../codegen/endpoints.js";
import type { BotoServiceModel } from "../../codegen/model.js";
import { chooseProtocol } from "../../codegen/model.js";
import { SchemaBuilder } from "../../codegen/schema.js";
import { resolveEndpoint } from "../../runtime/endpoints/engine.js";
import { createParamBinder } from "../../runtime/endpoints/params.js";
import { bindEndpointParams } from "../../runtime/endpoints/path.js";
import type { OperationSchema } from "../../runtime/schema.js";
import type { EndpointParams, ParamDef, Partitions, RuleSet } from "../../runtime/endpoints/types.js";
import { EndpointError } from "../../runtime/errors.js";

const DIR = new URL("../vendor/conformance/endpoints/services/", import.meta.url);
const MODELS = new URL("../../models/", import.meta.url);
const COUNTS = { files: 429, cases: 14027, endpoint: 12387, error: 1640, noParams: 419, withInputs: 590 };
const SKIPS: Record<string, string> = {};

interface Expect {
  endpoint?: { url: string; properties?: Record<string, unknown>; headers?: Record<string, string[]> };
  error?: string;
}
interface OperationInput {
  operationName: string;
  operationParams?: Record<string, unknown>;
  builtInParams?: EndpointParams;
}
interface Case {
  documentation?: string;
  params?: EndpointParams;
  expect: Expect;
  operationInputs?: OperationInput[];
}

function load<T>(source: string): T {
  return new Function(`return (${source});`)() as T;
}

function checkCase(ruleset: RuleSet, partitions: Partitions, params: EndpointParams, expect: Expect): string | null {
  let got;
  try {
    got = resolveEndpoint(ruleset, params, partitions);
  } catch (e) {
    if (!(e instanceof EndpointError)) return `threw ${String(e)}`;
    if (expect.error === undefined) return `unexpected error: ${e.message}`;
    return e.message === expect.error ? null : `error ${JSON.stringify(e.message)} != ${JSON.stringify(expect.error)}`;
  }
  if (!expect.endpoint) return `expected error ${JSON.stringify(expect.error)}, got ${got.url}`;
  try {
    assert.deepStrictEqual(
      { url: got.url, properties: got.properties, headers: got.headers },
      { url: expect.endpoint.url, properties: expect.endpoint.properties ?? {}, headers: expect.endpoint.headers ?? {} },
    );
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

function withDefault(def: ParamDef, v: unknown): unknown {
  return v === undefined || v === null ? (def.d ?? undefined) : v;
}

const partitions = load<Partitions>(compactPartitionsSource(JSON.parse(readFileSync(new URL("_root/partitions.json", MODELS), "utf8"))));
const tally = {
  files: 0,
  cases: 0,
  endpoint: 0,
  error: 0,
  noParams: 0,
  withInputs: 0,
  passed: 0,
  failed: 0,
  skipped: 0,
  bindings: 0,
  bindingsPassed: 0,
  /** A value the case lists (other than the default) that the operation input does not bind. */
  caseOnly: 0,
  /** A value bound from the operation input that the case does not list. */
  boundOnly: 0,
  reasons: new Map<string, number>(),
};

const services = readdirSync(DIR).filter((d) => existsSync(new URL(`${d}/endpoint-tests-1.json`, DIR))).sort();

function modelDir(service: string): URL {
  const versions = readdirSync(new URL(`${service}/`, MODELS)).sort();
  const version = versions[versions.length - 1];
  assert.ok(version, `models/${service} has no version folder`);
  return new URL(`${service}/${version}/`, MODELS);
}

test("services suite has the expected files", () => {
  assert.equal(services.length, COUNTS.files);
});

for (const service of services) {
  test(`services/${service}`, async () => {
    tally.files++;
    const dir = modelDir(service);
    const ruleset = load<RuleSet>(compactRuleSetSource(JSON.parse(readFileSync(new URL("endpoint-rule-set-1.json", dir), "utf8"))));
    const { testCases } = JSON.parse(readFileSync(new URL(`${service}/endpoint-tests-1.json`, DIR), "utf8")) as { testCases: Case[] };
    let model: BotoServiceModel | undefined;
    let builder: SchemaBuilder | undefined;
    let emitted: Record<string, unknown> | undefined;
    const failures: string[] = [];
    let passed = 0;
    let skipped = 0;
    for (const [i, c] of testCases.entries()) {
      tally.cases++;
      if (c.expect.error !== undefined) tally.error++;
      else tally.endpoint++;
      if (c.params === undefined) tally.noParams++;
      if (c.operationInputs) tally.withInputs++;
      const key = `${service}:${i}`;
      const skip = SKIPS[key];
      if (skip) {
        skipped++;
        tally.reasons.set(skip, (tally.reasons.get(skip) ?? 0) + 1);
        continue;
      }
      const problems: string[] = [];
      const p = checkCase(ruleset, partitions, c.params ?? {}, c.expect);
      if (p) problems.push(p);
      for (const oi of c.operationInputs ?? []) {
        tally.bindings++;
        model ??= JSON.parse(readFileSync(new URL("service-2.json", dir), "utf8")) as BotoServiceModel;
        builder ??= new SchemaBuilder(model.shapes, { protocol: chooseProtocol(model.metadata) });
        const op = model.operations[oi.operationName];
        if (!op) {
          problems.push(`operation ${oi.operationName} is not in the model`);
          continue;
        }
        const schema = builder.operation(op);
        const bound = bindEndpointParams(ruleset.p, {
          builtins: oi.builtInParams ?? {},
          op: schema,
          input: oi.operationParams ?? {},
        });
        const mismatches: string[] = [];
        emitted ??= (await import(`tsaws/${service}`)) as Record<string, unknown>;
        const generated = (emitted[oi.operationName] ?? emitted[`${oi.operationName}Operation`]) as OperationSchema | undefined;
        assert.equal(generated?.n, oi.operationName, `tsaws/${service} exports the operation ${oi.operationName}`);
        const viaBinder = createParamBinder(ruleset.p, { builtins: oi.builtInParams ?? {} })(generated, oi.operationParams ?? {});
        if (!isDeepStrictEqual(viaBinder, bound)) {
          mismatches.push(`createParamBinder ${JSON.stringify(viaBinder)} != bindEndpointParams ${JSON.stringify(bound)}`);
        }
        for (const def of ruleset.p) {
          const listed = c.params?.[def.n];
          const got = bound[def.n];
          if (listed !== undefined && got !== undefined) {
            if (JSON.stringify(listed) !== JSON.stringify(got)) {
              mismatches.push(`${def.n}: bound ${JSON.stringify(got)}, case has ${JSON.stringify(listed)}`);
            }
          } else if (listed !== undefined) {
            if (JSON.stringify(listed) !== JSON.stringify(def.d)) tally.caseOnly++;
          } else if (got !== undefined) {
            tally.boundOnly++;
          }
        }
        const r = checkCase(ruleset, partitions, bound, c.expect);
        if (r) mismatches.push(`bound params resolve differently: ${r}`);
        if (mismatches.length) problems.push(`${oi.operationName}: ${mismatches.join("; ")}`);
        else tally.bindingsPassed++;
      }
      if (problems.length) failures.push(`${key} (${c.documentation ?? ""}): ${problems.join(" | ")}`);
      else passed++;
    }
    tally.passed += passed;
    tally.failed += failures.length;
    tally.skipped += skipped;
    console.log(`endpoints ${service}: ${passed} passed, ${failures.length} failed, ${skipped} skipped`);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  });
}

test("services suite totals", () => {
  assert.equal(tally.files, COUNTS.files);
  assert.equal(tally.cases, COUNTS.cases);
  assert.equal(tally.endpoint, COUNTS.endpoint);
  assert.equal(tally.error, COUNTS.error);
  assert.equal(tally.noParams, COUNTS.noParams);
  assert.equal(tally.withInputs, COUNTS.withInputs);
  assert.equal(tally.passed + tally.failed + tally.skipped, COUNTS.cases);
});

after(() => {
  const reasons = [...tally.reasons].map(([r, n]) => `${n}: ${r}`).join("; ");
  console.log(
    `endpoints services: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped${reasons ? ` (${reasons})` : ""}` +
      ` of ${tally.cases} in ${tally.files} files; operation bindings: ${tally.bindingsPassed}/${tally.bindings} passed` +
      ` (params listed only in the case: ${tally.caseOnly}, bound only from the operation: ${tally.boundOnly})`,
  );
});
