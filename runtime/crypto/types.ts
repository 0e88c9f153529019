// Types shared by the two #crypto implementations (node.ts and web.ts), which export the
// same functions: package.json "imports" picks one per platform, so callers never sniff.

export type HashAlgorithm = "sha1" | "sha256" | "sha512" | "md5";

/** An incremental hash: feed chunks, then take the digest once. */
export interface SyncHash {
  update(chunk: Uint8Array): void;
  digest(): Uint8Array;
}

/** A P-256 private key ready to sign: `sign` returns the DER ECDSA signature over SHA-256(message). */
export interface P256Signer {
  sign(message: Uint8Array): Promise<Uint8Array>;
}
