// The runtime JMESPath engine beyond the compliance suite: the public API (compile, search,
// the parse cache), JmesPathError, and the SDK-specific values (Date as its ISO string,
// Uint8Array as an opaque scalar), as documented in runtime/jmespath/interpreter.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { JmesPathError, compile, search } from "../../runtime/jmespath/index.js";
import { TsawsError } from "../../runtime/errors.js";

const kind = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof JmesPathError ? e.kind : `not a JmesPathError: ${String(e)}`;
  }
  return undefined;
};

test("compile returns a reusable search; errors are typed", () => {
  const c = compile("a[?b > `1`].c");
  assert.deepEqual(
    c.search({
      a: [
        { b: 1, c: "x" },
        { b: 2, c: "y" },
      ],
    }),
    ["y"],
  );
  assert.deepEqual(c.search({}), null);
  assert.equal(
    kind(() => compile("a[")),
    "syntax",
  );
  assert.equal(
    kind(() => search("length(`1`)", {})),
    "invalid-type",
  );
  assert.equal(
    kind(() => search("length()", {})),
    "invalid-arity",
  );
  assert.equal(
    kind(() => search("nope()", {})),
    "unknown-function",
  );
  assert.equal(
    kind(() => search("a[::0]", {})),
    "invalid-value",
  );
  const err = (() => {
    try {
      compile("a[");
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof TsawsError && err.name === "JmesPathError");
});

test("the parse cache keeps results correct across many expressions", () => {
  for (let i = 0; i < 200; i++) assert.equal(search(`a${i % 70}`, { [`a${i % 70}`]: i }), i);
  assert.equal(search("a1", { a1: "again" }), "again");
});

test("missing data is null, never undefined", () => {
  assert.equal(search("@", undefined), null);
  assert.equal(search("a", { a: undefined }), null);
  assert.deepEqual(search("keys(@)", { a: 1, b: undefined }), ["a"]);
  assert.deepEqual(search("*", { a: 1, b: undefined }), [1]);
});

test("Date values act as their ISO-8601 string", () => {
  const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  const iso = "2024-01-02T03:04:05.000Z";
  const data = { t: d, ts: [new Date(Date.UTC(2025, 0, 1)), d], same: new Date(d.getTime()) };
  assert.equal(search("t", data), d); // selection returns the Date itself
  assert.equal(search("type(t)", data), "string");
  assert.equal(search(`t == '${iso}'`, data), true);
  assert.equal(search("t == same", data), true);
  assert.equal(search("t < same", data), null); // ordering is number-only
  assert.equal(search("to_string(t)", data), iso);
  assert.equal(search("starts_with(t, '2024-01')", data), true);
  assert.equal(search("length(t)", data), iso.length);
  assert.deepEqual(search("sort(ts)", data), [d, data.ts[0]]);
  assert.equal(search("max(ts)", data), data.ts[0]);
  assert.deepEqual(
    search("sort_by(@, &t)[].n", [
      { n: 1, t: data.ts[0] },
      { n: 2, t: d },
    ]),
    [2, 1],
  );
  assert.equal(search("to_string(@)", { t: d }), `{"t":"${iso}"}`);
  assert.equal(search("t && 'yes'", data), "yes");
});

test("Uint8Array values are opaque scalars", () => {
  const data = { b: new Uint8Array([104, 105]), e: new Uint8Array(0), c: new Uint8Array([104, 105]) };
  assert.equal(search("b", data), data.b);
  assert.equal(search("type(b)", data), "blob");
  assert.equal(search("b[0]", data), null); // not an array
  assert.equal(search("b[*]", data), null);
  assert.equal(search("b == c", data), true);
  assert.equal(search("b == e", data), false);
  assert.equal(search("e || 'empty'", data), "empty");
  assert.equal(search("to_string(b)", data), "aGk=");
  assert.equal(search("to_string(@)", { b: data.b }), '{"b":"aGk="}');
  assert.equal(
    kind(() => search("length(b)", data)),
    "invalid-type",
  );
  assert.deepEqual(search("to_array(b)", data), [data.b]);
});

test("strings are measured and reversed by code point", () => {
  assert.equal(search("length(s)", { s: "a😀b" }), 3);
  assert.equal(search("reverse(s)", { s: "a😀b" }), "b😀a");
});
