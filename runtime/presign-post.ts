// Presigned POST forms for S3 (boto3's generate_presigned_post, v3's createPresignedPost): a URL
// and form fields with which a browser (or anyone) uploads one object by an HTML form POST
// (multipart/form-data, the file last), with no credentials of its own, until the policy
// expires. A standalone function, so a bundle that never makes a form carries none of it.
//
// The URL is the bucket's endpoint as `send` and `presign` resolve it (presignPreparation: the
// endpoint rules with the client's path style, custom endpoint, accelerate, dual-stack, FIPS...),
// for a bodiless POST to the bucket. The policy is JSON: its expiration and its conditions (the
// caller's, one `{ name: value }` per caller field, the bucket, the key or, for a key ending in
// `${filename}`, its prefix, then the signing fields); its base64 is the string to sign, signed
// with the SigV4 key of the date, region and service (signer/sigv4.ts `scheme`). Nothing is sent.
import { presignPreparation, type RuntimeClient } from "./client.js";
import { toBase64, utf8 } from "./encoding.js";
import { ConfigError, RequestFormError } from "./errors.js";
import { amzDate } from "./signer/core.js";
import { MAX_PRESIGN_EXPIRES } from "./signer/query.js";
import { scheme } from "./signer/sigv4.js";
import type { ServiceOf } from "./presign.js";
import type { OperationSchema, ServiceSchema } from "./schema.js";

/**
 * One condition of a POST policy: an exact match (`{ acl: "public-read" }`, `["eq", "$acl",
 * "public-read"]`), a prefix (`["starts-with", "$Content-Type", "image/"]`, "" for any value),
 * or the size bounds of the file in bytes (`["content-length-range", 1, 10485760]`).
 */
export type PostPolicyCondition =
  | Readonly<Record<string, string>>
  | readonly ["eq" | "starts-with", `$${string}`, string]
  | readonly ["content-length-range", number, number];

export interface PresignPostInput {
  Bucket: string;
  /** The object's key; one ending in `${filename}` takes the uploaded file's name in its place. */
  Key: string;
  /** More form fields (acl, Content-Type, success_action_status, x-amz-meta-*...): each is also a policy condition. */
  Fields?: Readonly<Record<string, string>> | undefined;
  /** More policy conditions (what the form's fields and file may be). */
  Conditions?: readonly PostPolicyCondition[] | undefined;
  /** Seconds the policy stays valid, 1 to 604800 (seven days). Default 3600, as boto3. */
  expiresIn?: number | undefined;
}

export interface PresignedPost {
  /** Where the form is posted. */
  url: string;
  /** The form's fields, to send before the file (a field named `file`, last). */
  fields: Record<string, string>;
  /** When the policy expires. */
  expiresAt: Date;
}

/** A POST to the bucket: the endpoint rules resolve it with the bucket only (no key, no static parameters). */
const POST_OBJECT: OperationSchema = {
  n: "PostObject",
  h: ["POST", "/"],
  i: { t: 8, m: { Bucket: [0, { n: "Bucket", l: "uri", r: 1 }] } },
  cp: { Bucket: "Bucket" },
};

/** Fields this function sets: the caller cannot give them. */
const RESERVED = new Set(["key", "policy", "file", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature", "x-amz-security-token"]);

const FILENAME = "${filename}";

/** Checks a condition's form (for callers without the types); returns it. */
function checked(c: unknown, i: number): PostPolicyCondition {
  const bad = (why: string): never => {
    throw new RequestFormError(`presignPost Conditions[${i}]: ${why}`);
  };
  if (Array.isArray(c)) {
    const [op, a, b] = c as unknown[];
    if (c.length !== 3) bad("a condition list has three elements");
    if (op === "content-length-range") {
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || (a as number) < 0 || (a as number) > (b as number)) {
        bad("content-length-range takes two whole numbers of bytes, min <= max");
      }
    } else if (op === "eq" || op === "starts-with") {
      if (typeof a !== "string" || !a.startsWith("$") || a.length < 2 || typeof b !== "string") bad(`${op} takes a "$field" name and a string`);
    } else {
      bad(`unknown operator ${JSON.stringify(String(op))} (eq, starts-with, content-length-range)`);
    }
  } else if (c === null || typeof c !== "object" || Object.values(c).some((v) => typeof v !== "string")) {
    bad("an exact match is an object of string values");
  }
  return c as PostPolicyCondition;
}

/** "2015-08-30T12:36:00Z": the policy's expiration, to the second. */
function policyDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Presigns an HTML form upload to S3: `await presignPost(s3, { Bucket, Key: "uploads/${filename}",
 * Conditions: [["content-length-range", 0, 1e6]] })` gives `{ url, fields }`. The form sends
 * `fields` then the file. Fails like `presign` before signing (EndpointError, CredentialsError),
 * with RequestFormError for a missing Bucket or Key, a malformed condition, a field it sets
 * itself, or an `expiresIn` out of range, and with ConfigError for a client of another service.
 */
export async function presignPost<C extends RuntimeClient>(
  client: C & (ServiceOf<C> extends "S3" ? unknown : { "presignPost needs an S3 client": never }),
  input: PresignPostInput,
): Promise<PresignedPost> {
  const service = (client as unknown as { service: ServiceSchema }).service;
  if (service.id !== "S3") throw new ConfigError(`presignPost makes S3 upload forms: a ${service.id} client cannot make one`);
  const { Bucket, Key } = input;
  if (typeof Bucket !== "string" || Bucket === "") throw new RequestFormError("presignPost: Bucket is required");
  if (typeof Key !== "string" || Key === "") throw new RequestFormError("presignPost: Key is required");
  const expiresIn = input.expiresIn ?? 3600;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_EXPIRES) {
    throw new RequestFormError(`presignPost expiresIn must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRES}, got ${expiresIn}`);
  }
  const conditions: PostPolicyCondition[] = (input.Conditions ?? []).map(checked);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.Fields ?? {})) {
    if (RESERVED.has(name.toLowerCase())) throw new RequestFormError(`presignPost: the field ${name} is set by presignPost, not in Fields`);
    if (typeof value !== "string") throw new RequestFormError(`presignPost: the field ${name} must be a string`);
    fields[name] = value;
    // S3 refuses a form field no condition names, except x-ignore-*.
    if (!name.toLowerCase().startsWith("x-ignore-")) conditions.push({ [name]: value });
  }

  const { request, signing, sigv4a } = await presignPreparation(client, POST_OBJECT, { Bucket });
  if (sigv4a) throw new ConfigError(`presignPost: the endpoint of ${Bucket} needs SigV4a, which POST forms cannot be signed with`);
  const port = request.port !== undefined ? `:${request.port}` : "";
  // Path style: the bucket's path without the request's trailing slash, as boto3 gives it.
  const path = request.path.length > 1 && request.path.endsWith("/") ? request.path.slice(0, -1) : request.path;
  const url = `${request.protocol}//${request.hostname}${port}${path}${request.query ? `?${request.query}` : ""}`;

  conditions.push({ bucket: Bucket });
  if (Key.endsWith(FILENAME)) conditions.push(["starts-with", "$key", Key.slice(0, -FILENAME.length)]);
  else conditions.push({ key: Key });
  fields.key = Key;
  const s = scheme(signing);
  const now = signing.date;
  const longDate = amzDate(now);
  const shortDate = longDate.slice(0, 8);
  const credential = `${signing.credentials.accessKeyId}/${s.scope(shortDate)}`;
  const signed: Record<string, string> = { "x-amz-algorithm": s.algorithm, "x-amz-credential": credential, "x-amz-date": longDate };
  const token = signing.credentials.sessionToken;
  if (token) signed["x-amz-security-token"] = token;
  for (const [name, value] of Object.entries(signed)) {
    conditions.push({ [name]: value });
    fields[name] = value;
  }
  const expiresAt = new Date(now.getTime() + expiresIn * 1000);
  const json = JSON.stringify({ expiration: policyDate(expiresAt.getTime()), conditions });
  const policy = toBase64(utf8(json));
  fields.policy = policy;
  fields["x-amz-signature"] = await s.sign(policy, shortDate);
  return { url, fields, expiresAt };
}
