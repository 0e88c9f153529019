// Checksums for flexible request/response integrity (x-amz-checksum-*) and Content-MD5.
// The CRCs are pure JS (crc.ts: table driven and "sliced by 8", the fastest portable form
// without native code). SHA-1, SHA-256, SHA-512 and MD5 come from #crypto (node:crypto on
// Node, pure JS elsewhere), streamed the same way. Every digest is the checksum's big-endian
// bytes, ready for base64.

import { createHash, type HashAlgorithm } from "#crypto";
import { createCrc, type ChecksumAlgorithm, type Hasher } from "./crc.js";

export { createCrc, type ChecksumAlgorithm, type Hasher } from "./crc.js";

class CryptoHasher implements Hasher {
  private readonly hash;
  constructor(algorithm: HashAlgorithm) {
    this.hash = createHash(algorithm);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.digestNow());
  }
  digestNow(): Uint8Array {
    return this.hash.digest();
  }
}

/** A streaming hasher for a flexible-checksum algorithm (MD5 also for Content-MD5). */
export function createChecksum(algorithm: ChecksumAlgorithm): Hasher {
  const crc = createCrc(algorithm);
  if (crc) return crc;
  switch (algorithm) {
    case "SHA1":
      return new CryptoHasher("sha1");
    case "SHA256":
      return new CryptoHasher("sha256");
    case "SHA512":
      return new CryptoHasher("sha512");
    case "MD5":
      return new CryptoHasher("md5");
    default:
      throw new TypeError(`unsupported checksum algorithm ${String(algorithm)}`);
  }
}

/** The checksum of whole bytes in one call. */
export function checksum(algorithm: ChecksumAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  const h = createChecksum(algorithm);
  h.update(data);
  return h.digest();
}
