// Endpoint discovery (runtime/customizations/endpoint-discovery.ts): the `ed` hook of an
// operation whose model has `endpointdiscovery`. The runtime calls the service's
// DescribeEndpoints with a schema of its own (so a bundle need not carry the generated one);
// this checks the model's operation is the one that schema describes, or fails the build.
import type { BotoOperation, BotoServiceModel, StageRef } from "./model.ts";

type MemberRef = { shape: string; endpointdiscoveryid?: boolean };

/** The hook for `op` (`endpointDiscovery(required, ids, sendIds)`), or undefined when it has no discovery. */
export function endpointDiscoveryRef(model: BotoServiceModel, op: BotoOperation): StageRef | undefined {
  if (!op.endpointdiscovery) return undefined;
  const ops = Object.entries(model.operations).filter(([, o]) => o.endpointoperation);
  const [name, describe] = ops[0] ?? [];
  const fail = (why: string): never => {
    throw new Error(`${model.metadata.serviceId}: endpoint discovery: ${why}`);
  };
  if (ops.length !== 1 || name !== "DescribeEndpoints" || !describe) return fail("the service has no single DescribeEndpoints operation");
  if (model.metadata.protocol !== "json") fail(`protocol ${model.metadata.protocol} (the runtime calls DescribeEndpoints as JSON)`);
  const shape = (n: string | undefined) => (n ? model.shapes[n] : undefined) as { members?: Record<string, MemberRef>; member?: MemberRef } | undefined;
  const inputMembers = Object.keys(shape(describe.input?.shape)?.members ?? {});
  const sendIds = inputMembers.includes("Operation") && inputMembers.includes("Identifiers");
  if (inputMembers.length !== (sendIds ? 2 : 0)) fail(`DescribeEndpoints takes ${inputMembers.join(", ")}`);
  const list = shape(shape(describe.output?.shape)?.members?.Endpoints?.shape);
  const item = Object.keys(shape(list?.member?.shape)?.members ?? {}).sort().join();
  if (item !== "Address,CachePeriodInMinutes") fail(`DescribeEndpoints answers Endpoints of ${item}`);
  const ids = Object.entries(shape(op.input?.shape)?.members ?? {})
    .filter(([, ref]) => ref.endpointdiscoveryid)
    .map(([m]) => m);
  const args: unknown[] = [op.endpointdiscovery.required ? 1 : 0];
  if (ids.length) args.push(ids, sendIds ? 1 : 0);
  return args[0] === 0 && args.length === 1 ? ["endpointDiscovery"] : ["endpointDiscovery", ...args];
}
