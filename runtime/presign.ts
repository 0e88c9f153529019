// Presigned requests (boto3's generate_presigned_url, v3's getSignedUrl): an operation call
// turned into a URL that anyone holding it can use until it expires, with no credentials of
// their own. A standalone function, so a bundle that never presigns carries none of it.
//
// The request is formed exactly as `send` forms it (the client's serializer, endpoint
// resolution, host prefix, path style...), then signed in the query (X-Amz-Algorithm,
// -Credential, -Date, -Expires, -SignedHeaders, -Security-Token, -Signature) instead of
// headers. Nothing is sent. Body stages (checksums, compression) do not run: the body is
// whatever the holder sends later, so S3 signs UNSIGNED-PAYLOAD. A form-encoded body (query
// protocol, STS GetCallerIdentity for EKS tokens) moves into the query string and the method
// becomes GET, as botocore does. Headers the serializer set (Content-Type, SSE headers...)
// are signed and returned: the holder must send them, with the same values. An endpoint that
// needs SigV4a (S3 multi-region access points) is presigned with SigV4a query parameters
// (X-Amz-Algorithm AWS4-ECDSA-P256-SHA256, X-Amz-Region-Set), its signer imported then.
import { presignPreparation, type Operation, type RuntimeClient } from "./client.js";
import { presignRequest } from "./signer/query.js";
import { ConfigError } from "./errors.js";
import type { OperationSchema, ServiceSchema } from "./schema.js";

export interface PresignOptions {
  /** Seconds the URL stays valid, 1 to 604800 (seven days). Default 3600, as boto3. */
  expiresIn?: number | undefined;
}

export interface PresignedRequest {
  /** The signed URL, with the signature in its query string. */
  url: string;
  /** The method the holder must use. */
  method: string;
  /** Headers that were signed besides `host`: the holder must send exactly these. */
  headers: Record<string, string>;
  /** When the URL stops working. */
  expiresAt: Date;
}

/** The service a client class's `send` accepts operations of (`"S3"` for S3Client). */
export type ServiceOf<C> = C extends { send(operation: Operation<never, never, infer S>, ...rest: never[]): unknown } ? S : string;

/**
 * Presigns one call: `await presign(s3, GetObject, { Bucket, Key }, { expiresIn: 600 })`.
 * Fails like `send` would before sending (RequestFormError for a missing URI label,
 * EndpointError, CredentialsError), with RequestFormError for an `expiresIn` out of range, and with
 * ConfigError for a service that does not authenticate with SigV4 (CodeCatalyst, SimpleDB, Import/Export).
 */
export async function presign<C extends RuntimeClient, I, O>(
  client: C,
  operation: Operation<I, O, ServiceOf<C>>,
  input: I,
  options: PresignOptions = {},
): Promise<PresignedRequest> {
  const expiresIn = options.expiresIn ?? 3600;
  // Only SigV4 (and SigV4a) sign in the query: a service that authenticates with a bearer token
  // only, or with SigV2, cannot be presigned.
  const service = (client as unknown as { service: ServiceSchema }).service;
  if (service.au && !service.au.some((a) => a === "aws.auth#sigv4" || a === "aws.auth#sigv4a")) {
    throw new ConfigError(`${service.id} cannot be presigned: it authenticates with ${service.au.join(", ")}, and only SigV4 signs in a URL`);
  }
  // Input stages about the response (S3's ChecksumMode) are the URL holder's business, as in botocore.
  const pi = operation.pi;
  let op: OperationSchema = pi?.some((s) => s.sendOnly) ? { ...operation, pi: pi.filter((s) => !s.sendOnly) } : operation;
  // A URL is presigned for the regular endpoint, not a discovered one, as botocore presigns; the
  // operation's `ed`, asked without an endpoint, still refuses one that requires discovery when
  // it is turned off (botocore's before-parameter-build check), as an input stage.
  if (op.ed) {
    const { ed, ...rest } = op;
    op = { ...rest, pi: [...(op.pi ?? []), async (input, call) => (await ed(call), input)] };
  }
  const { request, signing, sigv4a } = await presignPreparation(client, op, (input ?? {}) as Record<string, unknown>);
  const headers = request.headers;
  for (const h of ["user-agent", "x-amz-user-agent", "content-length"]) delete headers[h];
  if (typeof request.body === "string" && headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) {
    request.query += (request.query && request.body ? "&" : "") + request.body;
    delete request.body;
    delete headers["content-type"];
    request.method = "GET";
  } else {
    delete request.body;
  }
  const signed =
    sigv4a
      ? await (await import("./signer/sigv4a.js")).presignRequestV4a(request, { ...signing, expiresIn })
      : await presignRequest(request, { ...signing, expiresIn });
  const port = signed.port !== undefined ? `:${signed.port}` : "";
  const url = `${signed.protocol}//${signed.hostname}${port}${signed.path}?${signed.query}`;
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") sent[k] = v;
  return { url, method: signed.method, headers: sent, expiresAt: new Date(signing.date.getTime() + expiresIn * 1000) };
}
