// Route 53's prefixed resource ids and API Gateway's Accept header (runtime/customizations.ts),
// through the generated clients with a recording transport, and presigned.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Route53, GetHostedZone } from "tsaws/route53";
import { APIGateway } from "tsaws/apigateway";
import { presign } from "tsaws";
import { hermetic, recorder } from "./support.ts";

const XML = { "content-type": "text/xml" };

test("Route 53: an id with its type prefix is sent bare, in the path, the query and the body; the caller's input is untouched", async () => {
  const http = recorder(() => ({ headers: XML, body: "<GetHostedZoneResponse/>" }));
  const r53 = new Route53(hermetic(http));
  const input = { Id: "/hostedzone/Z1D633PJN98FT9" };
  await r53.getHostedZone(input);
  assert.equal(http.only().path, "/2013-04-01/hostedzone/Z1D633PJN98FT9");
  assert.deepEqual(input, { Id: "/hostedzone/Z1D633PJN98FT9" });

  await r53.getChange({ Id: "/change/C2682N5HXP0BZ4" });
  assert.equal(http.only().path, "/2013-04-01/change/C2682N5HXP0BZ4");

  await r53.listHostedZones({ DelegationSetId: "/delegationset/N1PA6795SAMPLE" });
  assert.equal(http.only().query, "delegationsetid=N1PA6795SAMPLE");

  await r53.createHostedZone({ Name: "example.com", CallerReference: "r1", DelegationSetId: "/delegationset/N1PA6795SAMPLE" });
  assert.match(String(http.only().body), /<DelegationSetId>N1PA6795SAMPLE<\/DelegationSetId>/);

  // A bare id is sent as it is; a member that is not an id of those shapes is left alone.
  await r53.getHostedZone({ Id: "Z1D633PJN98FT9" });
  assert.equal(http.only().path, "/2013-04-01/hostedzone/Z1D633PJN98FT9");
  await r53.getTrafficPolicy({ Id: "a/b", Version: 1 });
  assert.equal(http.only().path, "/2013-04-01/trafficpolicy/a%2Fb/1");
});

test("Route 53: a presigned URL carries the bare id too", async () => {
  const r53 = new Route53(hermetic(recorder()));
  const { url } = await presign(r53, GetHostedZone, { Id: "/hostedzone/Z1D633PJN98FT9" });
  assert.equal(new URL(url).pathname, "/2013-04-01/hostedzone/Z1D633PJN98FT9");
});

test("API Gateway: every request asks for JSON (Accept: application/json), unless the caller's header says otherwise", async () => {
  const http = recorder(() => ({ body: '{"items":[]}' }));
  const apigw = new APIGateway(hermetic(http));
  await apigw.getRestApis({});
  assert.equal(http.only().headers.accept, "application/json");
  await apigw.getExport({ restApiId: "a1", stageName: "prod", exportType: "swagger", accepts: "application/yaml" });
  assert.equal(http.only().headers.accept, "application/yaml");
});
