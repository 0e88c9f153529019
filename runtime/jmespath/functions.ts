// The JMESPath built-in function library. Each function declares its parameters as type
// unions ("array|string", "array-number|array-string", "expref", "any"); `callFunction`
// checks the arity (`invalid-arity`) and every argument's type (`invalid-type`) before the
// body runs, so the bodies only handle valid input. Unknown names raise `unknown-function`.
// Strings are measured and reversed by code point; sorting is stable.
import { fail } from "./errors.js";
import { ExpRef, equal, isObject, scalar, typeOf } from "./values.js";

interface Fn {
  /** One type union per parameter; with `variadic`, the last may repeat (at least once). */
  params: string[];
  variadic?: boolean;
  body: (args: any[]) => unknown;
}

const compare = (a: unknown, b: unknown): number => {
  const x = scalar(a) as string | number;
  const y = scalar(b) as string | number;
  return x < y ? -1 : x > y ? 1 : 0;
};

const numberPattern = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Keys of `list` by `ref`, all numbers or all strings (the type of the first). */
function keysBy(name: string, list: unknown[], ref: ExpRef): unknown[] {
  const keys = list.map((item) => ref.run(item));
  const type = keys.length ? typeOf(keys[0]) : "number";
  if ((type !== "number" && type !== "string") || keys.some((k) => typeOf(k) !== type))
    fail("invalid-type", `${name}: the expression must give all numbers or all strings`);
  return keys;
}

function extremeBy(name: string, list: unknown[], ref: ExpRef, sign: number): unknown {
  const keys = keysBy(name, list, ref);
  let best = -1;
  keys.forEach((k, i) => {
    if (best < 0 || compare(k, keys[best]) * sign > 0) best = i;
  });
  return best < 0 ? null : list[best];
}

function extreme(list: unknown[], sign: number): unknown {
  let best: unknown = null;
  for (const v of list) if (best === null || compare(v, best) * sign > 0) best = v;
  return best;
}

const base64 = (bytes: Uint8Array): string => {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
};

const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);

const FUNCTIONS: Record<string, Fn> = {
  abs: { params: ["number"], body: ([n]) => Math.abs(n) },
  avg: { params: ["array-number"], body: ([l]) => (l.length ? sum(l) / l.length : null) },
  ceil: { params: ["number"], body: ([n]) => Math.ceil(n) },
  contains: {
    params: ["array|string", "any"],
    body: ([subject, search]) =>
      Array.isArray(subject)
        ? subject.some((v) => equal(v, search))
        : typeOf(search) === "string" && (scalar(subject) as string).includes(scalar(search) as string),
  },
  ends_with: { params: ["string", "string"], body: ([s, x]) => (scalar(s) as string).endsWith(scalar(x) as string) },
  floor: { params: ["number"], body: ([n]) => Math.floor(n) },
  join: { params: ["string", "array-string"], body: ([sep, l]) => l.map(scalar).join(scalar(sep)) },
  keys: { params: ["object"], body: ([o]) => Object.keys(o).filter((k) => o[k] !== undefined) },
  length: {
    params: ["string|array|object"],
    body: ([v]) =>
      Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : [...(scalar(v) as string)].length,
  },
  map: { params: ["expref", "array"], body: ([ref, l]) => l.map((v: unknown) => ref.run(v)) },
  max: { params: ["array-number|array-string"], body: ([l]) => extreme(l, 1) },
  max_by: { params: ["array", "expref"], body: ([l, ref]) => extremeBy("max_by", l, ref, 1) },
  merge: {
    params: ["object"],
    variadic: true,
    body: (objs) => Object.assign({}, ...objs),
  },
  min: { params: ["array-number|array-string"], body: ([l]) => extreme(l, -1) },
  min_by: { params: ["array", "expref"], body: ([l, ref]) => extremeBy("min_by", l, ref, -1) },
  not_null: { params: ["any"], variadic: true, body: (args) => args.find((v) => v !== null) ?? null },
  reverse: {
    params: ["string|array"],
    body: ([v]) => (Array.isArray(v) ? [...v].reverse() : [...(scalar(v) as string)].reverse().join("")),
  },
  sort: { params: ["array-number|array-string"], body: ([l]) => [...l].sort(compare) },
  sort_by: {
    params: ["array", "expref"],
    body: ([l, ref]) => {
      const keys = keysBy("sort_by", l, ref);
      return l
        .map((v: unknown, i: number) => i)
        .sort((i: number, j: number) => compare(keys[i], keys[j]))
        .map((i: number) => l[i]);
    },
  },
  starts_with: {
    params: ["string", "string"],
    body: ([s, x]) => (scalar(s) as string).startsWith(scalar(x) as string),
  },
  sum: { params: ["array-number"], body: ([l]) => sum(l) },
  to_array: { params: ["any"], body: ([v]) => (Array.isArray(v) ? v : [v]) },
  to_number: {
    params: ["any"],
    body: ([v]) => (typeof v === "number" ? v : typeof v === "string" && numberPattern.test(v) ? Number(v) : null),
  },
  to_string: {
    params: ["any"],
    body: ([v]) =>
      typeOf(v) === "string"
        ? scalar(v)
        : v instanceof Uint8Array
          ? base64(v)
          : JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? base64(x) : x)),
  },
  type: { params: ["any"], body: ([v]) => typeOf(v) },
  values: { params: ["object"], body: ([o]) => Object.values(o).filter((v) => v !== undefined) },
};

function matches(type: string, v: unknown): boolean {
  const t = typeOf(v);
  if (type === "any") return t !== "expref";
  if (type.startsWith("array-")) return Array.isArray(v) && v.every((x) => typeOf(x) === type.slice(6));
  return t === type;
}

export function callFunction(name: string, args: unknown[]): unknown {
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) return fail("unknown-function", `unknown function ${name}()`);
  const { params, variadic } = fn;
  if (variadic ? args.length < params.length : args.length !== params.length)
    fail(
      "invalid-arity",
      `${name}() takes ${variadic ? "at least " : ""}${params.length} argument(s), got ${args.length}`,
    );
  args.forEach((v, i) => {
    const type = params[Math.min(i, params.length - 1)]!;
    if (!type.split("|").some((t) => matches(t, v)))
      fail("invalid-type", `${name}() argument ${i + 1} must be ${type}, got ${typeOf(v)}`);
  });
  return fn.body(args);
}

/** Whether `name` is a built-in function (the compiler checks names up front). */
export const isFunction = (name: string): boolean => Object.hasOwn(FUNCTIONS, name);
