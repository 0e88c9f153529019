// Seeded random data shaped like a model's output (what the protocol parsers produce: Date
// for timestamps, Uint8Array for blobs, plain objects and arrays), for the end-to-end
// differential tests of the generated paginators and waiters. Strings come from a pool (the
// shape's enum values plus the literals the caller passes) so comparisons take both branches.
import type { BotoShape } from "../../codegen/model.ts";

/** mulberry32 (test/support/prng.ts): a small deterministic PRNG. */
export { mulberry32 as rng } from "../support/prng.ts";

export interface SampleOptions {
  random: () => number;
  /** Strings to draw from (besides enum values). */
  strings: readonly string[];
  /** Probability that an optional member is present. */
  presence?: number;
}

export function sample(shapes: Record<string, BotoShape>, name: string, o: SampleOptions, depth = 0): unknown {
  const s = shapes[name];
  if (!s) return undefined;
  const r = o.random;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  switch (s.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      if (depth > 5) return out;
      const members = Object.entries(s.members ?? {});
      if (s.union) {
        if (members.length) {
          const [k, m] = pick(members);
          out[k] = sample(shapes, m.shape, o, depth + 1);
        }
        return out;
      }
      for (const [k, m] of members) {
        if (r() < (o.presence ?? 0.75)) {
          const v = sample(shapes, m.shape, o, depth + 1);
          if (v !== undefined) out[k] = v;
        }
      }
      return out;
    }
    case "list": {
      if (depth > 5) return [];
      const n = Math.floor(r() * 4);
      return Array.from({ length: n }, () => sample(shapes, s.member!.shape, o, depth + 1)).filter((v) => v !== undefined);
    }
    case "map": {
      if (depth > 5) return {};
      const n = Math.floor(r() * 3);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) out[`k${i}`] = sample(shapes, s.value!.shape, o, depth + 1);
      return out;
    }
    case "string":
      if (s.enum?.length) return r() < 0.85 ? pick(s.enum) : pick([...o.strings, "other"]);
      return pick([...o.strings, "", "token-a", "token-b"]);
    case "boolean":
      return r() < 0.5;
    case "integer":
    case "long":
    case "short":
    case "byte":
      return Math.floor(r() * 4);
    case "float":
    case "double":
      return Math.floor(r() * 8) / 2;
    case "timestamp":
      return new Date(1_700_000_000_000 + Math.floor(r() * 1e6));
    case "blob":
      return new Uint8Array([Math.floor(r() * 256)]);
    case "bigInteger":
    case "bigDecimal":
      return "1";
    default:
      return undefined;
  }
}
