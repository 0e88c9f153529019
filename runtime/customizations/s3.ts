// S3 customizations botocore applies beyond the model (codegen/customizations.ts attaches each
// only to the operations it concerns, so a bundle carries only those its operations use):
//
// - SSE-C keys: `SSECustomerKey` / `CopySourceSSECustomerKey` take the raw 256-bit key (bytes,
//   or a string); the wire wants it base64-encoded with the base64 MD5 of the raw key beside it.
//   The generator makes these members blobs, so the serializer base64-encodes them; the input
//   stage here turns the caller's value into the raw 32 bytes and fills the `...KeyMD5` member
//   unless the caller gave one. A string is read as botocore reads it (UTF-8 bytes), except a
//   string that is the base64 of exactly 32 bytes, which is taken as already encoded (as AWS SDK
//   v3 does): a key's base64 is 44 ASCII characters, never a key's 32 UTF-8 bytes, so the two
//   readings never meet on a valid key, and a key already encoded is never encoded twice. A key that is
//   not 32 bytes is refused before sending (S3 would refuse it too), naming only its length.
//   The MD5 code is imported on the first call that carries a key (s3-md5.ts).
// - Listings: ListObjects, ListObjectsV2, ListObjectVersions (botocore) and ListMultipartUploads
//   (S3 encodes its keys the same way) ask for `encoding-type=url` when the caller did not set
//   EncodingType, so keys with characters XML 1.0 cannot carry can be listed, and the members
//   S3 then encodes are decoded (as Python's unquote_plus) before the caller (or a paginator,
//   which passes the decoded marker back) sees them. A caller who set EncodingType gets the
//   output as S3 sent it.
// - `Expect: 100-continue` on PutObject and UploadPart bodies of 2 MiB or more, or of unknown
//   length, on Node (the Node transport then waits for the 100 before sending the body).
import type { BodyStage, InputStage, OutputTransform } from "../schema.js";
import { RequestFormError } from "../errors.js";
import { bodyLength } from "../http/body.js";
import { fromBase64, fromUtf8, toBase64, utf8 } from "../encoding.js";

const CANONICAL_BASE64_32 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** The raw bytes of an SSE-C key as the caller gave it (see the module comment). */
function sseKeyBytes(value: unknown, member: string): Uint8Array {
  let bytes: Uint8Array;
  if (typeof value === "string") bytes = CANONICAL_BASE64_32.test(value) ? fromBase64(value) : utf8(value);
  else if (value instanceof Uint8Array) bytes = value;
  else throw new RequestFormError(`${member} must be a Uint8Array or a string, got ${typeof value}`);
  if (bytes.length !== 32) {
    throw new RequestFormError(`${member} must be a 256-bit key (32 bytes, or their base64), got ${bytes.length} bytes`);
  }
  return bytes;
}

/**
 * SSE-C: `prefixes` are the operation's key members less `Key` ("SSECustomer",
 * "CopySourceSSECustomer"); each key present becomes its raw bytes, and its `...KeyMD5` is filled
 * unless given. The caller's input is not modified.
 */
export function s3SseCustomerKeys(prefixes: readonly string[]): InputStage {
  const members = prefixes.map((p) => [`${p}Key`, `${p}KeyMD5`] as const);
  const encode = async (input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const copy = { ...input };
    for (const [key, md5] of members) {
      const value = input[key];
      if (value === undefined || value === null) continue;
      const bytes = sseKeyBytes(value, key);
      copy[key] = bytes;
      if (input[md5] === undefined) copy[md5] = toBase64(await (await import("./s3-md5.js")).md5(bytes));
    }
    return copy;
  };
  // Most calls carry no key: the input as it is, without a promise.
  return (input) => (members.some(([key]) => input[key] !== undefined && input[key] !== null) ? encode(input) : input);
}

/** Listings: `encoding-type=url` unless the caller chose an EncodingType. */
export const s3UrlEncodedListing: InputStage = (input) =>
  input.EncodingType === undefined ? { ...input, EncodingType: "url" } : input;

/** URL-decodes as Python's unquote_plus: `+` is a space, `%XX` runs are UTF-8 (bad bytes become U+FFFD). */
export function urlDecode(text: string): string {
  if (!/[+%]/.test(text)) return text;
  return text.replace(/\+/g, " ").replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return fromUtf8(bytes);
  });
}

/**
 * Listings: decodes the `top` members and each `[list, member]` of the output when S3 encoded
 * them because this call asked for it (the caller set no EncodingType).
 */
export function s3DecodeListing(top: readonly string[], nested: readonly (readonly [string, string])[]): OutputTransform {
  return (output, _response, call) => {
    if (output.EncodingType !== "url" || call.input.EncodingType !== undefined) return;
    for (const m of top) {
      const v = output[m];
      if (typeof v === "string") output[m] = urlDecode(v);
    }
    for (const [list, m] of nested) {
      const items = output[list];
      if (!Array.isArray(items)) continue;
      for (const item of items as Record<string, unknown>[]) {
        const v = item?.[m];
        if (typeof v === "string") item[m] = urlDecode(v);
      }
    }
  };
}

/** Bodies from this size up (or of unknown size) are sent after the server's 100 Continue. */
export const EXPECT_CONTINUE_MIN_BYTES = 2 * 1024 * 1024;

/**
 * PutObject and UploadPart: `Expect: 100-continue` for a body of 2 MiB or more, or of unknown
 * length (AWS SDK v3's rule; botocore sends it for any file-like body), so a request S3 refuses
 * (a bad signature, a missing bucket, a redirect) costs no upload. The Node transport waits for
 * the 100 (http/node.ts); the fetch transport drops the header (fetch cannot wait for a 100), and
 * it is never signed, so it is set whatever the platform.
 */
export const s3ExpectContinue: BodyStage = (_op, _config, headers, body) => {
  if (body === undefined || headers.expect !== undefined) return body;
  const declared = headers["content-length"];
  const length = declared !== undefined ? Number(declared) : bodyLength(body);
  if (length === undefined || length >= EXPECT_CONTINUE_MIN_BYTES) headers.expect = "100-continue";
  return body;
};

