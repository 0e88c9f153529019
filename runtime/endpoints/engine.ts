// The endpoint rule-set engine: an interpreter over the compact rule sets the generator emits.
//
// Design. Each service ships its rule set as data (types.ts) and one shared interpreter
// walks it; partitions are data too (generated/_root/partitions.js), passed in. Conditions
// are interned by the generator and memoised per resolution (a slot array holding the
// parameters, then each condition's value), so a condition shared by many branches runs
// once, and a variable is simply the slot of the condition that assigned it. Tree rules
// fall through to their next sibling when no sub-rule matches, as botocore and the other
// AWS SDKs evaluate them. Resolution is memoised per parameter set by createResolver.
//
// Interpreter or generation-time compiler? Measured (Node 20, 2 shared CPUs under load, so
// times are best-of-rounds and approximate; test/endpoints/bench.ts reproduces the
// interpreter figures). The compiler is a throwaway prototype that emitted one JS function per
// rule set (nested ifs, inlined stdlib calls, results as inline literals), minified by esbuild.
//
//   bytes, raw / gzip -9     endpoint-rule-set-1.json   minified JSON     compact (shipped)   compiled JS, minified
//   S3                       921,524 / 20,279           119,287 / 5,074   22,280 / 3,845      67,179 / 4,519
//   DynamoDB                 106,364 / 3,732            18,445 / 1,610    4,434 / 1,172       9,404 / 1,356
//   EC2                      15,277 / 1,120             3,683 / 750       1,093 / 448         1,580 / 515
//   partitions.js (once): 2,063 / 471 (2,863 / 616 listing every region); engine.ts bundled, minified: 5,741 / 2,485; with params.ts: 8,978 / 3,687
//   all 429 rule sets compact: 502,761 bytes (190,922 gzipped one by one)
//
//   ns per resolution        interpreter, uncached   compiled prototype   interpreter, cache hit
//   S3 (267 endpoint cases)  3,100-6,500             6,200-12,000         120-170
//   DynamoDB (384)           1,000-1,200             430-900              80-110
//   EC2 (51)                 490-1,100               100-340              80-180
//   (a case ending in an error rule costs 8,700-18,000 in all: the EndpointError's stack trace)
//   binding a call's parameters (params.ts, S3 GetObject): createParamBinder 90-250, bindEndpointParams 550-1,400
//
// The compiled form is 1.4-3x larger raw and 1.15-1.18x gzipped (on S3 it repeats the 10
// property objects its 150 endpoints share), is no faster on S3 (the prototype re-evaluates
// conditions that many branches share, which the slot array here evaluates once) and saves
// only ~0.5 us on small rule sets, once per distinct parameter set since resolution is
// cached. So: an interpreter over compact data.
import { EndpointError } from "../errors.js";
import {
  getAttr,
  isValidHostLabel,
  isVirtualHostableS3Bucket,
  parseArn,
  parseURL,
  partition,
  split,
  substring,
  uriEncode,
} from "./stdlib.js";
import type {
  EndpointParams,
  EndpointResult,
  Expr,
  ExprArray,
  ExprRecord,
  Partitions,
  ResolvedEndpoint,
  Rule,
  RuleSet,
} from "./types.js";

export type { EndpointParams, Partitions, ResolvedEndpoint, RuleSet } from "./types.js";

interface State {
  readonly rs: RuleSet;
  readonly parts: Partitions;
  /** Slots: parameters, then condition values (undefined = not evaluated yet, null = no value). */
  readonly v: unknown[];
  readonly np: number;
}

function str(x: unknown): string {
  if (typeof x === "string") return x;
  if (x === null || x === undefined) throw new EndpointError("endpoint rule set: a template refers to a value that is not set");
  return String(x);
}

/** The stdlib functions an opcode calls with its evaluated arguments (an absent one evaluates to undefined). */
const CALLS = new Map<unknown, (a: unknown, b: unknown) => unknown>([
  [9, uriEncode],
  [10, parseURL],
  [11, isValidHostLabel],
  [13, parseArn],
  [14, isVirtualHostableS3Bucket],
]);

function ev(e: Expr, s: State): unknown {
  if (typeof e === "number") return slot(e, s);
  if (typeof e !== "object") return e;
  if (!Array.isArray(e)) return record(e as ExprRecord, s);
  // Opcodes: OP in types.ts. Plain loops, not slice/map: this runs on every uncached resolution.
  const a = e as ExprArray;
  switch (a[0]) {
    case 1: {
      let out = "";
      for (let i = 1; i < a.length; i++) {
        const p = a[i]!;
        out += typeof p === "string" ? p : str(ev(p, s));
      }
      return out;
    }
    case 2: {
      const out: unknown[] = [];
      for (let i = 1; i < a.length; i++) out.push(ev(a[i]!, s));
      return out;
    }
    case 3:
      return getAttr(ev(a[1]!, s), a as readonly unknown[] as readonly (string | number)[], 2);
    case 4:
      return ev(a[1]!, s) != null;
    case 5:
      return !ev(a[1]!, s);
    case 6:
    case 7:
      return ev(a[1]!, s) === ev(a[2]!, s);
    case 8:
      return substring(ev(a[1]!, s), a[2] as number, a[3] as number, ev(a[4]!, s) === true);
    case 12:
      return partition(s.parts, ev(a[1]!, s));
    case 15: {
      let v: unknown = null;
      for (let i = 1; i < a.length; i++) {
        v = ev(a[i]!, s);
        if (v != null) return v;
      }
      return v;
    }
    case 16:
      return ev(a[ev(a[1]!, s) === true ? 2 : 3]!, s);
    case 17:
      return split(ev(a[1]!, s), ev(a[2]!, s), a[3] as number);
  }
  const call = CALLS.get(a[0]);
  if (!call) throw new EndpointError(`endpoint rule set: unknown opcode ${String(a[0])}`);
  return call(ev(a[1]!, s), ev(a[2]!, s));
}

function record(r: ExprRecord, s: State): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(r)) out[k] = ev(r[k]!, s);
  return out;
}

/** A slot's value: a parameter's, or its condition's, evaluated once per resolution. */
function slot(n: number, s: State): unknown {
  let v = s.v[n];
  if (v === undefined) s.v[n] = v = ev(s.rs.c[n - s.np]!, s) ?? null;
  return v;
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

function result(i: number, s: State): ResolvedEndpoint {
  const r = s.rs.r[i]!;
  if (typeof r !== "object" || Array.isArray(r)) throw new EndpointError(str(ev(r as Expr, s)));
  const ep = r as EndpointResult;
  const url = ev(ep.u, s);
  if (typeof url !== "string") throw new EndpointError("endpoint rule set: the endpoint URL is not a string");
  let headers: Record<string, string[]> = EMPTY;
  if (ep.h) {
    headers = {};
    for (const name of Object.keys(ep.h)) headers[name] = ep.h[name]!.map((x) => str(ev(x, s)));
  }
  return { url, properties: ep.p !== undefined ? record(s.rs.q[ep.p]!, s) : EMPTY, headers };
}

function walk(rules: readonly Rule[], s: State): ResolvedEndpoint | undefined {
  next: for (const rule of rules) {
    const last = rule.length - 1;
    // A condition holds when it yields a value other than false.
    for (let k = 0; k < last; k++) {
      const v = slot(s.np + (rule[k] as number), s);
      if (v === null || v === false) continue next;
    }
    const target = rule[last]!;
    const found = typeof target === "number" ? result(target, s) : walk(target, s);
    if (found) return found;
  }
  return undefined;
}

/**
 * Resolves an endpoint. Unset parameters take their defaults; a required parameter that is
 * still unset, or an error rule, throws EndpointError with the rule's message.
 */
export function resolveEndpoint(ruleset: RuleSet, params: EndpointParams, partitions: Partitions): ResolvedEndpoint {
  const defs = ruleset.p;
  const np = defs.length;
  const v: unknown[] = new Array(np + ruleset.c.length);
  for (let i = 0; i < np; i++) {
    const d = defs[i]!;
    let x: unknown = params[d.n];
    if (x === undefined || x === null) x = d.d ?? null;
    if (x === null && d.r) throw new EndpointError(`endpoint parameter ${d.n} is required`);
    v[i] = x;
  }
  const found = walk(ruleset.t, { rs: ruleset, parts: partitions, v, np });
  if (!found) throw new EndpointError("no endpoint rule matched the parameters");
  return found;
}

/** A memoised resolver: the same parameters give the same (frozen, shared) endpoint. */
export type Resolver = (params: EndpointParams) => ResolvedEndpoint;

function freeze<T>(x: T): T {
  if (typeof x === "object" && x !== null && !Object.isFrozen(x)) {
    for (const k of Object.keys(x)) freeze((x as Record<string, unknown>)[k]);
    Object.freeze(x);
  }
  return x;
}

const RESULT = {};
const ARRAY = {};
type Trie = Map<unknown, unknown>;

/**
 * Wraps resolveEndpoint with a small cache. The cache is a trie over the parameter set's own
 * entries in iteration order (a name level, then a value level; string and boolean values are
 * Map keys as they are, an array goes through a sentinel level keyed by its JSON), so a hit is
 * a few Map lookups with no key string to build or hash: about 8x faster than a string key on
 * S3. Two sets with the same entries in another order only miss. Errors are not cached. When
 * `size` results are cached the trie starts over.
 */
export function createResolver(ruleset: RuleSet, partitions: Partitions, size = 64): Resolver {
  let root: Trie = new Map();
  let count = 0;
  return (params) => {
    let m = leaf(root, params);
    let hit = m.get(RESULT) as ResolvedEndpoint | undefined;
    if (hit) return hit;
    hit = freeze(resolveEndpoint(ruleset, params, partitions));
    if (++count > size) {
      root = new Map();
      count = 1;
      m = leaf(root, params);
    }
    m.set(RESULT, hit);
    return hit;
  };
}

function step(m: Trie, key: unknown): Trie {
  let next = m.get(key) as Trie | undefined;
  if (!next) {
    next = new Map();
    m.set(key, next);
  }
  return next;
}

/** The trie node of a parameter set, created as needed. */
function leaf(root: Trie, params: EndpointParams): Trie {
  let m = root;
  for (const n in params) {
    const x = params[n];
    if (x === undefined || x === null) continue;
    m = step(m, n);
    m = typeof x === "object" ? step(step(m, ARRAY), JSON.stringify(x)) : step(m, x);
  }
  return m;
}
