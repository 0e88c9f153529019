// Runs every case of the vendored protocol suites (current and legacy, input and output)
// through the protocol module named by each suite's metadata (test/protocols/modules.ts).
// One node:test case per suite case; the case counts from the conformance README are
// asserted so a truncated copy fails loudly. `PROTOCOLS=json,rest-json` limits the run to
// some protocol modules (the other cases are reported as "not selected", not as skips).
// A case may be skipped only with a reason in SKIPS below, keyed by `file:id`
// (`file:suite:case` in legacy files). botocore-ignore-list.json is not a skip list:
// those cases run, and the summary says how many of them passed.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  botocoreIgnored,
  listCases,
  loadProtocol,
  protocolOf,
  runInputCase,
  runOutputCase,
  STUB_UUID,
} from "./harness.js";
import type { CaseRef } from "./harness.js";
import { RequestFormError } from "../../runtime/errors.js";
import type { OperationSchema, StructureShape } from "../../runtime/schema.js";
import {
  formatIso8601,
  joinHeaderList,
  parseTimestamp,
  splitHeaderList,
  splitHttpDateList,
  uriEncode,
} from "../../runtime/protocols/shared.js";

/** [input cases, output cases] per file, from test/vendor/conformance/README.md. */
const CURRENT_COUNTS: Record<string, [number, number]> = {
  "ec2.json": [29, 29],
  "json.json": [54, 58],
  "json_1_0.json": [21, 32],
  "json_1_0-query-compatible.json": [1, 2],
  "query.json": [38, 38],
  "rest-json.json": [113, 91],
  "rest-xml.json": [94, 78],
  "smithy-rpc-v2-cbor.json": [15, 35],
  "smithy-rpc-v2-cbor-query-compatible.json": [1, 2],
  "smithy-rpc-v2-cbor-non-query-compatible.json": [1, 0],
};
const LEGACY_COUNTS: Record<string, [number, number]> = {
  "ec2.json": [12, 13],
  "json.json": [24, 20],
  "query.json": [25, 19],
  "rest-json.json": [56, 33],
  "rest-xml.json": [45, 25],
};
const TOTALS = { currentInput: 367, currentOutput: 365, legacyInput: 162, legacyOutput: 110 };

/**
 * Cases not run, each with the reason (`tag: explanation`; the summary shows the tag). Keep this short and honest: a skip is for
 * behaviour that belongs to another layer or that the suites contradict themselves on.
 */
const CONTRADICTS_SMITHY =
  "contradicts-smithy: legacy botocore expectation contradicted by the current Smithy suite, which tsaws follows";
// XML-family skips (query, ec2, rest-xml).
const PAYLOAD_ROOT_NAME =
  "payload-root-name: expects a structure payload's root element named after the target shape while the payload member carries a locationName (equal to the member name); real models use exactly that form for roots that differ from the shape name (S3 PutBucketLifecycleConfiguration: member LifecycleConfiguration, shape BucketLifecycleConfiguration, wire <LifecycleConfiguration>), so tsaws uses the member's locationName as botocore does, and the botocore JSON form cannot tell the two apart";
const SHAPE_LOCATION =
  "shape-location: `location: headers` is declared on the target map shape instead of the member, an old botocore form no current model uses; the schema builder reads HTTP locations from members only";
const XML_JSONVALUE_HEADER =
  "jsonvalue-header: expects a jsonvalue header parsed into an object; the runtime contract (schema.ts `j`) keeps it as the JSON string, as Smithy's MediaTypeHeaderOutputBase64 expects";
const SKIPS: Record<string, string> = {
  // TestBlobPayloadNoContentType forbids Content-Length on a blob payload; Smithy's
  // RestJsonHttpPayloadTraitsWithBlob / RestJsonTestPayloadBlob require it for the same binding.
  "legacy/input/rest-json.json:25:6": CONTRADICTS_SMITHY,
  // List headers: botocore joins with "," and omits an empty list; Smithy joins with ", "
  // (RestJsonInputAndOutputWithStringHeaders) and sends an empty header (RestJsonNullAndEmptyHeaders).
  "legacy/input/rest-json.json:26:0": CONTRADICTS_SMITHY,
  "legacy/input/rest-json.json:26:1": CONTRADICTS_SMITHY,
  // Keeps nulls in dense lists and declares a `string` shape holding objects; Smithy's dense
  // collections drop nulls (RestJsonDeserializesDenseSetMapAndSkipsNull).
  "legacy/output/json.json:3:1": CONTRADICTS_SMITHY,
  "legacy/output/rest-json.json:9:0":
    "header-case: expects prefix-header map keys in the server's casing; ReceivedResponse header names are lower case by contract (runtime/protocols/types.ts)",
  "legacy/output/rest-json.json:12:0":
    "jsonvalue-header: expects a jsonvalue header parsed into an object; the runtime contract (schema.ts `j`) keeps it as the JSON string, as Smithy's MediaTypeHeaderOutputBase64 expects",
  // XML family (see the constants above SKIPS).
  "input/rest-xml.json:RestXmlHttpPayloadWithUnion": PAYLOAD_ROOT_NAME,
  "input/rest-xml.json:HttpPayloadWithXmlName": PAYLOAD_ROOT_NAME,
  "input/rest-xml.json:HttpPayloadWithXmlNamespace": PAYLOAD_ROOT_NAME,
  "input/rest-xml.json:HttpPayloadWithXmlNamespaceAndPrefix": PAYLOAD_ROOT_NAME,
  "input/rest-xml.json:XmlAttributesOnPayload": PAYLOAD_ROOT_NAME,
  "legacy/input/rest-xml.json:11:0": SHAPE_LOCATION,
  // List headers joined with "," and an empty list omitted: as legacy/input/rest-json.json:26:x.
  "legacy/input/rest-xml.json:26:0": CONTRADICTS_SMITHY,
  "legacy/input/rest-xml.json:26:1": CONTRADICTS_SMITHY,
  "legacy/output/rest-xml.json:12:0": XML_JSONVALUE_HEADER,
};

const FILES: string[] = [
  ...Object.keys(CURRENT_COUNTS).flatMap((f) => [`input/${f}`, `output/${f}`]),
  ...Object.keys(LEGACY_COUNTS).flatMap((f) => [`legacy/input/${f}`, `legacy/output/${f}`]),
];

const selected = process.env.PROTOCOLS?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  notSelected: number;
  ignoredPassed: number;
  ignoredTotal: number;
  reasons: Map<string, number>;
  failures: string[];
}

const tallies = new Map<string, Tally>();
function tally(file: string): Tally {
  let t = tallies.get(file);
  if (!t) {
    t = {
      passed: 0,
      failed: 0,
      skipped: 0,
      notSelected: 0,
      ignoredPassed: 0,
      ignoredTotal: 0,
      reasons: new Map(),
      failures: [],
    };
    tallies.set(file, t);
  }
  return t;
}

const isIgnored = botocoreIgnored();
const casesByFile = new Map<string, CaseRef[]>(FILES.map((f) => [f, listCases(f)]));

test("suite files hold the case counts of the README", () => {
  let currentInput = 0;
  let currentOutput = 0;
  let legacyInput = 0;
  let legacyOutput = 0;
  for (const [file, cases] of casesByFile) {
    const legacy = file.startsWith("legacy/");
    const base = file.replace(/^.*\//, "");
    const input = /(^|\/)input\//.test(file);
    const expected = (legacy ? LEGACY_COUNTS : CURRENT_COUNTS)[base]![input ? 0 : 1];
    assert.equal(cases.length, expected, `${file} case count`);
    if (legacy) input ? (legacyInput += cases.length) : (legacyOutput += cases.length);
    else input ? (currentInput += cases.length) : (currentOutput += cases.length);
  }
  assert.deepEqual({ currentInput, currentOutput, legacyInput, legacyOutput }, TOTALS);
  for (const [key, reason] of Object.entries(SKIPS)) {
    assert.match(reason, /^[a-z-]+: \S/, `skip reason of ${key} starts with a tag`);
    const file = key.slice(0, key.indexOf(".json:") + 5);
    assert.ok(
      casesByFile.get(file)?.some((c) => c.key === key),
      `skip key ${key} names no case`,
    );
  }
});

for (const [file, cases] of casesByFile) {
  describe(file, () => {
    for (const ref of cases) {
      const protocolName = protocolOf(ref.suite);
      const t = tally(file);
      const ignored = isIgnored(ref);
      if (selected && !selected.includes(protocolName)) {
        t.notSelected++;
        continue;
      }
      const reason = SKIPS[ref.key];
      if (reason !== undefined) {
        t.skipped++;
        const tag = reason.slice(0, reason.indexOf(":"));
        t.reasons.set(tag, (t.reasons.get(tag) ?? 0) + 1);
        test(ref.name, { skip: reason }, () => {});
        continue;
      }
      if (ignored) t.ignoredTotal++;
      test(ref.name, async () => {
        try {
          const protocol = await loadProtocol(protocolName);
          if (ref.direction === "input") await runInputCase(protocol, ref);
          else await runOutputCase(protocol, ref);
          t.passed++;
          if (ignored) t.ignoredPassed++;
        } catch (err) {
          t.failed++;
          t.failures.push(ref.name);
          throw err;
        }
      });
    }
  });
}

after(() => {
  const total = { passed: 0, failed: 0, skipped: 0, notSelected: 0 };
  const lines: string[] = [];
  for (const file of FILES) {
    const t = tally(file);
    total.passed += t.passed;
    total.failed += t.failed;
    total.skipped += t.skipped;
    total.notSelected += t.notSelected;
    if (t.passed + t.failed + t.skipped === 0) {
      if (t.notSelected) lines.push(`${file}: not selected (${t.notSelected})`);
      continue;
    }
    const reasons = [...t.reasons].map(([r, n]) => `${n}x ${r}`).join("; ");
    const ignored = t.ignoredTotal ? `, botocore-ignored ${t.ignoredPassed}/${t.ignoredTotal} passed` : "";
    lines.push(
      `${file}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${reasons ? ` (${reasons})` : ""}${ignored}`,
    );
  }
  lines.push(
    `protocols total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped` +
      (total.notSelected ? `, ${total.notSelected} not selected (PROTOCOLS=${selected?.join(",")})` : ""),
  );
  const used = new Set<string>();
  for (const t of tallies.values()) for (const tag of t.reasons.keys()) used.add(tag);
  for (const reason of new Set(Object.values(SKIPS))) {
    const tag = reason.slice(0, reason.indexOf(":"));
    if (used.has(tag)) lines.push(`  skip ${reason}`);
  }
  console.log(lines.join("\n"));
});

// ---------------------------------------------------------------------------------------
// Request-side edge cases the suites do not cover (JSON family and the shared REST binding).

describe(
  "edge cases beyond the suites",
  { skip: selected && !selected.some((p) => p === "json" || p === "rest-json") },
  () => {
    const service = {
      id: "Edge",
      p: "rest-json",
      v: "2020-01-01",
      ep: "edge",
      sn: "edge",
      tp: "Edge",
      jv: "1.1",
    } as const;
    const input: StructureShape = {
      t: 8,
      m: {
        Id: [0, { l: "uri" }],
        Key: [0, { l: "uri" }],
        Account: [0, { hl: 1 }],
        When: [5, { l: "header", n: "X-When" }],
        Dates: [
          { t: 9, m: 5 },
          { l: "header", n: "X-Dates" },
        ],
        Stamp: 5,
        Data: 4,
        Token: [0, { it: 1 }],
        Choice: { t: 8, u: 1, m: { A: 0, B: 2 } },
      },
    };
    const op: OperationSchema = {
      n: "Edge",
      h: ["PUT", "/things/{Id}/{Key+}?x-id=Edge"],
      i: input,
      hp: "{Account}.data.",
    };
    const ctx = { uuid: () => STUB_UUID };

    test("missing, empty and unsafe URI or host labels throw RequestFormError", async () => {
      const rest = await loadProtocol("rest-json");
      const ok = { Id: "a", Key: "b/c d", Account: "acct-1" };
      const request = rest.serialize(service, op, ok, ctx);
      assert.equal(request.path, "/things/a/b/c%20d");
      assert.deepEqual(request.query, [["x-id", "Edge"]]);
      assert.equal(request.hostPrefix, "acct-1.data.");
      for (const bad of [
        { Key: "b", Account: "x" },
        { Id: "", Key: "b", Account: "x" },
        { Id: "a", Key: "", Account: "x" },
        { Id: "a", Key: "b" },
        { Id: "a", Key: "b", Account: "" },
        { Id: "a", Key: "b", Account: "evil.com/x" },
      ]) {
        assert.throws(() => rest.serialize(service, op, bad, ctx), RequestFormError, JSON.stringify(bad));
      }
      const json = await loadProtocol("json");
      assert.throws(() => json.serialize({ ...service, p: "json" }, op, { Id: "a" }, ctx), RequestFormError);
    });

    test("timestamps accept Date, epoch seconds and ISO strings; blobs accept strings; tokens fill", async () => {
      const rest = await loadProtocol("rest-json");
      const base = { Id: "a", Key: "b", Account: "x" };
      for (const when of [new Date(1576540098000), 1576540098, "2019-12-16T23:48:18Z"]) {
        const r = rest.serialize(
          service,
          op,
          { ...base, When: when, Stamp: when, Dates: [when, when], Data: "hi" },
          ctx,
        );
        assert.equal(r.headers["x-when"], "Mon, 16 Dec 2019 23:48:18 GMT");
        assert.equal(r.headers["x-dates"], "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT");
        assert.deepEqual(JSON.parse(r.body as string), {
          Account: "x",
          Stamp: 1576540098,
          Data: "aGk=",
          Token: STUB_UUID,
        });
      }
      const given = rest.serialize(service, op, { ...base, Token: "mine" }, ctx);
      assert.equal(JSON.parse(given.body as string).Token, "mine");
      assert.throws(() => rest.serialize(service, op, { ...base, Stamp: "yesterday" }, ctx), RequestFormError);
      assert.throws(() => rest.serialize(service, op, { ...base, Choice: { A: "a", B: 1 } }, ctx), RequestFormError);
    });

    test("header lists and timestamps round-trip through the shared helpers", () => {
      assert.deepEqual(splitHeaderList('"b,c", "\\"def\\"", a'), ["b,c", '"def"', "a"]);
      assert.equal(joinHeaderList(["b,c", '"def"', "a"]), '"b,c", "\\"def\\"", a');
      assert.deepEqual(splitHttpDateList("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT"), [
        "Mon, 16 Dec 2019 23:48:18 GMT",
        "Tue, 17 Dec 2019 23:48:18 GMT",
      ]);
      for (const text of [
        "Monday, 16-Dec-19 23:48:18 GMT",
        "Mon Dec 16 23:48:18 2019",
        "2019-12-16T22:48:18-01:00",
        "1576540098",
      ]) {
        assert.equal(parseTimestamp(text)?.getTime(), 1576540098000, text);
      }
      assert.equal(parseTimestamp("not a date"), undefined);
      assert.equal(formatIso8601(new Date(946845296123)), "2000-01-02T20:34:56.123Z");
      assert.equal(uriEncode("a/b c~*", true), "a/b%20c~%2A");
      assert.equal(uriEncode("a/b"), "a%2Fb");
    });
  },
);
