// The event-stream framing (runtime/eventstream.ts) against frames assembled by hand in this
// file: every header type written byte by byte, CRCs from a bitwise CRC32 of the test's own
// (checked against the standard check value), so the decoder is never tested only against
// its own encoder. The streaming decoder is fed every split of a multi-message stream, and
// corrupt, truncated and stalled streams must fail with the documented error classes
// instead of hanging. The legacy conformance suites' base64 event-stream bodies (written by
// botocore's tests, not by tsaws) are decoded as outside vectors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  MAX_MESSAGE_LENGTH,
  decodeHeaders,
  decodeMessage,
  decodeMessages,
  encodeHeaders,
  encodeMessage,
  type EventHeaders,
  type EventStreamMessage,
} from "../../runtime/eventstream.ts";
import { NetworkError, ResponseParseError } from "../../runtime/errors.ts";
import { fromBase64, utf8 } from "../../runtime/encoding.ts";
import { countedTests } from "../support/counted.ts";

const counted = countedTests("eventstream framing");

// ---------------------------------------------------------------------------------------
// Independent helpers

/** Bitwise CRC-32 (IEEE, reflected 0xEDB88320): slow and obviously correct. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

/** A header written by hand: name length, name, type byte, value bytes. */
function hdr(name: string, type: number, value: number[] = []): number[] {
  return [name.length, ...ascii(name), type, ...value];
}

/** A whole frame from hand-written header bytes and a payload. */
function frame(headers: number[], payload: number[] | Uint8Array): Uint8Array {
  const body = [...payload];
  const total = 16 + headers.length + body.length;
  const prelude = [...u32(total), ...u32(headers.length)];
  const withCrc = [...prelude, ...u32(crc32(Uint8Array.from(prelude))), ...headers, ...body];
  return Uint8Array.from([...withCrc, ...u32(crc32(Uint8Array.from(withCrc)))]);
}

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<EventStreamMessage[]> {
  const out: EventStreamMessage[] = [];
  for await (const m of decodeMessages(source)) out.push(m);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Comparable form of a message (Uint8Array views and Dates compared by value). */
function plain(m: EventStreamMessage): unknown {
  const headers: Record<string, unknown> = {};
  for (const [k, h] of Object.entries(m.headers)) {
    const v = h.value;
    headers[k] = [h.type, v instanceof Uint8Array ? [...v] : v instanceof Date ? v.getTime() : v];
  }
  return { headers, body: [...m.body] };
}

// ---------------------------------------------------------------------------------------
// Vectors

// Every header type, written out byte by byte.
const ALL_TYPES_HEADERS = [
  ...hdr("t", 0),
  ...hdr("f", 1),
  ...hdr("byte", 2, [0xfe]), // -2
  ...hdr("short", 3, [0x80, 0x01]), // -32767
  ...hdr("int", 4, [0x00, 0x00, 0xa0, 0x0c]), // 40972
  ...hdr("long", 5, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]), // -2
  ...hdr("bytes", 6, [0x00, 0x03, 0x00, 0xff, 0x10]),
  ...hdr("str", 7, [0x00, 0x04, ...utf8("h\u00e9!")]), // é is two bytes
  ...hdr("ts", 8, [0x00, 0x00, 0x01, 0x4b, 0x20, 0x1a, 0xc4, 0x00]), // 1422172800000 ms
  ...hdr("id", 9, [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]),
];
const ALL_TYPES: EventHeaders = {
  t: { type: "boolean", value: true },
  f: { type: "boolean", value: false },
  byte: { type: "byte", value: -2 },
  short: { type: "short", value: -32767 },
  int: { type: "integer", value: 40972 },
  long: { type: "long", value: -2n },
  bytes: { type: "binary", value: Uint8Array.from([0x00, 0xff, 0x10]) },
  str: { type: "string", value: "h\u00e9!" },
  ts: { type: "timestamp", value: new Date(1422172800000) },
  id: { type: "uuid", value: "12345678-9abc-def0-0123-456789abcdef" },
};
const ALL_TYPES_FRAME = frame(ALL_TYPES_HEADERS, ascii("{'foo':'bar'}"));

const SIMPLE = [
  frame([], []),
  frame(hdr(":event-type", 7, [0, 5, ...ascii("Stats")]), ascii("<Stats/>")),
  ALL_TYPES_FRAME,
  frame(hdr(":message-type", 7, [0, 5, ...ascii("event")]), new Uint8Array(300).map((_, i) => i & 0xff)),
];
const STREAM = concat(...SIMPLE);

// ---------------------------------------------------------------------------------------

counted("the test's own CRC32 gives the standard check value", () => {
  assert.equal(crc32(utf8("123456789")), 0xcbf43926);
});

counted("an empty message is 16 bytes: prelude, its CRC, and the message CRC", async () => {
  const empty = frame([], []);
  assert.equal(empty.length, 16);
  assert.deepEqual(plain(await decodeMessage(empty)), { headers: {}, body: [] });
  assert.deepEqual([...(await encodeMessage({ headers: {}, body: new Uint8Array(0) }))], [...empty]);
});

counted("all ten header value types decode from hand-written bytes and encode back to the same bytes", async () => {
  const m = await decodeMessage(ALL_TYPES_FRAME);
  assert.deepEqual(plain(m), plain({ headers: ALL_TYPES, body: Uint8Array.from(ascii("{'foo':'bar'}")) }));
  assert.deepEqual(Object.keys(m.headers), Object.keys(ALL_TYPES), "wire order kept");
  assert.deepEqual([...encodeHeaders(ALL_TYPES)], ALL_TYPES_HEADERS);
  assert.deepEqual([...(await encodeMessage(m))], [...ALL_TYPES_FRAME]);
  assert.deepEqual(plain({ headers: decodeHeaders(Uint8Array.from(ALL_TYPES_HEADERS)), body: new Uint8Array(0) }), plain({ headers: ALL_TYPES, body: new Uint8Array(0) }));
});

counted("encode/decode round trips (deterministic pseudo-random messages)", async () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 200; i++) {
    const headers: EventHeaders = {};
    const count = rand(6);
    for (let h = 0; h < count; h++) {
      const name = `h${h}-${rand(1000)}`;
      switch (rand(9)) {
        case 0:
          headers[name] = { type: "boolean", value: rand(2) === 0 };
          break;
        case 1:
          headers[name] = { type: "byte", value: rand(256) - 128 };
          break;
        case 2:
          headers[name] = { type: "short", value: rand(65536) - 32768 };
          break;
        case 3:
          headers[name] = { type: "integer", value: rand(2 ** 31) * (rand(2) ? 1 : -1) };
          break;
        case 4:
          headers[name] = { type: "long", value: BigInt(rand(2 ** 31)) * BigInt(rand(2 ** 31)) * (rand(2) ? 1n : -1n) };
          break;
        case 5:
          headers[name] = { type: "binary", value: new Uint8Array(rand(40)).map(() => rand(256)) };
          break;
        case 6:
          headers[name] = { type: "string", value: "x\u20ac".repeat(rand(10)) };
          break;
        case 7:
          headers[name] = { type: "timestamp", value: new Date(rand(2 ** 31) * 1000 + rand(1000)) };
          break;
        default:
          headers[name] = { type: "uuid", value: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" };
      }
    }
    const message = { headers, body: new Uint8Array(rand(100)).map(() => rand(256)) };
    const encoded = await encodeMessage(message);
    assert.deepEqual(plain(await decodeMessage(encoded)), plain(message));
  }
});

counted("the streaming decoder yields the same messages for every split of a stream", async () => {
  const expected = await Promise.all(SIMPLE.map((f) => decodeMessage(f)));
  const want = expected.map(plain);
  assert.deepEqual((await collect(chunks(STREAM))).map(plain), want, "one chunk");
  // Every two-way split.
  for (let i = 1; i < STREAM.length; i++) {
    const got = await collect(chunks(STREAM.subarray(0, i), STREAM.subarray(i)));
    assert.deepEqual(got.map(plain), want, `split at ${i}`);
  }
  // Byte by byte, with empty chunks mixed in.
  const bytes = [...STREAM].flatMap((b, i) => (i % 7 === 0 ? [new Uint8Array(0), Uint8Array.of(b)] : [Uint8Array.of(b)]));
  assert.deepEqual((await collect(chunks(...bytes))).map(plain), want, "byte by byte");
  // Three-way splits around the message boundaries.
  const ends = SIMPLE.map((_, i) => SIMPLE.slice(0, i + 1).reduce((n, f) => n + f.length, 0));
  for (const end of ends.slice(0, -1)) {
    for (let d = -13; d <= 13; d++) {
      const a = Math.max(1, end + d);
      const b = Math.min(STREAM.length - 1, a + 5);
      const got = await collect(chunks(STREAM.subarray(0, a), STREAM.subarray(a, b), STREAM.subarray(b)));
      assert.deepEqual(got.map(plain), want, `splits at ${a} and ${b}`);
    }
  }
});

counted("a corrupted byte anywhere in a frame is a ResponseParseError, never a hang or a wrong message", async () => {
  for (const f of SIMPLE) {
    for (let i = 0; i < f.length; i++) {
      const bad = Uint8Array.from(f);
      bad[i] = bad[i]! ^ 0x40;
      // The source ends after the frame: a corrupt length must not be taken as "wait for more".
      await assert.rejects(collect(chunks(bad)), ResponseParseError, `byte ${i}`);
      // A bad prelude is noticed from the prelude alone.
      if (i < 12) await assert.rejects(collect(chunks(bad.subarray(0, 12))), /prelude checksum mismatch/, `prelude byte ${i}`);
    }
  }
  const payloadFlip = Uint8Array.from(ALL_TYPES_FRAME);
  payloadFlip[payloadFlip.length - 6] = payloadFlip[payloadFlip.length - 6]! ^ 1;
  await assert.rejects(decodeMessage(payloadFlip), /message checksum mismatch/);
  const preludeFlip = Uint8Array.from(ALL_TYPES_FRAME);
  preludeFlip[9] = preludeFlip[9]! ^ 1;
  await assert.rejects(decodeMessage(preludeFlip), /prelude checksum mismatch/);
});

counted("a bad prelude fails at once even when the source stalls afterwards", async () => {
  const bad = Uint8Array.from(ALL_TYPES_FRAME);
  bad[3] = bad[3]! ^ 0x01; // total length: the prelude CRC no longer matches
  let stalled = false;
  async function* stalls(): AsyncGenerator<Uint8Array> {
    yield bad.subarray(0, 12);
    stalled = true;
    await new Promise(() => {}); // never resolves
  }
  await assert.rejects(collect(stalls()), /prelude checksum mismatch/);
  assert.equal(stalled, false, "the error came before asking for more bytes");
});

counted("a stream that ends inside a message is a NetworkError at every cut point", async () => {
  for (let cut = 1; cut < STREAM.length; cut++) {
    const boundary = SIMPLE.some((_, i) => SIMPLE.slice(0, i + 1).reduce((n, f) => n + f.length, 0) === cut);
    const run = collect(chunks(STREAM.subarray(0, cut)));
    if (boundary) await run;
    else await assert.rejects(run, (e: unknown) => e instanceof NetworkError && /ended in the middle of a message/.test(e.message), `cut ${cut}`);
  }
  await assert.rejects(decodeMessage(ALL_TYPES_FRAME.subarray(0, 40)), ResponseParseError);
});

counted("lengths and headers out of range are ResponseParseError", async () => {
  const prelude = (total: number, headers: number) => {
    const p = [...u32(total), ...u32(headers)];
    return Uint8Array.from([...p, ...u32(crc32(Uint8Array.from(p)))]);
  };
  await assert.rejects(collect(chunks(prelude(MAX_MESSAGE_LENGTH + 1, 0))), /out of range/);
  await assert.rejects(collect(chunks(prelude(15, 0))), /out of range/);
  await assert.rejects(collect(chunks(prelude(20, 5))), /headers length/);
  // Header type 10 does not exist; a string header longer than the section; an empty name.
  await assert.rejects(decodeMessage(frame(hdr("x", 10), [])), /unknown type 10/);
  await assert.rejects(decodeMessage(frame(hdr("x", 7, [0, 9, 1, 2]), [])), /runs past/);
  await assert.rejects(decodeMessage(frame([0, 7, 0, 0], [])), /empty header name/);
  assert.throws(() => decodeHeaders(Uint8Array.from(hdr("long", 5, [0, 0, 0]))), ResponseParseError);
});

counted("the encoder rejects values that do not fit their wire type", () => {
  assert.throws(() => encodeHeaders({ b: { type: "byte", value: 128 } }), RangeError);
  assert.throws(() => encodeHeaders({ s: { type: "short", value: -32769 } }), RangeError);
  assert.throws(() => encodeHeaders({ i: { type: "integer", value: 1.5 } }), RangeError);
  assert.throws(() => encodeHeaders({ l: { type: "long", value: 2n ** 63n } }), RangeError);
  assert.throws(() => encodeHeaders({ u: { type: "uuid", value: "not-a-uuid" } }), RangeError);
  assert.throws(() => encodeHeaders({ ["n".repeat(256)]: { type: "boolean", value: true } }), RangeError);
  assert.throws(() => encodeHeaders({ s: { type: "string", value: "x".repeat(65536) } }), RangeError);
  assert.deepEqual([...encodeHeaders({ l: { type: "long", value: 5 } })], hdr("l", 5, [0, 0, 0, 0, 0, 0, 0, 5]));
});

counted("botocore's event-stream vectors (legacy conformance bodies) decode", async () => {
  const suites = JSON.parse(
    readFileSync(new URL("../vendor/conformance/protocols/legacy/output/json.json", import.meta.url), "utf8"),
  ) as { description: string; cases: { response: { body: string } }[] }[];
  const suite = suites.find((s) => s.description === "RPC JSON Event Stream");
  assert.ok(suite, "the RPC JSON Event Stream suite is vendored");
  const body = fromBase64(suite.cases[0]!.response.body);
  const messages = await collect(chunks(body));
  assert.deepEqual(
    messages.map((m) => [m.headers[":event-type"]?.value, m.headers[":message-type"]?.value, m.headers[":content-type"]?.value]),
    [
      ["initial-response", "event", "text/json"],
      ["TypeA", "event", "application/octet-stream"],
      ["TypeB", "event", "text/json"],
    ],
  );
  assert.equal(new TextDecoder().decode(messages[1]!.body), "somebytes");
  // Re-encoding reproduces botocore's bytes exactly.
  assert.deepEqual([...concat(...(await Promise.all(messages.map((m) => encodeMessage(m)))))], [...body]);
});
