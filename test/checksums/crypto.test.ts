// The two #crypto implementations (runtime/crypto/node.ts and web.ts) against published
// vectors and against each other. web.ts runs in Node too: its pure-JS hashes need nothing,
// and Node 20 has WebCrypto (crypto.subtle) for the large-input and ECDSA paths.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import * as node from "../../runtime/crypto/node.js";
import * as web from "../../runtime/crypto/web.js";
import * as webCore from "../../runtime/crypto/web-core.js";
import { toHex, utf8, fromHex } from "../../runtime/encoding.js";
import { bigIntToBytes, publicKeyOf, verify } from "../../runtime/signer/p256.js";

const counts = { passed: 0, failed: 0, skipped: 0 };
function counted(name: string, fn: () => void | Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
      counts.passed++;
    } catch (e) {
      counts.failed++;
      throw e;
    }
  });
}

const IMPLS = { node, web } as const;

function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

// RFC 4231 HMAC-SHA256 test cases 1, 2, 4 and 6 (key longer than a block).
const HMAC_VECTORS: [Uint8Array | string, Uint8Array | string, string][] = [
  [new Uint8Array(20).fill(0x0b), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
  ["Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
  [
    fromHex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
    new Uint8Array(50).fill(0xcd),
    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
  ],
  [
    new Uint8Array(131).fill(0xaa),
    "Test Using Larger Than Block-Size Key - Hash Key First",
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  ],
];

for (const [label, impl] of Object.entries(IMPLS)) {
  describe(`#crypto ${label}`, () => {
    counted("sha256 / sha256Sync / md5 known answers", async () => {
      assert.equal(toHex(await impl.sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      assert.equal(toHex(impl.sha256Sync("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      assert.equal(toHex(await impl.md5("")), "d41d8cd98f00b204e9800998ecf8427e");
      assert.equal(toHex(await impl.md5("The quick brown fox jumps over the lazy dog")), "9e107d9d372bb6826bd81d3542a419d6");
      // A million "a": FIPS 180-2 long-message vector (crosses the WebCrypto threshold in web.ts).
      const million = new Uint8Array(1_000_000).fill(0x61);
      assert.equal(toHex(await impl.sha256(million)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    });

    counted("HMAC-SHA256 RFC 4231 vectors (sync and async)", async () => {
      for (const [key, data, mac] of HMAC_VECTORS) {
        assert.equal(toHex(impl.hmacSha256Sync(key, data)), mac);
        assert.equal(toHex(await impl.hmacSha256(key, data)), mac);
      }
    });

    counted("strings hash as UTF-8", async () => {
      const text = "h\u00e9llo \u1234 \u{1F600}";
      assert.equal(toHex(await impl.sha256(text)), toHex(await impl.sha256(utf8(text))));
      assert.equal(toHex(await impl.md5(text)), toHex(await impl.md5(utf8(text))));
      assert.equal(toHex(impl.hmacSha256Sync(text, text)), toHex(impl.hmacSha256Sync(utf8(text), utf8(text))));
    });

    counted("randomUUID is a v4 UUID; randomBytes has the asked length and varies", () => {
      const seen = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const id = impl.randomUUID();
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        seen.add(id);
      }
      assert.equal(seen.size, 50);
      assert.equal(impl.randomBytes(0).length, 0);
      const big = impl.randomBytes(100_000); // web.ts fills in 64 KiB slices
      assert.equal(big.length, 100_000);
      assert.ok(big.subarray(70_000).some((b) => b !== 0), "the tail beyond 64 KiB is filled");
      assert.notEqual(toHex(impl.randomBytes(16)), toHex(impl.randomBytes(16)));
    });

    counted("importP256PrivateKey signs verifiable DER signatures", async () => {
      const d = 0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721n;
      const pub = publicKeyOf(d);
      const signer = await impl.importP256PrivateKey(bigIntToBytes(d), bigIntToBytes(pub.x), bigIntToBytes(pub.y));
      assert.ok(signer, "Node 20 has native ECDSA in both implementations");
      const msg = utf8("sample");
      const sig = await signer.sign(msg);
      assert.ok(verify(pub, msg, sig));
      assert.equal(verify(pub, utf8("other"), sig), false);
    });
  });
}

describe("node.ts and web.ts agree", () => {
  counted("both export the same API", () => {
    // Type level too: each module type-checks as the other (tsc over this file).
    const asNode: typeof node = web;
    const asWeb: typeof web = node;
    assert.deepEqual(Object.keys(asNode).sort(), Object.keys(asWeb).sort());
    assert.equal(node.CRYPTO_IMPLEMENTATION, "node");
    assert.equal(web.CRYPTO_IMPLEMENTATION, "web");
  });

  counted("sha256, md5, hmac and streaming sha1/sha256/sha512/md5 on many sizes", async () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128, 129, 239, 240, 1000, 4095, 4096, 4097, 70_000, 1 << 20]) {
      const d = pattern(n, n + 3);
      assert.equal(toHex(await web.sha256(d)), toHex(await node.sha256(d)), `sha256 n=${n}`);
      assert.equal(toHex(web.sha256Sync(d)), toHex(node.sha256Sync(d)), `sha256Sync n=${n}`);
      assert.equal(toHex(await web.md5(d)), toHex(await node.md5(d)), `md5 n=${n}`);
      assert.equal(toHex(web.hmacSha256Sync(d, d)), toHex(node.hmacSha256Sync(d, d)), `hmac n=${n}`);
      for (const alg of ["sha1", "sha256", "sha512", "md5"] as const) {
        const w = web.createHash(alg);
        const o = node.createHash(alg);
        for (let i = 0; i < n; i += 1 + (i % 97)) {
          const chunk = d.subarray(i, i + 1 + (i % 97));
          w.update(chunk);
          o.update(chunk);
        }
        assert.equal(toHex(w.digest()), toHex(o.digest()), `${alg} streaming n=${n}`);
      }
    }
  });

  counted("web-core.ts (#crypto-core): WebCrypto, and the lazily loaded JS hashes without it, agree with node.ts", async () => {
    const check = async (how: string): Promise<void> => {
      for (const n of [0, 1, 63, 64, 65, 1000, 70_000]) {
        const d = pattern(n, n + 7);
        assert.equal(toHex(await webCore.sha256(d)), toHex(await node.sha256(d)), `${how} sha256 n=${n}`);
        assert.equal(await webCore.sha256Hex(d), node.sha256Hex(d), `${how} sha256Hex n=${n}`);
        assert.equal(toHex(await webCore.hmacSha256Maybe(d, d)), toHex(node.hmacSha256Sync(d, d)), `${how} hmac n=${n}`);
      }
      for (const [key, data, mac] of HMAC_VECTORS) {
        assert.equal(await webCore.hmacSha256Hex(key, data), mac, `${how} RFC 4231`);
        // the same key array twice: the second HMAC reuses the imported key
        if (typeof key !== "string") assert.equal(await webCore.hmacSha256Hex(key, data), mac, `${how} RFC 4231, key reused`);
      }
      assert.equal(await webCore.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    };
    assert.ok(globalThis.crypto.subtle, "Node 20 has WebCrypto");
    await check("WebCrypto");
    // Without WebCrypto (a page that is not a secure context): the pure-JS hashes, loaded on demand.
    const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto")!;
    const real = globalThis.crypto;
    Object.defineProperty(globalThis, "crypto", {
      value: { getRandomValues: <T extends ArrayBufferView>(a: T): T => real.getRandomValues(a as never) },
      configurable: true,
    });
    try {
      assert.equal((globalThis.crypto as { subtle?: unknown }).subtle, undefined);
      await check("JS fallback");
      assert.match(webCore.randomUUID(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(globalThis, "crypto", saved);
    }
  });

  counted("a digested web hash refuses more input", () => {
    const h = web.createHash("sha256");
    h.digest();
    assert.throws(() => h.update(new Uint8Array(1)));
  });
});

after(() => {
  console.log(`crypto (node.ts / web.ts): ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
});
