// Glacier's customizations (botocore's add_glacier_version, add_glacier_checksums and the
// accountId AutoPopulatedParam): every request names the API version in `x-amz-glacier-version`;
// `accountId` defaults to "-" (the account of the signing credentials), so the generator makes
// it optional; UploadArchive and UploadMultipartPart send the payload's hex SHA-256
// (`x-amz-content-sha256`, which the signer then signs as the payload hash) and its SHA-256 tree
// hash (`x-amz-sha256-tree-hash`) unless the caller gave one in `checksum`. Both headers precede
// the body, so a stream body is read into memory first (a stream cannot be rewound as botocore
// rewinds a file); the bytes are then sent, which also makes the upload retryable. Hashing uses
// the platform's SHA-256 (#crypto-core: node:crypto on Node, WebCrypto in browsers).
import type { BodyStage, InputStage } from "../schema.js";
import type { RequestBody } from "../http/types.js";
import { sha256 } from "#crypto-core";
import { concatBytes, toHex, utf8 } from "../encoding.js";
import { readRequestBody } from "../http/body.js";

/** `x-amz-glacier-version: <apiVersion>` on every request (the generator passes the model's apiVersion). */
export function glacierVersion(version: string): BodyStage {
  return (_op, _config, headers, body) => {
    headers["x-amz-glacier-version"] = version;
    return body;
  };
}

/** `accountId` is "-" (the credentials' own account) when the caller leaves it out. */
export const glacierAccountId: InputStage = (input) => (input.accountId === undefined ? { ...input, accountId: "-" } : input);

const MiB = 1024 * 1024;

/**
 * Glacier's SHA-256 tree hash of `bytes`: the SHA-256 of each 1 MiB chunk (the last one may be
 * shorter), then the SHA-256 of each adjacent pair of hashes, level by level (an odd one out
 * goes up unchanged), to one root. No bytes hash as the SHA-256 of nothing, as botocore gives.
 */
export async function glacierTreeHash(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.length <= MiB) return sha256(bytes);
  const chunks: Promise<Uint8Array>[] = [];
  for (let i = 0; i < bytes.length; i += MiB) chunks.push(sha256(bytes.subarray(i, i + MiB)));
  let level = await Promise.all(chunks);
  while (level.length > 1) {
    const next: Promise<Uint8Array>[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right ? sha256(concatBytes([level[i]!, right])) : Promise.resolve(level[i]!));
    }
    level = await Promise.all(next);
  }
  return level[0]!;
}

/** A body as bytes: text as UTF-8, a Blob or a stream (web or Node) read whole. */
async function bodyBytes(body: RequestBody | undefined): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array(0);
  const read = await readRequestBody(body);
  return typeof read === "string" ? utf8(read) : read;
}

/** UploadArchive, UploadMultipartPart: `x-amz-content-sha256` and (unless given) `x-amz-sha256-tree-hash`. */
export const glacierChecksums: BodyStage = async (_op, _config, headers, body) => {
  const bytes = await bodyBytes(body);
  headers["x-amz-content-sha256"] ??= toHex(await sha256(bytes));
  headers["x-amz-sha256-tree-hash"] ??= toHex(await glacierTreeHash(bytes));
  // Text stays text (the transport encodes it); anything else is now these bytes.
  return body === undefined || typeof body === "string" ? body : bytes;
};
