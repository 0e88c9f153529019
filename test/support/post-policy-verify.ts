// A verifier of S3 POST form uploads (browser-based uploads signed with SigV4), written apart
// from the runtime (node:crypto only), as S3 checks them: the signature over the base64 policy
// with the signing key of the credential's date, region and service; the policy's expiration;
// every condition (exact match, starts-with, content-length-range, the bucket); and no form
// field the policy does not name (but x-ignore-*, policy, x-amz-signature, file). s3rver takes
// POST uploads but checks none of this (its code leaves `policy` "unimplemented", and a form
// carries no Authorization header or signed query for its SigV4 check), so
// `startPostPolicyProxy` puts this in front of it: a form that fails is answered 403, as S3
// answers it, and everything else is forwarded untouched.
import { createHmac, timingSafeEqual } from "node:crypto";
import { request as httpRequest, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type PostVerdict = { ok: true } | { ok: false; reason: string };

const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();

/** The SigV4 signature of a POST policy (its base64 text), for the credential's scope. */
export function postPolicySignature(secret: string, policyBase64: string, shortDate: string, region: string, service: string): string {
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), region), service), "aws4_request");
  return createHmac("sha256", key).update(policyBase64).digest("hex");
}

/**
 * Checks one form upload: `fields` are the form's text fields (names as sent), `fileSize` the
 * file's length in bytes, `bucket` the bucket the form was posted to, `now` epoch ms.
 */
export function verifyPostPolicy(
  fields: Readonly<Record<string, string>>,
  fileSize: number,
  bucket: string,
  secrets: Readonly<Record<string, string>>,
  now: number,
): PostVerdict {
  const lower = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  const policy = lower.get("policy");
  const signature = lower.get("x-amz-signature");
  if (policy === undefined || signature === undefined) return { ok: false, reason: "no policy or x-amz-signature field" };
  if (lower.get("x-amz-algorithm") !== "AWS4-HMAC-SHA256") return { ok: false, reason: "x-amz-algorithm is not AWS4-HMAC-SHA256" };
  const credential = (lower.get("x-amz-credential") ?? "").split("/");
  const [accessKeyId, shortDate, region, service, terminator] = credential;
  if (credential.length !== 5 || terminator !== "aws4_request" || !accessKeyId || !shortDate || !region || !service) {
    return { ok: false, reason: "malformed x-amz-credential" };
  }
  const secret = secrets[accessKeyId];
  if (secret === undefined) return { ok: false, reason: `unknown access key ${accessKeyId}` };
  if (!(lower.get("x-amz-date") ?? "").startsWith(shortDate)) return { ok: false, reason: "x-amz-date is not of the credential's date" };
  const expected = Buffer.from(postPolicySignature(secret, policy, shortDate, region, service));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "SignatureDoesNotMatch" };

  let doc: { expiration?: unknown; conditions?: unknown };
  try {
    doc = JSON.parse(Buffer.from(policy, "base64").toString("utf8")) as typeof doc;
  } catch {
    return { ok: false, reason: "the policy is not base64 JSON" };
  }
  const expiration = typeof doc.expiration === "string" ? Date.parse(doc.expiration) : NaN;
  if (Number.isNaN(expiration)) return { ok: false, reason: "the policy has no expiration" };
  if (now > expiration) return { ok: false, reason: "Invalid according to Policy: Policy expired." };
  if (!Array.isArray(doc.conditions)) return { ok: false, reason: "the policy has no conditions" };
  const named = new Set<string>();
  const fail = (why: string): PostVerdict => ({ ok: false, reason: `Invalid according to Policy: Policy Condition failed: ${why}` });
  for (const c of doc.conditions as unknown[]) {
    if (Array.isArray(c)) {
      const [op, a, b] = c as [unknown, unknown, unknown];
      if (op === "content-length-range") {
        if (typeof a !== "number" || typeof b !== "number" || fileSize < a || fileSize > b) return fail(JSON.stringify(c));
        continue;
      }
      if ((op !== "eq" && op !== "starts-with") || typeof a !== "string" || !a.startsWith("$") || typeof b !== "string") return fail(`malformed ${JSON.stringify(c)}`);
      const name = a.slice(1).toLowerCase();
      named.add(name);
      const value = name === "bucket" ? bucket : lower.get(name);
      if (value === undefined || (op === "eq" ? value !== b : !value.startsWith(b))) return fail(JSON.stringify(c));
    } else if (c !== null && typeof c === "object") {
      for (const [k, v] of Object.entries(c)) {
        const name = k.toLowerCase();
        named.add(name);
        const value = name === "bucket" ? bucket : lower.get(name);
        if (value !== v) return fail(JSON.stringify(c));
      }
    } else {
      return fail(`malformed ${JSON.stringify(c)}`);
    }
  }
  const extra = [...lower.keys()].filter((k) => !named.has(k) && k !== "policy" && k !== "x-amz-signature" && k !== "file" && !k.startsWith("x-ignore-"));
  if (extra.length > 0) return { ok: false, reason: `Invalid according to Policy: Extra input fields: ${extra.join(", ")}` };
  return { ok: true };
}

export interface PostPolicyProxy {
  endpoint: string;
  /** Forms accepted and forwarded. */
  verified: number;
  /** Forms refused, with the reason. */
  refused: string[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a path-style S3 `upstream`: a multipart POST to a bucket is
 * verified (verifyPostPolicy, at the real time) and refused with 403 and S3's XML error when it
 * fails; every other request is forwarded untouched.
 */
export async function startPostPolicyProxy(upstream: string, secrets: Record<string, string>): Promise<PostPolicyProxy> {
  const up = new URL(upstream);
  const state = { verified: 0, refused: [] as string[] };
  const forward = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, body: Buffer): void => {
    const f = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    f.on("error", () => res.destroy());
    f.end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const type = req.headers["content-type"] ?? "";
      if (req.method !== "POST" || !type.startsWith("multipart/form-data")) return forward(req, res, body);
      const bucket = decodeURIComponent((req.url ?? "/").split("?")[0]!.split("/")[1] ?? "");
      void new Request(`http://proxy${req.url ?? "/"}`, { method: "POST", headers: { "content-type": type }, body })
        .formData()
        .then(async (form) => {
          const fields: Record<string, string> = {};
          let size = -1;
          for (const [name, value] of form) {
            if (typeof value === "string") fields[name] = value;
            else if (name === "file") size = (await value.arrayBuffer()).byteLength;
          }
          const verdict = size < 0 ? { ok: false as const, reason: "no file" } : verifyPostPolicy(fields, size, bucket, secrets, Date.now());
          if (!verdict.ok) {
            state.refused.push(verdict.reason);
            const code = verdict.reason === "SignatureDoesNotMatch" ? "SignatureDoesNotMatch" : "AccessDenied";
            res.writeHead(403, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${verdict.reason}</Message></Error>`);
            return;
          }
          state.verified++;
          forward(req, res, body);
        })
        .catch(() => res.writeHead(400).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get verified() {
      return state.verified;
    },
    refused: state.refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
