// Service customizations: what botocore's handlers (and the AWS SDKs' service middleware) do for
// particular services and operations beyond their models. Each is a stage the generator attaches
// (codegen/customizations.ts) only to the operations it concerns, so a bundle carries only the
// customizations its operations use (everything here is tree-shakable). Three kinds, run by the
// client (client.ts): input stages rewrite a call's input before it is serialized or presigned,
// returning a copy; request stages are body stages (headers and body after serializing);
// output transforms adjust a parsed output in place.
import type { BodyStage, InputStage } from "./schema.js";

/**
 * Route 53: resource ids as its outputs give them (`/hostedzone/Z1D633PJN98FT9`,
 * `/change/C2682N5HXP0BZ4`, `/delegationset/N1PA6795SAMPLE`) are accepted where an input wants
 * the bare id; `members` are the operation's id members (those the generator found targeting
 * Route 53's ResourceId, ChangeId and DelegationSetId shapes), as botocore strips them.
 */
export function route53Ids(members: readonly string[]): InputStage {
  return (input) => {
    let copy: Record<string, unknown> | undefined;
    for (const m of members) {
      const v = input[m];
      if (typeof v === "string" && v.includes("/")) (copy ??= { ...input })[m] = v.slice(v.lastIndexOf("/") + 1);
    }
    return copy ?? input;
  };
}

/** API Gateway answers JSON (not HAL) only when asked: `Accept: application/json`, as botocore sends. */
export const acceptJson: BodyStage = (_op, _config, headers, body) => {
  headers.accept ??= "application/json";
  return body;
};
export * from "./customizations/source-region.js";
export * from "./customizations/s3.js";
export * from "./customizations/response-checksums.js";
export * from "./customizations/glacier.js";
export * from "./customizations/ec2.js";
export * from "./customizations/recursion-detection.js";
export * from "./customizations/cloudsearchdomain.js";
export * from "./customizations/machinelearning.js";
