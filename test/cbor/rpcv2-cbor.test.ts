// smithy-rpc-v2-cbor (runtime/protocols/rpcv2-cbor.ts) beyond the conformance suites
// (those run in test/protocols/conformance.test.ts): exact wire encodings, request forms,
// and response/error edge cases, on hand-written schemas.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { protocol } from "../../runtime/protocols/rpcv2-cbor.js";
import { CborTag, decodeCbor, encodeCbor } from "../../runtime/protocols/cbor.js";
import { errorClass, RequestFormError, ResponseParseError } from "../../runtime/errors.js";
import { toHex } from "../../runtime/encoding.js";
import type { ErrorClassLike, OperationSchema, ServiceSchema, StructureShape } from "../../runtime/schema.js";
import type { ReceivedResponse } from "../../runtime/protocols/types.js";

let passed = 0;
let failed = 0;
function check(name: string, fn: () => void | Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
      passed++;
    } catch (e) {
      failed++;
      throw e;
    }
  });
}
after(() => console.log(`rpcv2-cbor edge cases: ${passed} passed, ${failed} failed, 0 skipped`));

const service: ServiceSchema = {
  id: "Sample Service",
  p: "smithy-rpc-v2-cbor",
  v: "2024-01-01",
  ep: "sample",
  sn: "sample",
  tp: "SampleService",
};
const ctx = { uuid: () => "00000000-0000-4000-8000-000000000000" };

const Inner: StructureShape = { t: 8, m: { Name: 0 } };
const Shapes: StructureShape = {
  t: 8,
  m: {
    Str: 0,
    Bool: 1,
    Int: 2,
    Float: 3,
    Blob: 4,
    When: 5,
    Doc: 6,
    Big: 7,
    Inner,
    Sparse: { t: 9, m: 0, sp: 1 },
    Dense: { t: 9, m: 2 },
    Map: { t: 10, k: 0, v: 2 },
    SparseMap: { t: 10, k: 0, v: 0, sp: 1 },
    Choice: { t: 8, u: 1, m: { A: 0, B: 2 } },
    Renamed: [0, { n: "wireName" }],
    Token: [0, { it: 1 }],
  },
};
const op: OperationSchema = { n: "DoThing", h: ["POST", "/"], i: Shapes, o: Shapes };
const { Token: _token, ...withoutToken } = Shapes.m;
/** The same operation without the idempotency token, for exact byte comparisons. */
const plainOp: OperationSchema = { ...op, i: { t: 8, m: withoutToken } };

function request(input: Record<string, unknown>, o: OperationSchema = op) {
  const r = protocol.serialize(service, o, input, ctx);
  return { r, body: r.body === undefined ? undefined : (r.body as Uint8Array) };
}
function response(value: unknown, status = 200, headers: Record<string, string> = {}): ReceivedResponse {
  return { statusCode: status, headers, body: value instanceof Uint8Array ? value : encodeCbor(value) };
}

check("request line and headers; no body and no Content-Type without input", () => {
  const { r, body } = request({ Str: "x" });
  assert.equal(r.method, "POST");
  assert.equal(r.path, "/service/SampleService/operation/DoThing");
  assert.deepEqual(r.query, []);
  assert.equal(r.headers["smithy-protocol"], "rpc-v2-cbor");
  assert.equal(r.headers["accept"], "application/cbor");
  assert.equal(r.headers["content-type"], "application/cbor");
  assert.equal(r.headers["content-length"], String(body!.length));
  assert.equal(r.headers["x-amz-target"], undefined);
  assert.equal(r.headers["x-amzn-query-mode"], undefined);
  const none = protocol.serialize(service, { n: "Ping", h: ["POST", "/"] }, {}, ctx);
  assert.equal(none.body, undefined);
  assert.equal(none.headers["content-type"], undefined);
  assert.equal(none.headers["content-length"], undefined);
  const qc = protocol.serialize({ ...service, qc: 1 }, { n: "Ping", h: ["POST", "/"] }, {}, ctx);
  assert.equal(qc.headers["x-amzn-query-mode"], "true");
  assert.equal(
    protocol.serialize({ ...service, tp: "com.example#Other" }, op, {}, ctx).path,
    "/service/Other/operation/DoThing",
  );
  const hp = protocol.serialize(service, { ...op, hp: "{Str}." }, { Str: "acct" }, ctx);
  assert.equal(hp.hostPrefix, "acct.");
});

check("exact encodings: floats stay floats, timestamps are tag 1 doubles, blobs are bytes", () => {
  const hexOf = (input: Record<string, unknown>) => toHex(request(input, plainOp).body!);
  // {"Float": 1.0} -> a1 65 "Float" fa 3f800000 (not the integer 1)
  assert.equal(hexOf({ Float: 1 }), "a165466c6f6174fa3f800000");
  assert.equal(hexOf({ Float: 1.889 }), "a165466c6f6174fb3ffe395810624dd3");
  assert.equal(hexOf({ Float: "NaN" }), "a165466c6f6174fa7fc00000");
  assert.equal(hexOf({ Int: 1 }), "a163496e7401");
  assert.equal(hexOf({ Int: "-2" }), "a163496e7421");
  assert.equal(hexOf({ When: new Date(1398796238000) }), "a1645768656ec1fb41d4d7fbf3800000");
  assert.equal(hexOf({ When: 1398796238 }), "a1645768656ec1fb41d4d7fbf3800000");
  assert.equal(hexOf({ When: "2014-04-29T18:30:38Z" }), "a1645768656ec1fb41d4d7fbf3800000");
  assert.equal(hexOf({ Blob: "foo" }), "a164426c6f6243666f6f");
  assert.equal(hexOf({ Blob: new Uint8Array([1, 2]) }), "a164426c6f62420102");
  assert.equal(hexOf({ Str: "é" }), "a163537472" + "62c3a9");
  assert.equal(hexOf({ Renamed: "v" }), "a168776972654e616d656176");
});

check("collections, unions, documents, big numbers, idempotency tokens", () => {
  const decoded = decodeCbor(
    request({
      Sparse: ["a", null, "b"],
      Dense: [1, null, 2],
      Map: { a: 1, skip: null },
      SparseMap: { a: "x", b: null },
      Choice: { B: 2 },
      Doc: { any: [1, "two", { three: true }] },
      Inner: { Name: "n", Extra: "ignored" },
      Token: undefined,
    }).body!,
  );
  assert.deepEqual(decoded, {
    Sparse: ["a", null, "b"],
    Dense: [1, 2],
    Map: { a: 1 },
    SparseMap: { a: "x", b: null },
    Choice: { B: 2 },
    Doc: { any: [1, "two", { three: true }] },
    Inner: { Name: "n" },
    Token: "00000000-0000-4000-8000-000000000000",
  });
  assert.deepEqual(decodeCbor(request({ Big: "123456789012345678901234567890" }, plainOp).body!), {
    Big: 123456789012345678901234567890n,
  });
  assert.deepEqual(decodeCbor(request({ Big: "42" }, plainOp).body!), { Big: 42 });
  assert.deepEqual(decodeCbor(request({ Big: "-1.25" }, plainOp).body!), { Big: new CborTag(4, [-2, -125]) });
  assert.deepEqual(decodeCbor(request({ Big: "1.5e10" }, plainOp).body!), { Big: new CborTag(4, [9, 15]) });
  assert.deepEqual(decodeCbor(request({ Token: "mine" }).body!), { Token: "mine" });
});

check("invalid input values throw RequestFormError", () => {
  for (const bad of [
    { Int: 1.5 },
    { Int: "x" },
    { Float: "fast" },
    { Bool: "yes" },
    { Blob: 5 },
    { When: "yesterday" },
    { Big: "1/3" },
    { Str: {} },
    { Dense: "not a list" },
    { Choice: { A: "a", B: 1 } },
    { Inner: 5 },
  ]) {
    assert.throws(() => request(bad), RequestFormError, JSON.stringify(bad));
  }
});

check("responses: parsed by shape, widths upcast, unknown members and nulls skipped", () => {
  const out = protocol.parse(
    service,
    op,
    response(
      new Map<string, unknown>([
        ["Str", "s"],
        ["Bool", false],
        ["Int", 2n ** 40n],
        ["Float", 3],
        ["Blob", new Uint8Array([9])],
        ["When", new Date(1000)],
        ["Big", new CborTag(4, [-2, 12345n])],
        ["Inner", { Name: "n", Unknown: [1, 2] }],
        ["Sparse", ["a", null]],
        ["Dense", [1, null, 2]],
        ["SparseMap", { a: null, b: "x" }],
        ["Map", { a: 1, b: null }],
        ["wireName", "renamed"],
        ["Choice", { A: "a" }],
        ["Extra", { deeply: ["nested", new Uint8Array(3)] }],
        ["Doc", null],
      ]),
    ),
  );
  assert.deepEqual(out, {
    Str: "s",
    Bool: false,
    Int: 2 ** 40,
    Float: 3,
    Blob: new Uint8Array([9]),
    When: new Date(1000),
    Big: "123.45",
    Inner: { Name: "n" },
    Sparse: ["a", null],
    Dense: [1, 2],
    SparseMap: { a: null, b: "x" },
    Map: { a: 1 },
    Renamed: "renamed",
    Choice: { A: "a" },
  });
  // An untagged number is accepted for a timestamp; a half float for a float.
  assert.deepEqual(protocol.parse(service, op, response({ When: 1.5 })), { When: new Date(1500) });
  assert.deepEqual(
    protocol.parse(
      service,
      op,
      response(new Uint8Array([0xa1, 0x65, ...new TextEncoder().encode("Float"), 0xf9, 0x3e, 0x00])),
    ),
    { Float: 1.5 },
  );
  assert.deepEqual(protocol.parse(service, op, response(new Uint8Array(0))), {});
  assert.deepEqual(protocol.parse(service, { n: "Ping", h: ["POST", "/"] }, response({ anything: 1 })), {});
  const proto = protocol.parse(service, op, response({ Map: { __proto__: 1 } as unknown as Record<string, number> }));
  assert.equal(Object.getPrototypeOf(proto["Map"]), Object.prototype);
});

check("malformed or mismatched responses are ResponseParseError with the status", () => {
  for (const body of [
    new Uint8Array([0xbf]),
    new Uint8Array([0x62, 0xc3, 0x28]),
    encodeCbor({ Str: 5 }),
    encodeCbor({ Int: 1.5 }),
    encodeCbor([1]),
    encodeCbor({ When: "2020" }),
    encodeCbor({ Blob: "text" }),
  ]) {
    assert.throws(
      () => protocol.parse(service, op, { statusCode: 200, headers: {}, body }),
      (e: unknown) => e instanceof ResponseParseError && e.statusCode === 200,
      toHex(body),
    );
  }
});

check("errors: __type with namespace stripped, modeled fields, query-compatible codes, non-CBOR bodies", () => {
  const Invalid = errorClass("InvalidThing", {
    t: 8,
    n: "InvalidThing",
    m: { Message: 0, Reason: 0 },
    er: ["InvalidThing", 400, "client"],
  } as StructureShape) as unknown as ErrorClassLike;
  const Custom = errorClass("CustomCodeError", {
    t: 8,
    n: "CustomCodeError",
    m: { message: 0 },
    er: ["Customized", 400, "client"],
  } as StructureShape) as unknown as ErrorClassLike;
  const withErrors: OperationSchema = { ...op, e: [Invalid, () => Custom] };
  const e1 = protocol.parseError(
    service,
    withErrors,
    response({ __type: "com.example#InvalidThing", Message: "bad", Reason: "r" }, 400),
  );
  assert.equal(e1.code, "InvalidThing");
  assert.equal(e1.message, "bad");
  assert.equal(e1.errorClass, Invalid);
  assert.deepEqual(e1.fields, { Message: "bad", Reason: "r" });
  const e2 = protocol.parseError(
    service,
    withErrors,
    response({ __type: "com.example#Unmodeled:http://extra", message: "m" }, 500),
  );
  assert.equal(e2.code, "Unmodeled");
  assert.equal(e2.errorClass, undefined);
  assert.deepEqual(e2.fields, {});
  const qc = { ...service, qc: 1 as const };
  const e3 = protocol.parseError(
    qc,
    withErrors,
    response({ __type: "aws.x#CustomCodeError", message: "Hi" }, 400, { "x-amzn-query-error": "Customized;Sender" }),
  );
  assert.equal(e3.code, "Customized");
  assert.equal(e3.type, "Sender");
  assert.equal(e3.errorClass, Custom);
  // The header is only read for awsQueryCompatible services.
  assert.equal(
    protocol.parseError(
      service,
      withErrors,
      response({ __type: "a#InvalidThing" }, 400, { "x-amzn-query-error": "Other;Sender" }),
    ).code,
    "InvalidThing",
  );
  const html = protocol.parseError(service, withErrors, {
    statusCode: 502,
    headers: {},
    body: new TextEncoder().encode("<html>Bad Gateway</html>"),
  });
  assert.equal(html.code, "Http502");
  assert.match(html.message ?? "", /not CBOR/);
  assert.equal(protocol.parseError(service, withErrors, response(new Uint8Array(0), 503)).code, "Http503");
  assert.throws(
    () => protocol.parseError(service, withErrors, response({ __type: "InvalidThing", Reason: 5 }, 400)),
    ResponseParseError,
  );
});
