// CloudSearch Domain's Search sent as a form POST (runtime/customizations/cloudsearchdomain.ts)
// and Machine Learning's Predict sent to its PredictEndpoint (runtime/customizations/
// machinelearning.ts): body stages that change the serialized request, through the generated
// clients with a recording transport; the signed requests verify for the method and host sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CloudSearchDomain } from "tsaws/cloudsearchdomain";
import { MachineLearning } from "tsaws/machinelearning";
import { RequestFormError } from "tsaws";
import type { HttpRequest } from "../../runtime/http/types.js";
import { verifySigV4 } from "../support/sigv4-verify.ts";
import { CREDENTIALS, hermetic, recorder } from "./support.ts";

function assertVerifies(r: HttpRequest): void {
  const body = r.body === undefined ? new Uint8Array(0) : new TextEncoder().encode(String(r.body));
  const verdict = verifySigV4(
    { method: r.method, path: r.path, query: r.query, headers: r.headers, body },
    { secrets: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey }, now: Date.now() },
  );
  assert.deepEqual(verdict, { ok: true, accessKeyId: CREDENTIALS.accessKeyId });
}

test("CloudSearch Domain: Search is a POST with every parameter in a form body, none in the URL; signed", async () => {
  const http = recorder(() => ({ body: '{"hits":{"found":0,"hit":[]}}' }));
  const csd = new CloudSearchDomain({ ...hermetic(http), endpoint: "https://search-movies-abc.us-east-1.cloudsearch.amazonaws.com" });
  const query = "title:'star wars' & (year:[1977,} | genre:\"sci fi\")";
  const out = await csd.search({ query, queryParser: "structured", size: 5, filterQuery: "rating:'ü 5'" });
  assert.equal(out.hits?.found, 0);
  const r = http.only();
  assert.equal(r.method, "POST");
  assert.equal(r.hostname, "search-movies-abc.us-east-1.cloudsearch.amazonaws.com");
  assert.equal(r.path, "/2013-01-01/search");
  assert.equal(r.query, "");
  assert.equal(r.headers["content-type"], "application/x-www-form-urlencoded");
  const form = new URLSearchParams(String(r.body));
  assert.equal(form.get("format"), "sdk");
  assert.equal(form.get("pretty"), "true");
  assert.equal(form.get("q"), query);
  assert.equal(form.get("q.parser"), "structured");
  assert.equal(form.get("size"), "5");
  assert.equal(form.get("fq"), "rating:'ü 5'");
  assert.equal(r.headers["content-length"], String(Buffer.byteLength(String(r.body))));
  assertVerifies(r);

  // The other operations are sent as modeled.
  await csd.suggest({ query: "sta", suggester: "t" });
  const s = http.only();
  assert.equal(s.method, "GET");
  assert.match(s.query, /q=sta/);
});

test("Machine Learning: Predict is sent to the scheme and host of PredictEndpoint and signed there; a bad one is refused", async () => {
  const http = recorder(() => ({ body: '{"Prediction":{"predictedLabel":"1"}}' }));
  const ml = new MachineLearning(hermetic(http));
  const input = { MLModelId: "ml-1", Record: { a: "1" }, PredictEndpoint: "https://realtime.machinelearning.us-east-1.amazonaws.com/ignored" };
  const out = await ml.predict(input);
  assert.equal(out.Prediction?.predictedLabel, "1");
  const r = http.only();
  assert.equal(r.hostname, "realtime.machinelearning.us-east-1.amazonaws.com");
  assert.equal(r.protocol, "https:");
  assert.equal(r.path, "/");
  assert.equal(r.headers.host ?? r.hostname, "realtime.machinelearning.us-east-1.amazonaws.com");
  assert.equal(r.headers["x-amz-target"], "AmazonML_20141212.Predict");
  assert.equal(JSON.parse(String(r.body)).PredictEndpoint, input.PredictEndpoint);
  assertVerifies(r);

  // Every other operation goes to the service endpoint.
  await ml.describeMLModels({});
  assert.equal(http.only().hostname, "machinelearning.us-east-1.amazonaws.com");

  await assert.rejects(ml.predict({ ...input, PredictEndpoint: "not a url" }), RequestFormError);
  assert.equal(http.requests.length, 2);
});
