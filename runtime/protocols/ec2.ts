// ec2 (botocore's EC2Serializer / EC2QueryParser): awsQuery with two settings.
//
// Requests use query.ts's form walker with EC2 naming: a member's key is its queryName,
// else its locationName with the first letter upper-cased, else its member name
// capitalised; lists are always flattened (`A.1`, `A.2`) and an empty list sends nothing.
// Responses have no result wrapper: the members sit directly under `<OpResponse>`.
// Errors are `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>`.
import type { Member } from "../schema.js";
import { traits } from "../schema.js";
import { parseQueryError, parseQueryOutput, serializeQuery } from "./query.js";
import type { QueryDialect } from "./query.js";
import type { Protocol } from "./types.js";
import { loadXmlParser } from "./xml.js";

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

export const EC2_DIALECT: QueryDialect = {
  memberName(name: string, member: Member): string {
    const t = traits(member);
    return t.qn ?? capitalize(t.n ?? name);
  },
  alwaysFlatten: true,
  sendEmptyLists: false,
};

export const protocol: Protocol = {
  serialize(service, op, input, ctx) {
    return serializeQuery(service, op, input, ctx, EC2_DIALECT);
  },
  load: loadXmlParser,
  parse(_service, op, response) {
    return parseQueryOutput(op, response, false);
  },
  parseError(service, op, response) {
    return parseQueryError(service, op, response);
  },
};
