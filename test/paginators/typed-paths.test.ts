// The generator's type safety for paginator and waiter paths: the golden model, and copies
// of it with one path broken, are emitted and their checks.ts + index.d.ts type-checked with
// tsc (as `make typecheck` does for every service). The intact model must compile; a token
// naming a missing member, a waiter path through a missing member, and an expected value of
// the wrong type must each fail on the right line. Paths the generator rejects itself (a
// result key that is not an output member) and JMESPath the compiler does not support
// (kept for the interpreter) must leave a note instead of vanishing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadService, type ServiceFiles } from "../../codegen/model.ts";
import { emitService } from "../../codegen/emit.ts";
import { compactRuleSetSource } from "../../codegen/ruleset.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

type Mutation = (f: ServiceFiles) => void;
type Waiters = Record<string, { acceptors: { argument?: string; expected: unknown; matcher: string }[] }>;
type Pagination = Record<string, Record<string, unknown>>;

const waiters = (f: ServiceFiles) => f.waiters!.waiters as Waiters;
const pagination = (f: ServiceFiles) => f.paginators!.pagination as Pagination;

const variants: Record<string, { mutate: Mutation; error?: RegExp }> = {
  intact: { mutate: () => {} },
  "token-member": { mutate: (f) => void (pagination(f).ListWidgets!.output_token = "NextTokn"), error: /checks\.ts.*Property 'NextTokn' does not exist/ },
  "waiter-member": {
    mutate: (f) => void (waiters(f).WidgetAssembled!.acceptors[3]!.argument = "Widget.Colour"),
    error: /checks\.ts.*Property 'Colour' does not exist/,
  },
  "waiter-expected-type": {
    mutate: (f) => void (waiters(f).WidgetAssembled!.acceptors[3]!.expected = 5),
    error: /checks\.ts.*error TS2367: This comparison appears to be unintentional/,
  },
  "waiter-list-member": {
    mutate: (f) => void (waiters(f).WidgetsListed!.acceptors[0]!.argument = "Widgets[].Colour"),
    error: /checks\.ts.*Property 'Colour' does not exist/,
  },
};

function emit(mutate: Mutation): Record<string, string> {
  const files = loadService("golden", join(ROOT, "test/golden/models"));
  mutate(files);
  return emitService(files, compactRuleSetSource).files;
}

test("checks.ts type-checks the golden paths and rejects broken ones", () => {
  const dir = mkdtempSync(join(ROOT, "test/paginators/.typed-"));
  try {
    for (const [name, v] of Object.entries(variants)) {
      mkdirSync(join(dir, name));
      for (const [f, text] of Object.entries(emit(v.mutate))) if (f.endsWith(".ts")) writeFileSync(join(dir, name, f), text);
    }
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: "../../../tsconfig.generated.json",
        compilerOptions: { customConditions: ["tsaws-source"], types: ["node"] },
        include: ["*/checks.ts", "*/index.d.ts"],
      }),
    );
    let out = "";
    try {
      execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    const errors = out.split("\n").filter((l) => /error TS\d+/.test(l));
    for (const [name, v] of Object.entries(variants)) {
      const mine = errors.filter((l) => l.includes(`/${name}/`));
      if (!v.error) assert.deepEqual(mine, [], `${name} must compile`);
      else {
        assert.equal(mine.length, 1, `${name}: expected one error, got:\n${mine.join("\n")}`);
        assert.match(mine[0]!, v.error);
      }
    }
    assert.equal(errors.length, Object.values(variants).filter((v) => v.error).length, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a result key that is not an output member is reported, not dropped", () => {
  const files = emit((f) => void (pagination(f).ListWidgets!.result_key = "Widgetz"));
  const note = "paginator ListWidgets is not generated: the result key Widgetz is not a member path of the output";
  assert.ok(files["index.js"]!.includes(`// tsaws: ${note}`));
  assert.ok(files["index.d.ts"]!.includes(`// tsaws: ${note}`));
  assert.ok(!files["index.js"]!.includes("paginateListWidgets"));
});

test("JMESPath the compiler does not support runs in the interpreter, with a note", () => {
  const files = emit((f) => {
    waiters(f).WidgetAssembled!.acceptors[0]!.argument = "sort(Widget.Parts[].Name)";
    pagination(f).ListWidgets!.output_token = "max_by(Widgets, &WidgetId).WidgetId";
  });
  const js = files["index.js"]!;
  assert.match(js, /\/\/ tsaws: waiter WidgetAssembled: pathAll "sort\(Widget.Parts\[\].Name\)" runs in the JMESPath interpreter/);
  assert.match(js, /\/\/ tsaws: paginator ListWidgets: output token "max_by\(Widgets, &WidgetId\).WidgetId" runs in the JMESPath interpreter/);
  assert.match(js, /a: "sort\(Widget.Parts\[\].Name\)", e: "done" \}/, "the acceptor keeps its expression and has no compiled f");
  assert.match(js, /t: \["max_by\(Widgets, &WidgetId\).WidgetId"\]/);
  assert.match(files["checks.ts"]!, /is not compiled/);
});
