// The endpoint rule-set engine: compact rule sets (types.ts), the interpreter and its cache
// (engine.ts), the standard library (stdlib.ts), and parameter binding (params.ts).
export { resolveEndpoint, createResolver, type Resolver } from "./engine.js";
export { bindEndpointParams, searchPath, type BindSources } from "./params.js";
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
