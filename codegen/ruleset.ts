// Adapter between the generator and the endpoint rule-set compactor: the emitter asks for the
// JS source of a service's rule set and gets the compact form runtime/endpoints interprets.
import { compactRuleSetSource as compact } from "./endpoints.ts";

export function compactRuleSetSource(ruleset: unknown): string {
  return ruleset === null || ruleset === undefined ? "null" : compact(ruleset);
}
