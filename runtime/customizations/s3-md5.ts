// The MD5 of an SSE-C key, in a module of its own: s3.ts imports it only when a call carries a
// key, so a bundle of S3 calls that never send one (a browser GetObject) carries no MD5 code.
export { md5 } from "#crypto";
