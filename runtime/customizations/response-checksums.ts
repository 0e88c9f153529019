// Response checksums (flexible checksums on responses), as botocore since 1.36 and AWS SDK v3:
// attached by the generator only to operations whose httpChecksum trait names a validation-mode
// member (S3 GetObject's ChecksumMode), so no other bundle carries any of it. An input stage sets
// the mode member to ENABLED when the caller left it unset and responseChecksumValidation is
// "when_supported" (not when presigning: botocore leaves presigned URLs as asked). An output
// transform then checks the first x-amz-checksum-* header among the operation's response
// algorithms, in botocore's order of preference: a body read whole is checked at once; a streamed
// body is wrapped so the checksum is computed as it is read, and the read that reaches the end
// fails with ChecksumMismatchError on a mismatch. A body cancelled or left unread is no error.
// Composite checksums of multipart objects (`...-3`, x-amz-checksum-type COMPOSITE) are not
// checksums of the bytes and are skipped, as botocore and AWS SDK v3 do. The CRCs are computed
// here; SHA-1, SHA-256, SHA-512 and MD5 come from #crypto, imported when first needed, so the
// bundle carries only the CRC code (S3 sends CRC64NVME for objects it checksummed itself).
import { target, type CallContext, type InputStage, type OutputTransform } from "../schema.js";
import type { ResponseBody } from "../http/types.js";
import { createCrc, type ChecksumAlgorithm } from "../crc.js";
import { toBase64 } from "../encoding.js";
import { decode, iteratorStream } from "../http/body.js";
import { ChecksumMismatchError } from "../errors.js";
import { lazyModule } from "../lazy-module.js";

/**
 * botocore's order of preference among the response algorithms (the CRCs are the cheapest),
 * then the others tsaws computes (S3's XXHASH algorithms are not: those are not validated).
 */
const PRIORITY: readonly ChecksumAlgorithm[] = ["CRC64NVME", "CRC32C", "CRC32", "SHA1", "SHA256", "SHA512", "MD5"];

/** An incremental checksum with a synchronous digest. */
interface Sum {
  update(chunk: Uint8Array): void;
  digestNow(): Uint8Array;
}

type CryptoModule = typeof import("#crypto");
const hashes = lazyModule((): Promise<CryptoModule> => import("#crypto"));

/** A hasher for `alg`: a CRC at once, the others once #crypto is loaded. */
function sum(alg: ChecksumAlgorithm): Sum | Promise<Sum> {
  const crc = createCrc(alg);
  if (crc) return crc;
  const make = (m: CryptoModule): Sum => {
    const h = m.createHash(alg.toLowerCase() as "sha1" | "sha256" | "sha512" | "md5");
    return { update: (c) => h.update(c), digestNow: () => h.digest() };
  };
  return hashes.value ? make(hashes.value) : hashes.load().then(make);
}

/** Whether the operation's output payload is a stream (its checksum is then checked as it is read). */
function streams(call: CallContext): boolean {
  const o = call.op.o;
  const member = o?.p !== undefined ? o.m[o.p] : undefined;
  const shape = member !== undefined ? target(member) : undefined;
  return typeof shape === "object" && "st" in shape;
}

/**
 * Sets the operation's validation-mode member to ENABLED when unset, in "when_supported" mode
 * (a copy of the input). Send only: a presigned URL gets no ChecksumMode unless asked, as in
 * botocore. For an output read whole (none in the models today), the hash functions are loaded
 * first, so the check after parsing is synchronous.
 */
export const enableChecksumMode: InputStage = Object.assign(
  (input: Record<string, unknown>, call: CallContext) => {
    const member = call.op.ck?.vm;
    let out = input;
    if (member && input[member] === undefined && call.config.responseChecksumValidation !== "when_required") {
      out = { ...input, [member]: "ENABLED" };
    }
    return !hashes.value && member && out[member] !== undefined && !streams(call) ? hashes.load().then(() => out) : out;
  },
  { sendOnly: 1 as const },
);

/** The checksum headers, in PRIORITY's order. */
const HEADERS = PRIORITY.map((alg) => [alg, `x-amz-checksum-${alg.toLowerCase()}`] as const);

/** The algorithm and expected value to check a response against, or undefined when there is none to check. */
function expectedChecksum(algorithms: readonly string[], headers: Record<string, string>): [ChecksumAlgorithm, string] | undefined {
  if (headers["x-amz-checksum-type"]?.toUpperCase() === "COMPOSITE") return undefined;
  for (const [alg, name] of HEADERS) {
    const value = headers[name];
    // A checksum of part checksums (`<base64>-<parts>`) says nothing of these bytes.
    if (value !== undefined && !/-\d+$/.test(value) && algorithms.some((a) => a.toUpperCase() === alg)) return [alg, value];
  }
  return undefined;
}

/** Validates the response checksum when the call enabled the validation mode (see the module comment). */
export const validateResponseChecksum: OutputTransform = (output, received, call, sent) => {
  const ck = call.op.ck;
  const mode = ck?.vm ? sent[ck.vm] : undefined;
  if (typeof mode !== "string" || mode.toUpperCase() !== "ENABLED") return;
  const found = expectedChecksum(ck!.rs ?? [], received.headers);
  if (!found) return;
  const [alg, expected] = found;
  const payload = call.op.o?.p;
  const body = payload !== undefined ? output[payload] : undefined;
  if (received.stream && body === received.stream) {
    output[payload!] = new ChecksummedBody(received.stream, call.op.n, alg, expected);
    return;
  }
  const hasher = sum(alg);
  if (hasher instanceof Promise) return; // cannot happen: the input stage loaded the hash functions
  hasher.update(received.body);
  check(hasher, call.op.n, alg, expected);
};

function check(hasher: Sum, op: string, alg: ChecksumAlgorithm, expected: string): void {
  const computed = toBase64(hasher.digestNow());
  if (computed !== expected) throw new ChecksumMismatchError(op, alg, expected, computed);
}

/**
 * A streamed body whose checksum is computed as it is read: every way of reading it (bytes,
 * text, async iteration, a web stream) fails at the end of the data on a mismatch.
 */
class ChecksummedBody implements ResponseBody {
  readonly #inner: ResponseBody;
  readonly #op: string;
  /** The algorithm the body is checked with. */
  readonly checksumAlgorithm: ChecksumAlgorithm;
  readonly #expected: string;

  constructor(inner: ResponseBody, op: string, alg: ChecksumAlgorithm, expected: string) {
    this.#inner = inner;
    this.#op = op;
    this.checksumAlgorithm = alg;
    this.#expected = expected;
  }

  async transformToByteArray(): Promise<Uint8Array> {
    const hasher = await sum(this.checksumAlgorithm);
    const bytes = await this.#inner.transformToByteArray();
    hasher.update(bytes);
    check(hasher, this.#op, this.checksumAlgorithm, this.#expected);
    return bytes;
  }

  async transformToString(encoding?: string): Promise<string> {
    return decode(await this.transformToByteArray(), encoding);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    // Leaving the loop early returns the inner iterator too (the connection is released), unchecked.
    const hasher = await sum(this.checksumAlgorithm);
    for await (const chunk of this.#inner) {
      hasher.update(chunk);
      yield chunk;
    }
    check(hasher, this.#op, this.checksumAlgorithm, this.#expected);
  }

  transformToWebStream(): ReadableStream<Uint8Array> {
    return iteratorStream(this[Symbol.asyncIterator]());
  }

  cancel(): Promise<void> {
    return this.#inner.cancel();
  }
}
