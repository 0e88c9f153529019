// The CRC checksums (CRC32, CRC32C, CRC64/NVME) of checksums.ts, in a module of their own that
// imports no hash functions, so code that needs only the CRCs (response checksum validation)
// does not bring #crypto into its bundle. Pure JS, table driven and "sliced by 8" (eight
// 256-entry tables, eight input bytes per step); tables are built on first use, so an unused
// algorithm costs nothing. CRC64/NVME has no 64-bit integer type to live in, so its state and
// tables are split into high and low 32-bit halves. Digests are big-endian bytes.

/** The flexible checksums computed here (S3's XXHASH64, XXHASH3 and XXHASH128 are not). MD5 also serves Content-MD5. */
export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256" | "SHA512" | "MD5";

/** An incremental checksum: `update` with each chunk in order, then `digest` (or `digestNow`) once. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): Promise<Uint8Array>;
  /** The digest, synchronously (every algorithm here computes it at once). */
  digestNow(): Uint8Array;
}

/** Builds the eight slicing tables of a reflected 32-bit CRC polynomial. */
function crc32Tables(poly: number): Uint32Array[] {
  const tables: Uint32Array[] = [];
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t0[i] = c;
  }
  tables.push(t0);
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1]!;
    const next = new Uint32Array(256);
    for (let i = 0; i < 256; i++) next[i] = (prev[i]! >>> 8) ^ t0[prev[i]! & 0xff]!;
    tables.push(next);
  }
  return tables;
}

let crc32TablesCache: Uint32Array[] | undefined;
let crc32cTablesCache: Uint32Array[] | undefined;

/** Updates a (pre-inverted) reflected 32-bit CRC state with `data`. */
function crc32Update(crc: number, data: Uint8Array, tables: Uint32Array[]): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [
    Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array,
  ];
  const n = data.length;
  let i = 0;
  const end8 = n - (n & 7);
  for (; i < end8; i += 8) {
    const lo = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    crc =
      t7[lo & 0xff]! ^
      t6[(lo >>> 8) & 0xff]! ^
      t5[(lo >>> 16) & 0xff]! ^
      t4[lo >>> 24]! ^
      t3[data[i + 4]!]! ^
      t2[data[i + 5]!]! ^
      t1[data[i + 6]!]! ^
      t0[data[i + 7]!]!;
  }
  for (; i < n; i++) crc = t0[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

class Crc32Hasher implements Hasher {
  private crc = 0xffffffff;
  constructor(private readonly tables: Uint32Array[]) {}
  update(chunk: Uint8Array): void {
    this.crc = crc32Update(this.crc, chunk, this.tables);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.digestNow());
  }
  digestNow(): Uint8Array {
    return uint32be((this.crc ^ 0xffffffff) >>> 0);
  }
}

function uint32be(v: number): Uint8Array {
  return new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

// CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones.
const CRC64_POLY_HI = 0x9a6c9329;
const CRC64_POLY_LO = 0xac4bc9b5;
let crc64TablesCache: { hi: Uint32Array[]; lo: Uint32Array[] } | undefined;

function crc64Tables(): { hi: Uint32Array[]; lo: Uint32Array[] } {
  if (crc64TablesCache) return crc64TablesCache;
  const hi: Uint32Array[] = [new Uint32Array(256)];
  const lo: Uint32Array[] = [new Uint32Array(256)];
  for (let i = 0; i < 256; i++) {
    let h = 0;
    let l = i;
    for (let k = 0; k < 8; k++) {
      const odd = l & 1;
      l = ((l >>> 1) | (h << 31)) >>> 0;
      h = h >>> 1;
      if (odd) {
        h = (h ^ CRC64_POLY_HI) >>> 0;
        l = (l ^ CRC64_POLY_LO) >>> 0;
      }
    }
    hi[0]![i] = h;
    lo[0]![i] = l;
  }
  for (let t = 1; t < 8; t++) {
    const ph = hi[t - 1]!;
    const pl = lo[t - 1]!;
    const nh = new Uint32Array(256);
    const nl = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      // next = (prev >> 8) ^ T0[prev & 0xff]
      const idx = pl[i]! & 0xff;
      nl[i] = ((pl[i]! >>> 8) | (ph[i]! << 24)) ^ lo[0]![idx]!;
      nh[i] = (ph[i]! >>> 8) ^ hi[0]![idx]!;
    }
    hi.push(nh);
    lo.push(nl);
  }
  crc64TablesCache = { hi, lo };
  return crc64TablesCache;
}

class Crc64NvmeHasher implements Hasher {
  private hi = 0xffffffff;
  private lo = 0xffffffff;
  private readonly tables = crc64Tables();

  update(data: Uint8Array): void {
    const H = this.tables.hi as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    const L = this.tables.lo as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    const [h0, h1, h2, h3, h4, h5, h6, h7] = H;
    const [l0, l1, l2, l3, l4, l5, l6, l7] = L;
    let hi = this.hi;
    let lo = this.lo;
    const n = data.length;
    let i = 0;
    const end8 = n - (n & 7);
    for (; i < end8; i += 8) {
      const a = lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      const b = hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24));
      const a0 = a & 0xff, a1 = (a >>> 8) & 0xff, a2 = (a >>> 16) & 0xff, a3 = a >>> 24;
      const b0 = b & 0xff, b1 = (b >>> 8) & 0xff, b2 = (b >>> 16) & 0xff, b3 = b >>> 24;
      lo = l7[a0]! ^ l6[a1]! ^ l5[a2]! ^ l4[a3]! ^ l3[b0]! ^ l2[b1]! ^ l1[b2]! ^ l0[b3]!;
      hi = h7[a0]! ^ h6[a1]! ^ h5[a2]! ^ h4[a3]! ^ h3[b0]! ^ h2[b1]! ^ h1[b2]! ^ h0[b3]!;
    }
    for (; i < n; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ l0[idx]!;
      hi = (hi >>> 8) ^ h0[idx]!;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.digestNow());
  }
  digestNow(): Uint8Array {
    const out = new Uint8Array(8);
    out.set(uint32be((this.hi ^ 0xffffffff) >>> 0), 0);
    out.set(uint32be((this.lo ^ 0xffffffff) >>> 0), 4);
    return out;
  }
}

/**
 * A hasher for a CRC algorithm, undefined for the others: code that only needs the CRCs uses
 * this, so its bundle does not carry the hash functions of #crypto.
 */
export function createCrc(algorithm: ChecksumAlgorithm): Hasher | undefined {
  switch (algorithm) {
    case "CRC32":
      return new Crc32Hasher((crc32TablesCache ??= crc32Tables(0xedb88320)));
    case "CRC32C":
      return new Crc32Hasher((crc32cTablesCache ??= crc32Tables(0x82f63b78)));
    case "CRC64NVME":
      return new Crc64NvmeHasher();
  }
  return undefined;
}
