// Cross-region presigned URLs from SourceRegion (runtime/customizations/source-region.ts): RDS,
// DocumentDB and Neptune (SourceRegion never sent, PreSignedUrl made unless given) and EC2
// CopySnapshot (PresignedUrl and DestinationRegion made unless PresignedUrl is given), through
// the generated clients with a recording transport; the URLs' signatures checked by the tests'
// own SigV4 verifier.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RDS } from "tsaws/rds";
import { DocDB } from "tsaws/docdb";
import { Neptune } from "tsaws/neptune";
import { EC2 } from "tsaws/ec2";
import { RequestFormError } from "tsaws";
import type { HttpRequest } from "../../runtime/http/types.js";
import { verifySigV4 } from "../support/sigv4-verify.ts";
import { CREDENTIALS, hermetic, recorder } from "./support.ts";

const XML = { "content-type": "text/xml" };
const SECRETS = { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey };

/** The form body a query-protocol request sent, as a map. */
function form(request: HttpRequest): Map<string, string> {
  return new Map(new URLSearchParams(String(request.body)));
}

/** The presigned URL's parts, with its signature checked (a GET with only `host` signed, as presigned). */
function checkedUrl(raw: string | undefined): { url: URL; query: Map<string, string> } {
  assert.ok(raw, "no presigned URL was sent");
  const url = new URL(raw);
  const query = url.search.slice(1);
  const verdict = verifySigV4({ method: "GET", path: url.pathname, query, headers: { host: url.host }, body: new Uint8Array(0) }, { secrets: SECRETS, now: Date.now() });
  assert.deepEqual(verdict, { ok: true, accessKeyId: CREDENTIALS.accessKeyId });
  // The check can fail: the same URL naming another destination region does not verify.
  const tampered = query.replace(/DestinationRegion=[^&]*/, "DestinationRegion=ap-south-1");
  if (tampered !== query) assert.equal(verifySigV4({ method: "GET", path: url.pathname, query: tampered, headers: { host: url.host }, body: new Uint8Array(0) }, { secrets: SECRETS, now: Date.now() }).ok, false);
  return { url, query: new Map(new URLSearchParams(query)) };
}

/** The host a client of `region` sends `call` to (the endpoint rules' answer, not written here). */
async function hostOf(region: string, call: (http: ReturnType<typeof recorder>) => Promise<unknown>): Promise<string> {
  const http = recorder(() => ({ headers: XML, body: "<R/>" }));
  await call(http).catch(() => undefined);
  return http.only().hostname;
}

test("RDS CopyDBSnapshot with SourceRegion: a PreSignedUrl for the source region's endpoint, signed there, and no SourceRegion sent", async () => {
  const http = recorder(() => ({ headers: XML, body: "<CopyDBSnapshotResponse/>" }));
  const rds = new RDS(hermetic(http, "us-east-1"));
  const input = {
    SourceDBSnapshotIdentifier: "arn:aws:rds:us-west-2:123456789012:snapshot:snap-1",
    TargetDBSnapshotIdentifier: "snap-1-copy",
    KmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k1",
    SourceRegion: "us-west-2",
  };
  await rds.copyDBSnapshot(input);
  const sent = http.only();
  assert.equal(sent.hostname, "rds.us-east-1.amazonaws.com");
  const body = form(sent);
  assert.equal(body.get("Action"), "CopyDBSnapshot");
  assert.equal(body.has("SourceRegion"), false);
  assert.equal(body.has("DestinationRegion"), false); // only in the URL (RDS does not model it)
  assert.equal(body.get("KmsKeyId"), input.KmsKeyId);

  const { url, query } = checkedUrl(body.get("PreSignedUrl"));
  assert.equal(url.protocol, "https:");
  assert.equal(url.hostname, "rds.us-west-2.amazonaws.com");
  assert.equal(query.get("Action"), "CopyDBSnapshot");
  assert.equal(query.get("Version"), "2014-10-31");
  assert.equal(query.get("SourceDBSnapshotIdentifier"), input.SourceDBSnapshotIdentifier);
  assert.equal(query.get("TargetDBSnapshotIdentifier"), "snap-1-copy");
  assert.equal(query.get("KmsKeyId"), input.KmsKeyId);
  assert.equal(query.get("DestinationRegion"), "us-east-1");
  assert.equal(query.has("SourceRegion"), false);
  assert.equal(query.has("PreSignedUrl"), false);
  assert.equal(query.get("X-Amz-Algorithm"), "AWS4-HMAC-SHA256");
  assert.match(query.get("X-Amz-Credential") ?? "", /^AKIDEXAMPLE\/\d{8}\/us-west-2\/rds\/aws4_request$/);
  assert.equal(query.get("X-Amz-Expires"), "3600");
  assert.equal(query.get("X-Amz-SignedHeaders"), "host");
  // The caller's object is not changed.
  assert.equal(input.SourceRegion, "us-west-2");
  assert.equal("PreSignedUrl" in input, false);
});

test("RDS: a caller's PreSignedUrl is sent as given (SourceRegion still not sent); no SourceRegion, nothing added", async () => {
  const http = recorder(() => ({ headers: XML, body: "<R/>" }));
  const rds = new RDS(hermetic(http, "us-east-1"));
  await rds.createDBInstanceReadReplica({ DBInstanceIdentifier: "r1", SourceDBInstanceIdentifier: "arn:aws:rds:us-west-2:1:db:d1", SourceRegion: "us-west-2", PreSignedUrl: "https://mine.example/?x=1" });
  let body = form(http.only());
  assert.equal(body.get("PreSignedUrl"), "https://mine.example/?x=1");
  assert.equal(body.has("SourceRegion"), false);

  await rds.copyDBSnapshot({ SourceDBSnapshotIdentifier: "snap-1", TargetDBSnapshotIdentifier: "snap-2" });
  body = form(http.only());
  assert.equal(body.has("PreSignedUrl"), false);
  assert.equal(body.has("DestinationRegion"), false);
  assert.equal(body.get("SourceDBSnapshotIdentifier"), "snap-1");
});

test("RDS: every operation botocore customizes gets the URL (cluster snapshots, clusters, read replicas, backup replication)", async () => {
  const http = recorder(() => ({ headers: XML, body: "<R/>" }));
  const rds = new RDS(hermetic(http, "eu-west-1"));
  const calls: [string, () => Promise<unknown>][] = [
    ["CopyDBClusterSnapshot", () => rds.copyDBClusterSnapshot({ SourceDBClusterSnapshotIdentifier: "a", TargetDBClusterSnapshotIdentifier: "b", SourceRegion: "eu-central-1" })],
    ["CreateDBCluster", () => rds.createDBCluster({ DBClusterIdentifier: "c", Engine: "aurora-mysql", SourceRegion: "eu-central-1" })],
    ["CreateDBInstanceReadReplica", () => rds.createDBInstanceReadReplica({ DBInstanceIdentifier: "r", SourceRegion: "eu-central-1" })],
    ["StartDBInstanceAutomatedBackupsReplication", () => rds.startDBInstanceAutomatedBackupsReplication({ SourceDBInstanceArn: "arn:aws:rds:eu-central-1:1:db:d", SourceRegion: "eu-central-1" })],
  ];
  for (const [action, call] of calls) {
    await call();
    const body = form(http.only());
    assert.equal(body.get("Action"), action);
    assert.equal(body.has("SourceRegion"), false, action);
    const { url, query } = checkedUrl(body.get("PreSignedUrl"));
    assert.equal(url.hostname, "rds.eu-central-1.amazonaws.com", action);
    assert.equal(query.get("Action"), action);
    assert.equal(query.get("DestinationRegion"), "eu-west-1", action);
  }
});

test("DocumentDB and Neptune: CopyDBClusterSnapshot and CreateDBCluster presign for the source region's endpoint", async () => {
  const http = recorder(() => ({ headers: XML, body: "<R/>" }));
  const docdb = new DocDB(hermetic(http, "us-east-1"));
  await docdb.copyDBClusterSnapshot({ SourceDBClusterSnapshotIdentifier: "arn:aws:rds:us-west-2:1:cluster-snapshot:s", TargetDBClusterSnapshotIdentifier: "t", SourceRegion: "us-west-2" });
  let body = form(http.only());
  assert.equal(body.has("SourceRegion"), false);
  let signed = checkedUrl(body.get("PreSignedUrl"));
  const docdbHost = await hostOf("us-west-2", (h) => new DocDB(hermetic(h, "us-west-2")).describeDBClusters({}));
  assert.equal(signed.url.hostname, docdbHost);
  assert.equal(signed.query.get("Action"), "CopyDBClusterSnapshot");
  assert.equal(signed.query.get("SourceDBClusterSnapshotIdentifier"), "arn:aws:rds:us-west-2:1:cluster-snapshot:s");
  assert.equal(signed.query.get("DestinationRegion"), "us-east-1");
  assert.match(signed.query.get("X-Amz-Credential") ?? "", /\/us-west-2\/rds\/aws4_request$/);

  const neptune = new Neptune(hermetic(http, "us-east-1"));
  await neptune.createDBCluster({ DBClusterIdentifier: "n1", Engine: "neptune", SourceRegion: "us-east-2" });
  body = form(http.only());
  assert.equal(body.has("SourceRegion"), false);
  signed = checkedUrl(body.get("PreSignedUrl"));
  const neptuneHost = await hostOf("us-east-2", (h) => new Neptune(hermetic(h, "us-east-2")).describeDBClusters({}));
  assert.equal(signed.url.hostname, neptuneHost);
  assert.equal(signed.query.get("Action"), "CreateDBCluster");
  assert.equal(signed.query.get("DestinationRegion"), "us-east-1");
});

test("EC2 CopySnapshot: PresignedUrl for the source region and DestinationRegion sent; a caller's PresignedUrl is kept and nothing added", async () => {
  const http = recorder(() => ({ headers: XML, body: "<CopySnapshotResponse/>" }));
  const ec2 = new EC2(hermetic(http, "us-east-1"));
  await ec2.copySnapshot({ SourceRegion: "us-west-2", SourceSnapshotId: "snap-0123", Encrypted: true });
  let body = form(http.only());
  assert.equal(body.get("Action"), "CopySnapshot");
  assert.equal(body.get("SourceRegion"), "us-west-2");
  assert.equal(body.get("DestinationRegion"), "us-east-1");
  const { url, query } = checkedUrl(body.get("PresignedUrl"));
  assert.equal(url.hostname, "ec2.us-west-2.amazonaws.com");
  assert.equal(query.get("Action"), "CopySnapshot");
  assert.equal(query.get("SourceRegion"), "us-west-2");
  assert.equal(query.get("SourceSnapshotId"), "snap-0123");
  assert.equal(query.get("DestinationRegion"), "us-east-1");
  assert.equal(query.get("Encrypted"), "true");
  assert.equal(query.get("X-Amz-Expires"), "3600");
  assert.match(query.get("X-Amz-Credential") ?? "", /\/us-west-2\/ec2\/aws4_request$/);

  await ec2.copySnapshot({ SourceRegion: "us-west-2", SourceSnapshotId: "snap-0123", PresignedUrl: "https://given.example/" });
  body = form(http.only());
  assert.equal(body.get("PresignedUrl"), "https://given.example/");
  assert.equal(body.has("DestinationRegion"), false);
});

test("A custom endpoint: the destination region in its host becomes the source region; one without a region is kept", async () => {
  const http = recorder(() => ({ headers: XML, body: "<R/>" }));
  const rds = new RDS({ ...hermetic(http, "us-east-1"), endpoint: "https://rds.us-east-1.vpce.example.com" });
  await rds.copyDBSnapshot({ SourceDBSnapshotIdentifier: "a", TargetDBSnapshotIdentifier: "b", SourceRegion: "us-west-2" });
  let sent = http.only();
  assert.equal(sent.hostname, "rds.us-east-1.vpce.example.com");
  assert.equal(checkedUrl(form(sent).get("PreSignedUrl")).url.host, "rds.us-west-2.vpce.example.com");

  const local = new RDS({ ...hermetic(http, "us-east-1"), endpoint: "http://127.0.0.1:4566" });
  await local.copyDBSnapshot({ SourceDBSnapshotIdentifier: "a", TargetDBSnapshotIdentifier: "b", SourceRegion: "us-west-2" });
  sent = http.only();
  const { url, query } = checkedUrl(form(sent).get("PreSignedUrl"));
  assert.equal(url.origin, "http://127.0.0.1:4566");
  assert.match(query.get("X-Amz-Credential") ?? "", /\/us-west-2\/rds\/aws4_request$/);
});

test("A SourceRegion that is not a region name is refused before anything is sent", async () => {
  const http = recorder();
  const rds = new RDS(hermetic(http, "us-east-1"));
  for (const bad of ["", "us-west-2.evil.example", "US WEST"]) {
    await assert.rejects(rds.copyDBSnapshot({ SourceDBSnapshotIdentifier: "a", TargetDBSnapshotIdentifier: "b", SourceRegion: bad }), RequestFormError);
  }
  assert.equal(http.requests.length, 0);
});
