// Turns a Smithy endpoint rule set (endpoint-rule-set-1.json) into the compact form that
// runtime/endpoints/engine.ts interprets (format in runtime/endpoints/types.ts), and
// partitions.json into the data every generated service imports. Also the deterministic
// serializers to JS source the generator writes into generated/<svc>/endpoints.js and
// generated/_root/partitions.js.
//
// The compactor is also the rule set's validator: an unknown function, a wrong arity, an
// undefined reference, a malformed template or getAttr path fails the build rather than a
// call. Conditions, results and endpoint property objects are interned (hash-consed on their
// compiled form), variables become references to the condition that assigned them, equality
// arguments are put in one order, documentation and parameters no rule refers to are dropped,
// and rules after an unconditional endpoint/error rule (unreachable) are pruned.
//
// Entry points: compactRuleSet / compactPartitions (data), compactRuleSetSource /
// compactPartitionsSource (JS expression text for `export default ...;`), toSource.
import { parseAttrPath } from "../runtime/endpoints/stdlib.ts";
import { OP } from "../runtime/endpoints/types.ts";
import type {
  EndpointResult,
  Expr,
  ExprRecord,
  ParamDef,
  Partition,
  Partitions,
  Result,
  Rule,
  RuleSet,
} from "../runtime/endpoints/types.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Function name -> [opcode, argument count]. */
const FUNCTIONS: Record<string, readonly [number, number]> = {
  isSet: [OP.IsSet, 1],
  not: [OP.Not, 1],
  booleanEquals: [OP.BooleanEquals, 2],
  stringEquals: [OP.StringEquals, 2],
  substring: [OP.Substring, 4],
  uriEncode: [OP.UriEncode, 1],
  parseURL: [OP.ParseURL, 1],
  isValidHostLabel: [OP.IsValidHostLabel, 2],
  "aws.partition": [OP.Partition, 1],
  "aws.parseArn": [OP.ParseArn, 1],
  "aws.isVirtualHostableS3Bucket": [OP.IsVirtualHostableS3Bucket, 2],
  coalesce: [OP.Coalesce, -1],
  ite: [OP.Ite, 3],
  split: [OP.Split, 3],
};

function isObject(x: unknown): x is JsonObject {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

class Compactor {
  readonly params: ParamDef[] = [];
  readonly conds: Expr[] = [];
  readonly results: Result[] = [];
  readonly props: ExprRecord[] = [];
  private readonly condIndex = new Map<string, number>();
  private readonly resultIndex = new Map<string, number>();
  private readonly propsIndex = new Map<string, number>();

  fail(message: string, where: string): never {
    throw new Error(`endpoint rule set: ${message} (at ${where})`);
  }

  /** Parses "{Region}.{PartitionResult#dnsSuffix}" into literal and expression parts. */
  template(s: string, scope: ReadonlyMap<string, number>, where: string): Expr {
    const parts: Expr[] = [];
    let lit = "";
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === "{" && s[i + 1] === "{") {
        lit += "{";
        i += 2;
      } else if (c === "}" && s[i + 1] === "}") {
        lit += "}";
        i += 2;
      } else if (c === "{") {
        const end = s.indexOf("}", i);
        if (end < 0) this.fail(`unterminated template ${JSON.stringify(s)}`, where);
        const inner = s.slice(i + 1, end);
        const hash = inner.indexOf("#");
        const name = hash < 0 ? inner : inner.slice(0, hash);
        const ref = this.ref(name, scope, where);
        if (lit) parts.push(lit);
        lit = "";
        parts.push(hash < 0 ? ref : this.getAttr(ref, inner.slice(hash + 1), where));
        i = end + 1;
      } else {
        lit += c;
        i++;
      }
    }
    if (parts.length === 0) return lit;
    if (lit) parts.push(lit);
    // "{Region}" is the string parameter itself.
    const only = parts[0];
    if (parts.length === 1 && typeof only === "number" && only < this.params.length && this.params[only]!.t === undefined) return only;
    return [OP.Template, ...parts];
  }

  ref(name: string, scope: ReadonlyMap<string, number>, where: string): Expr {
    const slot = scope.get(name);
    if (slot === undefined) this.fail(`reference to undefined ${JSON.stringify(name)}`, where);
    return slot;
  }

  getAttr(value: Expr, path: string, where: string): Expr {
    let parsed: (string | number)[];
    try {
      parsed = parseAttrPath(path);
    } catch (e) {
      this.fail((e as Error).message, where);
    }
    return [OP.GetAttr, value, ...parsed];
  }

  /** An expression: literal, template, reference, function call, or (in properties) array/object. */
  expr(x: Json | undefined, scope: ReadonlyMap<string, number>, where: string, literals: boolean): Expr {
    if (typeof x === "string") return this.template(x, scope, where);
    if (typeof x === "boolean") return x;
    if (typeof x === "number") this.fail("an integer literal is only allowed as a substring or split argument", where);
    if (Array.isArray(x)) {
      if (!literals) this.fail("array literal outside endpoint properties", where);
      return [OP.Array, ...x.map((item, i) => this.expr(item, scope, `${where}[${i}]`, literals))];
    }
    if (isObject(x)) {
      if ("ref" in x) {
        if (typeof x.ref !== "string") this.fail("ref is not a string", where);
        return this.ref(x.ref, scope, where);
      }
      if ("fn" in x) return this.call(x, scope, where);
      if (!literals) this.fail("object literal outside endpoint properties", where);
      const out: Record<string, Expr> = {};
      for (const k of Object.keys(x)) out[k] = this.expr(x[k], scope, `${where}.${k}`, literals);
      return out;
    }
    this.fail(`unexpected value ${JSON.stringify(x)}`, where);
  }

  call(x: JsonObject, scope: ReadonlyMap<string, number>, where: string): Expr {
    const name = x.fn;
    const argv = x.argv;
    if (typeof name !== "string" || !Array.isArray(argv)) this.fail("a function call needs fn and argv", where);
    // getAttr's path is compiled into the expression, not evaluated.
    if (name === "getAttr") {
      if (argv.length !== 2 || typeof argv[1] !== "string") this.fail("getAttr takes a value and a literal path", where);
      return this.getAttr(this.expr(argv[0], scope, `${where}/getAttr[0]`, false), argv[1], where);
    }
    const f = FUNCTIONS[name];
    if (!f) this.fail(`unknown function ${name}`, where);
    const [op, arity] = f;
    if (arity >= 0 ? argv.length !== arity : argv.length < 2) {
      this.fail(`${name} takes ${arity >= 0 ? arity : "2 or more"} arguments, got ${argv.length}`, where);
    }
    const w = `${where}/${name}`;
    // Equality is symmetric: a literal goes second, so `booleanEquals(true, x)` and
    // `booleanEquals(x, true)` intern as one condition.
    if ((name === "booleanEquals" || name === "stringEquals") && typeof argv[0] !== "object" && typeof argv[1] === "object") {
      return [op, this.expr(argv[1], scope, `${w}[1]`, false), this.expr(argv[0], scope, `${w}[0]`, false)];
    }
    // Integer arguments travel raw: substring's start and stop, split's limit.
    const raw = name === "substring" ? [1, 2] : name === "split" ? [2] : [];
    return [
      op,
      ...argv.map((a, i) => {
        if (!raw.includes(i)) return this.expr(a, scope, `${w}[${i}]`, false);
        if (typeof a !== "number" || !Number.isInteger(a) || a < 0) this.fail(`${name} argument ${i} must be a non-negative integer literal`, w);
        return a;
      }),
    ];
  }

  intern<T>(table: T[], index: Map<string, number>, value: T): number {
    const key = JSON.stringify(value);
    let i = index.get(key);
    if (i === undefined) {
      i = table.length;
      table.push(value);
      index.set(key, i);
    }
    return i;
  }

  endpoint(ep: Json | undefined, scope: ReadonlyMap<string, number>, where: string): EndpointResult {
    if (!isObject(ep) || ep.url === undefined) this.fail("endpoint rule without endpoint.url", where);
    const out: { u: Expr; p?: number; h?: Record<string, Expr[]> } = { u: this.expr(ep.url, scope, `${where}.url`, false) };
    const props = ep.properties;
    if (props !== undefined && props !== null) {
      if (!isObject(props)) this.fail("endpoint properties must be an object", where);
      if (Object.keys(props).length) {
        out.p = this.intern(this.props, this.propsIndex, this.expr(props, scope, `${where}.properties`, true) as ExprRecord);
      }
    }
    const headers = ep.headers;
    if (headers !== undefined && headers !== null) {
      if (!isObject(headers)) this.fail("endpoint headers must be an object", where);
      const h: Record<string, Expr[]> = {};
      for (const name of Object.keys(headers)) {
        const values = headers[name];
        if (!Array.isArray(values)) this.fail(`header ${name} must be a list`, where);
        h[name] = values.map((v, i) => this.expr(v, scope, `${where}.headers.${name}[${i}]`, false));
      }
      if (Object.keys(h).length) out.h = h;
    }
    return out;
  }

  rules(list: Json | undefined, scope: ReadonlyMap<string, number>, where: string): Rule[] {
    if (!Array.isArray(list)) this.fail("rules must be a list", where);
    const out: Rule[] = [];
    for (let n = 0; n < list.length; n++) {
      const r = list[n];
      const w = `${where}[${n}]`;
      if (!isObject(r)) this.fail("a rule must be an object", w);
      const inner = new Map(scope);
      const rule: (number | Rule[])[] = [];
      const conditions = r.conditions ?? [];
      if (!Array.isArray(conditions)) this.fail("conditions must be a list", w);
      for (let k = 0; k < conditions.length; k++) {
        const c = conditions[k];
        const cw = `${w}.conditions[${k}]`;
        if (!isObject(c) || typeof c.fn !== "string") this.fail("a condition must be a function call", cw);
        const idx = this.intern(this.conds, this.condIndex, this.call(c, inner, cw));
        rule.push(idx);
        if (c.assign !== undefined) {
          if (typeof c.assign !== "string") this.fail("assign must be a string", cw);
          if (inner.has(c.assign)) this.fail(`${c.assign} is already defined`, cw);
          inner.set(c.assign, this.params.length + idx);
        }
      }
      if (r.type === "endpoint") {
        rule.push(this.intern(this.results, this.resultIndex, this.endpoint(r.endpoint, inner, `${w}.endpoint`) as Result));
      } else if (r.type === "error") {
        if (r.error === undefined) this.fail("error rule without error", w);
        rule.push(this.intern(this.results, this.resultIndex, this.expr(r.error, inner, `${w}.error`, false)));
      } else if (r.type === "tree") {
        rule.push(this.rules(r.rules, inner, `${w}.rules`));
      } else {
        this.fail(`unknown rule type ${JSON.stringify(r.type)}`, w);
      }
      out.push(rule);
      // Nothing after an unconditional endpoint or error rule can be reached.
      if (conditions.length === 0 && r.type !== "tree") break;
    }
    return out;
  }
}

/** Every name a rule refers to: `{"ref": name}` objects and `{name}` / `{name#path}` in strings. */
function referencedNames(x: unknown, out = new Set<string>()): Set<string> {
  if (typeof x === "string") {
    for (const m of x.replace(/\{\{|\}\}/g, "").matchAll(/\{([^}#]*)/g)) out.add(m[1]!);
  } else if (Array.isArray(x)) {
    for (const item of x) referencedNames(item, out);
  } else if (isObject(x)) {
    if (typeof x.ref === "string") out.add(x.ref);
    for (const k of Object.keys(x)) if (k !== "documentation") referencedNames(x[k], out);
  }
  return out;
}

const PARAM_TYPES: Record<string, 0 | 1 | 2> = { string: 0, boolean: 1, stringarray: 2 };

/** Compacts and validates an endpoint-rule-set-1.json document. Throws on an invalid one. */
export function compactRuleSet(json: unknown): RuleSet {
  if (!isObject(json)) throw new Error("endpoint rule set: not an object");
  const c = new Compactor();
  const scope = new Map<string, number>();
  const params = json.parameters ?? {};
  if (!isObject(params)) throw new Error("endpoint rule set: parameters must be an object");
  // A parameter no rule refers to cannot change the result: it is not kept, so clients
  // neither bind it nor key their cache on it (S3's Key, Prefix and CopySource).
  const used = referencedNames(json.rules);
  for (const name of Object.keys(params)) {
    if (!used.has(name)) continue;
    const p = params[name];
    if (!isObject(p) || typeof p.type !== "string") throw new Error(`endpoint rule set: parameter ${name} has no type`);
    const t = PARAM_TYPES[p.type.toLowerCase()];
    if (t === undefined) throw new Error(`endpoint rule set: parameter ${name} has unknown type ${p.type}`);
    const def: { n: string; t?: 1 | 2; r?: 1; d?: string | boolean | string[]; b?: string } = { n: name };
    if (t) def.t = t;
    if (p.required === true) def.r = 1;
    if (p.default !== undefined && p.default !== null) {
      const d = p.default;
      const ok = t === 0 ? typeof d === "string" : t === 1 ? typeof d === "boolean" : Array.isArray(d) && d.every((x) => typeof x === "string");
      if (!ok) throw new Error(`endpoint rule set: parameter ${name} has a default of the wrong type`);
      def.d = d as string | boolean | string[];
    }
    if (typeof p.builtIn === "string") def.b = p.builtIn;
    scope.set(name, c.params.length);
    c.params.push(def);
  }
  const t = c.rules(json.rules, scope, "rules");
  return { p: c.params, c: c.conds, r: c.results, q: c.props, t };
}

/**
 * Partition data as the engine reads it: region descriptions dropped, and the regions the
 * engine finds as well by regular expression: a region with no output overrides, listed by one
 * partition only, which is also the first partition whose regionRegex matches it (aws.partition
 * gives the same outputs whether it is listed or not; test/endpoints/unit.test.ts checks every
 * region of the model).
 */
export function compactPartitions(json: unknown): Partitions {
  if (!isObject(json) || !Array.isArray(json.partitions)) throw new Error("partitions.json: no partitions list");
  const all: Partition[] = json.partitions.map((p) => {
    if (!isObject(p) || typeof p.id !== "string" || typeof p.regionRegex !== "string" || !isObject(p.outputs) || !isObject(p.regions)) {
      throw new Error("partitions.json: a partition needs id, regionRegex, regions and outputs");
    }
    new RegExp(p.regionRegex); // fails the build on a regex JS cannot compile
    const regions: Record<string, Record<string, unknown>> = {};
    for (const name of Object.keys(p.regions)) {
      const r = p.regions[name];
      const overrides: Record<string, unknown> = {};
      if (isObject(r)) for (const k of Object.keys(r)) if (k !== "description") overrides[k] = r[k];
      regions[name] = overrides;
    }
    return { id: p.id, regionRegex: p.regionRegex, regions, outputs: p.outputs as unknown as Partition["outputs"] };
  });
  const foundByRegex = (name: string, p: Partition): boolean =>
    all.filter((x) => Object.hasOwn(x.regions, name)).length === 1 && all.find((x) => new RegExp(x.regionRegex).test(name)) === p;
  const partitions = all.map((p) => {
    const regions: Record<string, Record<string, unknown>> = {};
    for (const [name, overrides] of Object.entries(p.regions)) {
      if (Object.keys(overrides).length > 0 || !foundByRegex(name, p)) regions[name] = overrides;
    }
    return { ...p, regions };
  });
  return { partitions };
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Deterministic JS source for JSON-like data: no whitespace, bare keys where possible. */
export function toSource(x: unknown): string {
  if (x === null || x === undefined) return "null";
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "number" || typeof x === "boolean") return String(x);
  if (Array.isArray(x)) return `[${x.map(toSource).join(",")}]`;
  const o = x as Record<string, unknown>;
  const body = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .map((k) => `${IDENT.test(k) ? k : JSON.stringify(k)}:${toSource(o[k])}`)
    .join(",");
  return `{${body}}`;
}

/** The JS expression for a service's rule set ("null" when the service has none). */
export function compactRuleSetSource(json: unknown): string {
  return json === null || json === undefined ? "null" : toSource(compactRuleSet(json));
}

/** The JS expression for generated/_root/partitions.js. */
export function compactPartitionsSource(json: unknown): string {
  return toSource(compactPartitions(json));
}
