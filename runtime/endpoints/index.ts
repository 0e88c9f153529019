// The endpoint rule-set engine: compact rule sets (types.ts), the interpreter and its cache
// (engine.ts), the standard library (stdlib.ts), parameter binding (params.ts) and the
// operationContextParams paths (path.ts).
export { resolveEndpoint, createResolver, type Resolver } from "./engine.js";
export type { BindSources } from "./params.js";
export { bindEndpointParams, contextPath, searchPath } from "./path.js";
export type {
  EndpointParams,
  EndpointResult,
  Expr,
  ParamDef,
  Partition,
  PartitionOutputs,
  Partitions,
  ResolvedEndpoint,
  Rule,
  RuleSet,
} from "./types.js";
