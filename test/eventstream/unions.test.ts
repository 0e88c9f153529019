// Forward-compatible unions: a union member the model does not know is kept as
// `{ $unknown: [name, value] }` by the JSON, XML and CBOR parsers (as AWS SDK v3 does) instead
// of being dropped; a known member always wins, `__type` and nulls are not members, and
// plain structures still ignore unknown keys. The generator gives output union types the
// matching `$unknown` variant.
import assert from "node:assert/strict";
import { utf8 } from "../../runtime/encoding.ts";
import { encodeCbor } from "../../runtime/protocols/cbor.ts";
import type { OperationSchema, ServiceSchema, StructureShape } from "../../runtime/schema.ts";
import type { Protocol } from "../../runtime/protocols/types.ts";
import { protocol as awsJson } from "../../runtime/protocols/json.ts";
import { protocol as restJson } from "../../runtime/protocols/rest-json.ts";
import { protocol as restXml } from "../../runtime/protocols/rest-xml.ts";
import { protocol as query } from "../../runtime/protocols/query.ts";
import { protocol as cbor } from "../../runtime/protocols/rpcv2-cbor.ts";
import { emitService } from "../../codegen/emit.ts";
import { loadXmlParser } from "../../runtime/protocols/xml.ts";
import { countedTests } from "../support/counted.ts";

// The XML parser is imported on first use (xml.ts loadXmlParser); the client awaits it, these tests call parsers directly.
await loadXmlParser();

const counted = countedTests("eventstream unions");

const Choice: StructureShape = { t: 8, u: 1, m: { S: 0, N: [2, { n: "num" }], L: { t: 9, m: 0 } } };
const Plain: StructureShape = { t: 8, m: { A: 0 } };
const op: OperationSchema = {
  n: "Get",
  h: ["POST", "/"],
  o: { t: 8, m: { U: Choice, Many: { t: 9, m: Choice }, P: Plain } },
  rw: "GetResult",
};

function svc(p: ServiceSchema["p"]): ServiceSchema {
  return { id: "T", p, v: "2020-01-01", ep: "t", sn: "t", tp: "T" };
}

function parse(protocol: Protocol, p: ServiceSchema["p"], body: Uint8Array | string): Record<string, unknown> {
  return protocol.parse(svc(p), op, { statusCode: 200, headers: {}, body: typeof body === "string" ? utf8(body) : body });
}

counted("JSON (awsJson and rest-json): unknown member -> $unknown with the raw JSON value", () => {
  for (const [protocol, p] of [
    [awsJson, "json"],
    [restJson, "rest-json"],
  ] as const) {
    const out = parse(
      protocol,
      p,
      JSON.stringify({
        U: { Future: { deep: [1, 2] } },
        Many: [{ S: "known" }, { __type: "ns#Choice", Other: "x" }, { S: null, num: 3 }, { __type: "ns#Choice" }],
        P: { A: "a", Extra: 1 },
      }),
    );
    assert.deepEqual(out, {
      U: { $unknown: ["Future", { deep: [1, 2] }] },
      Many: [{ S: "known" }, { $unknown: ["Other", "x"] }, { N: 3 }, {}],
      P: { A: "a" },
    }, p);
    // A known member wins over unknown ones; a null unknown member is no member.
    assert.deepEqual(parse(protocol, p, '{"U":{"New":1,"L":["a"]}}'), { U: { L: ["a"] } });
    assert.deepEqual(parse(protocol, p, '{"U":{"New":null}}'), { U: {} });
  }
});

counted("XML (rest-xml and query): unknown member -> $unknown with the element's text (or the element)", () => {
  const out = parse(
    restXml,
    "rest-xml",
    "<GetResponse><U><Future>soon</Future></U><Many><member><S>k</S></member><member><Nested><x>1</x></Nested></member></Many><P><A>a</A><Extra>1</Extra></P></GetResponse>",
  );
  assert.deepEqual(out.U, { $unknown: ["Future", "soon"] });
  assert.deepEqual(out.P, { A: "a" });
  const many = out.Many as Record<string, unknown>[];
  assert.deepEqual(many[0], { S: "k" });
  const [name, element] = many[1]!.$unknown as [string, { name: string; children: { name: string; text: string }[] }];
  assert.equal(name, "Nested");
  assert.deepEqual(element.children.map((c) => [c.name, c.text]), [["x", "1"]]);
  // Known members match by wire name (`num`), namespaces are ignored.
  assert.deepEqual(parse(restXml, "rest-xml", '<R xmlns:a="urn:a"><U><a:num>4</a:num><New>1</New></U></R>').U, { N: 4 });
  const q = parse(query, "query", "<GetResponse><GetResult><U><Future>1</Future></U></GetResult></GetResponse>");
  assert.deepEqual(q.U, { $unknown: ["Future", "1"] });
});

counted("CBOR: unknown member -> $unknown with the decoded value", () => {
  const out = parse(
    cbor,
    "smithy-rpc-v2-cbor",
    encodeCbor({ U: { Future: new Map([["k", 1]]) }, Many: [{ num: 2 }, { __type: "x", Next: "y" }], P: { A: "a", Z: 1 } }),
  );
  assert.deepEqual(out.U, { $unknown: ["Future", { k: 1 }] });
  assert.deepEqual(out.Many, [{ N: 2 }, { $unknown: ["Next", "y"] }]);
  assert.deepEqual(out.P, { A: "a" });
});

counted("generated output union types carry the $unknown variant; input unions do not", () => {
  const shapes = {
    In: { type: "structure", members: { Choice: { shape: "InChoice" } } },
    Out: { type: "structure", members: { Choice: { shape: "OutChoice" } } },
    InChoice: { type: "structure", union: true, members: { A: { shape: "Str" }, B: { shape: "Int" } } },
    OutChoice: { type: "structure", union: true, members: { A: { shape: "Str" }, B: { shape: "Int" } } },
    Str: { type: "string" },
    Int: { type: "integer" },
  };
  const emitted = emitService(
    {
      name: "unionsvc",
      version: "2020-01-01",
      service: {
        version: "2.0",
        metadata: {
          apiVersion: "2020-01-01",
          endpointPrefix: "unionsvc",
          protocol: "json",
          jsonVersion: "1.1",
          serviceId: "UnionSvc",
          signatureVersion: "v4",
          targetPrefix: "UnionSvc",
          uid: "unionsvc-2020-01-01",
        },
        operations: { Op: { name: "Op", http: { method: "POST", requestUri: "/" }, input: { shape: "In" }, output: { shape: "Out" } } },
        shapes,
      } as never,
    },
    () => "{}",
  );
  const types = Object.entries(emitted.files).find(([f]) => f.startsWith("types"))?.[1];
  assert.ok(types, "a types file is emitted");
  const block = (name: string) => new RegExp(`export type ${name} =([\\s\\S]*?);\\n`).exec(types)?.[1]?.replace(/\s+/g, " ").trim();
  assert.equal(
    block("OutChoice"),
    "| { A: string; B?: never; $unknown?: never } | { B: number; A?: never; $unknown?: never } | { $unknown: [string, unknown]; A?: never; B?: never }",
  );
  assert.equal(block("InChoice"), "| { A: string; B?: never } | { B: number; A?: never }");
});
