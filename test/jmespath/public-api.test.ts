// The JMESPath engine as users reach it: `import { search } from "tsaws"`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { search, compileJmesPath, JmesPathError } from "tsaws";

test("search and compileJmesPath from the package root", () => {
  const data = { Reservations: [{ Instances: [{ State: { Name: "running" } }, { State: { Name: "stopped" } }] }] };
  assert.deepEqual(search("Reservations[].Instances[].State.Name", data), ["running", "stopped"]);
  const running = compileJmesPath("length(Reservations[].Instances[?State.Name=='running'][])");
  assert.equal(running.search(data), 1);
  assert.throws(() => search("Reservations[", data), JmesPathError);
});
