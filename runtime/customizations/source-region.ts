// Cross-region copies (RDS, Neptune, DocumentDB, EC2 CopySnapshot): the service in the
// destination region fetches the source from the source region with a presigned URL of the same
// call, signed by the caller, so the caller names `SourceRegion` and the SDK writes the URL, as
// botocore's inject_presigned_url_rds / inject_presigned_url_ec2 do.
//
// The URL is made by presign.ts on a client of the same class for the source region (built from
// the calling client's configuration as given, so the same credentials, FIPS and dual-stack
// settings, and the source region's endpoint from the rule set), with the call's input plus
// `DestinationRegion` (the calling client's region), expiring in 3600 s. A custom `endpoint`
// is kept, with the destination region in its host name replaced by the source region (what
// botocore does to the URL): `https://rds.us-east-1.example` becomes `https://rds.us-west-2.example`,
// a local mock's `http://127.0.0.1:4566` stays as it is. presign.ts is imported on first use,
// so only calls that pass SourceRegion load it, and only the bundles of these operations carry
// this file at all (the generator attaches the stages to them alone).
import { regionClient } from "./region-client.js";
import { RequestFormError } from "../errors.js";
import type { CallContext, InputStage, OperationSchema, StructureShape } from "../schema.js";

/**
 * RDS, Neptune, DocumentDB (CopyDBSnapshot, CopyDBClusterSnapshot, CreateDBCluster,
 * CreateDBInstanceReadReplica, StartDBInstanceAutomatedBackupsReplication): `SourceRegion` is
 * the SDK's, not the service's: it is never sent. When the caller gives no `PreSignedUrl`, one is
 * made for the source region.
 */
export const rdsSourceRegion: InputStage = async (input, call) => {
  const source = input.SourceRegion;
  if (source === undefined) return input;
  const copy = { ...input };
  delete copy.SourceRegion;
  if (copy.PreSignedUrl !== undefined) return copy;
  copy.PreSignedUrl = await presignedUrl(copy, call, regionName(source));
  return copy;
};

/**
 * EC2 CopySnapshot: unless the caller gives `PresignedUrl`, one is made for `SourceRegion` (a
 * member EC2 sends too) and `DestinationRegion` is set to the client's region, as EC2 requires
 * both. A caller's `PresignedUrl` is sent as it is, with the input unchanged.
 */
export const ec2SourceRegion: InputStage = async (input, call) => {
  const source = input.SourceRegion;
  if (input.PresignedUrl !== undefined || source === undefined) return input;
  const url = await presignedUrl(input, call, regionName(source));
  return { ...input, PresignedUrl: url, DestinationRegion: call.region };
};

function regionName(value: unknown): string {
  // The value becomes a host label of the source endpoint: a region name, nothing else.
  if (typeof value !== "string" || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new RequestFormError(`SourceRegion must be a region name such as "us-west-2", not ${JSON.stringify(value)}`);
  }
  return value;
}

/** A custom endpoint with the destination region's host labels replaced by the source region. */
function endpointFor(endpoint: string, destination: string, source: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint; // the source client reports the malformed endpoint as the calling client would
  }
  url.hostname = url.hostname
    .split(".")
    .map((label) => (label === destination ? source : label))
    .join(".");
  return url.href.endsWith("/") && !endpoint.endsWith("/") ? url.href.slice(0, -1) : url.href;
}

/** The operation presigned: without input stages, with `DestinationRegion` where the model has none (RDS). */
const presignedOps = new WeakMap<OperationSchema, OperationSchema>();

function presignedOp(op: OperationSchema): OperationSchema {
  let derived = presignedOps.get(op);
  if (!derived) {
    const { pi: _stages, ...rest } = op;
    const shape: StructureShape = op.i ?? { t: 8, m: {} };
    const { SourceRegion: _source, ...members } = shape.m;
    derived = { ...rest, i: { ...shape, m: shape.m.DestinationRegion !== undefined ? shape.m : { ...members, DestinationRegion: 0 } } };
    presignedOps.set(op, derived);
  }
  return derived;
}

async function presignedUrl(input: Record<string, unknown>, call: CallContext, source: string): Promise<string> {
  const { presign } = await import("../presign.js");
  const endpoint = call.config.endpoint !== undefined ? endpointFor(call.config.endpoint, call.region, source) : undefined;
  const client = regionClient(call, source, endpoint) as Parameters<typeof presign>[0];
  const signed = await presign(client, presignedOp(call.op), { ...input, DestinationRegion: call.region });
  return signed.url;
}
