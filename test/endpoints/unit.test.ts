// Unit tests for what the conformance data leaves uncovered: the operationContextParams
// paths the models use (only `keys(RequestItems)` appears in the service cases), binding
// precedence, the resolver cache, and the compactor's validation errors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { compactPartitions, compactRuleSet, compactRuleSetSource } from "../../codegen/endpoints.js";
import { createResolver, resolveEndpoint } from "../../runtime/endpoints/engine.js";
import { createParamBinder } from "../../runtime/endpoints/params.js";
import { bindEndpointParams, contextPath, searchPath } from "../../runtime/endpoints/path.js";
import { parseURL, partition, uriEncode } from "../../runtime/endpoints/stdlib.js";
import type { ParamDef, RuleSet } from "../../runtime/endpoints/types.js";
import { EndpointError } from "../../runtime/errors.js";

const MODELS = new URL("../../models/", import.meta.url);
const partitions = compactPartitions(JSON.parse(readFileSync(new URL("_root/partitions.json", MODELS), "utf8")));

test("every operationContextParams path in the models evaluates as JMESPath would", () => {
  const transact = {
    TransactItems: [
      { Put: { TableName: "t1" } },
      { ConditionCheck: { TableName: "t2" }, Update: { TableName: "t3" } },
      { Delete: { TableName: "t4" } },
      { Get: { TableName: "g1" } },
    ],
  };
  assert.deepEqual(searchPath("keys(RequestItems)", { RequestItems: { a: {}, b: {} } }), ["a", "b"]);
  assert.equal(searchPath("keys(RequestItems)", {}), null);
  assert.equal(searchPath("TableCreationParameters.TableName", { TableCreationParameters: { TableName: "x" } }), "x");
  assert.equal(searchPath("TableCreationParameters.TableName", {}), null);
  // A projection drops the items whose right-hand side is null.
  assert.deepEqual(searchPath("TransactItems[*].Get.TableName", transact), ["g1"]);
  // The multi-select keeps nulls per item; `[]` flattens the whole projection and drops them.
  assert.deepEqual(
    searchPath("TransactItems[*].[ConditionCheck.TableName, Put.TableName, Delete.TableName, Update.TableName][]", transact),
    ["t1", "t2", "t3", "t4"],
  );
  assert.equal(searchPath("TransactItems[*].Get.TableName", { TransactItems: "nope" }), null);
  assert.deepEqual(searchPath("a[1]", { a: ["x", "y"] }), "y");
  assert.deepEqual(searchPath("a[-1]", { a: ["x", "y"] }), "y");
  assert.throws(() => searchPath("a[?b]", {}), EndpointError);
});

test("binding precedence: static, then context, then client context, then built-in", () => {
  const defs: ParamDef[] = [
    { n: "Region", b: "AWS::Region" },
    { n: "Bucket" },
    { n: "ForcePathStyle", t: 1, b: "AWS::S3::ForcePathStyle", d: false },
    { n: "Flag", t: 1 },
    { n: "Tables", t: 2 },
  ];
  const sources = {
    builtins: { "AWS::Region": "us-west-2", "AWS::S3::ForcePathStyle": false },
    clientParams: { ForcePathStyle: true, Flag: false },
    op: { cp: { Bucket: "Bucket", Flag: "Flag", Tables: "keys(Items)" }, sc: { Flag: true } },
    input: { Bucket: "b", Flag: false, Items: { x: 1 } },
  };
  const want = { Region: "us-west-2", Bucket: "b", ForcePathStyle: true, Flag: true, Tables: ["x"] };
  assert.deepEqual(bindEndpointParams(defs, sources), want);
  // The client's binder takes a path as the generator emits it: compiled.
  const emitted = { ...sources.op, cp: { ...sources.op.cp, Tables: contextPath("keys(Items)") } };
  assert.deepEqual(createParamBinder(defs, sources)(emitted, sources.input), want);
  assert.throws(() => createParamBinder(defs, sources)(sources.op, sources.input), /was not compiled/);
  // A value of the wrong type is not bound; an unset context value falls back to the client's.
  const odd = { ...sources, op: { cp: { Bucket: "Bucket", Flag: "Flag" } }, input: { Bucket: 3 } };
  assert.deepEqual(bindEndpointParams(defs, odd), { Region: "us-west-2", ForcePathStyle: true, Flag: false });
  assert.deepEqual(createParamBinder(defs, odd)(odd.op, odd.input), { Region: "us-west-2", ForcePathStyle: true, Flag: false });
  // The binder copies: a caller may change the returned set.
  const bind = createParamBinder(defs, sources);
  const first = bind(undefined, undefined);
  first.Region = "changed";
  assert.equal(bind(undefined, undefined).Region, "us-west-2");
});

test("the resolver cache returns one frozen result per parameter set, and keeps types apart", () => {
  const ruleset = compactRuleSet({
    version: "1.0",
    parameters: { A: { type: "string" }, L: { type: "stringArray" }, B: { type: "boolean" } },
    rules: [
      { conditions: [{ fn: "isSet", argv: [{ ref: "L" }] }, { fn: "getAttr", argv: [{ ref: "L" }, "[0]"], assign: "first" }], endpoint: { url: "https://l.{first}.example.com" }, type: "endpoint" },
      { conditions: [{ fn: "isSet", argv: [{ ref: "B" }] }], endpoint: { url: "https://b.example.com" }, type: "endpoint" },
      { conditions: [{ fn: "isSet", argv: [{ ref: "A" }] }], endpoint: { url: "https://{A}.example.com" }, type: "endpoint" },
      { conditions: [], error: "nothing set", type: "error" },
    ],
  });
  const resolve = createResolver(ruleset, partitions, 4);
  const a = resolve({ A: "x" });
  assert.equal(a.url, "https://x.example.com");
  assert.equal(resolve({ A: "x" }), a);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.properties));
  assert.equal(resolve({ A: "y" }).url, "https://y.example.com");
  assert.equal(resolve({ L: ["z"] }).url, "https://l.z.example.com");
  assert.equal(resolve({ A: '["z"]' }).url, 'https://["z"].example.com');
  assert.equal(resolve({ B: true }).url, "https://b.example.com");
  assert.equal(resolve({ A: "true" }).url, "https://true.example.com");
  assert.throws(() => resolve({}), (e: unknown) => e instanceof EndpointError && e.message === "nothing set");
  // Past `size` entries the cache starts over, and results stay right.
  for (let i = 0; i < 10; i++) assert.equal(resolve({ A: `n${i}` }).url, `https://n${i}.example.com`);
  assert.equal(resolve({ A: "x" }).url, "https://x.example.com");
});

test("the compactor rejects invalid rule sets and drops what cannot matter", () => {
  const base = { version: "1.0", parameters: { Region: { type: "string", builtIn: "AWS::Region" }, Unused: { type: "string" } } };
  const bad = (rules: unknown[]) => () => compactRuleSet({ ...base, rules });
  assert.throws(bad([{ conditions: [{ fn: "nope", argv: [] }], error: "x", type: "error" }]), /unknown function nope/);
  assert.throws(bad([{ conditions: [{ fn: "isSet", argv: [{ ref: "Nope" }] }], error: "x", type: "error" }]), /undefined "Nope"/);
  assert.throws(bad([{ conditions: [{ fn: "not", argv: [true, false] }], error: "x", type: "error" }]), /not takes 1 arguments/);
  assert.throws(bad([{ conditions: [], endpoint: { url: "https://{Region" }, type: "endpoint" }]), /unterminated template/);
  assert.throws(bad([{ conditions: [], type: "other" }]), /unknown rule type/);
  const rs = compactRuleSet({
    ...base,
    rules: [
      { conditions: [{ fn: "isSet", argv: [{ ref: "Region" }] }], endpoint: { url: "https://{Region}.x.{{literal}}" }, type: "endpoint" },
      { conditions: [], error: "no region", type: "error" },
      { conditions: [], error: "unreachable", type: "error" },
    ],
  });
  assert.deepEqual(rs.p, [{ n: "Region", b: "AWS::Region" }]);
  assert.equal(rs.t.length, 2);
  assert.equal(resolveEndpoint(rs, { Region: "r" }, partitions).url, "https://r.x.{literal}");
  // The emitted source is deterministic and evaluates to the same data.
  const json = JSON.parse(readFileSync(new URL("dynamodb/2012-08-10/endpoint-rule-set-1.json", MODELS), "utf8"));
  const source = compactRuleSetSource(json);
  assert.equal(compactRuleSetSource(JSON.parse(JSON.stringify(json))), source);
  assert.deepEqual(new Function(`return (${source});`)() as RuleSet, compactRuleSet(json));
});

test("stdlib details the suites do not pin down", () => {
  assert.deepEqual(parseURL("https://example.com:8443/a/b?"), {
    scheme: "https",
    authority: "example.com:8443",
    path: "/a/b",
    normalizedPath: "/a/b/",
    isIp: false,
  });
  assert.equal(parseURL("https://example.com:99999/"), null);
  assert.equal(parseURL("https://"), null);
  assert.equal(parseURL("https://[::1]:80/")?.isIp, true);
  assert.equal(partition(partitions, "us-gov-west-1")?.name, "aws-us-gov");
  assert.equal(partition(partitions, "eusc-de-east-1")?.dnsSuffix, "amazonaws.eu");
  assert.equal(partition(partitions, "moon-base-1")?.name, "aws");
});

test("the compacted partitions (which list only the regions no regular expression finds) give every model region, and others, the same outputs as the full list", async () => {
  const model = JSON.parse(readFileSync(new URL("_root/partitions.json", MODELS), "utf8")) as {
    partitions: { id: string; regionRegex: string; outputs: Record<string, unknown>; regions: Record<string, Record<string, unknown>> }[];
  };
  // The full list, descriptions aside (they are display text the engine never reads).
  const full = {
    partitions: model.partitions.map((p) => ({
      ...p,
      regions: Object.fromEntries(Object.entries(p.regions).map(([name, { description: _, ...rest }]) => [name, rest])),
    })),
  } as unknown as typeof partitions;
  const shipped = (await import("#root/partitions")).default as unknown as typeof partitions;
  assert.deepEqual(shipped, partitions, "generated/_root/partitions.js is the data the endpoint tests run on");
  const listed = model.partitions.flatMap((p) => Object.keys(p.regions));
  const kept = partitions.partitions.flatMap((p) => Object.keys(p.regions));
  assert.ok(listed.length > 40 && kept.length < listed.length / 3, `${kept.length} of ${listed.length} regions kept`);
  const others = ["moon-base-1", "us-east-99", "cn-south-7", "us-iso-north-3", "us-isob-west-9", "eusc-de-west-2", "eu-isoe-north-1", "", "aws-global-2"];
  for (const region of [...listed, ...others]) {
    assert.deepEqual(partition(partitions, region), partition(full, region), region);
  }
});

test("uriEncode encodes a lone surrogate as U+FFFD", () => {
  assert.equal(uriEncode("a\ud800b"), "a%EF%BF%BDb");
  assert.equal(uriEncode("\udc00\ud83d\ude39"), "%EF%BF%BD%F0%9F%98%B9");
  assert.equal(uriEncode("(x)*!'"), "%28x%29%2A%21%27");
});

test("a bound value of the wrong type counts as unset at every stage", () => {
  const defs: ParamDef[] = [{ n: "Flag", t: 1, b: "X::Flag" }, { n: "Name" }];
  const sources = {
    builtins: { "X::Flag": true },
    clientParams: { Flag: "yes" },
    op: { cp: { Flag: "Flag", Name: "Name" }, sc: { Name: false } },
    input: { Flag: 1, Name: "n" },
  };
  const want = { Flag: true, Name: "n" };
  assert.deepEqual(bindEndpointParams(defs, sources), want);
  assert.deepEqual(createParamBinder(defs, sources)(sources.op, sources.input), want);
});
