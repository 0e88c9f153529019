// S3 region redirects, the part imported on the first redirect-type error (s3-region.ts decides).
// The bucket's region is, in botocore's order, the response's x-amz-bucket-region, the error
// body's <Region>, else what a HeadBucket of the bucket from the calling client answers (its
// x-amz-bucket-region, on success or failure). AuthorizationHeaderMalformed counts only with a
// <Region>, as in botocore. The call is then sent, with the caller's input, through a client of
// the same class for that region, built from the calling client's configuration (credentials,
// FIPS, dual-stack, path style, accelerate, a custom endpoint: all kept), so the rule set
// resolves the region's endpoint and the request is signed for that region; those clients are
// kept per calling client and region. It sends the operation without its hook: a second
// redirect-type error is returned as the typed error. The bucket's region is remembered for
// the calling client's later calls; one that is then answered by a redirect-type error is
// forgotten. No region found, or the client's own region: the original error.
//
// It imports no module the S3 bundle's initial part also uses (that one would be split out of
// it into a chunk of its own: bytes and a request more for every S3 bundle), only region-client.ts.
// So the cache comes from the hook, and the error body's <Region> is read as text.
import type { ServiceError } from "../errors.js";
import type { CallContext, OperationSchema, RuntimeClientLike } from "../schema.js";
import { regionClient } from "./region-client.js";

type Options = { signal?: AbortSignal | undefined } | undefined;

/** Sends the call to the bucket's region (known, or found from the error), or rejects with `error`. */
export async function redirect(
  s3BucketRegions: WeakMap<RuntimeClientLike, Map<string, string>>,
  call: CallContext,
  bucket: string,
  options: Options,
  error?: ServiceError,
  headers?: Readonly<Record<string, string>>,
  body?: Uint8Array,
): Promise<unknown> {
  let known = s3BucketRegions.get(call.client);
  if (error === undefined) {
    try {
      return await regionalSend(call, known!.get(bucket)!, options);
    } catch (e) {
      // The bucket moved again (deleted and made elsewhere): forgotten, so the next call starts over.
      const status = (e as Partial<ServiceError>).$metadata?.httpStatusCode;
      if (status === 301 || status === 302 || status === 307) known?.delete(bucket);
      throw e;
    }
  }
  const fromBody = bodyRegion(body);
  if (error.code === "AuthorizationHeaderMalformed" && fromBody === undefined) throw error;
  const region = headers?.["x-amz-bucket-region"] ?? fromBody ?? (await headBucket(call, bucket, options));
  // The region becomes a host label of the endpoint: a region name, and not the one that refused.
  if (region === undefined || region === call.region || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(region)) throw error;
  call.config.logger?.debug?.(
    `S3: the client's region is ${call.region} but bucket ${bucket} is in ${region}; the call is sent there (configure that region to avoid the redirect)`,
  );
  if (!known) s3BucketRegions.set(call.client, (known = new Map()));
  known.set(bucket, region);
  return regionalSend(call, region, options);
}

/**
 * The <Region> of an S3 error body (AuthorizationHeaderMalformed...), if any: S3's `<Error>` has
 * flat text children without namespaces or entities, and a value is used only if it is a
 * region name (checked by the caller), so the text is enough.
 */
function bodyRegion(body: Uint8Array | undefined): string | undefined {
  return body && /<Error>[\s\S]*?<Region>\s*([^<\s]+)\s*<\/Region>/.exec(new TextDecoder().decode(body))?.[1];
}

/** HeadBucket from the calling client: the bucket's x-amz-bucket-region, answered with success or an error. */
async function headBucket(call: CallContext, bucket: string, options: Options): Promise<string | undefined> {
  let region: string | undefined;
  const op: OperationSchema = {
    n: "HeadBucket",
    h: ["HEAD", "/"],
    i: { t: 8, m: { Bucket: [0, { n: "Bucket", l: "uri" }] } },
    o: { t: 8, m: { BucketRegion: [0, { n: "x-amz-bucket-region", l: "header" }] } },
    cp: { Bucket: "Bucket" },
    // The hook sees the failed attempt's headers (and never redirects this call).
    rr: (_call, _options, _error, response) => ((region = response?.headers["x-amz-bucket-region"]), undefined),
  };
  try {
    const output = await call.client.send<{ Bucket: string }, { BucketRegion?: string }>(op, { Bucket: bucket }, options);
    return output.BucketRegion;
  } catch (e) {
    if (options?.signal?.aborted) throw e; // the caller's AbortError
    return region;
  }
}

/** The operations as the region clients send them: without the hook. */
const unhooked = new WeakMap<OperationSchema, OperationSchema>();

function regionalSend(call: CallContext, region: string, options: Options): Promise<unknown> {
  const client = regionClient(call, region);
  let op = unhooked.get(call.op);
  if (!op) {
    const { rr: _hook, ...rest } = call.op;
    unhooked.set(call.op, (op = rest));
  }
  return client.send(op, call.input, options);
}
