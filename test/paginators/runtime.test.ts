// The paginator runtime (runtime/paginate.ts) against a scripted fake client: botocore's
// semantics for tokens (several, empty, repeated), more_results, the limit key, maxItems with
// truncation and resume (the exact boto_truncate_amount arithmetic), botocore's token format
// (bytes in boto_encoded_keys; tokens made by boto3 decode), raw starting tokens, fullResult,
// search, non-list primary result keys, interpreter fallback for uncompiled expressions, abort.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  paginate,
  encodeToken,
  decodeToken,
  PaginationError,
  type PaginatorSpec,
  type PageSizeOptions,
} from "../../runtime/paginate.ts";
import type { RuntimeClient } from "../../runtime/client.ts";
import type { OperationSchema } from "../../runtime/schema.ts";
import { AbortError } from "../../runtime/errors.ts";

type Data = Record<string, unknown>;
const op: OperationSchema = { n: "ListThings", h: ["GET", "/"] };

/** A client whose send answers from `respond(input, callIndex)` and records every input. */
function fakeClient(respond: (input: Data, n: number) => Data) {
  const calls: Data[] = [];
  const warnings: string[] = [];
  const client = {
    config: { logger: { warn: (m: string) => warnings.push(m) } },
    async send(_op: OperationSchema, input: Data) {
      calls.push({ ...input });
      return structuredClone(respond(input, calls.length - 1));
    },
  };
  return { client: client as unknown as RuntimeClient, calls, warnings };
}

/** Pages of `size` items numbered from 0, tokens "t1", "t2"... until `total` items. */
function numbered(total: number, size: number) {
  return (input: Data): Data => {
    const start = input.NextToken === undefined ? 0 : Number(String(input.NextToken).slice(1)) * size;
    const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, n) => start + n);
    const next = start + size < total ? `t${start / size + 1}` : undefined;
    return next === undefined ? { Items: items } : { Items: items, NextToken: next };
  };
}

const simple: PaginatorSpec = { o: op, i: ["NextToken"], t: (p) => [p.NextToken], l: "Limit", r: [["Items"]] };

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function run(respond: (input: Data, n: number) => Data, spec: PaginatorSpec, options: PageSizeOptions = {}, input: Data = {}) {
  const f = fakeClient(respond);
  return { ...f, paginator: paginate<Data, number>(f.client, spec, input, options) };
}

test("pages follow the token until it is missing; items flatten; pageSize sets the limit key", async () => {
  const { paginator, calls } = run(numbered(10, 4), simple, { pageSize: 4 }, { Filter: "x" });
  const pages = await all(paginator);
  assert.equal(pages.length, 3);
  assert.deepEqual(calls, [
    { Filter: "x", Limit: 4 },
    { Filter: "x", Limit: 4, NextToken: "t1" },
    { Filter: "x", Limit: 4, NextToken: "t2" },
  ]);
  assert.deepEqual(await all(paginator.items()), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(paginator.resumeToken, undefined);
});

test("a string limit key gets a string page size; pageSize without a limit key is an error", async () => {
  const { paginator, calls } = run(numbered(2, 4), { ...simple, ls: 1 }, { pageSize: 7 });
  await all(paginator);
  assert.deepEqual(calls, [{ Limit: "7" }]);
  const noLimit: PaginatorSpec = { o: op, i: ["NextToken"], t: (p) => [p.NextToken], r: [["Items"]] };
  assert.throws(() => run(numbered(2, 4), noLimit, { pageSize: 3 }), PaginationError);
  assert.throws(() => run(numbered(2, 4), simple, { pageSize: 0 }), PaginationError);
  assert.throws(() => run(numbered(2, 4), simple, { maxItems: -1 }), PaginationError);
});

test("empty tokens end the run, as Python's falsiness: '', 0, [], {}, false, null", async () => {
  for (const empty of ["", 0, [], {}, false, null]) {
    const { paginator, calls } = run(() => ({ Items: [1], NextToken: empty }), simple);
    assert.equal((await all(paginator)).length, 1, `token ${JSON.stringify(empty)}`);
    assert.equal(calls.length, 1);
  }
});

test("a repeated token stops the run (no infinite loop) and warns", async () => {
  const { paginator, calls, warnings } = run(() => ({ Items: [1], NextToken: "same" }), simple);
  const pages = await all(paginator);
  assert.equal(pages.length, 2, "the second page repeats the first's token");
  assert.equal(calls.length, 2);
  assert.match(warnings[0]!, /same pagination token twice/);
});

test("more_results false stops even with a token; true continues", async () => {
  const spec: PaginatorSpec = { ...simple, m: (p) => p.IsTruncated };
  const a = run((input) => ({ Items: [1], NextToken: `n${String(input.NextToken ?? "")}`, IsTruncated: input.NextToken === undefined }), spec);
  assert.equal((await all(a.paginator)).length, 2);
  assert.deepEqual(a.calls[1], { NextToken: "n" });
});

test("several tokens: each goes to its input member; a null one is removed from the request", async () => {
  const spec: PaginatorSpec = {
    o: op,
    i: ["KeyMarker", "VersionIdMarker"],
    t: (p) => [p.NextKeyMarker, p.NextVersionIdMarker],
    r: [["Versions"], ["DeleteMarkers"]],
    m: (p) => p.IsTruncated,
  };
  const script: Data[] = [
    { Versions: [1], NextKeyMarker: "k1", NextVersionIdMarker: "v1", IsTruncated: true },
    { Versions: [2], DeleteMarkers: ["d"], NextKeyMarker: "k2", IsTruncated: true },
    { Versions: [3], IsTruncated: false },
  ];
  const { paginator, calls } = run((_, n) => script[n]!, spec, {}, { Bucket: "b", VersionIdMarker: "start" });
  assert.deepEqual(await all(paginator.items()), [1, 2, 3]);
  assert.deepEqual(calls, [
    { Bucket: "b", VersionIdMarker: "start" },
    { Bucket: "b", KeyMarker: "k1", VersionIdMarker: "v1" },
    { Bucket: "b", KeyMarker: "k2" },
  ]);
});

test("maxItems cuts the page that crosses it and resumes after the last item (botocore's arithmetic)", async () => {
  // Pages of 3: [0,1,2] [3,4,5] [6,7,8] [9]
  const first = run(numbered(10, 3), simple, { maxItems: 4 });
  assert.deepEqual(await all(first.paginator.items()), [0, 1, 2, 3]);
  const token = first.paginator.resumeToken!;
  // The token names the request that produced the cut page and how many of its items were returned.
  assert.deepEqual(decodeToken(token), { NextToken: "t1", boto_truncate_amount: 1 });

  // Resume with another cut inside the first page: the truncation amounts add up.
  const second = run(numbered(10, 3), simple, { maxItems: 1, startingToken: token });
  assert.deepEqual(await all(second.paginator.items()), [4]);
  assert.deepEqual(second.calls, [{ NextToken: "t1" }]);
  assert.deepEqual(decodeToken(second.paginator.resumeToken!), { NextToken: "t1", boto_truncate_amount: 2 });

  const third = run(numbered(10, 3), simple, { startingToken: second.paginator.resumeToken });
  assert.deepEqual(await all(third.paginator.items()), [5, 6, 7, 8, 9]);
  assert.equal(third.paginator.resumeToken, undefined);

  // maxItems on a page boundary: the token is the next page's, with no truncation.
  const exact = run(numbered(10, 3), simple, { maxItems: 6 });
  assert.deepEqual(await all(exact.paginator.items()), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(decodeToken(exact.paginator.resumeToken!), { NextToken: "t2" });
  assert.equal(exact.calls.length, 2);

  // A cut on the very first page: the token has no service token yet (null, as botocore's None).
  const early = run(numbered(10, 3), simple, { maxItems: 2 });
  assert.deepEqual(await all(early.paginator.items()), [0, 1]);
  assert.deepEqual(decodeToken(early.paginator.resumeToken!), { NextToken: null, boto_truncate_amount: 2 });
  const rest = run(numbered(10, 3), simple, { startingToken: early.paginator.resumeToken });
  assert.deepEqual(await all(rest.paginator.items()), [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(rest.calls[0], {});
});

test("resuming inside a page empties the other result keys of that page (botocore)", async () => {
  const spec: PaginatorSpec = { ...simple, r: [["Items"], ["Count"], ["Names"]] };
  const respond = (input: Data): Data => (input.NextToken ? { Items: [9], Count: 1, Names: ["z"] } : { Items: [1, 2, 3], Count: 3, Names: ["a"], NextToken: "n" });
  const { paginator } = run(respond, spec, { startingToken: encodeToken({ NextToken: null, boto_truncate_amount: 2 }) });
  const pages = await all(paginator);
  assert.deepEqual(pages[0], { Items: [3], Count: 0, Names: [], NextToken: "n" });
  assert.deepEqual(pages[1], { Items: [9], Count: 1, Names: ["z"] });
});

test("tokens use botocore's format: boto3's tokens decode, bytes round-trip through boto_encoded_keys", () => {
  // As boto3 writes them: base64 of json.dumps (", " and ": " separators).
  const boto3 = Buffer.from('{"NextToken": "abc", "boto_truncate_amount": 2}').toString("base64");
  assert.deepEqual(decodeToken(boto3), { NextToken: "abc", boto_truncate_amount: 2 });
  const key = { ExclusiveStartKey: { pk: { B: new Uint8Array([0, 1, 254, 255]) }, sk: { N: "5" }, list: [{ B: new Uint8Array([7]) }] } };
  const token = encodeToken(key);
  const json = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as Data;
  assert.deepEqual(json.boto_encoded_keys, [
    ["ExclusiveStartKey", "pk", "B"],
    ["ExclusiveStartKey", "list", 0, "B"],
  ]);
  assert.equal((json.ExclusiveStartKey as { pk: { B: string } }).pk.B, "AAH+/w==");
  assert.deepEqual(decodeToken(token), key);
  assert.equal(decodeToken("not base64 json!"), undefined);
});

test("a raw service token is used as is; a foreign token for a multi-token paginator is an error", async () => {
  // A service token that is itself base64 JSON with other keys, as many AWS NextTokens are.
  const raw = Buffer.from('{"nextToken":"xyz","v":1}').toString("base64");
  const { paginator, calls } = run(() => ({ Items: [1] }), simple, { startingToken: raw });
  await all(paginator);
  assert.deepEqual(calls, [{ NextToken: raw }]);
  const two: PaginatorSpec = { ...simple, i: ["A", "B"], t: (p) => [p.A, p.B] };
  const bad = run(() => ({ Items: [] }), two, { startingToken: "garbage" });
  await assert.rejects(all(bad.paginator), PaginationError);
});

test("fullResult merges result keys, sums counts, keeps the first page's non-aggregate keys", async () => {
  const spec: PaginatorSpec = { ...simple, r: [["Items"], ["Count"], ["Meta", "Log"]], n: [["Consumed"], ["Meta", "Region"]] };
  const script: Data[] = [
    { Items: [1, 2], Count: 2, Meta: { Log: "a", Region: "r1" }, Consumed: 5, NextToken: "x" },
    { Items: [3], Count: 1, Meta: { Log: "b", Region: "r2" }, Consumed: 6 },
  ];
  const { paginator } = run((_, n) => script[n]!, spec);
  assert.deepEqual(await paginator.fullResult(), { Items: [1, 2, 3], Count: 3, Meta: { Log: "ab", Region: "r1" }, Consumed: 5 });
  const cut = run(numbered(10, 3), simple, { maxItems: 4 });
  const result = await cut.paginator.fullResult();
  assert.deepEqual(result.Items, [0, 1, 2, 3]);
  assert.equal(result.NextToken, cut.paginator.resumeToken);
});

test("search evaluates JMESPath on every page and flattens lists", async () => {
  const { paginator } = run(
    (input) => (input.NextToken ? { Items: [{ id: 3, ok: true }] } : { Items: [{ id: 1, ok: true }, { id: 2, ok: false }], NextToken: "n" }),
    simple,
  );
  assert.deepEqual(await all(paginator.search("Items[?ok].id")), [1, 3]);
  assert.deepEqual(await all(paginator.search("length(Items)")), [2, 1]);
});

test("the primary result key is the first list; maps yield entries, strings one item a page", async () => {
  const lists = run((_, n) => (n === 0 ? { Id: "x", Things: [1, 2], NextToken: "n" } : { Id: "x", Things: [3] }), {
    ...simple,
    r: [["Id"], ["Things"]],
    p: 1,
  }, { maxItems: 2 });
  assert.deepEqual(await all(lists.paginator.items()), [1, 2]);
  const maps = run((_, n) => (n === 0 ? { M: { a: 1, b: 2 }, NextToken: "n" } : { M: { c: 3 } }), { ...simple, r: [["M"]], k: "m" }, { maxItems: 2 });
  assert.deepEqual(await all(maps.paginator.items()), [["a", 1], ["b", 2]]);
  const strings = run((_, n) => (n === 0 ? { Log: "abc", NextToken: "n" } : { Log: "de" }), { ...simple, r: [["Log"]], k: "s" });
  assert.deepEqual(await all(strings.paginator.items()), ["abc", "de"]);
  const cutString = run((_, n) => (n === 0 ? { Log: "abc", NextToken: "n" } : { Log: "de" }), { ...simple, r: [["Log"]], k: "s" }, { maxItems: 4 });
  assert.deepEqual(await all(cutString.paginator.items()), ["abc", "d"]);
});

test("expressions the generator could not compile run in the JMESPath interpreter", async () => {
  const spec: PaginatorSpec = { o: op, i: ["Marker"], t: ["NextMarker || Contents[-1].Key"], r: [["Contents"]], m: "IsTruncated" };
  const script: Data[] = [
    { Contents: [{ Key: "a" }, { Key: "b" }], IsTruncated: true },
    { Contents: [{ Key: "c" }], NextMarker: "m", IsTruncated: true },
    { Contents: [{ Key: "d" }], NextMarker: "zz", IsTruncated: false },
  ];
  const { paginator, calls } = run((_, n) => script[n]!, spec);
  assert.equal((await all(paginator)).length, 3);
  assert.deepEqual(calls, [{}, { Marker: "b" }, { Marker: "m" }]);
});

test("an aborted signal rejects with AbortError before the next page", async () => {
  const controller = new AbortController();
  const { paginator, calls } = run(numbered(100, 1), simple, { signal: controller.signal });
  let pages = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of paginator) {
        if (++pages === 2) controller.abort(new Error("stop"));
      }
    })(),
    AbortError,
  );
  assert.equal(calls.length, 2);
});
