// The raw floor's SigV4: the least a correct signer does per request, with node:crypto.
// Headers are given already lower-cased and sorted by the caller; the signing key is cached
// per day; no query-string signing, no presign, no header normalisation beyond what the
// canonical request needs. This is a yardstick, not a reusable signer.
import { createHash, createHmac } from "node:crypto";

export interface RawCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

export function sha256Hex(data: string | Uint8Array): string {
  return data.length === 0 ? EMPTY_SHA256 : createHash("sha256").update(data).digest("hex");
}

export class RawSigner {
  readonly #creds: RawCredentials;
  readonly #region: string;
  readonly #service: string;
  #keyDay = "";
  #key: Buffer = Buffer.alloc(0);

  constructor(creds: RawCredentials, region: string, service: string) {
    this.#creds = creds;
    this.#region = region;
    this.#service = service;
  }

  /**
   * Adds x-amz-date and authorization to `headers` (lower-case names, including host and,
   * for S3, x-amz-content-sha256). `path` must already be URI-encoded.
   */
  sign(method: string, path: string, query: string, headers: Record<string, string>, payloadHash: string): void {
    const now = new Date().toISOString(); // 2024-01-01T00:00:00.000Z
    const amzDate = now.slice(0, 4) + now.slice(5, 7) + now.slice(8, 13) + now.slice(14, 16) + now.slice(17, 19) + "Z";
    const day = amzDate.slice(0, 8);
    headers["x-amz-date"] = amzDate;
    const names = Object.keys(headers).sort();
    let canonicalHeaders = "";
    for (const n of names) canonicalHeaders += n + ":" + headers[n]!.trim() + "\n";
    const signedHeaders = names.join(";");
    const canonical = `${method}\n${path}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const scope = `${day}/${this.#region}/${this.#service}/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
    if (this.#keyDay !== day) {
      const kDate = createHmac("sha256", "AWS4" + this.#creds.secretAccessKey)
        .update(day)
        .digest();
      const kRegion = createHmac("sha256", kDate).update(this.#region).digest();
      const kService = createHmac("sha256", kRegion).update(this.#service).digest();
      this.#key = createHmac("sha256", kService).update("aws4_request").digest();
      this.#keyDay = day;
    }
    const signature = createHmac("sha256", this.#key).update(toSign).digest("hex");
    headers["authorization"] =
      `AWS4-HMAC-SHA256 Credential=${this.#creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  }
}
