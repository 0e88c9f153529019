// EC2 RunInstances' UserData (runtime/customizations/ec2.ts): given as text, sent base64-encoded,
// through the generated client with a recording transport; the signed request verifies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { EC2 } from "tsaws/ec2";
import type { HttpRequest } from "../../runtime/http/types.js";
import { verifySigV4 } from "../support/sigv4-verify.ts";
import { CREDENTIALS, hermetic, recorder } from "./support.ts";

const xml = (op: string) => () => ({
  headers: { "content-type": "text/xml" },
  body: `<${op}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r1</requestId></${op}Response>`,
});

function form(r: HttpRequest): URLSearchParams {
  assert.equal(typeof r.body, "string");
  return new URLSearchParams(r.body as string);
}

function assertVerifies(r: HttpRequest): void {
  const verdict = verifySigV4(
    { method: r.method, path: r.path, query: r.query, headers: r.headers, body: new TextEncoder().encode(String(r.body ?? "")) },
    { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: Date.now() },
  );
  assert.deepEqual(verdict, { ok: true, accessKeyId: CREDENTIALS.accessKeyId });
}

test("EC2: RunInstances sends UserData base64-encoded (UTF-8), the caller's input untouched; signed", async () => {
  const http = recorder(xml("RunInstances"));
  const ec2 = new EC2(hermetic(http));
  const script = "#!/bin/bash\necho 'héllo wörld' > /tmp/x?y=1&z\n";
  const input = { MinCount: 1, MaxCount: 1, ImageId: "ami-12345678", UserData: script };
  await ec2.runInstances(input);
  const r = http.only();
  const params = form(r);
  assert.equal(params.get("Action"), "RunInstances");
  assert.equal(params.get("UserData"), Buffer.from(script, "utf8").toString("base64"));
  assert.equal(input.UserData, script);
  assertVerifies(r);

  // Without UserData nothing is added.
  await ec2.runInstances({ MinCount: 1, MaxCount: 1, ImageId: "ami-12345678" });
  assert.equal(form(http.only()).get("UserData"), null);
});

test("EC2: only RunInstances encodes; RequestSpotInstances' UserData is sent as given", async () => {
  const http = recorder(xml("RequestSpotInstances"));
  const ec2 = new EC2(hermetic(http));
  await ec2.requestSpotInstances({ LaunchSpecification: { ImageId: "ami-12345678", UserData: "ZWNobyBoaQ==" } });
  assert.equal(form(http.only()).get("LaunchSpecification.UserData"), "ZWNobyBoaQ==");
});

test("EC2: the UserData member's JSDoc says tsaws encodes it", () => {
  const dts = readFileSync(new URL("../../generated/ec2/types.d.ts", import.meta.url), "utf8");
  const at = dts.indexOf("export interface RunInstancesInput");
  assert.ok(at >= 0);
  const block = dts.slice(at, dts.indexOf("\n}\n", at));
  assert.match(block, /tsaws base64-encodes this text \(UTF-8\) for you[^]*?UserData\?: string/);
});
