// Tests counted for a file's one-line summary (`<label>: N passed, N failed, N skipped`), printed
// after the file's tests. A case given `{ todo: reason }` still runs but is reported as skipped
// with its reason, so a known gap stays visible in the totals instead of failing the run.
import { after, test } from "node:test";

export type CountedTest = (name: string, ...args: [() => unknown] | [{ todo: string }, () => unknown]) => void;

export function countedTests(label: string): CountedTest {
  const tally = { passed: 0, failed: 0, todo: [] as string[] };
  after(() => {
    const reasons = tally.todo.length ? ` (todo: ${tally.todo.join("; ")})` : "";
    console.log(`${label}: ${tally.passed} passed, ${tally.failed} failed, ${tally.todo.length} skipped${reasons}`);
  });
  return (name, ...args) => {
    const [options, fn] = args.length === 2 ? args : [undefined, args[0]];
    if (options) tally.todo.push(options.todo);
    test(name, options ?? {}, async () => {
      try {
        await fn();
        if (!options) tally.passed++;
      } catch (e) {
        if (!options) tally.failed++;
        throw e;
      }
    });
  };
}
