// CBOR codec (runtime/protocols/cbor.ts): the vendored decode suites
// (test/vendor/conformance/cbor: 151 success cases, 56 error cases) plus encoding and
// round-trip tests. The suite files hold integers up to 2^64-1, which JSON.parse rounds
// (Node 20 has no reviver source access), so they are read with the small JSON reader
// below that keeps unsafe integers exact as BigInt; expected values are compared as BigInt
// (integers) and as IEEE-754 bit patterns (floats).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { CborError, CborFloat, CborSimple, CborTag, decodeCbor, encodeCbor } from "../../runtime/protocols/cbor.js";
import { fromHex, toHex } from "../../runtime/encoding.js";

const DIR = new URL("../vendor/conformance/cbor/", import.meta.url);
const COUNTS = { success: 151, error: 56 };

// ---------------------------------------------------------------------------------------
// A JSON reader that keeps integers beyond 2^53 exact (as bigint).

type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json };

function parseJsonExact(text: string): Json {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`JSON: ${what} at ${i}`);
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: { [k: string]: Json } = {};
      ws();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const key = string();
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        out[key] = value();
        ws();
        const sep = text[i++];
        if (sep === "}") return out;
        if (sep !== ",") fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const out: Json[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        const sep = text[i++];
        if (sep === "]") return out;
        if (sep !== ",") fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail("unexpected character");
    i += m[0].length;
    if (m[2] === undefined && m[3] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') {
      if (i >= text.length) fail("unterminated string");
      if (text[i] === "\\") i++;
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail("trailing characters");
  return v;
}

// ---------------------------------------------------------------------------------------
// Expected values of the suite

type Expect =
  | { uint: number | bigint }
  | { negint: number | bigint }
  | { bytestring: number[] }
  | { string: string }
  | { bool: boolean }
  | { null: Record<string, never> }
  | { float32: number }
  | { float64: number | bigint }
  | { list: Expect[] }
  | { map: Record<string, Expect> }
  | { tag: { id: number | bigint; value: Expect } };

interface SuccessCase {
  description: string;
  input: string;
  expect: Expect;
}
interface ErrorCase {
  description: string;
  input: string;
  error: true;
}

function float32Bits(n: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, n);
  return v.getUint32(0);
}
function float64Bits(n: number): bigint {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, n);
  return v.getBigUint64(0);
}

function isInteger(v: unknown): v is number | bigint {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

/** Asserts that a decoded value is the suite's typed expectation. */
function assertMatches(actual: unknown, expect: Expect, path = "$"): void {
  const [type, want] = Object.entries(expect)[0] as [string, unknown];
  switch (type) {
    case "uint":
    case "negint":
      assert.ok(isInteger(actual), `${path}: expected an integer, got ${typeof actual}`);
      assert.equal(BigInt(actual), BigInt(want as number | bigint), path);
      // Safe integers decode as numbers, others as bigint.
      assert.equal(
        typeof actual,
        Number.isSafeInteger(Number(want)) && typeof want === "number" ? "number" : "bigint",
        `${path} type`,
      );
      return;
    case "bytestring":
      assert.ok(actual instanceof Uint8Array, `${path}: expected bytes`);
      assert.deepEqual([...actual], want, path);
      return;
    case "string":
    case "bool":
      assert.equal(actual, want, path);
      return;
    case "null":
      assert.equal(actual, null, path);
      return;
    case "float32":
      assert.equal(typeof actual, "number", path);
      assert.equal(float32Bits(actual as number), want, path);
      return;
    case "float64":
      assert.equal(typeof actual, "number", path);
      assert.equal(float64Bits(actual as number), BigInt(want as number | bigint), path);
      return;
    case "list": {
      assert.ok(Array.isArray(actual), `${path}: expected an array`);
      const items = want as Expect[];
      assert.equal(actual.length, items.length, `${path} length`);
      items.forEach((e, i) => assertMatches(actual[i], e, `${path}[${i}]`));
      return;
    }
    case "map": {
      assert.ok(typeof actual === "object" && actual !== null && !Array.isArray(actual), `${path}: expected an object`);
      const entries = want as Record<string, Expect>;
      assert.deepEqual(Object.keys(actual).sort(), Object.keys(entries).sort(), `${path} keys`);
      for (const [k, e] of Object.entries(entries))
        assertMatches((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
      return;
    }
    case "tag": {
      const t = want as { id: number | bigint; value: Expect };
      assert.ok(actual instanceof CborTag, `${path}: expected a CborTag`);
      assert.equal(BigInt(actual.tag), BigInt(t.id), `${path} tag id`);
      assertMatches(actual.value, t.value, `${path}.value`);
      return;
    }
    default:
      assert.fail(`${path}: unknown expectation type ${type}`);
  }
}

const success = parseJsonExact(
  readFileSync(new URL("decode-success-tests.json", DIR), "utf8"),
) as unknown as SuccessCase[];
const errors = parseJsonExact(readFileSync(new URL("decode-error-tests.json", DIR), "utf8")) as unknown as ErrorCase[];

const tally = { success: [0, 0], error: [0, 0], other: [0, 0] };
function counted(kind: keyof typeof tally, name: string, fn: () => void): void {
  test(name, () => {
    try {
      fn();
      tally[kind][0]!++;
    } catch (e) {
      tally[kind][1]!++;
      throw e;
    }
  });
}
after(() => {
  console.log(`cbor decode-success: ${tally.success[0]} passed, ${tally.success[1]} failed, 0 skipped`);
  console.log(`cbor decode-error: ${tally.error[0]} passed, ${tally.error[1]} failed, 0 skipped`);
  console.log(`cbor codec: ${tally.other[0]} passed, ${tally.other[1]} failed, 0 skipped`);
});

test("suite files hold the README's case counts", () => {
  assert.equal(success.length, COUNTS.success);
  assert.equal(errors.length, COUNTS.error);
  assert.ok(errors.every((c) => c.error === true));
  // The exact reader matters: 2^64-1 must survive.
  assert.ok(
    JSON.stringify(success, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)).includes(
      "18446744073709551615",
    ),
  );
});

describe("decode-success-tests.json", () => {
  for (const c of success) {
    counted("success", c.description, () => {
      const decoded = decodeCbor(fromHex(c.input));
      assertMatches(decoded, c.expect);
      // Re-encoding gives a value that decodes to the same thing (shortest forms).
      assertMatches(decodeCbor(encodeCbor(decoded)), c.expect);
    });
  }
});

describe("decode-error-tests.json", () => {
  for (const c of errors) {
    counted("error", c.description, () => {
      assert.throws(() => decodeCbor(fromHex(c.input)), CborError);
    });
  }
});

// ---------------------------------------------------------------------------------------
// Beyond the suites

const hex = (v: unknown) => toHex(encodeCbor(v));

describe("encoding", () => {
  counted("other", "integers use the shortest head; unsafe integers need bigint", () => {
    assert.equal(hex(0), "00");
    assert.equal(hex(23), "17");
    assert.equal(hex(24), "1818");
    assert.equal(hex(255), "18ff");
    assert.equal(hex(256), "190100");
    assert.equal(hex(65536), "1a00010000");
    assert.equal(hex(2 ** 32), "1b0000000100000000");
    assert.equal(hex(Number.MAX_SAFE_INTEGER), "1b001fffffffffffff");
    assert.equal(hex(-1), "20");
    assert.equal(hex(-24), "37");
    assert.equal(hex(-25), "3818");
    assert.equal(hex(-(2 ** 32) - 1), "3b0000000100000000");
    assert.equal(hex(18446744073709551615n), "1bffffffffffffffff");
    assert.equal(hex(-18446744073709551616n), "3bffffffffffffffff");
    assert.equal(hex(18446744073709551616n), "c249010000000000000000");
    assert.equal(hex(-18446744073709551617n), "c349010000000000000000");
    assert.equal(hex(5n), "05");
  });

  counted("other", "floats use the smallest exact width (RFC 8949 appendix A values)", () => {
    assert.equal(hex(0.5), "f93800");
    assert.equal(hex(1.5), "f93e00");
    assert.equal(hex(65504), "19ffe0", "an integer stays an integer");
    assert.equal(hex(65504.5), "fa477fe080");
    assert.equal(hex(100000.5), "fa47c35040");
    assert.equal(hex(3.4028234663852886e38), "fa7f7fffff");
    assert.equal(hex(1.1), "fb3ff199999999999a");
    assert.equal(hex(1e300), "fb7e37e43c8800759c");
    assert.equal(hex(5.960464477539063e-8), "f90001");
    assert.equal(hex(0.00006103515625), "f90400");
    assert.equal(hex(-4.1), "fbc010666666666666");
    assert.equal(hex(-0), "f98000");
    assert.equal(hex(Infinity), "f97c00");
    assert.equal(hex(-Infinity), "f9fc00");
    assert.equal(hex(NaN), "f97e00");
    assert.equal(hex(2 ** 60), "fa5d800000", "unsafe integral numbers are floats");
  });

  counted("other", "strings, bytes, arrays, maps, simple values, tags (RFC 8949 appendix A)", () => {
    assert.equal(hex(""), "60");
    assert.equal(hex("a"), "6161");
    assert.equal(hex("IETF"), "6449455446");
    assert.equal(hex("\u00fc"), "62c3bc");
    assert.equal(hex("\u6c34"), "63e6b0b4");
    assert.equal(hex("\u{10151}"), "64f0908591");
    assert.equal(hex(new Uint8Array([1, 2, 3, 4])), "4401020304");
    assert.equal(hex(new Uint16Array([1]).buffer), "420100");
    assert.equal(hex([]), "80");
    assert.equal(hex([1, [2, 3], [4, 5]]), "8301820203820405");
    assert.equal(hex({ a: 1, b: [2, 3] }), "a26161016162820203");
    assert.equal(hex({ a: 1, skip: undefined }), "a1616101");
    assert.equal(
      hex(
        new Map<unknown, unknown>([
          [1, 2],
          [3, 4],
        ]),
      ),
      "a201020304",
    );
    assert.equal(hex(false), "f4");
    assert.equal(hex(true), "f5");
    assert.equal(hex(null), "f6");
    assert.equal(hex(undefined), "f7");
    assert.equal(hex(new CborFloat(1)), "fa3f800000", "CborFloat: integral values stay floats");
    assert.equal(hex(new CborFloat(7.625)), "fa40f40000");
    assert.equal(hex(new CborFloat(1.889)), "fb3ffe395810624dd3");
    assert.equal(hex(new CborFloat(NaN)), "fa7fc00000");
    assert.equal(hex(new CborFloat(-Infinity)), "faff800000");
    assert.equal(hex(new CborSimple(16)), "f0");
    assert.equal(hex(new CborSimple(255)), "f8ff");
    assert.equal(hex(new Date(1363896240000)), "c1fb41d452d9ec000000", "timestamps are always doubles");
    assert.equal(hex(new Date(1363896240500)), "c1fb41d452d9ec200000");
    assert.equal(hex(new CborTag(32, "http://www.example.com")), "d82076687474703a2f2f7777772e6578616d706c652e636f6d");
    assert.throws(() => encodeCbor(() => 1), CborError);
    assert.throws(() => encodeCbor(Symbol("x")), CborError);
    assert.throws(() => encodeCbor(new Date(NaN)), CborError);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    assert.throws(() => encodeCbor(cyclic), CborError);
  });
});

describe("decoding beyond the suites", () => {
  counted("other", "RFC 8949 appendix A decodings", () => {
    const d = (h: string) => decodeCbor(fromHex(h));
    assert.equal(d("f90000"), 0);
    assert.ok(Object.is(d("f98000"), -0));
    assert.equal(d("f93c00"), 1);
    assert.equal(d("f97bff"), 65504);
    assert.equal(d("f90001"), 5.960464477539063e-8);
    assert.equal(d("f9c400"), -4);
    assert.equal(d("f97c00"), Infinity);
    assert.ok(Number.isNaN(d("f97e00")));
    assert.equal(d("f9fc00"), -Infinity);
    assert.equal(d("fa47c35000"), 100000);
    assert.equal(d("fb3ff199999999999a"), 1.1);
    assert.equal(d("c249010000000000000000"), 18446744073709551616n);
    assert.equal(d("c349010000000000000000"), -18446744073709551617n);
    assert.equal(d("3bffffffffffffffff"), -18446744073709551616n);
    assert.equal(d("1b001fffffffffffff"), Number.MAX_SAFE_INTEGER);
    assert.equal(d("1b0020000000000000"), 2n ** 53n);
    assert.equal(d("3b001ffffffffffffe"), -Number.MAX_SAFE_INTEGER);
    assert.equal(d("3b001fffffffffffff"), -(2n ** 53n));
    assert.deepEqual(d("c11a514b67b0"), new Date(1363896240000));
    assert.deepEqual(d("c1fb41d452d9ec200000"), new Date(1363896240500));
    assert.deepEqual(d("d74401020304"), new CborTag(23, new Uint8Array([1, 2, 3, 4])));
    assert.deepEqual(d("9f018202039f0405ffff"), [1, [2, 3], [4, 5]]);
    assert.deepEqual(d("bf61610161629f0203ffff"), { a: 1, b: [2, 3] });
    assert.deepEqual(d("7f657374726561646d696e67ff"), "streaming");
    assert.deepEqual(
      d("a201020304"),
      new Map([
        [1, 2],
        [3, 4],
      ]),
    );
    assert.equal(d("f7"), undefined);
    assert.deepEqual(d("f0"), new CborSimple(16));
    assert.deepEqual(d("f8ff"), new CborSimple(255));
    const proto = d("a1695f5f70726f746f5f5fa0") as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(proto), Object.prototype, "__proto__ is an own key, not a prototype");
    assert.deepEqual(Object.keys(proto), ["__proto__"]);
  });

  counted("other", "strict errors beyond the suites", () => {
    const bad = (h: string, why: string) => assert.throws(() => decodeCbor(fromHex(h)), CborError, why);
    bad("", "empty input");
    bad("0000", "trailing bytes");
    bad("1c", "reserved additional info 28");
    bad("5d", "reserved additional info 29");
    bad("fe", "reserved additional info 30 in major 7");
    bad("62c328", "invalid UTF-8");
    bad("7f61c361bcff", "a chunk splitting a UTF-8 sequence");
    bad("f800", "two-byte simple value below 32");
    bad("f818", "two-byte simple value 24");
    bad("ff", "break outside a container");
    bad("8aff", "break inside a definite array");
    bad("bf6161ff", "indefinite map: key without value");
    bad("c17f", "tag 1 holding a string (unterminated)");
    bad("c16161", "tag 1 holding a string");
    bad("c2a0", "bignum holding a map");
    bad("9b0000000100000000", "huge array length");
    bad("5bffffffffffffffff", "length beyond 2^53");
    bad("81".repeat(600) + "00", "nesting deeper than 512");
  });

  counted("other", "round trips", () => {
    const values: unknown[] = [
      0,
      1,
      -1,
      23,
      24,
      -24,
      -25,
      255,
      256,
      65535,
      65536,
      2 ** 32 - 1,
      2 ** 32,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2n ** 64n - 1n,
      -(2n ** 64n),
      2n ** 100n,
      -(2n ** 100n),
      0.1,
      -0.5,
      1e-7,
      3.4e38,
      1.5e308,
      5e-324,
      Infinity,
      -Infinity,
      "",
      "hello",
      "\u{1F600} émoji",
      new Uint8Array([]),
      new Uint8Array([0, 255, 7]),
      [],
      [1, "a", [true, null]],
      {},
      { nested: { list: [1.5, { x: "y" }], bytes: new Uint8Array([9]) } },
      true,
      false,
      null,
      new Date(0),
      new Date(1700000000123),
      new CborTag(1234, [1, 2]),
      new Map<unknown, unknown>([
        [1, "one"],
        ["two", 2],
      ]),
      "x".repeat(70000),
      Array.from({ length: 300 }, (_, i) => i * 1000),
    ];
    for (const v of values) assert.deepEqual(decodeCbor(encodeCbor(v)), v, String(v).slice(0, 40));
    assert.ok(Number.isNaN(decodeCbor(encodeCbor(NaN))));
    assert.ok(Object.is(decodeCbor(encodeCbor(-0)), -0));
    // Every half-precision bit pattern survives decode -> encode -> decode.
    for (let h = 0; h < 0x10000; h++) {
      const bytes = new Uint8Array([0xf9, h >> 8, h & 0xff]);
      const n = decodeCbor(bytes) as number;
      const again = decodeCbor(encodeCbor(n)) as number;
      if (Number.isNaN(n)) assert.ok(Number.isNaN(again));
      else {
        assert.ok(Object.is(again, n), `half ${h.toString(16)}`);
        if (!Number.isInteger(n) || Object.is(n, -0))
          assert.equal(encodeCbor(n).length, 3, `half ${h.toString(16)} stays half`);
      }
    }
  });
});
