// A SigV4 verifier for the tests, written apart from runtime/signer (it imports nothing of the
// runtime, only node:crypto), so that what the integration tests accept is checked by a second
// implementation: the server side of AWS4-HMAC-SHA256 and of SigV4a (AWS4-ECDSA-P256-SHA256:
// the P-256 public key derived from the secret, as AWS derives it, checks an ECDSA signature
// over a region-free scope), for the Authorization header and for presigned query strings. test/support/verify.test.ts proves it against the vendored SigV4
// suites. `startVerifyingProxy` puts it in front of s3rver and dynalite: s3rver checks SigV4
// signatures not at all (only the access key id; its code says "unimplemented") and dynalite
// does not either, so without the proxy no integration test would notice a wrong signature.
import { createECDH, createHash, createHmac, createPublicKey, timingSafeEqual, verify as verifyEcdsa, type KeyObject } from "node:crypto";
import { request as httpRequest, createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SignedRequestParts {
  method: string;
  /** The request target's path, as sent (percent-encoded). */
  path: string;
  /** The raw query string without "?", as sent. */
  query: string;
  /** Lower-case names; repeated headers' values trimmed and joined with ",". */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface VerifyOptions {
  /** Secret access key by access key id; a request by an unknown key is `unknownKey`. */
  secrets: Readonly<Record<string, string>>;
  /** The verifier's clock, epoch ms. */
  now: number;
  /** Path handling: default by the scope's service (S3: neither; every other service: both). */
  normalizePath?: boolean;
  escapePath?: boolean;
}

export type Verdict = { ok: true; accessKeyId: string } | { ok: false; unknownKey?: string; reason: string };

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding: only unreserved characters stay as they are. */
function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, "%20"));
  } catch {
    return s;
  }
}

function canonicalPath(path: string, normalize: boolean, escape: boolean): string {
  let p = path === "" ? "/" : path;
  if (normalize) {
    const out: string[] = [];
    for (const seg of p.split("/")) {
      if (seg === "" || seg === ".") continue;
      if (seg === "..") out.pop();
      else out.push(seg);
    }
    p = "/" + out.join("/") + (p.endsWith("/") && out.length > 0 ? "/" : "");
  }
  // The path as sent is encoded once already; every service but S3 signs it encoded again.
  if (escape) p = p.split("/").map(rfc3986).join("/");
  return p;
}

function canonicalQuery(query: string, drop: string | undefined): string {
  if (query === "") return "";
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = rfc3986(decode(eq < 0 ? part : part.slice(0, eq)));
    const v = rfc3986(decode(eq < 0 ? "" : part.slice(eq + 1)));
    if (k !== drop) pairs.push([k, v]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

const V4 = "AWS4-HMAC-SHA256";
const V4A = "AWS4-ECDSA-P256-SHA256";
/** The order of the P-256 group. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const v4aKeys = new Map<string, { x: string; y: string; key: KeyObject }>();

/**
 * The SigV4a public key of an access key pair (X and Y in hex, and as a KeyObject): the
 * private scalar is the first HMAC-SHA256 counter-mode KDF output (key "AWS4A" + secret,
 * label the algorithm name, context the access key id and a one-byte counter) not above
 * n - 2, plus one; the public key is its P-256 point.
 */
export function sigV4aPublicKey(accessKeyId: string, secret: string): { x: string; y: string; key: KeyObject } {
  const id = `${accessKeyId}\n${secret}`;
  const known = v4aKeys.get(id);
  if (known) return known;
  const be32 = (n: number): Buffer => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  let d: bigint | undefined;
  for (let counter = 1; d === undefined && counter <= 254; counter++) {
    const fixed = Buffer.concat([be32(1), Buffer.from(V4A), Buffer.from([0]), Buffer.from(accessKeyId), Buffer.from([counter]), be32(256)]);
    const candidate = BigInt(`0x${createHmac("sha256", `AWS4A${secret}`).update(fixed).digest("hex")}`);
    if (candidate <= P256_N - 2n) d = candidate + 1n;
  }
  if (d === undefined) throw new Error("no SigV4a key for these credentials");
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(d.toString(16).padStart(64, "0"), "hex"));
  const point = ecdh.getPublicKey(); // 0x04 || X || Y
  const [x, y] = [point.subarray(1, 33), point.subarray(33)];
  const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: x.toString("base64url"), y: y.toString("base64url") }, format: "jwk" });
  const out = { x: x.toString("hex"), y: y.toString("hex"), key };
  v4aKeys.set(id, out);
  return out;
}

function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

/** Checks a request's SigV4 or SigV4a signature (header or presigned query) as a server would. */
export function verifySigV4(req: SignedRequestParts, options: VerifyOptions): Verdict {
  const params = new Map<string, string>();
  for (const part of req.query.split("&")) {
    const eq = part.indexOf("=");
    if (eq > 0) params.set(decode(part.slice(0, eq)), decode(part.slice(eq + 1)));
  }
  const presigned = params.has("X-Amz-Signature");
  let algorithm: string, credential: string, signedHeaders: string, provided: string, amzDate: string;
  if (presigned) {
    algorithm = params.get("X-Amz-Algorithm") ?? "";
    if (algorithm !== V4 && algorithm !== V4A) return { ok: false, reason: `X-Amz-Algorithm is not ${V4} or ${V4A}` };
    credential = params.get("X-Amz-Credential") ?? "";
    signedHeaders = params.get("X-Amz-SignedHeaders") ?? "";
    provided = params.get("X-Amz-Signature") ?? "";
    amzDate = params.get("X-Amz-Date") ?? "";
  } else {
    const auth = req.headers["authorization"];
    if (auth === undefined) return { ok: false, reason: "no Authorization header and no X-Amz-Signature" };
    const m = /^(AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256) Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(auth.trim());
    if (!m) return { ok: false, reason: `the Authorization header is not ${V4} or ${V4A}` };
    [, algorithm, credential, signedHeaders, provided] = m as unknown as [string, string, string, string, string];
    amzDate = req.headers["x-amz-date"] ?? "";
  }
  // SigV4a's scope has no region: the signed X-Amz-Region-Set says where the signature is valid.
  const scopeParts = credential.split("/");
  if (algorithm === V4A) scopeParts.splice(2, 0, "");
  const [accessKeyId, day, region, service, terminator, ...extra] = scopeParts;
  if (!accessKeyId || !day || (!region && algorithm === V4) || !service || terminator !== "aws4_request" || extra.length) {
    return { ok: false, reason: `malformed credential scope ${credential}` };
  }
  if (algorithm === V4A && !(presigned ? params.has("X-Amz-Region-Set") : signedHeaders.split(";").includes("x-amz-region-set"))) {
    return { ok: false, reason: "SigV4a without a signed region set" };
  }
  const secret = options.secrets[accessKeyId];
  if (secret === undefined) return { ok: false, unknownKey: accessKeyId, reason: `unknown access key ${accessKeyId}` };
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) return { ok: false, reason: `bad X-Amz-Date ${amzDate}` };
  if (!amzDate.startsWith(day)) return { ok: false, reason: "the scope's date is not the request's date" };
  if (presigned) {
    const expires = Number(params.get("X-Amz-Expires"));
    if (!Number.isInteger(expires) || expires < 1 || expires > 604800) return { ok: false, reason: "bad X-Amz-Expires" };
    if (options.now > signedAt + expires * 1000) return { ok: false, reason: "Request has expired" };
  } else if (Math.abs(options.now - signedAt) > 15 * 60_000) {
    return { ok: false, reason: "RequestTimeTooSkewed" };
  }
  const names = signedHeaders.split(";");
  if (!names.includes("host")) return { ok: false, reason: "host is not signed" };
  const canonicalHeaders = names
    .map((n) => {
      const v = req.headers[n];
      return `${n}:${v === undefined ? "" : v.trim().replace(/\s+/g, " ")}\n`;
    })
    .join("");
  const s3 = service === "s3";
  const declared = req.headers["x-amz-content-sha256"];
  let payload: string;
  if (declared !== undefined) {
    if (/^[0-9a-f]{64}$/.test(declared) && declared !== sha256(req.body)) return { ok: false, reason: "x-amz-content-sha256 does not match the body" };
    payload = declared;
  } else if (presigned && s3) payload = params.get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD";
  else if (s3) return { ok: false, reason: "S3 requires x-amz-content-sha256" };
  else payload = sha256(req.body);
  const canonicalRequest = [
    req.method,
    canonicalPath(req.path, options.normalizePath ?? !s3, options.escapePath ?? !s3),
    canonicalQuery(req.query, presigned ? "X-Amz-Signature" : undefined),
    canonicalHeaders,
    signedHeaders,
    payload,
  ].join("\n");
  if (algorithm === V4A) {
    const stringToSign = [V4A, amzDate, `${day}/${service}/aws4_request`, sha256(canonicalRequest)].join("\n");
    const { key } = sigV4aPublicKey(accessKeyId, secret);
    const valid = /^(?:[0-9a-f]{2})+$/.test(provided) && verifyEcdsa("sha256", Buffer.from(stringToSign), { key, dsaEncoding: "der" }, Buffer.from(provided, "hex"));
    return valid ? { ok: true, accessKeyId } : { ok: false, reason: `SignatureDoesNotMatch; canonical request was:\n${canonicalRequest}` };
  }
  const stringToSign = [V4, amzDate, `${day}/${region}/${service}/aws4_request`, sha256(canonicalRequest)].join("\n");
  if (!/^[0-9a-f]{64}$/.test(provided)) return { ok: false, reason: "SignatureDoesNotMatch: not a SigV4 signature" };
  if (!region) return { ok: false, reason: `malformed credential scope ${credential}` }; // checked above; narrows the type
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), "aws4_request");
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  const same = expected.length === provided.length && timingSafeEqual(Buffer.from(expected), Buffer.from(provided));
  return same ? { ok: true, accessKeyId } : { ok: false, reason: `SignatureDoesNotMatch; canonical request was:\n${canonicalRequest}` };
}

/** The parts of a received request, repeated headers joined as SigV4 joins them. */
export function partsOf(req: IncomingMessage, body: Uint8Array): SignedRequestParts {
  const target = req.url ?? "/";
  const q = target.indexOf("?");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headersDistinct)) if (v) headers[k] = v.map((x) => x.trim()).join(",");
  return { method: req.method ?? "GET", path: q < 0 ? target : target.slice(0, q), query: q < 0 ? "" : target.slice(q + 1), headers, body };
}

export interface VerifyingProxy {
  endpoint: string;
  /** Requests refused so far, with the reason (the tests assert this stays empty). */
  refused: { method: string; url: string; reason: string }[];
  /** Requests verified and forwarded. */
  verified: number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of `upstream` that verifies every request signed by a key in
 * `secrets` (and refuses it with 403 in the upstream's own error format when the signature
 * is wrong), forwards everything else untouched (CORS preflights, other keys: the upstream
 * answers those itself), and streams the upstream's answer back.
 */
export async function startVerifyingProxy(upstream: string, secrets: Record<string, string>, errorFormat: "xml" | "json"): Promise<VerifyingProxy> {
  const up = new URL(upstream);
  const refused: VerifyingProxy["refused"] = [];
  const state = { verified: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const signed = req.method !== "OPTIONS" && (req.headers.authorization !== undefined || (req.url ?? "").includes("X-Amz-Signature="));
      if (signed) {
        const verdict = verifySigV4(partsOf(req, body), { secrets, now: Date.now() });
        if (!verdict.ok && verdict.unknownKey === undefined) {
          refused.push({ method: req.method ?? "", url: req.url ?? "", reason: verdict.reason });
          const expired = verdict.reason === "Request has expired";
          const code = expired ? "AccessDenied" : "SignatureDoesNotMatch";
          const message = expired ? "Request has expired" : "The request signature we calculated does not match the signature you provided.";
          const cors = req.headers.origin ? { "access-control-allow-origin": "*" } : {};
          if (errorFormat === "xml") {
            res.writeHead(403, { "content-type": "application/xml", ...cors }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
          } else {
            res.writeHead(400, { "content-type": "application/x-amz-json-1.0", ...cors }).end(JSON.stringify({ __type: "com.amazon.coral.service#InvalidSignatureException", message }));
          }
          return;
        }
        if (verdict.ok) state.verified++;
      }
      const forward = httpRequest(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused,
    get verified() {
      return state.verified;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
