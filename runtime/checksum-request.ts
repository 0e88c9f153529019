// Request integrity headers. Content-MD5 where an operation requires it (httpChecksumRequired)
// and no flexible checksum applies; flexible checksums (x-amz-checksum-<alg>) where the
// operation has the httpChecksum trait: always when it requires one, otherwise only in the
// default "when_supported" mode. Checksums are computed over bytes; a stream body is only
// buffered when a checksum is required (no aws-chunked trailers, which S3-compatible stores
// such as s3rver, MinIO and R2 reject); an optional checksum is skipped for streams.
import type { OperationSchema } from "./schema.js";
import type { RequestBody } from "./http/types.js";
import { createChecksum, type ChecksumAlgorithm } from "./checksums.js";
import { toBase64, utf8 } from "./encoding.js";
import { RequestFormError } from "./errors.js";

interface ChecksumConfig {
  readonly requestChecksumCalculation?: "when_supported" | "when_required" | undefined;
}

const ALGORITHMS: readonly ChecksumAlgorithm[] = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"];

function isBytes(body: RequestBody): body is Uint8Array | string {
  return typeof body === "string" || body instanceof Uint8Array;
}

function required(op: OperationSchema): boolean {
  return op.cr === 1 || op.ck?.rq === 1;
}

function chosenAlgorithm(op: OperationSchema, config: ChecksumConfig, input: Record<string, unknown>): ChecksumAlgorithm | undefined {
  const ck = op.ck;
  if (!ck) return undefined;
  const member = ck.ra ? input[ck.ra] : undefined;
  if (typeof member === "string" && member) {
    const alg = member.toUpperCase() as ChecksumAlgorithm;
    if (!ALGORITHMS.includes(alg)) throw new RequestFormError(`unsupported checksum algorithm ${member}; use one of ${ALGORITHMS.join(", ")}`);
    return alg;
  }
  if (ck.rq || config.requestChecksumCalculation !== "when_required") return "CRC32";
  return undefined;
}

/** Whether a stream body must be read into memory first (only when a checksum is required). */
export function needsBodyBytes(op: OperationSchema, _config: ChecksumConfig, body: RequestBody | undefined): boolean {
  return body !== undefined && !isBytes(body) && required(op);
}

/** Adds Content-MD5 or x-amz-checksum-* (and its algorithm header) to `headers` in place. */
export async function addChecksums(
  op: OperationSchema,
  config: ChecksumConfig,
  headers: Record<string, string>,
  body: RequestBody,
  input: Record<string, unknown>,
): Promise<void> {
  if (!isBytes(body)) return;
  for (const h of Object.keys(headers)) if (h.startsWith("x-amz-checksum-")) return; // the caller supplied one
  const alg = chosenAlgorithm(op, config, input);
  const bytes = typeof body === "string" ? utf8(body) : body;
  if (alg) {
    const hasher = createChecksum(alg);
    hasher.update(bytes);
    headers[`x-amz-checksum-${alg.toLowerCase()}`] = toBase64(await hasher.digest());
    if (op.ck?.ra || !op.cr) headers["x-amz-sdk-checksum-algorithm"] ??= alg;
    return;
  }
  if (op.cr && headers["content-md5"] === undefined) {
    const md5 = createChecksum("MD5");
    md5.update(bytes);
    headers["content-md5"] = toBase64(await md5.digest());
  }
}
