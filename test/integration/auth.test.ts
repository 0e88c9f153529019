// The schemes other than SigV4, through generated clients and the real node handler against the
// fault server on 127.0.0.1 (nothing leaves the machine):
//   - CodeCatalyst authenticates only with a bearer token: from the client config (a string, an
//     object with an expiration, an async provider), the session config, AWS_BEARER_TOKEN_CODECATALYST,
//     or the SSO token cache of the profile's sso_session (a temp HOME and config; refreshed through a
//     fake SSO-OIDC near expiry). Without one every call fails before sending with a
//     CredentialsError that names where it looked and holds no secret.
//   - Bedrock Runtime and Bedrock accept SigV4 or a token: AWS_BEARER_TOKEN_BEDROCK (through a
//     Session env) or a configured token switch them to Bearer; otherwise they sign with SigV4,
//     checked by the independent verifier. Other services ignore both.
//   - SimpleDB and Import/Export sign with SigV2 (form body), checked by the tests' own verifier
//     (test/support/sigv2-verify.ts), with the session token, the injected clock and the clock
//     corrected from a response's Date header; a tampered request fails verification.
//   - presign refuses the services it cannot sign for.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { CodeCatalyst } from "tsaws/codecatalyst";
import { BedrockRuntime } from "tsaws/bedrock-runtime";
import { Bedrock } from "tsaws/bedrock";
import { SimpleDB, ListDomains } from "tsaws/sdb";
import { ImportExport } from "tsaws/importexport";
import { DynamoDB } from "tsaws/dynamodb";
import { ConfigError, CredentialsError, Session, presign } from "tsaws";
import { startFaultServer, type FaultServer, type RecordedRequest } from "../support/fault-server.ts";
import { startFakeIdentityCenter, tempDir, type FakeIdentityCenter } from "../support/fake-aws-servers.ts";
import { verifySigV4, type SignedRequestParts } from "../support/sigv4-verify.ts";
import { verifySigV2 } from "../support/sigv2-verify.ts";
import { countedTests } from "../support/counted.ts";

const check = countedTests("integration auth");
const CREDENTIALS = { accessKeyId: "AKIDAUTHTEST", secretAccessKey: "auth-test-secret-key", sessionToken: "auth-test-session-token" };
const SECRETS = { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey };
const NO_FILE = join(tmpdir(), "tsaws-auth-test-no-such-file");
const JSON_OK = { status: 200, headers: { "content-type": "application/json" }, body: "{}" };
const SIGV4_HEADERS = ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

let server: FaultServer;
let ic: FakeIdentityCenter;
const clients: { destroy(): void }[] = [];
const dirs: string[] = [];
function track<C extends { destroy(): void }>(c: C): C {
  clients.push(c);
  return c;
}

before(async () => {
  server = await startFaultServer({ holdMs: 2000 });
  ic = await startFakeIdentityCenter();
});

after(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  await ic?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A session that reads nothing of this machine: the given environment, no config files. */
function hermetic(env: Record<string, string> = {}, extra: ConstructorParameters<typeof Session>[0] = {}): Session {
  return new Session({ env, configFile: NO_FILE, credentialsFile: NO_FILE, ...extra });
}

function only(): RecordedRequest {
  assert.equal(server.requests.length, 1, "exactly one request");
  return server.requests[0]!;
}

/** What a verifier needs of a recorded request. */
function parts(r: RecordedRequest): SignedRequestParts {
  const q = r.path.indexOf("?");
  return { method: r.method, path: q < 0 ? r.path : r.path.slice(0, q), query: q < 0 ? "" : r.path.slice(q + 1), headers: r.headers, body: r.body };
}

function assertBearer(r: RecordedRequest, token: string): void {
  assert.equal(r.headers.authorization, `Bearer ${token}`);
  for (const h of SIGV4_HEADERS) assert.equal(r.headers[h], undefined, `${h} is not sent with a bearer token`);
}

/** Rejects with a CredentialsError before anything is sent; returns its message. */
async function refusedBeforeSending(call: () => Promise<unknown>): Promise<string> {
  server.reset([JSON_OK]);
  const e = await call().then(
    () => assert.fail("the call succeeded"),
    (err: unknown) => err,
  );
  assert.ok(e instanceof CredentialsError, `got ${String(e)}`);
  assert.equal(server.requests.length, 0, "nothing was sent");
  return e.message;
}

const codecatalyst = (config: ConstructorParameters<typeof CodeCatalyst>[0] = {}) =>
  track(new CodeCatalyst({ region: "us-west-2", endpoint: server.url, maxAttempts: 1, session: hermetic(), ...config }));

// ------------------------------------------------------------------------------- CodeCatalyst

check("CodeCatalyst: a token in the client config is sent as Authorization: Bearer, with no SigV4 headers and no AWS credentials asked for", async () => {
  let asked = 0;
  const cc = codecatalyst({
    token: "cc-token-from-config",
    credentials: async () => {
      asked++;
      return CREDENTIALS;
    },
  });
  server.reset([{ status: 200, headers: { "content-type": "application/json" }, body: '{"items":[{"name":"space-1","regionName":"us-west-2"}]}' }]);
  const out = await cc.listSpaces({});
  assert.equal(out.items?.[0]?.name, "space-1");
  assertBearer(only(), "cc-token-from-config");
  assert.equal(asked, 0);
});

check("CodeCatalyst: { token, expiration }, an async provider (called per request), the session's token; the client's wins", async () => {
  server.reset([JSON_OK]);
  await codecatalyst({ token: { token: "object-token", expiration: new Date(Date.now() + 3600_000) } }).listSpaces({});
  assertBearer(only(), "object-token");

  let calls = 0;
  const provided = codecatalyst({ token: async () => ({ token: `provided-${++calls}` }) });
  server.reset([JSON_OK, JSON_OK]);
  await provided.listSpaces({});
  await provided.listSpaces({});
  assert.deepEqual(server.requests.map((r) => r.headers.authorization), ["Bearer provided-1", "Bearer provided-2"]);

  const session = hermetic({}, { token: "session-token" });
  server.reset([JSON_OK]);
  await codecatalyst({ session }).listSpaces({});
  assertBearer(only(), "session-token");
  server.reset([JSON_OK]);
  await codecatalyst({ session, token: "client-token" }).listSpaces({});
  assertBearer(only(), "client-token");
});

check("CodeCatalyst: AWS_BEARER_TOKEN_CODECATALYST from the session's environment; the config beats it", async () => {
  const session = hermetic({ AWS_BEARER_TOKEN_CODECATALYST: "env-token" });
  server.reset([JSON_OK]);
  await codecatalyst({ session }).listSpaces({});
  assertBearer(only(), "env-token");
  server.reset([JSON_OK]);
  await codecatalyst({ session, token: "config-token" }).listSpaces({});
  assertBearer(only(), "config-token");
});

const sha1 = (s: string): string => createHash("sha1").update(s).digest("hex");
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const SSO_CONFIG = `
[profile dev]
sso_session = corp
region = us-west-2

[profile plain]
region = us-west-2

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
`;

/** A temp HOME with the config above and the sso-session "corp" token cached as `aws sso login` writes it. */
function ssoHome(token: Record<string, unknown> | undefined): { home: string; cacheFile: string; session: (profile: string) => Session } {
  const home = tempDir({ ".aws/config": SSO_CONFIG });
  dirs.push(home);
  const cacheFile = join(home, ".aws/sso/cache", `${sha1("corp")}.json`);
  if (token) {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(token));
  }
  const env = { HOME: home, AWS_ENDPOINT_URL_SSO_OIDC: ic.oidc.url };
  return { home, cacheFile, session: (profile) => new Session({ env, profile, configFile: join(home, ".aws/config"), credentialsFile: NO_FILE }) };
}

check("CodeCatalyst: the SSO token of the profile's sso_session, read from ~/.aws/sso/cache/<sha1(session)>.json once and kept", async () => {
  const { cacheFile, session } = ssoHome({ startUrl: "https://d-1234567890.awsapps.com/start", region: "us-east-1", accessToken: "sso-cached-token", expiresAt: stamp(Date.now() + 3600_000) });
  const cc = codecatalyst({ session: session("dev") });
  server.reset([JSON_OK, JSON_OK]);
  await cc.listSpaces({});
  rmSync(cacheFile); // kept: far from expiry, the cache is not read again
  await cc.listSpaces({});
  assert.deepEqual(server.requests.map((r) => r.headers.authorization), ["Bearer sso-cached-token", "Bearer sso-cached-token"]);
  for (const h of SIGV4_HEADERS) assert.equal(server.requests[1]!.headers[h], undefined);
});

check("CodeCatalyst: an SSO token within 15 minutes of expiry is refreshed through SSO-OIDC and the cache rewritten", async () => {
  ic.clients.set("cc-client", "cc-client-secret");
  ic.refreshTokens.set("cc-refresh", "cc-client");
  const { cacheFile, session } = ssoHome({
    startUrl: "https://d-1234567890.awsapps.com/start",
    region: "us-east-1",
    accessToken: "about-to-expire",
    expiresAt: stamp(Date.now() + 5 * 60_000),
    clientId: "cc-client",
    clientSecret: "cc-client-secret",
    registrationExpiresAt: stamp(Date.now() + 86400_000),
    refreshToken: "cc-refresh",
  });
  const before = ic.oidc.requests.length;
  server.reset([JSON_OK]);
  await codecatalyst({ session: session("dev") }).listSpaces({});
  assert.equal(ic.oidc.requests.length, before + 1);
  const used = only().headers.authorization!.replace(/^Bearer /, "");
  assert.match(used, /^sso-access-token-refreshed-\d+$/);
  assert.equal((JSON.parse(readFileSync(cacheFile, "utf8")) as { accessToken: string }).accessToken, used);
});

check("CodeCatalyst without a token: CredentialsError before sending, naming every place looked, holding no secret", async () => {
  // No token anywhere, AWS credentials configured (unused), a secret-looking value in the environment.
  const env = { UNRELATED_SECRET: "do-not-print-me", HOME: join(tmpdir(), "tsaws-auth-test-empty-home") };
  const cc = codecatalyst({ session: hermetic(env), credentials: CREDENTIALS });
  const message = await refusedBeforeSending(() => cc.listSpaces({}));
  assert.match(message, /CodeCatalyst authenticates only with a bearer token/);
  assert.match(message, /client or session config \(`token`\)/);
  assert.match(message, /AWS_BEARER_TOKEN_CODECATALYST/);
  assert.match(message, /sso_session/);
  for (const secret of [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken, "do-not-print-me"]) assert.ok(!message.includes(secret), message);

  // A profile without sso_session, and an expired cached SSO token: the same, with the reason.
  const plain = ssoHome(undefined);
  assert.match(await refusedBeforeSending(() => codecatalyst({ session: plain.session("plain") }).listSpaces({})), /profile "plain" names no sso_session/);
  const expired = ssoHome({ startUrl: "https://d-1234567890.awsapps.com/start", region: "us-east-1", accessToken: "expired-sso-secret", expiresAt: stamp(Date.now() - 60_000) });
  const expiredMessage = await refusedBeforeSending(() => codecatalyst({ session: expired.session("dev") }).listSpaces({}));
  assert.match(expiredMessage, /expired; run `aws sso login --sso-session corp`/);
  assert.ok(!expiredMessage.includes("expired-sso-secret"), expiredMessage);
});

check("a bad configured token fails before sending and is never quoted: expired, empty, a line break, a provider that fails", async () => {
  const cases: [string, ConstructorParameters<typeof CodeCatalyst>[0], RegExp][] = [
    ["expired", { token: { token: "expired-secret-token", expiration: new Date(Date.now() - 1000) } }, /token that expired at/],
    ["empty", { token: "" }, /gave no token/],
    ["line break", { token: "line-secret\r\nx-injected: 1" }, /characters a header cannot carry/],
    ["provider", { token: () => Promise.reject(new Error("vault is down")) }, /failed: vault is down/],
  ];
  for (const [what, config, reason] of cases) {
    const message = await refusedBeforeSending(() => codecatalyst(config).listSpaces({}));
    assert.match(message, reason, what);
    assert.ok(!/expired-secret-token|line-secret/.test(message), `${what}: ${message}`);
  }
});

// ------------------------------------------------------------------------------- Bedrock

const bedrockRuntime = (session: Session, config: ConstructorParameters<typeof BedrockRuntime>[0] = {}) =>
  track(new BedrockRuntime({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, credentials: CREDENTIALS, session, ...config }));

check("Bedrock Runtime: AWS_BEARER_TOKEN_BEDROCK (a Session env) switches it to Bearer, AWS credentials unused", async () => {
  server.reset([{ status: 200, headers: { "content-type": "application/json" }, body: '{"asyncInvokeSummaries":[]}' }]);
  const out = await bedrockRuntime(hermetic({ AWS_BEARER_TOKEN_BEDROCK: "bedrock-api-key" })).listAsyncInvokes({});
  assert.deepEqual(out.asyncInvokeSummaries, []);
  assertBearer(only(), "bedrock-api-key");
});

check("Bedrock Runtime without a token signs with SigV4 (verified); a configured token beats the environment's", async () => {
  server.reset([JSON_OK]);
  await bedrockRuntime(hermetic({ AWS_BEARER_TOKEN_BEDROCK_RUNTIME: "not-the-signing-name" })).listAsyncInvokes({});
  const r = only();
  const verdict = verifySigV4(parts(r), { secrets: SECRETS, now: Date.now() });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
  assert.match(r.headers.authorization ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDAUTHTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request, /);

  server.reset([JSON_OK]);
  await bedrockRuntime(hermetic({ AWS_BEARER_TOKEN_BEDROCK: "from-env" }), { token: "from-config" }).listAsyncInvokes({});
  assertBearer(only(), "from-config");
});

check("Bedrock (control plane) reads the same AWS_BEARER_TOKEN_BEDROCK; DynamoDB ignores tokens and signs with SigV4", async () => {
  const env = { AWS_BEARER_TOKEN_BEDROCK: "shared-bedrock-key", AWS_BEARER_TOKEN_DYNAMODB: "ignored" };
  const bedrock = track(new Bedrock({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, credentials: CREDENTIALS, session: hermetic(env) }));
  server.reset([{ status: 200, headers: { "content-type": "application/json" }, body: '{"modelSummaries":[]}' }]);
  await bedrock.listFoundationModels({});
  assertBearer(only(), "shared-bedrock-key");

  const ddb = track(new DynamoDB({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, credentials: CREDENTIALS, session: hermetic(env), token: "ignored-too" }));
  server.reset([{ status: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: '{"TableNames":[]}' }]);
  await ddb.listTables({});
  const verdict = verifySigV4(parts(only()), { secrets: SECRETS, now: Date.now() });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
});

// ------------------------------------------------------------------------------- SigV2

const SDB_LIST =
  '<ListDomainsResponse xmlns="http://sdb.amazonaws.com/doc/2009-04-15/"><ListDomainsResult><DomainName>first</DomainName><DomainName>second</DomainName></ListDomainsResult><ResponseMetadata><RequestId>req-1</RequestId><BoxUsage>0.0000071759</BoxUsage></ResponseMetadata></ListDomainsResponse>';
const XML = { "content-type": "text/xml" };

check("SimpleDB signs with SigV2: the verifier accepts the form body; session token as SecurityToken; no SigV4 headers", async () => {
  const fixed = Date.UTC(2024, 4, 6, 7, 8, 9);
  const sdb = track(new SimpleDB({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, credentials: CREDENTIALS, session: hermetic(), clock: () => fixed }));
  server.reset([{ status: 200, headers: XML, body: SDB_LIST }]);
  const out = await sdb.listDomains({ MaxNumberOfDomains: 5 });
  assert.deepEqual(out.DomainNames, ["first", "second"]);
  const r = only();
  assert.equal(r.method, "POST");
  const verdict = verifySigV2(parts(r), { secrets: SECRETS, now: fixed });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
  assert.equal(verdict.params.get("Action"), "ListDomains");
  assert.equal(verdict.params.get("MaxNumberOfDomains"), "5");
  assert.equal(verdict.params.get("Timestamp"), "2024-05-06T07:08:09Z");
  assert.equal(verdict.params.get("SecurityToken"), CREDENTIALS.sessionToken);
  assert.equal(r.headers["content-length"], String(r.body.length));
  for (const h of ["authorization", ...SIGV4_HEADERS]) assert.equal(r.headers[h], undefined, `${h} is not sent with SigV2`);

  // The same request changed on the way: refused.
  const body = new TextDecoder().decode(r.body).replace("MaxNumberOfDomains=5", "MaxNumberOfDomains=50");
  const tampered = verifySigV2({ ...parts(r), body: new TextEncoder().encode(body) }, { secrets: SECRETS, now: fixed });
  assert.equal(tampered.ok, false);
});

check("SimpleDB through the bare client (SimpleDBClient + ListDomains) and Import/Export (query URI /?Operation=...) verify too", async () => {
  const { SimpleDBClient } = await import("tsaws/sdb");
  const bare = track(new SimpleDBClient({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey }, session: hermetic() }));
  server.reset([{ status: 200, headers: XML, body: SDB_LIST }]);
  await bare.send(ListDomains, {});
  let verdict = verifySigV2(parts(only()), { secrets: SECRETS, now: Date.now() });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
  assert.equal(verdict.params.has("SecurityToken"), false);

  const ie = track(new ImportExport({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, credentials: CREDENTIALS, session: hermetic() }));
  server.reset([{ status: 200, headers: XML, body: "<ListJobsResponse><ListJobsResult><Jobs/><IsTruncated>false</IsTruncated></ListJobsResult></ListJobsResponse>" }]);
  const out = await ie.listJobs({ MaxJobs: 3 });
  assert.equal(out.IsTruncated, false);
  const r = only();
  verdict = verifySigV2(parts(r), { secrets: SECRETS, now: Date.now() });
  assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
  assert.equal(verdict.params.get("Action"), "ListJobs");
  assert.equal(verdict.params.get("Version"), "2010-06-01");
});

check("SigV2 uses the client's corrected clock: a response Date an hour ahead moves the next Timestamp", async () => {
  const fixed = Date.UTC(2024, 0, 2, 3, 4, 5);
  const sdb = track(new SimpleDB({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, credentials: CREDENTIALS, session: hermetic(), clock: () => fixed }));
  server.reset([
    { status: 200, headers: { ...XML, date: new Date(fixed + 3600_000).toUTCString() }, body: SDB_LIST },
    { status: 200, headers: XML, body: SDB_LIST },
  ]);
  await sdb.listDomains({});
  await sdb.listDomains({});
  const stamps = server.requests.map((r) => verifySigV2(parts(r), { secrets: SECRETS, now: fixed + 1800_000, maxSkewMs: 3600_000 }));
  assert.deepEqual(stamps.map((v) => (v.ok ? v.params.get("Timestamp") : v.reason)), ["2024-01-02T03:04:05Z", "2024-01-02T04:04:05Z"]);
});

check("SigV2 without usable credentials: CredentialsError before sending", async () => {
  const failing = track(new SimpleDB({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, session: hermetic(), credentials: () => Promise.reject(new Error("no keys here")) }));
  assert.match(await refusedBeforeSending(() => failing.listDomains({})), /could not load credentials: no keys here/);
  const partial = track(new SimpleDB({ region: "us-east-1", endpoint: server.url, maxAttempts: 1, session: hermetic(), credentials: { accessKeyId: "AKIDONLY", secretAccessKey: "" } }));
  assert.match(await refusedBeforeSending(() => partial.listDomains({})), /no access key/);
});

check("presign refuses CodeCatalyst and SimpleDB (ConfigError); Bedrock Runtime presigns with SigV4", async () => {
  const { ListSpaces } = await import("tsaws/codecatalyst");
  const { ListAsyncInvokes } = await import("tsaws/bedrock-runtime");
  const sdb = track(new SimpleDB({ region: "us-east-1", endpoint: server.url, credentials: CREDENTIALS, session: hermetic() }));
  for (const [client, op] of [
    [codecatalyst({ token: "t" }), ListSpaces],
    [sdb, ListDomains],
  ] as const) {
    const e = await presign(client as never, op as never, {} as never).catch((err: unknown) => err);
    assert.ok(e instanceof ConfigError, String(e));
    assert.match((e as Error).message, /cannot be presigned/);
  }
  const { url } = await presign(bedrockRuntime(hermetic()), ListAsyncInvokes, {});
  assert.match(url, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
});
