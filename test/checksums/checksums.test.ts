// Checksums (runtime/checksums.ts): published check values, chunked updates equal one-shot
// digests, and the CRCs agree with independent references (a bit-at-a-time BigInt CRC64,
// node's zlib.crc32 where present). Prints a one-line summary.
import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { after, describe, test } from "node:test";
import { checksum, createChecksum, type ChecksumAlgorithm } from "../../runtime/checksums.js";
import { toBase64, toHex, utf8 } from "../../runtime/encoding.js";

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

const ALL: readonly ChecksumAlgorithm[] = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5"];

/** Digests (hex) of "123456789" (the CRC catalogue's check input) and of "". */
const CHECK: Record<ChecksumAlgorithm, { check: string; empty: string }> = {
  CRC32: { check: "cbf43926", empty: "00000000" },
  CRC32C: { check: "e3069283", empty: "00000000" },
  CRC64NVME: { check: "ae8b14860a799888", empty: "0000000000000000" },
  SHA1: { check: "f7c3bc1d808e04732adf679965ccc34ca7ae3441", empty: "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
  SHA256: {
    check: "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
    empty: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  },
  SHA512: {
    check: "d9e6762dd1c8eaf6d61b3c6192fc408d4d6d5f1176d0c29169bc24e71c3f274ad27fcd5811b313d681f7e55ec02d73d499c95455b6b5bb503acf574fba8ffe85",
    empty: "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
  },
  MD5: { check: "25f9e794323b453885f5181f1b624d0b", empty: "d41d8cd98f00b204e9800998ecf8427e" },
};

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

/** Reference CRC-64/NVME, one bit at a time over BigInt (reflected poly 0x9a6c9329ac4bc9b5). */
function crc64Reference(data: Uint8Array): string {
  const poly = 0x9a6c9329ac4bc9b5n;
  const mask = (1n << 64n) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return ((crc ^ mask) & mask).toString(16).padStart(16, "0");
}

/** Reference reflected CRC-32 (any polynomial), one bit at a time. */
function crc32Reference(data: Uint8Array, poly: number): string {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ poly : crc >>> 1;
  }
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, "0");
}

describe("checksum check values", () => {
  for (const alg of ALL) {
    counted(`${alg} of "123456789" and of ""`, async () => {
      assert.equal(toHex(await checksum(alg, utf8("123456789"))), CHECK[alg].check);
      assert.equal(toHex(await checksum(alg, new Uint8Array(0))), CHECK[alg].empty);
      const h = createChecksum(alg);
      assert.equal(toHex(await h.digest()), CHECK[alg].empty, "no update at all");
    });
  }

  counted("CRC32C vectors of RFC 3720 (iSCSI) B.4", async () => {
    const zeros = new Uint8Array(32);
    const ones = new Uint8Array(32).fill(0xff);
    const up = Uint8Array.from({ length: 32 }, (_, i) => i);
    const down = Uint8Array.from({ length: 32 }, (_, i) => 31 - i);
    assert.equal(toHex(await checksum("CRC32C", zeros)), "8a9136aa");
    assert.equal(toHex(await checksum("CRC32C", ones)), "62a8ab43");
    assert.equal(toHex(await checksum("CRC32C", up)), "46dd794e");
    assert.equal(toHex(await checksum("CRC32C", down)), "113fdb5c");
  });

  counted("CRC32 of the quick brown fox, and the base64 form S3 sends", async () => {
    const d = await checksum("CRC32", utf8("The quick brown fox jumps over the lazy dog"));
    assert.equal(toHex(d), "414fa339");
    assert.equal(toBase64(d), "QU+jOQ==");
  });

  counted("hash vectors: FIPS 180 \"abc\" (and SHA-256's and SHA-512's two-block messages), RFC 1321 MD5 suite", async () => {
    assert.equal(toHex(await checksum("SHA1", utf8("abc"))), "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert.equal(toHex(await checksum("SHA256", utf8("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert.equal(
      toHex(await checksum("SHA256", utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    assert.equal(
      toHex(await checksum("SHA512", utf8("abc"))),
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    );
    assert.equal(
      toHex(await checksum("SHA512", utf8("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))),
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
    );
    assert.equal(toHex(await checksum("MD5", utf8("abc"))), "900150983cd24fb0d6963f7d28e17f72");
    assert.equal(toHex(await checksum("MD5", utf8("message digest"))), "f96b697d7cb7938d525a2f31aaf161d0");
    assert.equal(toHex(await checksum("MD5", utf8("abcdefghijklmnopqrstuvwxyz"))), "c3fcd3d76192e4007dfb496cca67e13b");
  });
});

describe("CRCs against bitwise references", () => {
  counted("CRC64NVME, CRC32 and CRC32C equal bit-at-a-time references on 0..300 bytes", async () => {
    for (let n = 0; n <= 300; n += n < 20 ? 1 : 37) {
      const d = pattern(n, n + 7);
      assert.equal(toHex(await checksum("CRC64NVME", d)), crc64Reference(d), `CRC64NVME n=${n}`);
      assert.equal(toHex(await checksum("CRC32", d)), crc32Reference(d, 0xedb88320), `CRC32 n=${n}`);
      assert.equal(toHex(await checksum("CRC32C", d)), crc32Reference(d, 0x82f63b78), `CRC32C n=${n}`);
    }
  });

  const nodeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (nodeCrc32) {
    counted("CRC32 equals node's zlib.crc32 on 1 MiB", async () => {
      const d = pattern(1 << 20, 42);
      assert.equal(toHex(await checksum("CRC32", d)), nodeCrc32(d).toString(16).padStart(8, "0"));
    });
  } else {
    counts.skipped++;
    test("CRC32 equals node's zlib.crc32", { skip: "zlib.crc32 needs Node >= 20.15" }, () => {});
  }
});

describe("chunked updates equal one-shot digests", () => {
  const data = pattern(100_003, 9);
  for (const alg of ALL) {
    counted(alg, async () => {
      const oneShot = toHex(await checksum(alg, data));
      for (const size of [1, 3, 7, 8, 63, 64, 65, 1000, 65536]) {
        const h = createChecksum(alg);
        for (let i = 0; i < data.length; i += size) h.update(data.subarray(i, i + size));
        assert.equal(toHex(await h.digest()), oneShot, `chunk size ${size}`);
      }
      // Irregular chunks, including empty ones and unaligned views.
      const h = createChecksum(alg);
      let i = 0;
      let step = 0;
      while (i < data.length) {
        const n = [0, 1, 5, 17, 129, 4099][step++ % 6]!;
        h.update(data.subarray(i, i + n));
        i += n;
      }
      assert.equal(toHex(await h.digest()), oneShot, "irregular chunks");
    });
  }
});

counted("unknown algorithm is rejected", () => {
  assert.throws(() => createChecksum("CRC16" as ChecksumAlgorithm), TypeError);
});

after(() => {
  console.log(`checksums: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
});
