// S3 region redirects, the part every S3 bundle carries: the hook (schema.ts `rr`) the generator
// puts on each S3 operation with a `Bucket`, and the bucket -> region cache it consults. A call
// to a bucket in another region than the client's gets an error that says so (botocore's
// S3RegionRedirectorv2 list: a 301, 302 or 307, PermanentRedirect, AuthorizationHeaderMalformed,
// IllegalLocationConstraintException except for CreateBucket, a 400 to HeadObject, a 400 to
// HeadBucket with x-amz-bucket-region); only then is s3-redirect.ts imported, which finds the
// region, sends the call there once and remembers it. Before each call the hook looks the
// bucket up in this client's cache (one WeakMap and one Map lookup), so later calls go straight
// there. ARNs (access points, Outposts, multi-region access points) are never redirected.
import type { ServiceError } from "../errors.js";
import type { RegionRedirect, RuntimeClientLike } from "../schema.js";

/** The regions of buckets found elsewhere, per client (s3-redirect.ts fills it, given it by the hook). */
const s3BucketRegions = new WeakMap<RuntimeClientLike, Map<string, string>>();

/** The hook: a call to a bucket known to be elsewhere, or a redirect-type error, goes to s3-redirect.ts. */
export const s3Redirect: RegionRedirect = (call, options, error, response, body, replayable) => {
  const bucket = call.input.Bucket;
  if (typeof bucket !== "string" || bucket.startsWith("arn:")) return undefined;
  if (error === undefined ? !s3BucketRegions.get(call.client)?.has(bucket) : !replayable || !redirectType(call.op.n, error, response!.headers)) return undefined;
  return import("./s3-redirect.js").then((m) => m.redirect(s3BucketRegions, call, bucket, options, error, response?.headers, body));
};

function redirectType(op: string, error: ServiceError, headers: Readonly<Record<string, string>> | undefined): boolean {
  const status = error.$metadata.httpStatusCode;
  const code = error.code;
  return (
    status === 301 ||
    status === 302 ||
    status === 307 ||
    code === "PermanentRedirect" ||
    code === "AuthorizationHeaderMalformed" ||
    (code === "IllegalLocationConstraintException" && op !== "CreateBucket") ||
    // A HEAD signed for the wrong region gets a bare 400 (no body to say why).
    (status === 400 && (op === "HeadObject" || (op === "HeadBucket" && headers?.["x-amz-bucket-region"] !== undefined)))
  );
}
