// Small fake AWS endpoints for the credential-provider tests, each a node:http server on
// 127.0.0.1 with an ephemeral port, started and closed by the test. They speak the real wire
// formats: STS awsQuery (form POST in, XML out, <ErrorResponse> errors, SigV4 verified against the
// bytes received), SSO and SSO-OIDC rest-json (x-amz-sso_bearer_token, x-amzn-errortype), AWS
// Sign-In CreateOAuth2Token with a verified DPoP proof (RFC 9449, ES256), the ECS/EKS container
// endpoint JSON and IMDSv2's PUT-token / GET-with-token flow. Every request is recorded; failures
// can be queued. Clocks are injected so expirations are deterministic.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createPublicKey, verify } from "node:crypto";
import { signRequest } from "../../runtime/signer/sigv4.js";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FakeServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(handle: (req: RecordedRequest) => Reply | Promise<Reply>): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      Promise.resolve()
        .then(() => handle(recorded))
        .catch((err: unknown): Reply => ({ status: 500, body: `fake server error: ${String(err)}` }))
        .then((reply) => {
          res.writeHead(reply.status, reply.headers ?? {});
          res.end(reply.body ?? "");
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const tempDirs: string[] = [];
process.on("exit", () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh temporary directory holding `files` (relative path -> content), removed when the test
 * process exits.
 */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "tsaws-creds-"));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) };
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// --- STS -----------------------------------------------------------------------------------

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  roleArn: string;
}

export interface StsCall {
  action: string;
  params: Record<string, string>;
  /** The access key that signed the request (undefined when unsigned). */
  signedBy?: string;
  /** Region from the credential scope. */
  region?: string;
}

export interface FakeStsRole {
  /**
   * Who may assume the role: a long-term access key id, or a role ARN whose issued credentials
   * may (default: any credentials the server knows).
   */
  trustedSource?: string;
  externalId?: string;
  mfa?: { serial: string; code: string };
  /** For AssumeRoleWithWebIdentity: the accepted token. */
  webIdentityToken?: string;
}

export interface FakeStsOptions {
  /** Long-term keys the server knows: access key id -> secret. */
  knownKeys?: Record<string, string>;
  roles?: Record<string, FakeStsRole>;
  now?: () => number;
  /** Account in the returned ARNs when the role ARN has none. */
  account?: string;
}

export interface FakeSts extends FakeServer {
  calls: StsCall[];
  issued: Map<string, IssuedCredentials>;
  /** Queued error replies, used before normal handling. */
  failures: Array<{ status: number; code: string; message: string }>;
}

function stsError(status: number, code: string, message: string): Reply {
  return {
    status,
    headers: { "content-type": "text/xml" },
    body:
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n` +
      `    <Code>${code}</Code>\n    <Message>${xmlEscape(message)}</Message>\n  </Error>\n` +
      `  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n</ErrorResponse>\n`,
  };
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export async function startFakeSts(options: FakeStsOptions = {}): Promise<FakeSts> {
  const now = options.now ?? Date.now;
  const calls: StsCall[] = [];
  const issued = new Map<string, IssuedCredentials>();
  const failures: FakeSts["failures"] = [];
  let counter = 0;
  let base: FakeServer;

  const secretOf = (key: string): { secret: string; token?: string } | undefined => {
    const known = options.knownKeys?.[key];
    if (known !== undefined) return { secret: known };
    const creds = issued.get(key);
    return creds ? { secret: creds.secretAccessKey, token: creds.sessionToken } : undefined;
  };

  /** Re-signs the received request with the signer's secret and compares signatures. */
  const verifySignature = async (req: RecordedRequest): Promise<{ key: string; region: string } | Reply> => {
    const m = AUTH_RE.exec(req.headers.authorization ?? "");
    if (!m) return stsError(403, "IncompleteSignature", "Authorization header missing or malformed");
    const [, key, day, region, signedHeaderList, sig] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const known = secretOf(key);
    if (!known) return stsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    if (known.token !== undefined && req.headers["x-amz-security-token"] !== known.token) {
      return stsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    }
    const amzDate = req.headers["x-amz-date"] ?? "";
    if (!amzDate.startsWith(day)) return stsError(403, "SignatureDoesNotMatch", "Date mismatch");
    const date = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const signedHeaders: Record<string, string> = {};
    for (const name of signedHeaderList.split(";")) signedHeaders[name] = req.headers[name] ?? "";
    const url = new URL(base.url);
    const resigned = await signRequest(
      {
        method: req.method,
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: req.path,
        query: req.query.toString(),
        headers: signedHeaders,
        body: req.body,
      },
      {
        credentials: {
          accessKeyId: key,
          secretAccessKey: known.secret,
          ...(known.token ? { sessionToken: known.token } : {}),
        },
        region,
        service: "sts",
        date,
      },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(resigned.headers.authorization ?? "")?.[1];
    if (expected !== sig)
      return stsError(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
      );
    return { key, region };
  };

  const issue = (
    roleArn: string,
    sessionName: string,
    durationSeconds: number,
    action: string,
    extra: string,
  ): Reply => {
    counter++;
    const n = String(counter).padStart(4, "0");
    const creds: IssuedCredentials = {
      accessKeyId: `ASIAFAKE${n}`,
      secretAccessKey: `fake-secret-${n}`,
      sessionToken: `fake-session-token-${n}`,
      expiration: new Date(now() + durationSeconds * 1000),
      roleArn,
    };
    issued.set(creds.accessKeyId, creds);
    const parts = roleArn.split(":");
    const account = parts[4] || options.account || "123456789012";
    const roleName = (parts[5] ?? "role/unknown").split("/").pop()!;
    return {
      status: 200,
      headers: { "content-type": "text/xml" },
      body:
        `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <${action}Result>\n${extra}` +
        `    <AssumedRoleUser>\n      <Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(sessionName)}</Arn>\n` +
        `      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:${xmlEscape(sessionName)}</AssumedRoleId>\n    </AssumedRoleUser>\n` +
        `    <Credentials>\n      <AccessKeyId>${creds.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>\n` +
        `      <SessionToken>${creds.sessionToken}</SessionToken>\n      <Expiration>${creds.expiration.toISOString()}</Expiration>\n    </Credentials>\n` +
        `    <PackedPolicySize>6</PackedPolicySize>\n  </${action}Result>\n` +
        `  <ResponseMetadata>\n    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
    };
  };

  base = await startFakeServer(async (req) => {
    if (req.method !== "POST" || req.path !== "/") return stsError(404, "NotFound", "Unknown path");
    if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      return stsError(400, "InvalidParameterValue", "Unsupported content type");
    }
    const form = new URLSearchParams(req.body);
    const params: Record<string, string> = {};
    for (const [k, v] of form) params[k] = v;
    const action = params.Action ?? "";
    const call: StsCall = { action, params };
    calls.push(call);
    const queued = failures.shift();
    if (queued) return stsError(queued.status, queued.code, queued.message);
    if (params.Version !== "2011-06-15") return stsError(400, "InvalidAction", "Could not find operation for version");
    const roleArn = params.RoleArn;
    const sessionName = params.RoleSessionName;
    if (!roleArn || !sessionName) return stsError(400, "ValidationError", "RoleArn and RoleSessionName are required");
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) return stsError(400, "ValidationError", "Invalid RoleSessionName");
    const role = options.roles?.[roleArn];
    if (!role) return stsError(403, "AccessDenied", `Not authorized to perform sts:${action} on ${roleArn}`);
    const duration = params.DurationSeconds ? Number(params.DurationSeconds) : 3600;
    if (action === "AssumeRole") {
      const signer = await verifySignature(req);
      if ("status" in signer) return signer;
      call.signedBy = signer.key;
      call.region = signer.region;
      const signerRole = issued.get(signer.key)?.roleArn;
      if (role.trustedSource !== undefined && role.trustedSource !== signer.key && role.trustedSource !== signerRole) {
        return stsError(
          403,
          "AccessDenied",
          `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        );
      }
      if (role.externalId !== undefined && params.ExternalId !== role.externalId) {
        return stsError(403, "AccessDenied", "External id mismatch");
      }
      if (role.mfa && (params.SerialNumber !== role.mfa.serial || params.TokenCode !== role.mfa.code)) {
        return stsError(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.");
      }
      return issue(roleArn, sessionName, duration, "AssumeRole", "");
    }
    if (action === "AssumeRoleWithWebIdentity") {
      if (req.headers.authorization)
        return stsError(400, "InvalidParameterValue", "AssumeRoleWithWebIdentity is unsigned");
      if (!role.webIdentityToken || params.WebIdentityToken !== role.webIdentityToken) {
        return stsError(400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider");
      }
      return issue(
        roleArn,
        sessionName,
        duration,
        "AssumeRoleWithWebIdentity",
        "    <SubjectFromWebIdentityToken>system:serviceaccount:default:app</SubjectFromWebIdentityToken>\n" +
          "    <Audience>sts.amazonaws.com</Audience>\n    <Provider>arn:aws:iam::123456789012:oidc-provider/example.com</Provider>\n",
      );
    }
    return stsError(400, "InvalidAction", `Could not find operation ${action}`);
  });
  return Object.assign(base, { calls, issued, failures });
}

// --- IAM Identity Center: SSO portal + SSO-OIDC ---------------------------------------------

export interface SsoRoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}

export interface FakeIdentityCenter {
  portal: FakeServer;
  oidc: FakeServer;
  /** Bearer tokens the portal accepts. */
  validTokens: Set<string>;
  /** accountId/roleName -> credentials. */
  roles: Map<string, SsoRoleCredentials>;
  /** Registered OIDC clients: clientId -> clientSecret. */
  clients: Map<string, string>;
  /** Valid refresh tokens -> clientId. */
  refreshTokens: Map<string, string>;
  /** Access-token lifetime handed out by CreateToken, seconds. */
  expiresIn: number;
  close(): Promise<void>;
}

export async function startFakeIdentityCenter(): Promise<FakeIdentityCenter> {
  const state = {
    validTokens: new Set<string>(),
    roles: new Map<string, SsoRoleCredentials>(),
    clients: new Map<string, string>(),
    refreshTokens: new Map<string, string>(),
    expiresIn: 28800,
  };
  let issuedCount = 0;
  const portal = await startFakeServer((req) => {
    if (req.method !== "GET" || req.path !== "/federation/credentials") {
      return json(404, { message: "Not found" }, { "x-amzn-errortype": "ResourceNotFoundException" });
    }
    const token = req.headers["x-amz-sso_bearer_token"];
    if (!token || !state.validTokens.has(token)) {
      return json(
        401,
        { message: "Session token not found or invalid" },
        {
          "x-amzn-errortype":
            "UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/",
        },
      );
    }
    const account = req.query.get("account_id");
    const roleName = req.query.get("role_name");
    const creds = state.roles.get(`${account}/${roleName}`);
    if (!creds) return json(403, { message: "No access" }, { "x-amzn-errortype": "ForbiddenException" });
    return json(200, { roleCredentials: creds });
  });
  const oidc = await startFakeServer((req) => {
    if (req.method !== "POST" || req.path !== "/token") return json(404, { error: "not_found" });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return json(400, { error: "invalid_request" }, { "x-amzn-errortype": "InvalidRequestException" });
    }
    const { clientId, clientSecret, grantType, refreshToken } = body as Record<string, string | undefined>;
    if (!clientId || state.clients.get(clientId) !== clientSecret) {
      return json(401, { error: "invalid_client" }, { "x-amzn-errortype": "InvalidClientException" });
    }
    if (grantType !== "refresh_token")
      return json(400, { error: "unsupported_grant_type" }, { "x-amzn-errortype": "UnsupportedGrantTypeException" });
    if (!refreshToken || state.refreshTokens.get(refreshToken) !== clientId) {
      return json(
        400,
        { error: "invalid_grant", error_description: "Invalid refresh token provided" },
        { "x-amzn-errortype": "InvalidGrantException" },
      );
    }
    issuedCount++;
    const accessToken = `sso-access-token-refreshed-${issuedCount}`;
    const newRefresh = `sso-refresh-token-${issuedCount}`;
    state.refreshTokens.delete(refreshToken);
    state.refreshTokens.set(newRefresh, clientId);
    state.validTokens.add(accessToken);
    return json(200, { accessToken, tokenType: "Bearer", expiresIn: state.expiresIn, refreshToken: newRefresh });
  });
  const center = Object.assign(state, {
    portal,
    oidc,
    close: async () => {
      await portal.close();
      await oidc.close();
    },
  }) as FakeIdentityCenter;
  return center;
}

// --- AWS Sign-In (console login) ------------------------------------------------------------

export interface SigninExpectation {
  /** The JSON body the client must send. */
  tokenInput: Record<string, unknown>;
  /** 200 with this body, or `responseCode` with an OAuth error body. */
  tokenOutput?: Record<string, unknown>;
  responseCode?: number;
}

export interface DpopCheck {
  ok: boolean;
  reason?: string;
  /** The public JWK's thumbprint-relevant coordinates. */
  jwk?: { x: string; y: string };
}

export interface FakeSignin extends FakeServer {
  expectations: SigninExpectation[];
  dpopChecks: DpopCheck[];
}

function b64urlJson(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Verifies an RFC 9449 DPoP proof for POST <url>. */
export function checkDpop(proof: string | undefined, url: string, nowSeconds: number): DpopCheck {
  if (!proof) return { ok: false, reason: "no DPoP header" };
  const parts = proof.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWS compact serialization" };
  const header = b64urlJson(parts[0]!);
  const payload = b64urlJson(parts[1]!);
  if (!header || !payload) return { ok: false, reason: "undecodable header or payload" };
  if (header.typ !== "dpop+jwt" || header.alg !== "ES256") return { ok: false, reason: "wrong typ/alg" };
  const jwk = header.jwk as Record<string, unknown> | undefined;
  if (!jwk || jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.x !== "string" || typeof jwk.y !== "string") {
    return { ok: false, reason: "bad jwk" };
  }
  if ("d" in jwk) return { ok: false, reason: "private key in jwk" };
  const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, format: "jwk" });
  const valid = verify(
    "sha256",
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(parts[2]!, "base64url"),
  );
  if (!valid) return { ok: false, reason: "bad signature" };
  if (payload.htm !== "POST") return { ok: false, reason: "htm" };
  if (payload.htu !== url) return { ok: false, reason: `htu ${String(payload.htu)} != ${url}` };
  if (typeof payload.jti !== "string" || payload.jti.length < 8) return { ok: false, reason: "jti" };
  if (typeof payload.iat !== "number" || Math.abs(payload.iat - nowSeconds) > 60) return { ok: false, reason: "iat" };
  return { ok: true, jwk: { x: jwk.x, y: jwk.y } };
}

export async function startFakeSignin(options: { now?: () => number } = {}): Promise<FakeSignin> {
  const expectations: SigninExpectation[] = [];
  const dpopChecks: DpopCheck[] = [];
  const now = options.now ?? Date.now;
  let url = "";
  const base = await startFakeServer((req) => {
    if (req.method !== "POST" || req.path !== "/v1/token")
      return json(404, { error: "RESOURCE_NOT_FOUND", message: "no such path" });
    const check = checkDpop(req.headers.dpop, `${url}/v1/token`, Math.floor(now() / 1000));
    dpopChecks.push(check);
    if (!check.ok) return json(400, { error: "INVALID_REQUEST", message: `invalid DPoP proof: ${check.reason}` });
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return json(400, { error: "INVALID_REQUEST", message: "content type" });
    }
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return json(400, { error: "INVALID_REQUEST", message: "body is not JSON" });
    }
    const match = expectations.find((e) => JSON.stringify(sortKeys(e.tokenInput)) === JSON.stringify(sortKeys(body)));
    if (!match) return json(400, { error: "INVALID_REQUEST", message: "unexpected token request" });
    if (match.responseCode !== undefined && match.responseCode !== 200) {
      return json(match.responseCode, { error: "TOKEN_EXPIRED", message: "The refresh token has expired" });
    }
    return json(200, { tokenType: "aws_sigv4", ...match.tokenOutput });
  });
  url = base.url;
  return Object.assign(base, { expectations, dpopChecks });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

// --- ECS / EKS container credentials endpoint ------------------------------------------------

export interface FakeContainerOptions {
  /** The credentials path (RELATIVE_URI or the path of FULL_URI). */
  path: string;
  /** Required Authorization header value, if any. */
  authorization?: string;
  credentials: { AccessKeyId: string; SecretAccessKey: string; Token: string; Expiration: string; AccountId?: string };
}

export interface FakeContainer extends FakeServer {
  /** Number of upcoming requests to answer with 500. */
  failNext: number;
}

export async function startFakeContainer(options: FakeContainerOptions): Promise<FakeContainer> {
  const state = { failNext: 0 };
  const base = await startFakeServer((req) => {
    if (state.failNext > 0) {
      state.failNext--;
      return json(500, { code: "InternalError", message: "try again" });
    }
    if (req.method !== "GET" || req.path !== options.path)
      return json(404, { code: "NotFound", message: "no such path" });
    if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
      return json(401, { code: "AccessDenied", message: "Invalid authorization token" });
    }
    return json(200, { RoleArn: "arn:aws:iam::123456789012:role/task", ...options.credentials });
  });
  return Object.defineProperty(base, "failNext", {
    get: () => state.failNext,
    set: (v: number) => {
      state.failNext = v;
    },
    enumerable: true,
  }) as FakeContainer;
}

// --- EC2 instance metadata service (IMDSv2) -------------------------------------------------

export interface FakeImdsOptions {
  /** Role attached to the instance; undefined: none (404). */
  role?: string;
  credentials?: { AccessKeyId: string; SecretAccessKey: string; Token: string; Expiration: string };
  region?: string;
  availabilityZone?: string;
  /** "v2": tokens required; "v1-only": the token PUT is 403 and GETs need no token; "both": v1 allowed too. */
  mode?: "v2" | "v1-only" | "both";
  /** GETs each token is good for (default unlimited); then it answers 401 as an expired token. */
  tokenUses?: number;
}

export interface FakeImds extends FakeServer {
  /** Number of upcoming requests to answer with 500. */
  failNext: number;
  /** Tokens handed out. */
  tokens: string[];
  /** Invalidates every token handed out so far (the next GET gets 401). */
  expireTokens(): void;
}

export async function startFakeImds(options: FakeImdsOptions): Promise<FakeImds> {
  const mode = options.mode ?? "v2";
  const tokens: string[] = [];
  const valid = new Map<string, number>();
  const state = { failNext: 0 };
  const text = (status: number, body: string): Reply => ({ status, headers: { "content-type": "text/plain" }, body });
  const base = await startFakeServer((req) => {
    if (state.failNext > 0) {
      state.failNext--;
      return text(500, "Internal Server Error");
    }
    if (req.path === "/latest/api/token") {
      if (req.method !== "PUT") return text(405, "Method Not Allowed");
      if (mode === "v1-only") return text(403, "Forbidden");
      if (req.headers["x-forwarded-for"]) return text(403, "Forbidden");
      const ttl = Number(req.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return text(400, "Bad Request");
      const token = `imds-token-${tokens.length + 1}`;
      tokens.push(token);
      valid.set(token, options.tokenUses ?? Infinity);
      return {
        status: 200,
        headers: { "content-type": "text/plain", "x-aws-ec2-metadata-token-ttl-seconds": String(ttl) },
        body: token,
      };
    }
    if (req.method !== "GET") return text(405, "Method Not Allowed");
    const token = req.headers["x-aws-ec2-metadata-token"];
    if (mode === "v2" || token !== undefined) {
      const uses = token === undefined ? undefined : valid.get(token);
      if (!token || !uses) return text(401, "Unauthorized");
      valid.set(token, uses - 1);
    }
    if (req.path === "/latest/meta-data/iam/security-credentials/") {
      return options.role ? text(200, options.role) : text(404, "Not Found");
    }
    if (
      options.role &&
      req.path === `/latest/meta-data/iam/security-credentials/${options.role}` &&
      options.credentials
    ) {
      return json(200, {
        Code: "Success",
        LastUpdated: "2025-01-01T00:00:00Z",
        Type: "AWS-HMAC",
        ...options.credentials,
      });
    }
    if (req.path === "/latest/meta-data/placement/region" && options.region) return text(200, options.region);
    if (req.path === "/latest/meta-data/placement/availability-zone" && options.availabilityZone) {
      return text(200, options.availabilityZone);
    }
    return text(404, "Not Found");
  });
  const imds = Object.assign(base, {
    tokens,
    expireTokens: () => valid.clear(),
  });
  return Object.defineProperty(imds, "failNext", {
    get: () => state.failNext,
    set: (v: number) => {
      state.failNext = v;
    },
    enumerable: true,
  }) as FakeImds;
}
