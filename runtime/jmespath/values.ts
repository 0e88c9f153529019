// The JMESPath value model shared by the interpreter and the functions: type names,
// truthiness, equality, and the expression-reference wrapper. (The treatment of Date and
// Uint8Array is described in interpreter.ts.)
import type { Node } from "./parser.js";

/** An expression reference (`&expr`) as a function argument. */
export class ExpRef {
  constructor(
    readonly node: Node,
    private readonly evaluate: (node: Node, value: unknown) => unknown,
  ) {}
  /** Evaluates the referenced expression against `value`. */
  run(value: unknown): unknown {
    return this.evaluate(this.node, value);
  }
}

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof Uint8Array) &&
  !(v instanceof ExpRef);

/** The JMESPath type name of a value (see the module comment for Date and Uint8Array). */
export function typeOf(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string" || v instanceof Date) return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "array";
  if (v instanceof Uint8Array) return "blob";
  if (v instanceof ExpRef) return "expref";
  return "object";
}

/** A Date as its ISO string; anything else unchanged. */
export const scalar = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === "") return false;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (isObject(v)) {
    for (const _ in v) return true;
    return false;
  }
  return true;
}

export function equal(a: unknown, b: unknown): boolean {
  a = scalar(a ?? null);
  b = scalar(b ?? null);
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (a instanceof Uint8Array) return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}
