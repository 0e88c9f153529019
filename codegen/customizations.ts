// Model customizations the AWS SDKs apply before generating, each with its reason. They run
// on a copy of the model, so the committed model data stays exactly as AWS ships it.
import type { BotoOperation, BotoServiceModel, StageRef } from "./model.ts";
import { endpointDiscoveryRef } from "./endpoint-discovery.ts";

type Customization = (model: BotoServiceModel) => void;

/**
 * S3: the endpoint rule set places the bucket (virtual-hosted or path style, access points,
 * Outposts, S3 Express), so `/{Bucket}` is removed from every request URI, as botocore and
 * AWS SDK v3 do. `/{Bucket}/{Key+}` becomes `/{Key+}`, `/{Bucket}?acl` becomes `/?acl`.
 * CopyObject, UploadPartCopy and CompleteMultipartUpload must answer 200 with a body.
 */
const s3: Customization = (model) => {
  // These answer 200 before the work is done and report a failure in the body; a 200 with no
  // body at all means the connection broke first, so the copy or upload may not have happened
  // (botocore turns it into a retryable 500 InternalError, AWS SDK v3 likewise).
  for (const name of ["CopyObject", "UploadPartCopy", "CompleteMultipartUpload"]) {
    const op = model.operations[name];
    if (op) op.bodyRequiredOn200 = true;
  }
  s3Keys(model);
  s3Listings(model);
  // Large uploads wait for the server's 100 Continue (botocore's add_expect_header; the Node transport waits, fetch drops the header).
  for (const name of ["PutObject", "UploadPart"]) {
    const op = model.operations[name];
    if (op) addStages(op, "request", "s3ExpectContinue");
  }
  for (const op of Object.values(model.operations)) {
    const uri = op.http.requestUri;
    if (uri.startsWith("/{Bucket}")) {
      const rest = uri.slice("/{Bucket}".length);
      op.http = { ...op.http, requestUri: rest.startsWith("/") ? rest : `/${rest}` };
    }
  }
};

/**
 * S3 SSE-C (botocore's sse_md5 / copy_source_sse_md5, AWS SDK v3's middleware-ssec): the key
 * members take the raw 256-bit key as bytes or a string (runtime/customizations/s3.ts says how a
 * string is read), so their shapes become blobs, which the serializer base64-encodes; every
 * operation carrying one gets the stage that checks the key and fills its `...KeyMD5`.
 */
function s3Keys(model: BotoServiceModel): void {
  const note =
    "<p>tsaws: the raw 256-bit key, as 32 bytes or a string (its UTF-8 bytes; a string that is the base64 of 32 bytes is taken as already encoded). It is sent base64-encoded, and the MD5 member is filled unless given.</p>";
  for (const name of ["SSECustomerKey", "CopySourceSSECustomerKey"]) {
    const shape = model.shapes[name];
    if (shape) model.shapes[name] = { ...shape, type: "blob" };
  }
  for (const op of Object.values(model.operations)) {
    const input = op.input ? model.shapes[op.input.shape] : undefined;
    const prefixes: string[] = [];
    for (const [member, ref] of Object.entries(input?.members ?? {})) {
      if ((ref.shape === "SSECustomerKey" || ref.shape === "CopySourceSSECustomerKey") && member.endsWith("Key")) {
        prefixes.push(member.slice(0, -"Key".length));
        ref.documentation = (ref.documentation ?? "") + note;
      }
    }
    if (prefixes.length) addStages(op, "input", ["s3SseCustomerKeys", prefixes]);
  }
}

/**
 * S3 listings (botocore's set_list_objects_encoding_type_url and decode_list_object*): URL-encoded
 * keys unless the caller chose an EncodingType, decoded in the output; the members each
 * operation decodes are botocore's (ListMultipartUploads, which botocore leaves alone, has the
 * members S3 documents as encoded).
 */
function s3Listings(model: BotoServiceModel): void {
  const decoded: Record<string, [string[], [string, string][]]> = {
    ListObjects: [["Delimiter", "Marker", "NextMarker"], [["Contents", "Key"], ["CommonPrefixes", "Prefix"]]],
    ListObjectsV2: [["Delimiter", "Prefix", "StartAfter"], [["Contents", "Key"], ["CommonPrefixes", "Prefix"]]],
    ListObjectVersions: [
      ["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
      [["Versions", "Key"], ["DeleteMarkers", "Key"], ["CommonPrefixes", "Prefix"]],
    ],
    ListMultipartUploads: [
      ["Delimiter", "KeyMarker", "NextKeyMarker", "Prefix"],
      [["Uploads", "Key"], ["CommonPrefixes", "Prefix"]],
    ],
  };
  for (const [name, [top, nested]] of Object.entries(decoded)) {
    const op = model.operations[name];
    if (!op) continue;
    addStages(op, "input", "s3UrlEncodedListing");
    addStages(op, "output", ["s3DecodeListing", top, nested]);
  }
}

/** S3 Control: the rule set puts the account id in the host, so the `{AccountId}.` host prefix goes. */
const s3control: Customization = (model) => {
  for (const op of Object.values(model.operations)) {
    if (op.endpoint?.hostPrefix === "{AccountId}.") delete op.endpoint;
  }
};

/** Attaches runtime stages (runtime/customizations.ts) to an operation. */
function addStages(op: BotoOperation, kind: "input" | "request" | "output", ...refs: StageRef[]): void {
  const stages = (op.stages ??= {});
  (stages[kind] ??= []).push(...refs);
}

/**
 * Route 53: its outputs give ids with a type prefix (`/hostedzone/Z1...`), its inputs want them
 * bare; botocore strips the prefix from every top-level input member targeting ResourceId,
 * DelegationSetId or ChangeId, so an output's id can be passed on as it is.
 */
const route53: Customization = (model) => {
  for (const op of Object.values(model.operations)) {
    const input = op.input ? model.shapes[op.input.shape] : undefined;
    const members = Object.entries(input?.members ?? {})
      .filter(([, ref]) => ["ResourceId", "DelegationSetId", "ChangeId"].includes(ref.shape))
      .map(([name]) => name);
    if (members.length) addStages(op, "input", ["route53Ids", members]);
  }
};

/** API Gateway: `Accept: application/json` on every request (botocore's add_accept_header), else some answers come as HAL. */
const apigateway: Customization = (model) => {
  for (const op of Object.values(model.operations)) addStages(op, "request", "acceptJson");
};

/**
 * RDS, Neptune and DocumentDB: cross-region copies and replicas take a presigned URL of the same
 * call for the source region; the AWS SDKs let the caller name `SourceRegion` instead and write
 * the URL (botocore's inject_presigned_url_rds, on these operations). `SourceRegion` is not in
 * the models (the service never receives it): it is added to the input so the types have it,
 * and the input stage (runtime/customizations/source-region.ts) removes it before sending.
 */
function sourceRegion(operations: readonly string[]): Customization {
  return (model) => {
    for (const name of operations) {
      const op = model.operations[name];
      const input = op?.input ? model.shapes[op.input.shape] : undefined;
      if (!op || !input?.members) continue;
      model.shapes.String ??= { type: "string" };
      input.members.SourceRegion ??= {
        shape: "String",
        documentation:
          "<p>The region the source is in (for example <code>us-west-2</code>). When it is given and <code>PreSignedUrl</code> is not, " +
          "the SDK presigns this call for that region's endpoint, with the client's credentials and <code>DestinationRegion</code> set to the " +
          "client's region, and sends it as <code>PreSignedUrl</code> (valid 3600 seconds). Not sent to the service.</p>",
      };
      addStages(op, "input", "rdsSourceRegion");
    }
  };
}

/**
 * Response checksums (botocore's httpchecksum, AWS SDK v3's flexible checksums middleware): on
 * each operation whose httpChecksum names a validation-mode member (S3 GetObject's ChecksumMode),
 * an input stage that enables it in "when_supported" mode and an output transform that checks
 * the response's x-amz-checksum-* (runtime/customizations/response-checksums.ts). S3 is the only
 * model with the trait; other operations and bundles carry none of it.
 */
const responseChecksums: Customization = (model) => {
  for (const op of Object.values(model.operations)) {
    if (!op.httpChecksum?.requestValidationModeMember) continue;
    addStages(op, "input", "enableChecksumMode");
    addStages(op, "output", "validateResponseChecksum");
  }
};

/**
 * Glacier (botocore's add_glacier_version, add_glacier_checksums, and the accountId
 * AutoPopulatedParam): `x-amz-glacier-version` on every request; `accountId` optional, sent as
 * "-" (the signing credentials' account) when left out; UploadArchive and UploadMultipartPart
 * send the payload's SHA-256 and SHA-256 tree hash.
 */
const glacier: Customization = (model) => {
  const optional = new Set<string>();
  for (const [name, op] of Object.entries(model.operations)) {
    addStages(op, "request", ["glacierVersion", model.metadata.apiVersion]);
    if (name === "UploadArchive" || name === "UploadMultipartPart") addStages(op, "request", "glacierChecksums");
    const input = op.input ? model.shapes[op.input.shape] : undefined;
    if (!op.input || !input?.members?.accountId) continue;
    addStages(op, "input", "glacierAccountId");
    optional.add(op.input.shape);
  }
  for (const name of optional) {
    const shape = model.shapes[name]!;
    if (shape.required) shape.required = shape.required.filter((m) => m !== "accountId");
    const ref = shape.members!.accountId!;
    ref.documentation = `${ref.documentation ?? ""}<p>Optional in tsaws: left out, it is sent as <code>-</code>.</p>`;
  }
};

/**
 * EC2: CopySnapshot's `PresignedUrl` (and `DestinationRegion`) made from `SourceRegion` unless
 * given (botocore's inject_presigned_url_ec2); RunInstances' `UserData` given as text and sent
 * base64-encoded (botocore's base64_encode_user_data), as EC2's documentation says an SDK may
 * do; its JSDoc says so.
 */
const ec2: Customization = (model) => {
  const copy = model.operations.CopySnapshot;
  if (copy) addStages(copy, "input", "ec2SourceRegion");
  const op = model.operations.RunInstances;
  const ref = op?.input ? model.shapes[op.input.shape]?.members?.UserData : undefined;
  if (!op || !ref) return;
  addStages(op, "input", "ec2UserData");
  ref.documentation = `${ref.documentation ?? ""}<p>tsaws base64-encodes this text (UTF-8) for you: pass the user data itself, not its base64 encoding.</p>`;
};

/**
 * CloudSearch Domain (botocore's change_get_to_post): Search, a GET with everything in the query
 * string, is sent as a POST with a form body, so a long query does not overflow the URL.
 */
const cloudsearchdomain: Customization = (model) => {
  const op = model.operations.Search;
  if (op) addStages(op, "request", "searchAsPost");
};

/** Machine Learning (botocore's switch_host_machinelearning): Predict goes to the host of its `PredictEndpoint`. */
const machinelearning: Customization = (model) => {
  const op = model.operations.Predict;
  if (op) addStages(op, "request", "predictEndpoint");
};

/**
 * S3 region redirects (botocore's S3RegionRedirectorv2): every operation with a `Bucket` gets the
 * hook (runtime/customizations/s3-region.ts) that sends a call to a bucket in another region
 * there, once, and later calls for that bucket straight there.
 */
const s3Redirects: Customization = (model) => {
  for (const op of Object.values(model.operations)) {
    if (op.input && model.shapes[op.input.shape]?.members?.Bucket) (op.stages ??= {}).redirect = "s3Redirect";
  }
};

const CUSTOMIZATIONS: Record<string, Customization[]> = {
  s3: [s3, responseChecksums, s3Redirects],
  s3control: [s3control],
  route53: [route53],
  apigateway: [apigateway],
  rds: [sourceRegion(["CopyDBClusterSnapshot", "CreateDBCluster", "CopyDBSnapshot", "CreateDBInstanceReadReplica", "StartDBInstanceAutomatedBackupsReplication"])],
  neptune: [sourceRegion(["CopyDBClusterSnapshot", "CreateDBCluster"])],
  docdb: [sourceRegion(["CopyDBClusterSnapshot", "CreateDBCluster"])],
  ec2: [ec2],
  glacier: [glacier],
  cloudsearchdomain: [cloudsearchdomain],
  machinelearning: [machinelearning],
};

/**
 * Endpoint discovery (any service whose model has it: DynamoDB, Timestream): the hook of each
 * operation with `endpointdiscovery` (codegen/endpoint-discovery.ts checks the service's
 * DescribeEndpoints and gives the hook's arguments).
 */
const endpointDiscovery: Customization = (model) => {
  for (const op of Object.values(model.operations)) {
    const ref = endpointDiscoveryRef(model, op);
    if (ref) (op.stages ??= {}).discovery = ref;
  }
};

/** The model as the generator sees it: a customized deep copy where a customization applies. */
export function customize(name: string, model: BotoServiceModel): BotoServiceModel {
  const list = [...(CUSTOMIZATIONS[name] ?? [])];
  if (Object.values(model.operations).some((op) => op.endpointdiscovery)) list.push(endpointDiscovery);
  if (!list.length) return model;
  const copy = structuredClone(model);
  for (const c of list) c(copy);
  return copy;
}
