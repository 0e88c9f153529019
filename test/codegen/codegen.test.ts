// The generator's own checks: the golden output is current, generation is byte-for-byte
// deterministic and matches what `make` wrote, and every service module imports and exposes
// one method and one operation constant per operation of its model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { goldenDiff } from "../../codegen/golden.ts";
import { listServices, loadService } from "../../codegen/model.ts";
import { emitService, methodName, className } from "../../codegen/emit.ts";
import { formatFiles } from "../../codegen/main.ts";
import { compactRuleSetSource } from "../../codegen/ruleset.ts";
import { htmlToMarkdown } from "../../codegen/docs.ts";
import { operationAuth, serviceAuth, serviceSchema } from "../../codegen/schema.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

test("golden service output is up to date", async () => {
  assert.deepEqual(await goldenDiff(), []);
});

test("generation is deterministic and matches generated/", async () => {
  for (const name of ["dynamodb", "s3", "sqs", "partnercentral-revenue-measurement"]) {
    const a = await formatFiles(emitService(loadService(name), compactRuleSetSource).files);
    const b = await formatFiles(emitService(loadService(name), compactRuleSetSource).files);
    assert.deepEqual(a, b, `${name}: two runs differ`);
    for (const [f, text] of Object.entries(a)) {
      const p = join(ROOT, "generated", name, f);
      assert.ok(existsSync(p), `${p} is missing: run make`);
      assert.equal(readFileSync(p, "utf8"), text, `${name}/${f} differs from a fresh generation: run make`);
    }
  }
});

test("names follow the model", () => {
  assert.equal(methodName("GetItem"), "getItem");
  assert.equal(methodName("ListObjectsV2"), "listObjectsV2");
  assert.equal(methodName("DescribeDBInstances"), "describeDBInstances");
  assert.equal(methodName("SSOLogin"), "ssoLogin");
  assert.equal(className("CloudWatch Logs"), "CloudWatchLogs");
  assert.equal(className("ACM PCA"), "ACMPCA");
  assert.equal(className("DynamoDB"), "DynamoDB");
});

test("model HTML becomes short Markdown", () => {
  assert.deepEqual(htmlToMarkdown("<p>Use <code>x</code> and <a href=\"https://a.b\">docs</a>.</p> <ul> <li> <p>one</p> </li> <li> <p>two &amp; more</p> </li> </ul>"), [
    "Use `x` and [docs](https://a.b).",
    "",
    "- one",
    "- two & more",
  ]);
  assert.deepEqual(htmlToMarkdown(undefined), []);
});

test("every service module imports and exposes one method per operation", async () => {
  const services = listServices();
  assert.ok(services.length >= 429, `expected at least 429 services, found ${services.length}`);
  let ops = 0;
  for (const name of services) {
    const model = loadService(name).service;
    const mod = (await import(`tsaws/${name}`)) as Record<string, unknown>;
    const cls = className(model.metadata.serviceId);
    const Client = mod[cls] as (new (c: object) => object) | undefined;
    assert.equal(typeof Client, "function", `${name}: no class ${cls}`);
    assert.equal(typeof mod[`${cls}Client`], "function", `${name}: no bare client ${cls}Client`);
    const methods = Object.getOwnPropertyNames(Client!.prototype).filter((m) => m !== "constructor");
    const opNames = Object.keys(model.operations);
    assert.equal(methods.length, opNames.length, `${name}: ${methods.length} methods for ${opNames.length} operations`);
    for (const op of opNames) {
      assert.ok(methods.includes(methodName(op)), `${name}: no method ${methodName(op)}`);
      const constant = (mod[op] ?? mod[`${op}Operation`]) as { n?: string } | undefined;
      assert.equal(constant?.n, model.operations[op]!.name, `${name}: no operation constant for ${op}`);
    }
    const client = new Client!({ region: "us-east-1" });
    assert.ok(client);
    ops += opNames.length;
  }
  assert.ok(ops > 18000, `only ${ops} operations`);
});

test("auth kinds: each service's schemes from metadata.auth or its signatureVersion, each operation's normalized, and the hooks of the schemes that replace SigV4", async () => {
  const schemes = (name: string) => serviceAuth(loadService(name).service.metadata);
  assert.deepEqual(schemes("codecatalyst"), ["smithy.api#httpBearerAuth"]); // signatureVersion "bearer"
  assert.deepEqual(schemes("sdb"), ["aws.auth#sigv2"]); // signatureVersion "v2"
  assert.deepEqual(schemes("importexport"), ["aws.auth#sigv2"]);
  assert.deepEqual(schemes("bedrock-runtime"), ["aws.auth#sigv4", "smithy.api#httpBearerAuth"]); // metadata.auth
  assert.deepEqual(schemes("dynamodb"), ["aws.auth#sigv4"]);
  assert.throws(() => serviceAuth({ ...loadService("sdb").service.metadata, signatureVersion: "v3" }), /unknown signatureVersion v3/);
  // SigV4 alone is the schema's default and is left unsaid.
  assert.equal(serviceSchema(loadService("dynamodb").service).au, undefined);
  assert.deepEqual(serviceSchema(loadService("sdb").service).au, ["aws.auth#sigv2"]);

  assert.deepEqual(operationAuth({ auth: ["smithy.api#noAuth"], authtype: "none" }), ["none"]);
  assert.deepEqual(operationAuth({ authtype: "none" }), ["none"]);
  assert.deepEqual(operationAuth({}, ["smithy.api#noAuth"]), ["none"]); // a service-wide noAuth is inherited
  assert.deepEqual(operationAuth({ auth: ["aws.auth#sigv4", "smithy.api#noAuth"] }), ["aws.auth#sigv4"]); // signed whenever a signer is listed
  assert.deepEqual(operationAuth({ auth: [] }, ["smithy.api#noAuth"]), []);
  assert.deepEqual(operationAuth({ unsignedPayload: true, auth: ["aws.auth#sigv4"] }), ["v4-unsigned-body"]);
  assert.deepEqual(operationAuth({ authtype: "v4-unsigned-body" }), ["v4-unsigned-body"]);
  assert.equal(operationAuth({}, ["aws.auth#sigv4"]), undefined);

  // The module the service literal's `ah` hook imports.
  const hook = (name: string): string | undefined =>
    /\bah: \([^)]*\) => import\("([^"]+)"\)/.exec(emitService(loadService(name), compactRuleSetSource).files["index.js"]!)?.[1];
  assert.equal(hook("codecatalyst"), "#runtime/auth/bearer");
  assert.equal(hook("bedrock"), "#runtime/auth/bearer");
  assert.equal(hook("sdb"), "#runtime/signer/sigv2");
  assert.equal(hook("importexport"), "#runtime/signer/sigv2");
  for (const name of ["dynamodb", "s3", "sts", "partnercentral-channel"]) assert.equal(hook(name), undefined, name);
});
