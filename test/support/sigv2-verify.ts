// A SigV2 verifier for the tests, written apart from runtime/signer/sigv2.ts (it imports nothing
// of the runtime, only node:crypto): the server side of AWS Signature Version 2 for query APIs
// (SimpleDB, Import/Export), from the algorithm as AWS documents it. The parameters come from
// the form body of a POST (application/x-www-form-urlencoded) or else from the query string;
// they must carry SignatureVersion=2, SignatureMethod HmacSHA256 (or HmacSHA1), a known
// AWSAccessKeyId, a Timestamp within 15 minutes of the verifier's clock (or an Expires not
// passed), and a Signature: the base64 HMAC of
//
//   METHOD \n host (lower case, from the Host header) \n path ("/" if empty) \n
//   every other parameter sorted by name (UTF-8 byte order), name=value each RFC 3986
//   percent-encoded with upper-case hex, joined by "&"
//
// under the key's secret. test/signer/sigv2.test.ts proves it on AWS's published example.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SignedRequestParts } from "./sigv4-verify.ts";

export interface SigV2VerifyOptions {
  /** Secret access key by access key id. */
  secrets: Readonly<Record<string, string>>;
  /** The verifier's clock, epoch ms. */
  now: number;
  /** Largest accepted distance between Timestamp and `now` (default 15 minutes). */
  maxSkewMs?: number;
}

export type SigV2Verdict = { ok: true; accessKeyId: string; params: Map<string, string> } | { ok: false; reason: string };

/** RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are. */
function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, "%20"));
}

/** The request's parameters, in order; a reason string when a part is not decodable. */
function parameters(req: SignedRequestParts): [string, string][] | string {
  const contentType = req.headers["content-type"] ?? "";
  const form = req.method === "POST" && contentType.startsWith("application/x-www-form-urlencoded") ? new TextDecoder().decode(req.body) : req.query;
  const out: [string, string][] = [];
  for (const part of form.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    try {
      out.push(eq < 0 ? [formDecode(part), ""] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))]);
    } catch {
      return `undecodable parameter ${JSON.stringify(part.slice(0, 40))}`;
    }
  }
  return out;
}

/** An ISO 8601 time; one without a zone is UTC (AWS's own example omits the Z). */
function parseTime(s: string): number {
  return Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/.test(s) ? s : `${s}Z`);
}

/** The canonical query string: every parameter but Signature, sorted by the UTF-8 bytes of its name. */
export function canonicalQuery(params: readonly [string, string][]): string {
  return params
    .filter(([k]) => k !== "Signature")
    .map(([k, v]) => [Buffer.from(k, "utf8"), k, v] as const)
    .sort((a, b) => Buffer.compare(a[0], b[0]))
    .map(([, k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join("&");
}

/** The string a SigV2 signature signs. */
export function stringToSign(method: string, host: string, path: string, params: readonly [string, string][]): string {
  return `${method}\n${host.toLowerCase()}\n${path === "" ? "/" : path}\n${canonicalQuery(params)}`;
}

export function verifySigV2(req: SignedRequestParts, options: SigV2VerifyOptions): SigV2Verdict {
  const parsed = parameters(req);
  if (typeof parsed === "string") return { ok: false, reason: parsed };
  const params = new Map<string, string>();
  for (const [k, v] of parsed) {
    if (params.has(k)) return { ok: false, reason: `parameter ${k} appears twice` };
    params.set(k, v);
  }
  const need = (name: string): string | undefined => params.get(name);
  if (need("SignatureVersion") !== "2") return { ok: false, reason: `SignatureVersion is ${JSON.stringify(need("SignatureVersion"))}, not "2"` };
  const method = need("SignatureMethod");
  const digest = method === "HmacSHA256" ? "sha256" : method === "HmacSHA1" ? "sha1" : undefined;
  if (!digest) return { ok: false, reason: `SignatureMethod is ${JSON.stringify(method)}` };
  const accessKeyId = need("AWSAccessKeyId");
  if (!accessKeyId) return { ok: false, reason: "no AWSAccessKeyId" };
  const secret = options.secrets[accessKeyId];
  if (secret === undefined) return { ok: false, reason: `unknown AWSAccessKeyId ${accessKeyId}` };
  const signature = need("Signature");
  if (!signature) return { ok: false, reason: "no Signature" };
  const timestamp = need("Timestamp");
  const expires = need("Expires");
  if (timestamp !== undefined) {
    const t = parseTime(timestamp);
    if (Number.isNaN(t)) return { ok: false, reason: `Timestamp ${JSON.stringify(timestamp)} is not a time` };
    if (Math.abs(t - options.now) > (options.maxSkewMs ?? 15 * 60_000)) return { ok: false, reason: `Timestamp ${timestamp} is too far from the verifier's clock` };
  } else if (expires !== undefined) {
    const t = parseTime(expires);
    if (Number.isNaN(t) || t < options.now) return { ok: false, reason: `Expires ${expires} has passed` };
  } else return { ok: false, reason: "neither Timestamp nor Expires" };
  const host = req.headers.host;
  if (!host) return { ok: false, reason: "no Host header" };
  const q = req.path.indexOf("?");
  const path = q < 0 ? req.path : req.path.slice(0, q);
  const toSign = stringToSign(req.method, host, path, parsed);
  const expected = createHmac(digest, secret).update(toSign, "utf8").digest();
  const given = Buffer.from(signature, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: `signature mismatch; the verifier signed:\n${toSign}` };
  }
  return { ok: true, accessKeyId, params };
}
