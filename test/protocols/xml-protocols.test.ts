// Unit tests for the XML family beyond the conformance suites: parser safety (malformed
// text, DOCTYPE entities, CDATA, prototype names), error bodies that are not XML (proxy
// HTML, empty), S3's 200-with-error body, request ids, escaping, and XML attributes with
// namespace prefixes (S3's `xsi:type`).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SchemaBuilder } from "../../codegen/schema.js";
import type { BotoOperation, BotoShape } from "../../codegen/model.js";
import { utf8 } from "../../runtime/encoding.js";
import { errorClass, RequestFormError, ResponseParseError } from "../../runtime/errors.js";
import type { ErrorClassLike, OperationSchema, ServiceSchema, StructureShape } from "../../runtime/schema.js";
import type { ReceivedResponse } from "../../runtime/protocols/types.js";
import { protocol as query } from "../../runtime/protocols/query.js";
import { protocol as ec2 } from "../../runtime/protocols/ec2.js";
import { isErrorBody, protocol as restXml, xmlRequestId } from "../../runtime/protocols/rest-xml.js";
import { loadXmlParser, parseXml } from "../../runtime/protocols/xml.js";

// The XML parser is imported on first use (xml.ts loadXmlParser); the client awaits it, these tests call parsers directly.
await loadXmlParser();

const ctx = { uuid: () => "00000000-0000-4000-8000-000000000000" };

function ops(protocol: string, shapes: Record<string, BotoShape>, given: BotoOperation): OperationSchema {
  const b = new SchemaBuilder(shapes, { protocol });
  const op = b.operation(given);
  const errors = (given.errors ?? []).map((e) => errorClass(e.shape, b.shape(e.shape) as StructureShape) as unknown as ErrorClassLike);
  return errors.length ? { ...op, e: errors } : op;
}

function service(p: ServiceSchema["p"]): ServiceSchema {
  return { id: "Test", p, v: "2020-01-01", ep: "test", sn: "test" };
}

function response(statusCode: number, body: string, headers: Record<string, string> = {}): ReceivedResponse {
  return { statusCode, headers, body: utf8(body) };
}

describe("parseXml", () => {
  test("malformed XML is a ResponseParseError carrying the status", () => {
    for (const text of ["<a><b></a>", "<a>unclosed", "not xml", "<a/><b/>", ""]) {
      assert.throws(
        () => parseXml(text, 502),
        (e: unknown) => e instanceof ResponseParseError && e.statusCode === 502,
        JSON.stringify(text),
      );
    }
  });

  test("DOCTYPE entities are never expanded", () => {
    const lol = `<!DOCTYPE a [<!ENTITY x "xxxxxxxxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;"><!ENTITY z "&y;&y;&y;&y;&y;&y;&y;&y;">]><a>&z;</a>`;
    const root = parseXml(lol, 200);
    assert.equal(root.text, "&z;");
  });

  test("predefined entities and character references are decoded once; CDATA is verbatim", () => {
    const root = parseXml(`<a k="1 &amp; 2&#10;"><b>&lt;x&gt; &amp;amp; &#xD;&#65;&#x1F600;</b><c>p<![CDATA[<raw>&amp;]]>q</c></a>`, 200);
    assert.equal(root.attrs["k"], "1 & 2\n");
    assert.equal(root.children[0]!.text, "<x> &amp; \rA\u{1F600}");
    assert.equal(root.children[1]!.text, "p<raw>&amp;q");
  });

  test("element names that are JavaScript prototype properties are rejected, not crashing", () => {
    assert.throws(() => parseXml("<a><__proto__>1</__proto__></a>", 200), ResponseParseError);
  });
});

describe("query and ec2", () => {
  const shapes: Record<string, BotoShape> = {
    In: { type: "structure", members: { Label: { shape: "S", hostLabel: true }, Text: { shape: "S" }, Names: { shape: "L", queryName: "Name" } } },
    Out: { type: "structure", members: { Count: { shape: "I" }, When: { shape: "T" } } },
    Boom: { type: "structure", members: { Detail: { shape: "S" } }, exception: true },
    L: { type: "list", member: { shape: "S" } },
    S: { type: "string" },
    I: { type: "integer" },
    T: { type: "timestamp" },
  };
  const given: BotoOperation = {
    name: "Op",
    http: { method: "POST", requestUri: "/" },
    input: { shape: "In" },
    output: { shape: "Out", resultWrapper: "OpResult" },
    errors: [{ shape: "Boom" }],
    endpoint: { hostPrefix: "{Label}." },
  };
  const op = ops("query", shapes, given);

  test("form values are RFC 3986 encoded; host labels are required", () => {
    const req = query.serialize(service("query"), op, { Label: "abc", Text: "a b+c/é~", Names: [] }, ctx);
    assert.equal(req.body, "Action=Op&Version=2020-01-01&Label=abc&Text=a%20b%2Bc%2F%C3%A9~&Names=");
    assert.equal(req.hostPrefix, "abc.");
    assert.equal(req.headers["content-length"], String(utf8(req.body as string).length));
    assert.throws(() => query.serialize(service("query"), op, { Text: "x" }, ctx), RequestFormError);
  });

  test("ec2 names members by queryName, else capitalised, and sends no empty list", () => {
    const eop = ops("ec2", shapes, given);
    const req = ec2.serialize(service("ec2"), eop, { Label: "abc", Text: "t", Names: [] }, ctx);
    assert.equal(req.body, "Action=Op&Version=2020-01-01&Label=abc&Text=t");
    const req2 = ec2.serialize(service("ec2"), eop, { Label: "abc", Names: ["x", "y"] }, ctx);
    assert.equal(req2.body, "Action=Op&Version=2020-01-01&Label=abc&Name.1=x&Name.2=y");
  });

  test("outputs read the result wrapper; request ids are found", () => {
    const body = `<OpResponse><OpResult><Count>3</Count><When>2020-01-02T03:04:05Z</When></OpResult><ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata></OpResponse>`;
    const out = query.parse(service("query"), op, response(200, body));
    assert.deepEqual(out, { Count: 3, When: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)) });
    assert.equal(xmlRequestId(utf8(body)), "rid-1");
    assert.equal(xmlRequestId(utf8("<OpResponse><requestId>ec2-id</requestId></OpResponse>")), "ec2-id");
    assert.equal(xmlRequestId(utf8("<html>")), undefined);
  });

  test("a value that does not fit the model is a ResponseParseError", () => {
    const body = `<OpResponse><OpResult><Count>three</Count></OpResult></OpResponse>`;
    assert.throws(
      () => query.parse(service("query"), op, response(200, body)),
      (e: unknown) => e instanceof ResponseParseError && e.statusCode === 200,
    );
  });

  test("modeled errors: code, type, message, request id, members", () => {
    const body = `<ErrorResponse><Error><Type>Sender</Type><Code>Boom</Code><Message>m</Message><Detail>d</Detail></Error><RequestId>r</RequestId></ErrorResponse>`;
    const e = query.parseError(service("query"), op, response(400, body));
    assert.equal(e.code, "Boom");
    assert.equal(e.errorClass, op.e![0]);
    assert.deepEqual(e.fields, { Detail: "d" });
    assert.deepEqual([e.type, e.message, e.requestId], ["Sender", "m", "r"]);
    const ee = ec2.parseError(
      service("ec2"),
      op,
      response(400, `<Response><Errors><Error><Code>Other</Code><Message>x</Message></Error></Errors><RequestID>q</RequestID></Response>`),
    );
    assert.deepEqual([ee.code, ee.message, ee.requestId, ee.errorClass, ee.fields], ["Other", "x", "q", undefined, {}]);
  });

  test("bodies that are not XML error documents give Http<status>; malformed XML throws", () => {
    const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><hr></body></html>`;
    assert.equal(query.parseError(service("query"), op, response(502, html)).code, "Http502");
    assert.equal(query.parseError(service("query"), op, response(503, "")).code, "Http503");
    assert.equal(query.parseError(service("query"), op, response(500, "Internal error")).code, "Http500");
    assert.throws(
      () => query.parseError(service("query"), op, response(500, "<ErrorResponse><Error>")),
      (e: unknown) => e instanceof ResponseParseError && e.statusCode === 500,
    );
  });
});

describe("rest-xml", () => {
  const shapes: Record<string, BotoShape> = {
    In: {
      type: "structure",
      members: { Bucket: { shape: "S", location: "uri", locationName: "Bucket" }, Policy: { shape: "Policy", locationName: "AccessControlPolicy" } },
      payload: "Policy",
    },
    Policy: { type: "structure", members: { Grants: { shape: "Grants", locationName: "AccessControlList" }, Note: { shape: "S" } } },
    Grants: { type: "list", member: { shape: "Grant", locationName: "Grant" } },
    Grant: { type: "structure", members: { Grantee: { shape: "Grantee" } } },
    Grantee: {
      type: "structure",
      members: { ID: { shape: "S" }, Type: { shape: "S", locationName: "xsi:type", xmlAttribute: true } },
      xmlNamespace: { prefix: "xsi", uri: "http://www.w3.org/2001/XMLSchema-instance" },
    },
    Out: { type: "structure", members: { Grants: { shape: "Grants", locationName: "AccessControlList" } } },
    NoSuchBucket: { type: "structure", members: { BucketName: { shape: "S" } }, exception: true, error: { httpStatusCode: 404 } },
    S: { type: "string" },
  };
  const op = ops("rest-xml", shapes, {
    name: "PutAcl",
    http: { method: "PUT", requestUri: "/{Bucket}?acl" },
    input: { shape: "In" },
    output: { shape: "Out" },
    errors: [{ shape: "NoSuchBucket" }],
  });

  test("payload root, namespaced attributes and escaping", () => {
    const req = restXml.serialize(
      service("rest-xml"),
      op,
      { Bucket: "b", Policy: { Grants: [{ Grantee: { ID: "id<1>", Type: "Canonical\"User" } }], Note: "a\r\nb & c" } },
      ctx,
    );
    assert.equal(req.path, "/b");
    assert.deepEqual(req.query, [["acl", ""]]);
    assert.equal(
      req.body,
      `<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Canonical&quot;User">` +
        `<ID>id&lt;1&gt;</ID></Grantee></Grant></AccessControlList><Note>a&#xD;\nb &amp; c</Note></AccessControlPolicy>`,
    );
    // What was written reads back the same (attribute found by its prefixed name).
    const back = parseXml(req.body as string, 200);
    assert.equal(back.children[1]!.text, "a\r\nb & c");
  });

  test("prefixed attributes are read by name", () => {
    const body = `<R><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><ID>x</ID></Grantee></Grant></AccessControlList></R>`;
    assert.deepEqual(restXml.parse(service("rest-xml"), op, response(200, body)), { Grants: [{ Grantee: { ID: "x", Type: "Group" } }] });
  });

  test("S3 error bodies, with or without a 200 status", () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>gone</Message><BucketName>b</BucketName><RequestId>r1</RequestId><HostId>h</HostId></Error>`;
    assert.equal(isErrorBody(utf8(body)), true);
    assert.equal(isErrorBody(utf8(`<CopyObjectResult><ETag>x</ETag></CopyObjectResult>`)), false);
    assert.equal(isErrorBody(utf8(`<ErrorDocument/>`)), false);
    for (const status of [404, 200]) {
      const e = restXml.parseError(service("rest-xml"), op, response(status, body));
      assert.deepEqual([e.code, e.message, e.requestId, e.fields], ["NoSuchBucket", "gone", "r1", { BucketName: "b" }]);
      assert.equal(e.errorClass, op.e![0]);
    }
  });

  test("errors without a body use the status and the request-id header", () => {
    const e = restXml.parseError(service("rest-xml"), op, response(404, "", { "x-amz-request-id": "hdr" }));
    assert.deepEqual([e.code, e.requestId, e.errorClass], ["Http404", "hdr", undefined]);
  });

  test("a malformed 200 body is a ResponseParseError", () => {
    assert.throws(
      () => restXml.parse(service("rest-xml"), op, response(200, "<R><AccessControlList>")),
      (e: unknown) => e instanceof ResponseParseError && e.statusCode === 200,
    );
  });
});

test("without DOMParser (Node, a web worker) the browser tokenizer module is fast-xml-parser's", async () => {
  assert.equal(typeof (globalThis as { DOMParser?: unknown }).DOMParser, "undefined");
  const dom = await import("../../runtime/protocols/xml-parser-dom.js");
  const fxp = await import("../../runtime/protocols/xml-parser.js");
  assert.equal(dom.parseXmlDocument, fxp.parseXmlDocument);
  assert.equal(dom.parseXmlDocument("<a><b>1</b></a>", 200).children[0]!.text, "1");
});
