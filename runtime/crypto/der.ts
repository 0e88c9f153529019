// DER encoding of ECDSA signatures (SEQUENCE { INTEGER r, INTEGER s }), the form SigV4a
// puts in Authorization; WebCrypto returns the fixed-width r||s form instead.

function derInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const pad = trimmed[0]! & 0x80 ? 1 : 0;
  const out = new Uint8Array(2 + pad + trimmed.length);
  out[0] = 0x02;
  out[1] = pad + trimmed.length;
  out.set(trimmed, 2 + pad);
  return out;
}

/** DER-encodes a signature from its big-endian r and s (any width up to 32 bytes each). */
export function derSignature(r: Uint8Array, s: Uint8Array): Uint8Array {
  const ri = derInteger(r);
  const si = derInteger(s);
  const out = new Uint8Array(2 + ri.length + si.length);
  out[0] = 0x30;
  out[1] = ri.length + si.length;
  out.set(ri, 2);
  out.set(si, 2 + ri.length);
  return out;
}

/** Converts WebCrypto's IEEE P1363 r||s signature to DER. */
export function p1363ToDer(sig: Uint8Array): Uint8Array {
  const half = sig.length >> 1;
  return derSignature(sig.subarray(0, half), sig.subarray(half));
}

/** Parses a DER ECDSA signature into r and s; returns undefined when it is malformed. */
export function parseDerSignature(der: Uint8Array): { r: Uint8Array; s: Uint8Array } | undefined {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
  let offset = 2;
  const ints: Uint8Array[] = [];
  for (let i = 0; i < 2; i++) {
    if (der[offset] !== 0x02) return undefined;
    const len = der[offset + 1];
    if (len === undefined || len === 0 || len > 33 || offset + 2 + len > der.length) return undefined;
    const value = der.subarray(offset + 2, offset + 2 + len);
    // Minimal encoding: no needless leading zero, no negative numbers.
    if (value[0]! & 0x80) return undefined;
    if (len > 1 && value[0] === 0 && !(value[1]! & 0x80)) return undefined;
    ints.push(value);
    offset += 2 + len;
  }
  if (offset !== der.length) return undefined;
  return { r: ints[0]!, s: ints[1]! };
}
