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
 * EC2 RunInstances (botocore's base64_encode_user_data): `UserData` is given as text and sent
 * base64-encoded, as EC2's documentation says an SDK may do; its JSDoc says so.
 */
const ec2: Customization = (model) => {
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

const CUSTOMIZATIONS: Record<string, Customization[]> = {
  s3: [s3],
  s3control: [s3control],
  route53: [route53],
  apigateway: [apigateway],
  glacier: [glacier],
  ec2: [ec2],
  cloudsearchdomain: [cloudsearchdomain],
  machinelearning: [machinelearning],
};

/** The model as the generator sees it: a customized deep copy where a customization applies. */
export function customize(name: string, model: BotoServiceModel): BotoServiceModel {
  const list = CUSTOMIZATIONS[name];
  if (!list) return model;
  const copy = structuredClone(model);
  for (const c of list) c(copy);
  return copy;
}
