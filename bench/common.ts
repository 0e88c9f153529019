// Shared vocabulary of the bench: the contenders, the workloads, what a contender module
// provides, fixed test data, and small statistics helpers. Every contender gets the same
// data (same item, same 1 KiB object, same message) so only the client code differs.

export const CONTENDERS = ["raw", "tsaws", "v3", "aws-lite", "aws4fetch"] as const;
export type Contender = (typeof CONTENDERS)[number];

export const WORKLOADS = ["dynamodb", "s3", "sqs"] as const;
export type Workload = (typeof WORKLOADS)[number];

/** Where the local servers listen (written by bench/servers.ts). */
export interface Endpoints {
  dynamodb: string;
  s3: string;
  sqs: string;
}

/** The names every contender works against; per-contender keys keep runs apart. */
export const TABLE = "bench";
export const BUCKET = "bench";
export const QUEUE_ACCOUNT = "000000000000";
export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/**
 * Seeded once by the server process and only read afterwards: the cold-start reads, and every
 * GetObject (s3rver can serve a half-written file when a key is read right after a PUT to it,
 * so PUTs go to a per-contender key and GETs read this stable object).
 */
export const SEED_KEY = "seed";
export const SEED_OBJECT = "seed.bin";

export function queueName(c: Contender): string {
  return `bench-${c}`;
}

export function queueUrl(endpoint: string, c: Contender): string {
  return `${endpoint}/${QUEUE_ACCOUNT}/${queueName(c)}`;
}

/** 1 KiB object body, deterministic. */
export const OBJECT_BODY: Uint8Array = (() => {
  const b = new Uint8Array(1024);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
})();

/** A small, typical DynamoDB item in wire (AttributeValue) form. */
export function wireItem(pk: string): Record<string, Record<string, unknown>> {
  return {
    pk: { S: pk },
    name: { S: "Ada Lovelace" },
    email: { S: "ada@example.com" },
    visits: { N: "42" },
    active: { BOOL: true },
    tags: { SS: ["alpha", "beta", "gamma"] },
    profile: { M: { city: { S: "London" }, born: { N: "1815" } } },
    note: { S: "x".repeat(120) },
  };
}

/** The same item as plain JS values (for aws-lite, which marshalls itself). */
export function plainItem(pk: string): Record<string, unknown> {
  return {
    pk,
    name: "Ada Lovelace",
    email: "ada@example.com",
    visits: 42,
    active: true,
    tags: new Set(["alpha", "beta", "gamma"]),
    profile: { city: "London", born: 1815 },
    note: "x".repeat(120),
  };
}

export const MESSAGE_BODY = "hello from the bench: " + "m".repeat(180);

/**
 * What a contender provides for one workload: `setup` imports the library and constructs the
 * client (so cold start measures it), `call` does one iteration (two operations), `first`
 * does the single read operation used by the cold-start run, `close` frees sockets.
 */
export interface Harness {
  call(): Promise<void>;
  first(): Promise<void>;
  close(): void;
}

export type HarnessFactory = (endpoints: Endpoints) => Promise<Harness>;
export type ContenderModule = Record<Workload, HarnessFactory>;

/** Fails loudly when a response does not hold what the bench put there. */
export function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`bench: unexpected response: ${what}`);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`bench: ${name} must be a non-negative number, got ${v}`);
  return Math.floor(n);
}

export const QUICK = process.env.BENCH_QUICK === "1";
