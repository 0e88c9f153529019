// The one error type of the JMESPath engine. `kind` names the failure class used by the
// JMESPath compliance suite, so callers (and tests) can tell a malformed expression
// (`syntax`, raised while compiling) from a well-formed one applied to data of the wrong
// shape (`invalid-type`, `invalid-arity`, `invalid-value`, `unknown-function`, raised
// while searching; a few are detected already at compile time).
import { TsawsError } from "../errors.js";

export type JmesPathErrorKind = "syntax" | "invalid-type" | "invalid-arity" | "invalid-value" | "unknown-function";

export class JmesPathError extends TsawsError {
  override name = "JmesPathError";
  readonly kind: JmesPathErrorKind;
  constructor(kind: JmesPathErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** Throws a JmesPathError (an expression, so it fits in `??` and ternaries). */
export function fail(kind: JmesPathErrorKind, message: string): never {
  throw new JmesPathError(kind, message);
}
