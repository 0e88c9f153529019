// botocore's JSON error response-parsing cases (test/vendor/conformance/response-parsing/json):
// each `errors/<service>-<operation>.json` is a raw HTTP 400 error body, parsed with the
// service's own model from models/ through its protocol module, and compared, in botocore's
// output form ({Error: {Code, Message}, ResponseMetadata}), with `expected/<same name>`.
// The XML cases live in response-parsing-xml.test.ts.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { after, test } from "node:test";
import { loadService } from "../../codegen/model.js";
import { SchemaBuilder, serviceSchema } from "../../codegen/schema.js";
import { errorClass } from "../../runtime/errors.js";
import { utf8 } from "../../runtime/encoding.js";
import type { ErrorClassLike, StructureShape } from "../../runtime/schema.js";
import { loadProtocol } from "./harness.js";

const DIR = new URL("../vendor/conformance/response-parsing/json/", import.meta.url);
const EXPECTED_CASES = 5;

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

const files = existsSync(new URL("errors/", DIR))
  ? readdirSync(new URL("errors/", DIR))
      .filter((f) => f.endsWith(".json"))
      .sort()
  : [];
const tally = { passed: 0, failed: 0 };

test("response-parsing/json has the README's case count", () => {
  assert.equal(files.length, EXPECTED_CASES);
  for (const f of files) assert.ok(existsSync(new URL(`expected/${f}`, DIR)), `expected/${f} exists`);
});

for (const file of files) {
  test(`json/errors/${file}`, async () => {
    try {
      const base = file.replace(/\.json$/, "").replace(/#\d+$/, "");
      // The service is the longest model folder name that prefixes the case name.
      const services = readdirSync(new URL("../../models/", import.meta.url));
      const service = services.filter((s) => base.startsWith(`${s}-`)).sort((a, b) => b.length - a.length)[0];
      assert.ok(service, `no model folder for ${base}`);
      const model = loadService(service).service;
      const opKebab = base.slice(service.length + 1);
      const boto = Object.values(model.operations).find((o) => kebab(o.name) === opKebab);
      assert.ok(boto, `${service} has no operation ${opKebab}`);

      const svc = serviceSchema(model);
      const builder = new SchemaBuilder(model.shapes, { protocol: svc.p });
      const errors = (boto.errors ?? []).map(
        (e) => errorClass(e.shape, builder.shape(e.shape) as StructureShape) as unknown as ErrorClassLike,
      );
      const op = { ...builder.operation(boto), e: errors };
      const protocol = await loadProtocol(svc.p);
      const body = readFileSync(new URL(`errors/${file}`, DIR));
      const parsed = protocol.parseError(svc, op, {
        statusCode: 400,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: utf8(body.toString("utf8")),
      });

      const actual: Record<string, unknown> = {
        Error: {
          Code: parsed.code,
          ...(parsed.message !== undefined ? { Message: parsed.message } : {}),
          ...(parsed.type !== undefined ? { Type: parsed.type } : {}),
        },
        ResponseMetadata: parsed.requestId !== undefined ? { RequestId: parsed.requestId } : {},
      };
      const expected = JSON.parse(readFileSync(new URL(`expected/${file}`, DIR), "utf8")) as unknown;
      assert.deepEqual(actual, expected);
      // When the operation models this error, the parsed error must carry its class.
      const modeled = errors.find((e) => e.$s.er?.[0] === parsed.code || e.$s.n === parsed.code);
      if (modeled) assert.equal(parsed.errorClass, modeled, "modeled error class");
      tally.passed++;
    } catch (err) {
      tally.failed++;
      throw err;
    }
  });
}

after(() => {
  console.log(`response-parsing json errors: ${tally.passed} passed, ${tally.failed} failed, 0 skipped`);
});

// ---------------------------------------------------------------------------------------
// JSON-family error and output edge cases the suites do not cover.

const jsonService = { id: "Edge", p: "json", v: "2020-01-01", ep: "edge", sn: "edge", tp: "Edge", jv: "1.1" } as const;
const restJsonService = { ...jsonService, p: "rest-json" } as const;
const edgeErrorShape: StructureShape = {
  t: 8,
  n: "ThrottledError",
  er: ["Throttled", 400, "client"],
  m: { Reason: 0, Count: 2 },
};
const EdgeError = errorClass("ThrottledError", edgeErrorShape) as unknown as ErrorClassLike;
const edgeOp = {
  n: "Edge",
  h: ["POST", "/"] as const,
  o: { t: 8, m: { Name: 0, When: 5, Retry: [2, { l: "header", n: "x-retry" }] } } as StructureShape,
  e: [EdgeError],
};

test("edge: an HTML 502 page becomes a ParsedError coded from the status (json and rest-json)", async () => {
  for (const name of ["json", "rest-json"]) {
    const protocol = await loadProtocol(name);
    const parsed = protocol.parseError(name === "json" ? jsonService : restJsonService, edgeOp, {
      statusCode: 502,
      headers: { "content-type": "text/html" },
      body: utf8("<html><body><h1>502 Bad Gateway</h1></body></html>"),
    });
    assert.equal(parsed.code, "Http502");
    assert.equal(parsed.errorClass, undefined);
    assert.deepEqual(parsed.fields, {});
  }
});

test("edge: malformed JSON error and output bodies throw ResponseParseError with the status", async () => {
  const { ResponseParseError } = await import("../../runtime/errors.js");
  for (const name of ["json", "rest-json"]) {
    const protocol = await loadProtocol(name);
    const service = name === "json" ? jsonService : restJsonService;
    assert.throws(
      () =>
        protocol.parseError(service, edgeOp, {
          statusCode: 500,
          headers: {},
          body: utf8('{"__type": "Throttled", "mess'),
        }),
      (e: unknown) => e instanceof ResponseParseError && e.statusCode === 500 && !(e as Error).message.includes("mess"),
    );
    assert.throws(
      () => protocol.parse(service, edgeOp, { statusCode: 200, headers: {}, body: utf8('{"Name": ') }),
      (e: unknown) => e instanceof ResponseParseError && e.statusCode === 200,
    );
    // A body of the wrong JSON type for the model is a ResponseParseError too, never a raw TypeError.
    assert.throws(
      () => protocol.parse(service, edgeOp, { statusCode: 200, headers: {}, body: utf8('{"Name": 5}') }),
      (e: unknown) => e instanceof ResponseParseError && e.statusCode === 200,
    );
  }
  const rest = await loadProtocol("rest-json");
  assert.throws(
    () =>
      rest.parse(restJsonService, edgeOp, { statusCode: 200, headers: { "x-retry": "soon" }, body: new Uint8Array(0) }),
    (e: unknown) => e instanceof ResponseParseError,
  );
});

test("edge: error codes, messages and modeled members", async () => {
  const protocol = await loadProtocol("json");
  const parsed = protocol.parseError(jsonService, edgeOp, {
    statusCode: 400,
    headers: {},
    body: utf8(
      '{"__type": "com.example#Throttled:http://internal/", "errorMessage": "slow down", "Reason": "busy", "Count": 3, "Extra": 1}',
    ),
  });
  assert.equal(parsed.code, "Throttled");
  assert.equal(parsed.message, "slow down");
  assert.equal(parsed.errorClass, EdgeError);
  assert.deepEqual(parsed.fields, { Reason: "busy", Count: 3 });
  // Unknown code: no class, no fields.
  const unknown = protocol.parseError(jsonService, edgeOp, {
    statusCode: 400,
    headers: { "x-amzn-errortype": "Nope" },
    body: utf8("{}"),
  });
  assert.deepEqual({ ...unknown }, { code: "Nope", fields: {} });
  // Query-compatible services take code and type from x-amzn-query-error; others ignore it.
  const qcService = { ...jsonService, qc: 1 } as const;
  const response = {
    statusCode: 400,
    headers: { "x-amzn-query-error": "Throttled;Sender" },
    body: utf8('{"__type": "com.example#ThrottledError", "message": "m"}'),
  };
  const qc = protocol.parseError(qcService, edgeOp, response);
  assert.equal(qc.code, "Throttled");
  assert.equal(qc.type, "Sender");
  assert.equal(qc.errorClass, EdgeError);
  const plain = protocol.parseError(jsonService, edgeOp, response);
  assert.equal(plain.code, "ThrottledError");
  assert.equal(plain.type, undefined);
  assert.equal(plain.errorClass, EdgeError, "matched by shape name");
});

test("edge: output timestamps accept epoch numbers, ISO-8601 with offsets and HTTP-dates", async () => {
  const protocol = await loadProtocol("json");
  for (const when of [
    "1576540098",
    '"2019-12-17T00:48:18+01:00"',
    '"Mon, 16 Dec 2019 23:48:18 GMT"',
    '"2019-12-16T23:48:18.000Z"',
  ]) {
    const out = protocol.parse(jsonService, edgeOp, { statusCode: 200, headers: {}, body: utf8(`{"When": ${when}}`) });
    assert.equal((out.When as Date).getTime(), 1576540098000, when);
  }
});
