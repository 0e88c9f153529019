// Canonical-request building blocks shared by SigV4 and SigV4a: URI encoding, path
// normalization, the canonical query string and the canonical header block. Everything is
// string work over the request record; common inputs (plain ASCII paths, unreserved query
// parameters, single-spaced header values) take a fast path that allocates nothing new.
//
// Encoding model: `request.path` and `request.query` are what goes on the wire. The
// canonical URI URI-encodes the wire path once more (so "%" becomes "%25": AWS's "encode
// twice" rule) unless `uriEscapePath` is false (S3, whose path is used as sent). Query
// components are normalized instead: percent escapes are decoded and re-encoded the strict
// RFC 3986 way, which is what the server computes from the same bytes; "+" stays a literal
// plus (encoded %2B), never a space.

/** Headers never signed: hop-by-hop or rewritten by proxies and runtimes (as botocore and the AWS SDKs do). */
export const UNSIGNABLE_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "connection",
  "expect",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

const HEX_UPPER = Array.from({ length: 256 }, (_, i) => "%" + i.toString(16).toUpperCase().padStart(2, "0"));

/** RFC 3986 unreserved characters: A-Z a-z 0-9 - . _ ~ */
function isUnreserved(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Appends the UTF-8 percent-encoding of the code point at `s[i]`; returns the index after it. */
function encodeCodePoint(s: string, i: number, out: string[]): number {
  let cp = s.codePointAt(i)!;
  const width = cp > 0xffff ? 2 : 1;
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // lone surrogate: as TextEncoder does
  if (cp < 0x80) out.push(HEX_UPPER[cp]!);
  else if (cp < 0x800) out.push(HEX_UPPER[0xc0 | (cp >> 6)]!, HEX_UPPER[0x80 | (cp & 63)]!);
  else if (cp < 0x10000)
    out.push(HEX_UPPER[0xe0 | (cp >> 12)]!, HEX_UPPER[0x80 | ((cp >> 6) & 63)]!, HEX_UPPER[0x80 | (cp & 63)]!);
  else
    out.push(
      HEX_UPPER[0xf0 | (cp >> 18)]!,
      HEX_UPPER[0x80 | ((cp >> 12) & 63)]!,
      HEX_UPPER[0x80 | ((cp >> 6) & 63)]!,
      HEX_UPPER[0x80 | (cp & 63)]!,
    );
  return i + width;
}

/**
 * Strict RFC 3986 encoding (AWS "UriEncode"): every UTF-8 byte except the unreserved
 * characters becomes %XX; "/" is kept when `keepSlash`. "%" itself is encoded.
 */
export function uriEncode(s: string, keepSlash = false): string {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isUnreserved(c) && !(keepSlash && c === 0x2f)) break;
  }
  if (i === n) return s;
  const out: string[] = [s.slice(0, i)];
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isUnreserved(c) || (keepSlash && c === 0x2f)) {
      out.push(s[i]!);
      i++;
    } else {
      i = encodeCodePoint(s, i, out);
    }
  }
  return out.join("");
}

/**
 * Canonical form of one already-encoded query component: valid %XX escapes are decoded and
 * re-encoded (so %7e becomes ~ and %2f becomes %2F), raw characters are encoded strictly.
 */
export function canonicalQueryComponent(s: string): string {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) if (!isUnreserved(s.charCodeAt(i))) break;
  if (i === n) return s;
  const out: string[] = [s.slice(0, i)];
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isUnreserved(c)) {
      out.push(s[i]!);
      i++;
    } else if (c === 0x25 && i + 2 < n && hexValue(s.charCodeAt(i + 1)) >= 0 && hexValue(s.charCodeAt(i + 2)) >= 0) {
      const b = (hexValue(s.charCodeAt(i + 1)) << 4) | hexValue(s.charCodeAt(i + 2));
      out.push(isUnreserved(b) ? String.fromCharCode(b) : HEX_UPPER[b]!);
      i += 3;
    } else {
      i = encodeCodePoint(s, i, out);
    }
  }
  return out.join("");
}

/**
 * Removes "." and ".." segments and collapses empty ones (RFC 3986 section 5.2.4 plus "//"
 * folding, as the AWS suites expect): "//example//" -> "/example/", "/a/b/../.." -> "/".
 */
export function normalizePath(path: string): string {
  if (path === "/" || path === "") return "/";
  // Fast path: no "//" and no dot segment.
  if (path.indexOf("//") < 0 && path.indexOf("/.") < 0) return path[0] === "/" ? path : "/" + path;
  const parts = path.split("/");
  const out: string[] = [];
  for (const seg of parts) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  const last = parts[parts.length - 1];
  const trailing = last === "" || last === "." || last === "..";
  if (out.length === 0) return "/";
  return "/" + out.join("/") + (trailing ? "/" : "");
}

/** The canonical URI of a wire path. */
export function canonicalUri(path: string, normalize: boolean, escape: boolean): string {
  let p = path === "" ? "/" : path;
  if (normalize) p = normalizePath(p);
  return escape ? uriEncode(p, true) : p;
}

/** The canonical query string of an encoded query ("" stays ""). Parameters are sorted by name, then value. */
export function canonicalQuery(query: string, skip?: string): string {
  if (query === "") return "";
  const pairs: string[] = [];
  let start = 0;
  const n = query.length;
  while (start <= n) {
    let amp = query.indexOf("&", start);
    if (amp < 0) amp = n;
    if (amp > start) {
      const eq = query.indexOf("=", start);
      let key: string;
      let value: string;
      if (eq < 0 || eq > amp) {
        key = query.slice(start, amp);
        value = "";
      } else {
        key = query.slice(start, eq);
        value = query.slice(eq + 1, amp);
      }
      key = canonicalQueryComponent(key);
      if (key !== skip) pairs.push(key + "=" + canonicalQueryComponent(value));
    }
    start = amp + 1;
  }
  if (pairs.length > 1) pairs.sort(comparePairs);
  return pairs.join("&");
}

/** Orders "key=value" strings by key, then value, in byte order. */
function comparePairs(a: string, b: string): number {
  const ea = a.indexOf("=");
  const eb = b.indexOf("=");
  const ka = a.slice(0, ea);
  const kb = b.slice(0, eb);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const va = a.slice(ea + 1);
  const vb = b.slice(eb + 1);
  return va < vb ? -1 : va > vb ? 1 : 0;
}

const WHITESPACE_RUN = /[ \t\r\n]+/g;
const EDGE_SPACE = /^ | $/g;

/**
 * Trims a header value and folds inner whitespace runs (space, tab, and the CR/LF of
 * obs-fold continuation lines) to one space. A scan finds the common clean value first,
 * which is returned as is.
 */
export function canonicalHeaderValue(value: string): string {
  // One native regex scan (not a JS loop over every character) finds the common clean value.
  return NEEDS_FOLDING.test(value) ? value.replace(WHITESPACE_RUN, " ").replace(EDGE_SPACE, "") : value;
}

/** A leading or trailing space, a tab, CR or LF, or two spaces in a row. */
const NEEDS_FOLDING = /^ | $|[\t\r\n]| {2}/;

const UPPER = /[A-Z]/;

export interface CanonicalHeaders {
  /** "name:value\n" lines, sorted by name. */
  canonical: string;
  /** Sorted names joined by ";". */
  signed: string;
}

/**
 * The canonical header block of `headers` minus the unsignable ones (and `unsigned`).
 * Header names are expected in lower case (the HttpRequest contract); names in other cases
 * are lower-cased, and duplicates that differ only in case are joined with ",".
 */
export function canonicalHeaders(headers: Record<string, string>, unsigned?: ReadonlySet<string>): CanonicalHeaders {
  const keys = Object.keys(headers);
  // Requests mostly carry the same header names in the same order per operation: reuse a
  // recent filtered, sorted list when the names (and the unsigned set) are unchanged. A few
  // are kept, so calls alternating between operations (PutObject, GetObject) all hit.
  let hit: SortedNames | undefined;
  for (let i = 0; i < recent.length; i++) {
    const r = recent[i]!;
    if (r.unsigned === unsigned && sameKeys(keys, r.keys)) {
      hit = r;
      break;
    }
  }
  if (hit === undefined) {
    let lower = false;
    for (let i = 0; i < keys.length; i++) if (UPPER.test(keys[i]!)) lower = true;
    const names: string[] = [];
    for (const name of lower ? Object.keys(lowerCaseHeaders(headers)) : keys) {
      if (!UNSIGNABLE_HEADERS.has(name) && !unsigned?.has(name)) names.push(name);
    }
    names.sort();
    hit = { keys, names, prefixes: names.map((n) => n + ":"), signed: names.join(";"), unsigned, lower };
    if (recent.length >= RECENT) recent.pop();
    recent.unshift(hit);
  }
  const source = hit.lower ? lowerCaseHeaders(headers) : headers;
  const names = hit.names;
  const prefixes = hit.prefixes;
  let canonical = "";
  for (let i = 0; i < names.length; i++) canonical += prefixes[i]! + canonicalHeaderValue(source[names[i]!]!) + "\n";
  return { canonical, signed: hit.signed };
}

interface SortedNames {
  readonly keys: readonly string[];
  readonly names: readonly string[];
  /** "name:" of each name. */
  readonly prefixes: readonly string[];
  readonly signed: string;
  readonly unsigned: ReadonlySet<string> | undefined;
  readonly lower: boolean;
}

const RECENT = 8;
const recent: SortedNames[] = [];

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw in headers) {
    const name = raw.toLowerCase();
    const prev = out[name];
    out[name] = prev === undefined ? headers[raw]! : prev + "," + headers[raw]!;
  }
  return out;
}
