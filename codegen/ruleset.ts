// Adapter between the generator and the endpoint rule-set compactor: the emitter asks for the
// JS source of a service's rule set and gets whatever form runtime/endpoints consumes.
export function compactRuleSetSource(ruleset: unknown): string {
  return JSON.stringify(ruleset);
}
