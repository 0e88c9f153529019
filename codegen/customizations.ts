// Model customizations the AWS SDKs apply before generating, each with its reason. They run
// on a copy of the model, so the committed model data stays exactly as AWS ships it.
import type { BotoOperation, BotoServiceModel, StageRef } from "./model.ts";

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
  for (const op of Object.values(model.operations)) {
    const uri = op.http.requestUri;
    if (uri.startsWith("/{Bucket}")) {
      const rest = uri.slice("/{Bucket}".length);
      op.http = { ...op.http, requestUri: rest.startsWith("/") ? rest : `/${rest}` };
    }
  }
};

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

const CUSTOMIZATIONS: Record<string, Customization[]> = {
  s3: [s3, responseChecksums],
  s3control: [s3control],
  route53: [route53],
  apigateway: [apigateway],
};

/** The model as the generator sees it: a customized deep copy where a customization applies. */
export function customize(name: string, model: BotoServiceModel): BotoServiceModel {
  const list = CUSTOMIZATIONS[name];
  if (!list) return model;
  const copy = structuredClone(model);
  for (const c of list) c(copy);
  return copy;
}
