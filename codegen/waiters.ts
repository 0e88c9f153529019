// Emits a service's waiters (waiters-2.json): per waiter a spec constant in index.js (the
// operation, the model's delay and attempts, the acceptors in order with every `path`,
// `pathAll` and `pathAny` argument compiled from JMESPath to a function), a standalone
// `waitForX(client, input, options)` export and the full client's `waitFor`; in index.d.ts
// `<Cls>Waiters` and the standalone functions, typed from the operation's Input/Output; in
// checks.ts each compiled path compared with its expected value over the output type, so a
// path that does not exist, or an expected value its type cannot hold, fails `make typecheck`.
// An argument the JMESPath compiler does not support stays a string the runtime interpreter
// evaluates (noted in index.js); a waiter with an unknown matcher or state is not generated
// (noted in index.js and index.d.ts). Neither happens with the current models.
import type { HelperContext, HelperPart } from "./paginators.ts";
import { compileOrExplain, startPart } from "./paginators.ts";
import { htmlToMarkdown, jsdoc } from "./docs.ts";

interface BotoAcceptor {
  matcher: string;
  state: string;
  expected: unknown;
  argument?: string;
}

interface BotoWaiter {
  operation: string;
  delay: number;
  maxAttempts: number;
  description?: string;
  acceptors: BotoAcceptor[];
}

const STATES = new Set(["success", "failure", "retry"]);
const PATHS = new Set(["path", "pathAll", "pathAny"]);

export function emitWaiters(ctx: HelperContext): HelperPart {
  const { files, cls } = ctx;
  const table = (files.waiters?.waiters ?? {}) as Record<string, BotoWaiter>;
  const start = startPart(ctx, "waiter", "#runtime/waiter", Object.keys(table).length);
  const { part, byName, v, members, entries, methods } = start;
  for (const name of Object.keys(table).sort()) {
    const w = table[name]!;
    const skip = (why: string): void => start.skip(name, why);
    const op = byName.get(w.operation);
    if (!op) {
      skip(`its operation ${w.operation} is not in the service model`);
      continue;
    }
    if (!(w.delay >= 0) || !(w.maxAttempts >= 1)) {
      skip(`invalid delay ${w.delay} or maxAttempts ${w.maxAttempts}`);
      continue;
    }
    const bad = w.acceptors.find(
      (a) =>
        !STATES.has(a.state) ||
        !(PATHS.has(a.matcher) || a.matcher === "status" || a.matcher === "error") ||
        (PATHS.has(a.matcher) && typeof a.argument !== "string") ||
        (a.matcher === "status" && typeof a.expected !== "number") ||
        (a.matcher === "error" && typeof a.expected !== "string" && typeof a.expected !== "boolean"),
    );
    if (bad) {
      skip(`unsupported acceptor ${JSON.stringify(bad)}`);
      continue;
    }
    const method = start.claim(name);
    if (method === undefined) continue;

    const typed: string[] = [];
    const acceptors = w.acceptors.map((a) => {
      const base = `s: ${JSON.stringify(a.state)}, m: ${JSON.stringify(a.matcher)}`;
      if (!PATHS.has(a.matcher)) return `{ ${base}, e: ${JSON.stringify(a.expected)} }`;
      const list = a.matcher !== "path";
      const c = compileOrExplain(a.argument!, "o", list);
      const expected = JSON.stringify(a.expected);
      const fields = `${base}, a: ${JSON.stringify(a.argument)}, e: ${expected}`;
      if ("error" in c) {
        part.notes.push(`waiter ${name}: ${a.matcher} ${JSON.stringify(a.argument)} runs in the JMESPath interpreter (${c.error})`);
        typed.push(`  // ${a.matcher} ${JSON.stringify(a.argument)} is not compiled: ${c.error}`);
        return `{ ${fields} }`;
      }
      typed.push(list ? `  void (${c.ts}).every((v) => v === ${expected});` : `  void ((${c.ts}) === ${expected});`);
      return `{ ${fields}, f: (o) => ${c.ts} }`;
    });
    part.ts += `//!\nconst w_${name} = { n: ${JSON.stringify(name)}, o: ${op.constName}, d: ${w.delay}, a: ${w.maxAttempts}, c: [${acceptors.join(", ")}] };\n`;
    part.ts += `export function waitFor${name}(client, input, options) {\n  return $waitUntil(client, w_${name}, input, options);\n}\n`;
    entries.push(`${JSON.stringify(method)}: w_${name}`);

    const input = `input${op.optional ? "?" : ""}: T.${w.operation}Input`;
    const result = `Promise<WaiterResult<T.${w.operation}Output>>`;
    const doc = [
      ...htmlToMarkdown(w.description),
      ...(w.description ? [""] : []),
      `Calls {@link ${cls}.${op.method}} until it reaches a success state: every ${w.delay} s, at most ${w.maxAttempts} times ` +
        "(override with `delay` / `maxAttempts`), or with backoff within `maxWaitSeconds`.",
      "Rejects with WaiterFailureError (failure state, unexpected error), WaiterTimeoutError, or AbortError.",
    ];
    members.push(`${jsdoc(doc, "  ")}  ${method}(${input}, options?: WaiterOptions): ${result};\n`);
    part.dts += jsdoc([...doc, "", `The standalone form of \`${v}.waitFor.${method}\`, for the bare {@link ${cls}Client}.`]);
    part.dts += `export declare function waitFor${name}(client: ${cls}Client, ${input}, options?: WaiterOptions): ${result};\n`;
    part.checks += `export function waitFor${name}(o: T.${w.operation}Output): void {\n${typed.join("\n")}\n}\n\n`;
    part.generated++;
  }
  if (part.generated > 0) {
    part.imports.values.push("waitUntil as $waitUntil", "bindWaiters as $bindWaiters");
    part.imports.types.push("WaiterOptions", "WaiterResult");
    part.ts += `//!\nconst $waiters = { ${entries.join(", ")} };\n`;
    part.classJs = `waitFor = $bindWaiters(this, $waiters);\n`;
    part.dts = `/** The waiters of {@link ${cls}}, as \`${v}.waitFor\`: \`await ${v}.waitFor.x(input, { maxWaitSeconds: 60 })\`. */\nexport interface ${cls}Waiters {\n${members.join("")}}\n\n${part.dts}`;
    part.classDts = `  /** Waiters: \`await ${v}.waitFor.${[...methods][0]}(input, { maxWaitSeconds: 60 })\`. */\n  readonly waitFor: ${cls}Waiters;\n`;
  }
  return part;
}

