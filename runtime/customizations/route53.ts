// Route 53's prefixed resource ids (botocore's fix_route53_ids): see runtime/customizations.ts.
import type { InputStage } from "../schema.js";

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
