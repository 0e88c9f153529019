// botocore's XML response-parsing cases (test/vendor/conformance/response-parsing/xml):
// real service responses (HTTP 200) and error bodies (HTTP 400) from query, ec2 and
// rest-xml services, each with the parsed result botocore expects. Every case runs the
// project's own model (codegen/model.ts loadService; file names are botocore service
// names plus the kebab-case operation) through the protocol module the model selects.
//
// Comparison: the parsed output is turned back into the file's JSON form by walking the
// output shape: a timestamp equals the expected raw string when both denote the same
// instant (the files keep the text from the XML), bytes are compared as UTF-8 text.
// `ResponseMetadata.RequestId`, when expected, must equal the id the XML module finds in
// the body (xmlRequestId). Errors: `Error.Code`, `Message` and `Type` must equal the
// ParsedError's code, message and type; `ResponseMetadata.RequestId` its requestId. Other
// keys of a botocore `Error` (S3's `BucketName`) are compared against the modeled error's
// fields when the error is modeled with that member; otherwise they are counted as "not
// carried" (a ParsedError holds only modeled members, by contract) and reported.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { after, test } from "node:test";
import { loadService } from "../../codegen/model.js";
import type { ServiceFiles } from "../../codegen/model.js";
import { SchemaBuilder, serviceSchema } from "../../codegen/schema.js";
import { fromUtf8, utf8 } from "../../runtime/encoding.js";
import { errorClass, ResponseParseError } from "../../runtime/errors.js";
import type { ErrorClassLike, ListShape, MapShape, Member, OperationSchema, ScalarShape, ServiceSchema, Shape, StructureShape } from "../../runtime/schema.js";
import { kind, scalarTraits, target } from "../../runtime/schema.js";
import type { ReceivedResponse } from "../../runtime/protocols/types.js";
import { xmlRequestId } from "../../runtime/protocols/xml.js";
import { bytesResponseBody, loadProtocol } from "./harness.js";

const DIR = new URL("../vendor/conformance/response-parsing/xml/", import.meta.url);

/** From test/vendor/conformance/README.md. */
const EXPECTED = { responses: 204, errors: 13 };
/** `.json` files without an `.xml`: not cases (SQS now speaks JSON; the README lists them). */
const ORPHANS = [
  "errors/sqs-delete-queue.json",
  "responses/sqs-add-permission.json",
  "responses/sqs-change-message-visibility-batch.json",
  "responses/sqs-create-queue.json",
  "responses/sqs-delete-message-batch.json",
  "responses/sqs-get-queue-attributes.json",
  "responses/sqs-get-queue-url.json",
  "responses/sqs-list-queues.json",
  "responses/sqs-receive-message.json",
  "responses/sqs-send-message-batch.json",
  "responses/sqs-send-message.json",
];

/**
 * Six EC2 bodies hold the documentation placeholder `YYYY-MM-DDTHH:MM:SS.000Z` where a
 * timestamp belongs (botocore's test keeps timestamps unparsed, so it passes). tsaws parses
 * by the model: the body as given must be rejected with ResponseParseError, and with the
 * placeholder replaced by a real instant (in body and expectation alike) it must parse to
 * the expected result.
 */
const PLACEHOLDER = "YYYY-MM-DDTHH:MM:SS.000Z";
const PLACEHOLDER_STAND_IN = "2013-04-15T12:34:56.000Z";
const PLACEHOLDER_CASES = [
  "responses/ec2-attach-volume.xml",
  "responses/ec2-create-snapshot.xml",
  "responses/ec2-create-volume.xml",
  "responses/ec2-describe-spot-instance-requests.xml",
  "responses/ec2-detach-volume.xml",
  "responses/ec2-request-spot-instances.xml",
];

/** Cases not run, keyed by file name, each with its reason (botocore skips the same four). */
const SKIPS: Record<string, string> = {
  "responses/iam-get-user-policy.xml":
    "service-customization: expects the URL-encoded PolicyDocument decoded and parsed into an object (a botocore IAM customization); tsaws returns the string as modeled",
  "responses/iam-list-roles.xml":
    "service-customization: expects each URL-encoded AssumeRolePolicyDocument decoded and parsed into an object (a botocore IAM customization); tsaws returns the strings as modeled",
  "responses/cloudformation-get-template.xml":
    "service-customization: expects TemplateBody parsed into an object (a botocore CloudFormation customization); tsaws returns the string as modeled",
};

interface Case {
  key: string;
  kind: "responses" | "errors";
  service: string;
  operation: string;
  xml: Uint8Array;
  expected: Record<string, unknown>;
}

function listCases(): Case[] {
  const out: Case[] = [];
  for (const k of ["responses", "errors"] as const) {
    const dir = new URL(`${k}/`, DIR);
    if (!existsSync(dir)) throw new Error(`response-parsing suite ${k} is missing`);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".xml")).sort()) {
      const base = file.slice(0, -4);
      const m = /^([a-z0-9]+)-([a-z0-9-]+?)(#\d+)?$/.exec(base);
      if (!m) throw new Error(`unexpected case file name ${file}`);
      const json = new URL(encodeURIComponent(`${base}.json`), dir);
      out.push({
        key: `${k}/${file}`,
        kind: k,
        service: m[1]!,
        operation: m[2]!,
        xml: new Uint8Array(readFileSync(new URL(encodeURIComponent(file), dir))),
        expected: JSON.parse(readFileSync(json, "utf8")) as Record<string, unknown>,
      });
    }
  }
  return out;
}

const cases = listCases();

// ---------------------------------------------------------------------------------------
// Models

interface Service {
  files: ServiceFiles;
  schema: ServiceSchema;
  builder: SchemaBuilder;
  /** lower-case alphanumerics of the operation name -> operation name */
  ops: Map<string, string>;
}

const services = new Map<string, Service>();

function service(name: string): Service {
  let s = services.get(name);
  if (!s) {
    const files = loadService(name);
    const schema = serviceSchema(files.service);
    const builder = new SchemaBuilder(files.service.shapes, { protocol: schema.p });
    const ops = new Map<string, string>();
    for (const op of Object.keys(files.service.operations)) ops.set(op.toLowerCase().replace(/[^a-z0-9]/g, ""), op);
    s = { files, schema, builder, ops };
    services.set(name, s);
  }
  return s;
}

function operation(c: Case): { svc: Service; op: OperationSchema } {
  const svc = service(c.service);
  const name = svc.ops.get(c.operation.replace(/-/g, ""));
  if (!name) throw new Error(`models/${c.service} has no operation matching ${c.operation}`);
  const given = svc.files.service.operations[name]!;
  const op = svc.builder.operation({ ...given, name });
  const errors = (given.errors ?? []).map(
    (e) => errorClass(e.shape, svc.builder.shape(e.shape) as StructureShape) as unknown as ErrorClassLike,
  );
  return { svc, op: errors.length ? { ...op, e: errors } : op };
}

// ---------------------------------------------------------------------------------------
// Output -> the files' JSON form

function isStreaming(shape: Shape): boolean {
  return !!(scalarTraits(shape) as ScalarShape).st;
}

/** Turns a parsed value into the expected file's form, guided by the shape and the expected value. */
function toExpectedForm(member: Member, actual: unknown, expected: unknown): unknown {
  if (actual === undefined) return undefined;
  const shape = target(member);
  switch (kind(shape)) {
    case 5: {
      if (!(actual instanceof Date)) return actual;
      const want = typeof expected === "string" ? Date.parse(expected) : typeof expected === "number" ? expected * 1000 : NaN;
      return want === actual.getTime() ? expected : actual.toISOString();
    }
    case 4:
      return actual instanceof Uint8Array ? fromUtf8(actual) : actual;
    case 8:
      return structureForm(shape as StructureShape, actual as Record<string, unknown>, expected as Record<string, unknown> | undefined);
    case 9: {
      const exp = Array.isArray(expected) ? expected : [];
      return (actual as unknown[]).map((v, i) => toExpectedForm((shape as ListShape).m, v, exp[i]));
    }
    case 10: {
      const exp = (typeof expected === "object" && expected !== null ? expected : {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(actual as Record<string, unknown>)) out[k] = toExpectedForm((shape as MapShape).v, v, exp[k]);
      return out;
    }
    default:
      return actual;
  }
}

function structureForm(shape: StructureShape, actual: Record<string, unknown>, expected: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(actual)) {
    const member = shape.m[k];
    if (v === undefined) continue;
    out[k] = member === undefined ? v : toExpectedForm(member, v, expected?.[k]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Running

const tally = { passed: 0, failed: 0, skipped: 0, notCarried: 0, placeholder: 0, reasons: new Map<string, number>() };
const notCarried: string[] = [];

async function runResponse(c: Case): Promise<void> {
  if (PLACEHOLDER_CASES.includes(c.key)) {
    const { svc, op } = operation(c);
    const protocol = await loadProtocol(svc.schema.p);
    assert.throws(
      () => protocol.parse(svc.schema, op, { statusCode: 200, headers: {}, body: c.xml }),
      // Named as a timestamp, never quoted: a wire value may be a sensitive member's.
      (e: unknown) =>
        e instanceof ResponseParseError && e.statusCode === 200 && e.message.includes("invalid timestamp") && !e.message.includes(PLACEHOLDER),
      "a placeholder timestamp is rejected",
    );
    const swap = (text: string) => text.split(PLACEHOLDER).join(PLACEHOLDER_STAND_IN);
    c = { ...c, xml: utf8(swap(fromUtf8(c.xml))), expected: JSON.parse(swap(JSON.stringify(c.expected))) as Record<string, unknown> };
    tally.placeholder++;
  }
  const { svc, op } = operation(c);
  const protocol = await loadProtocol(svc.schema.p);
  const payload = op.o?.p !== undefined ? op.o.m[op.o.p] : undefined;
  const streaming = payload !== undefined && isStreaming(target(payload));
  const response: ReceivedResponse = streaming
    ? { statusCode: 200, headers: {}, body: new Uint8Array(0), stream: bytesResponseBody(c.xml) }
    : { statusCode: 200, headers: {}, body: c.xml };
  const output = protocol.parse(svc.schema, op, response);
  for (const [k, v] of Object.entries(output)) {
    if (v !== null && typeof v === "object" && typeof (v as { transformToByteArray?: unknown }).transformToByteArray === "function") {
      output[k] = await (v as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    }
  }
  const { ResponseMetadata: metadata, ...expected } = c.expected;
  assert.deepEqual(op.o ? structureForm(op.o, output, expected) : output, expected, "parsed output");
  const requestId = (metadata as { RequestId?: string } | undefined)?.RequestId;
  if (requestId !== undefined) assert.equal(xmlRequestId(c.xml), requestId, "request id");
}

async function runError(c: Case): Promise<void> {
  const { svc, op } = operation(c);
  const protocol = await loadProtocol(svc.schema.p);
  const parsed = protocol.parseError(svc.schema, op, { statusCode: 400, headers: {}, body: c.xml });
  const { Error: error, ResponseMetadata: metadata } = c.expected as {
    Error: Record<string, unknown>;
    ResponseMetadata?: { RequestId?: string };
  };
  const { Code, Message, Type, ...extra } = error;
  assert.equal(parsed.code, Code, "error code");
  if (Message !== undefined) assert.equal(parsed.message, Message, "error message");
  if (Type !== undefined) assert.equal(parsed.type, Type, "error type");
  if (metadata?.RequestId !== undefined) assert.equal(parsed.requestId, metadata.RequestId, "request id");
  for (const [k, v] of Object.entries(extra)) {
    if (parsed.errorClass?.$s.m[k] !== undefined) assert.deepEqual(parsed.fields[k], v, `error field ${k}`);
    else {
      tally.notCarried++;
      notCarried.push(`${c.key}: ${k}`);
    }
  }
}

test("response-parsing xml: case files are all present", () => {
  assert.equal(cases.filter((c) => c.kind === "responses").length, EXPECTED.responses, "responses");
  assert.equal(cases.filter((c) => c.kind === "errors").length, EXPECTED.errors, "errors");
  for (const k of ["responses", "errors"]) {
    const dir = new URL(`${k}/`, DIR);
    const orphans = readdirSync(dir)
      .filter((f) => f.endsWith(".json") && !existsSync(new URL(encodeURIComponent(f.replace(/\.json$/, ".xml")), dir)))
      .map((f) => `${k}/${f}`);
    assert.deepEqual(orphans.sort(), ORPHANS.filter((o) => o.startsWith(`${k}/`)).sort(), `${k}: json files without xml`);
  }
  for (const key of [...Object.keys(SKIPS), ...PLACEHOLDER_CASES]) assert.ok(cases.some((c) => c.key === key), `${key} names no case`);
  for (const key of PLACEHOLDER_CASES) {
    assert.ok(fromUtf8(cases.find((c) => c.key === key)!.xml).includes(PLACEHOLDER), `${key} holds the placeholder`);
  }
});

for (const c of cases) {
  const reason = SKIPS[c.key];
  if (reason !== undefined) {
    tally.skipped++;
    const tag = reason.slice(0, reason.indexOf(":"));
    tally.reasons.set(tag, (tally.reasons.get(tag) ?? 0) + 1);
    test(c.key, { skip: reason }, () => {});
    continue;
  }
  test(c.key, async () => {
    try {
      await (c.kind === "responses" ? runResponse(c) : runError(c));
      tally.passed++;
    } catch (err) {
      tally.failed++;
      throw err;
    }
  });
}

after(() => {
  const reasons = [...tally.reasons].map(([r, n]) => `${n}x ${r}`).join("; ");
  console.log(
    `response-parsing xml: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped` +
      (reasons ? ` (${reasons})` : "") +
      (tally.placeholder ? `; ${tally.placeholder} of the passes hold a placeholder timestamp (rejected as is, parsed with a real instant)` : "") +
      (tally.notCarried ? `; ${tally.notCarried} unmodeled Error keys not carried by ParsedError (${notCarried.join(", ")})` : ""),
  );
});
