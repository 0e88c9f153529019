// JMESPath interpreter: a recursive walk of the AST over plain JSON-like data, plus the
// value model the functions share (type names, truthiness, equality).
//
// SDK data is JSON plus two kinds of values JSON lacks, and both are scalars here:
// - Date (timestamps) behaves as its ISO-8601 UTC string (`toISOString()`): `type()` is
//   "string", it equals that string (and an equal Date), and functions that take
//   strings (sort, max, starts_with, length, ...) see that string. Selecting a Date
//   returns the Date itself. Ordering operators (`<` ...) stay number-only, as the spec says.
// - Uint8Array (blobs) is an opaque scalar, never an array: `type()` is "blob" (outside
//   the spec's six names), it is truthy when non-empty, equals a blob with the same bytes,
//   is rejected by functions that need a string or an array, and `to_string` renders it
//   as base64 (as the JSON protocols do).
// Missing members and out-of-range indexes are null, so `undefined` never leaks out.
import { fail } from "./errors.js";
import type { Node } from "./parser.js";
import { callFunction } from "./functions.js";
import { ExpRef, equal, isObject, truthy, type JsonObject } from "./values.js";

const project = (list: unknown, right: Node, keep: (v: unknown) => boolean = () => true): unknown => {
  if (!Array.isArray(list)) return null;
  const out: unknown[] = [];
  for (const item of list) {
    if (!keep(item)) continue;
    const v = evaluate(right, item);
    if (v !== null) out.push(v);
  }
  return out;
};

export function evaluate(node: Node, value: unknown): unknown {
  switch (node.type) {
    case "field":
      return isObject(value) && Object.hasOwn(value, node.name) ? (value[node.name] ?? null) : null;
    case "current":
      return value;
    case "literal":
      return node.value;
    case "index": {
      if (!Array.isArray(value)) return null;
      const i = node.index < 0 ? value.length + node.index : node.index;
      return i >= 0 && i < value.length ? (value[i] ?? null) : null;
    }
    case "slice":
      return Array.isArray(value) ? slice(value, node.start, node.stop, node.step ?? 1) : null;
    case "sub":
      return evaluate(node.right, evaluate(node.left, value));
    case "pipe":
      return evaluate(node.right, evaluate(node.left, value));
    case "project":
      return project(evaluate(node.left, value), node.right);
    case "valueProject": {
      const obj = evaluate(node.left, value);
      return isObject(obj)
        ? project(
            Object.values(obj).filter((v) => v !== undefined),
            node.right,
          )
        : null;
    }
    case "filter":
      return project(evaluate(node.left, value), node.right, (item) => truthy(evaluate(node.cond, item)));
    case "flatten": {
      const list = evaluate(node.child, value);
      if (!Array.isArray(list)) return null;
      const out: unknown[] = [];
      for (const item of list) {
        if (Array.isArray(item)) out.push(...item);
        else out.push(item);
      }
      return out;
    }
    case "multiList":
      return value === null || value === undefined ? null : node.items.map((n) => evaluate(n, value));
    case "multiHash": {
      if (value === null || value === undefined) return null;
      const out: JsonObject = {};
      for (const [k, n] of node.entries) out[k] = evaluate(n, value);
      return out;
    }
    case "or": {
      const left = evaluate(node.left, value);
      return truthy(left) ? left : evaluate(node.right, value);
    }
    case "and": {
      const left = evaluate(node.left, value);
      return truthy(left) ? evaluate(node.right, value) : left;
    }
    case "not":
      return !truthy(evaluate(node.child, value));
    case "compare": {
      const a = evaluate(node.left, value);
      const b = evaluate(node.right, value);
      if (node.op === "==") return equal(a, b);
      if (node.op === "!=") return !equal(a, b);
      if (typeof a !== "number" || typeof b !== "number") return null;
      return node.op === "<" ? a < b : node.op === "<=" ? a <= b : node.op === ">" ? a > b : a >= b;
    }
    case "call":
      return callFunction(
        node.name,
        node.args.map((n) => (n.type === "expref" ? new ExpRef(n.child, evaluate) : evaluate(n, value))),
      );
    case "expref":
      return fail("invalid-type", "an expression reference (&) is only valid as a function argument");
  }
}

function slice(list: unknown[], start: number | null, stop: number | null, step: number): unknown[] {
  const len = list.length;
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) return Math.max(v + len, step < 0 ? -1 : 0);
    return Math.min(v, step < 0 ? len - 1 : len);
  };
  const from = clamp(start, step < 0 ? len - 1 : 0);
  const to = clamp(stop, step < 0 ? -1 : len);
  const out: unknown[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(list[i]);
  return out;
}
