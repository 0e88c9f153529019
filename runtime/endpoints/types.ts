// The compact rule-set form the generator emits (codegen/endpoints.ts) and the engine
// (engine.ts) interprets, plus the partition data and the engine's inputs and outputs.
//
// A Smithy endpoint rule set (endpoint-rule-set-1.json) is rewritten at generation time:
// documentation is dropped; every condition is interned once in a table `c` and referred to
// by index; every endpoint/error result is interned in `r`; a variable (`assign`) becomes a
// reference to the condition that produced it, so a condition's value is a pure function of
// the parameters and is computed at most once per resolution. Expressions are small arrays
// whose head is an opcode (OP below); a bare number is a reference to a slot (a parameter,
// slot < p.length, or the value of condition `slot - p.length`); strings and booleans are
// literals, and templated strings ("https://{Region}.{PartitionResult#dnsSuffix}") are
// pre-split. (The rules engine has integer literals only as substring/split arguments,
// which the opcode carries raw.) Endpoint properties are interned in their own table, since
// S3's 150 endpoints share 10 property objects.

/** Expression opcodes (0 is unused). A literal array in a property is `[OP.Array, ...items]`. */
export const OP = {
  /** [1, ...parts]: a template; parts are literal strings or expressions. */
  Template: 1,
  /** [2, ...items]: an array literal. */
  Array: 2,
  /** [3, value, ...path]: getAttr with a pre-parsed path (string keys, number indexes). */
  GetAttr: 3,
  /** [8, input, start, stop, reverse]: start and stop are raw integers. */
  IsSet: 4,
  Not: 5,
  BooleanEquals: 6,
  StringEquals: 7,
  Substring: 8,
  UriEncode: 9,
  ParseURL: 10,
  IsValidHostLabel: 11,
  Partition: 12,
  ParseArn: 13,
  IsVirtualHostableS3Bucket: 14,
  Coalesce: 15,
  Ite: 16,
  /** [17, value, delimiter, limit]: limit is a raw integer. */
  Split: 17,
} as const;

/** An expression of the compact form. */
export type Expr = string | number | boolean | ExprArray | ExprRecord;
export type ExprArray = readonly [number, ...Expr[]];
/** A literal object (endpoint properties): each value is an expression. */
export interface ExprRecord {
  readonly [key: string]: Expr;
}

/** A parameter definition. Type: absent = string, 1 = boolean, 2 = string array. */
export interface ParamDef {
  /** name */
  readonly n: string;
  /** type */
  readonly t?: 1 | 2;
  /** required */
  readonly r?: 1;
  /** default */
  readonly d?: string | boolean | readonly string[];
  /** builtIn, e.g. "AWS::Region" */
  readonly b?: string;
}

/** An endpoint result: URL template, properties (index into `q`), headers (name -> value expressions). */
export interface EndpointResult {
  readonly u: Expr;
  readonly p?: number;
  readonly h?: Readonly<Record<string, readonly Expr[]>>;
}

/** A result is an endpoint (object) or an error message expression (anything else). */
export type Result = EndpointResult | Expr;

/**
 * A rule: condition indexes followed by its target, which is a result index (number) or
 * the rules of a tree (array). `[3, 7, 12]`: if conditions 3 and 7 hold, result 12.
 */
export type Rule = readonly (number | readonly Rule[])[];

/** A compact rule set. */
export interface RuleSet {
  /** Parameters, in slot order. */
  readonly p: readonly ParamDef[];
  /** Conditions (function-call expressions). */
  readonly c: readonly Expr[];
  /** Results. */
  readonly r: readonly Result[];
  /** Endpoint property objects. */
  readonly q: readonly ExprRecord[];
  /** Root rules. */
  readonly t: readonly Rule[];
}

/** What `aws.partition` returns. */
export interface PartitionOutputs {
  readonly name: string;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  readonly supportsFIPS: boolean;
  readonly supportsDualStack: boolean;
  readonly implicitGlobalRegion?: string;
  readonly [key: string]: unknown;
}

/** One partition of partitions.json (region `description`s may be dropped). */
export interface Partition {
  readonly id: string;
  readonly regionRegex: string;
  /** Known regions; a region's object may override outputs. */
  readonly regions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly outputs: PartitionOutputs;
}

/** partitions.json, passed into the engine as data. */
export interface Partitions {
  readonly partitions: readonly Partition[];
}

/** Endpoint parameter values by name; undefined means unset. */
export interface EndpointParams {
  [name: string]: string | boolean | readonly string[] | undefined;
}

/** A resolved endpoint. Shared by the resolver cache: never mutate it. */
export interface ResolvedEndpoint {
  readonly url: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, readonly string[]>>;
}
