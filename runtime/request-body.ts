// The request body stage between serializing and signing: request compression (gzip where the
// operation allows it and the body is large enough), then integrity headers. Content-MD5 where an operation requires it (httpChecksumRequired)
// and no flexible checksum applies; flexible checksums (x-amz-checksum-<alg>) where the
// operation has the httpChecksum trait: always when it requires one, otherwise only in the
// default "when_supported" mode. Checksums are computed over bytes; a stream body is only
// buffered when a checksum is required (no aws-chunked trailers, which S3-compatible stores
// such as s3rver, MinIO and R2 reject); an optional checksum is skipped for streams.
import type { BodyStage, OperationSchema } from "./schema.js";
import type { RequestBody } from "./http/types.js";
import { createChecksum, type ChecksumAlgorithm } from "./checksums.js";
import { toBase64, utf8 } from "./encoding.js";
import { RequestFormError } from "./errors.js";
import { readRequestBody } from "./http/body.js";

export interface BodyConfig {
  readonly requestChecksumCalculation?: "when_supported" | "when_required" | undefined;
  /** Turn request compression off. */
  readonly disableRequestCompression?: boolean | undefined;
  /** Bodies smaller than this are not compressed (default 10240 bytes, as the AWS SDKs). */
  readonly requestMinCompressionSizeBytes?: number | undefined;
}
type ChecksumConfig = BodyConfig;

const ALGORITHMS: readonly ChecksumAlgorithm[] = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5"];

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
    if (!ALGORITHMS.includes(alg)) {
      // S3's XXHASH64, XXHASH3 and XXHASH128 need a native library (botocore computes them with the CRT).
      throw new RequestFormError(`unsupported checksum algorithm ${member}; tsaws computes ${ALGORITHMS.join(", ")}`);
    }
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
  if (!alg && !op.cr) return;
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

const MIN_COMPRESSION_SIZE = 10240;

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Compresses the body in place of the original when the operation supports gzip
 * (`requestcompression`), compression is on, and the body is bytes of at least the minimum
 * size; `content-encoding` gets `gzip` appended. Streams are sent as they are.
 */
async function compressPayload(
  op: OperationSchema,
  config: BodyConfig,
  headers: Record<string, string>,
  body: RequestBody,
): Promise<RequestBody> {
  if (!op.rc?.includes("gzip") || config.disableRequestCompression || !isBytes(body)) return body;
  const bytes = typeof body === "string" ? utf8(body) : body;
  if (bytes.length < (config.requestMinCompressionSizeBytes ?? MIN_COMPRESSION_SIZE)) return body;
  const existing = headers["content-encoding"];
  headers["content-encoding"] = existing ? `${existing}, gzip` : "gzip";
  const out = await gzip(bytes);
  if (headers["content-length"] !== undefined) headers["content-length"] = String(out.length);
  return out;
}

/** Compression as a body stage (operations with `requestcompression`). */
export const compressBody: BodyStage = async (op, config, headers, body) =>
  body === undefined ? undefined : compressPayload(op, config as BodyConfig, headers, body);

/** Checksums as a body stage (operations with httpChecksumRequired or httpChecksum). */
export const checksumBody: BodyStage = (op, config, headers, body, input) => {
  if (body === undefined) return undefined;
  const c = config as BodyConfig;
  // Nothing to add (an optional checksum in "when_required" mode, none asked for): no promise.
  if (!required(op) && c.requestChecksumCalculation === "when_required") {
    const ra = op.ck?.ra;
    const asked = ra !== undefined ? input[ra] : undefined;
    if (typeof asked !== "string" || asked === "") return body;
  }
  return checksumAsync(op, c, headers, body, input);
};

async function checksumAsync(
  op: OperationSchema,
  c: BodyConfig,
  headers: Record<string, string>,
  body: RequestBody,
  input: Record<string, unknown>,
): Promise<RequestBody> {
  const out = needsBodyBytes(op, c, body) ? await readRequestBody(body) : body;
  await addChecksums(op, c, headers, out, input);
  return out;
}

/**
 * The body stages an operation needs, by export name: the generator attaches these to the
 * operation. Checksums: where one can be sent, i.e. httpChecksumRequired, or httpChecksum on
 * an operation with a request body (a GET or HEAD has none: S3 GetObject's trait only names
 * response checksums), so such operations do not carry the checksum code.
 */
export function bodyStageNames(op: Pick<OperationSchema, "rc" | "cr" | "ck" | "h">): ("compressBody" | "checksumBody")[] {
  const names: ("compressBody" | "checksumBody")[] = [];
  if (op.rc?.includes("gzip")) names.push("compressBody");
  const method = op.h[0].toUpperCase();
  if (op.cr || (op.ck && (op.ck.rq || op.ck.ra || (method !== "GET" && method !== "HEAD")))) names.push("checksumBody");
  return names;
}

/** Runs the stages an operation needs, derived from its traits (tests build operations without `x`). */
export async function prepareBody(
  op: OperationSchema,
  config: BodyConfig,
  headers: Record<string, string>,
  body: RequestBody | undefined,
  input: Record<string, unknown>,
): Promise<RequestBody | undefined> {
  const stages = { compressBody, checksumBody };
  let out = body;
  for (const name of bodyStageNames(op)) out = await stages[name](op, config as Readonly<Record<string, unknown>>, headers, out, input);
  return out;
}

