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

const HEX_DIGITS = "0123456789ABCDEF";

/** RFC 3986 unreserved characters: A-Z a-z 0-9 - . _ ~ */
function isUnreserved(c: number): boolean {
  const letter = c | 0x20; // A-Z to a-z
  return (letter >= 0x61 && letter <= 0x7a) || (c >= 0x2d && c <= 0x39 && c !== 0x2f) || c === 0x5f || c === 0x7e;
}

/** The value of a hex digit's char code, else -1 (also for NaN, past the end of a string). */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  c |= 0x20; // A-F to a-f
  return c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
}

/** A surrogate not in a pair (the `u` flag reads a pair as one code point, which never matches). */
const LONE_SURROGATE = /[\ud800-\udfff]/gu;

/**
 * The one encoding loop behind uriEncode and canonicalQueryComponent: unreserved runs (and
 * "/" when `keepSlash`) are copied as slices, other ASCII becomes %XX, non-ASCII runs go
 * through encodeURIComponent, and with `decodeEscapes` a valid %XX is decoded and re-encoded. A string
 * with nothing to encode is returned as is, without allocating.
 */
function percentEncode(s: string, keepSlash: boolean, decodeEscapes: boolean): string {
  const n = s.length;
  let out = "";
  let copied = 0; // s[0, copied) is in out
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    if (isUnreserved(c) || (keepSlash && c === 0x2f)) {
      i++;
      continue;
    }
    out += s.slice(copied, i);
    let high: number;
    let low: number;
    if (decodeEscapes && c === 0x25 && (high = hexValue(s.charCodeAt(i + 1))) >= 0 && (low = hexValue(s.charCodeAt(i + 2))) >= 0) {
      const b = (high << 4) | low;
      out += isUnreserved(b) ? String.fromCharCode(b) : "%" + HEX_DIGITS[high] + HEX_DIGITS[low];
      i += 3;
    } else if (c < 0x80) {
      out += "%" + HEX_DIGITS[c >> 4] + HEX_DIGITS[c & 15];
      i++;
    } else {
      // A run of non-ASCII characters: encodeURIComponent escapes every UTF-8 byte of it (it
      // throws on a lone surrogate, which becomes U+FFFD, as TextEncoder does).
      const start = i;
      while (++i < n && s.charCodeAt(i) >= 0x80);
      const run = s.slice(start, i);
      try {
        out += encodeURIComponent(run);
      } catch {
        out += encodeURIComponent(run.replace(LONE_SURROGATE, "\ufffd"));
      }
    }
    copied = i;
  }
  return copied === 0 ? s : out + s.slice(copied);
}

/**
 * Strict RFC 3986 encoding (AWS "UriEncode"): every UTF-8 byte except the unreserved
 * characters becomes %XX; "/" is kept when `keepSlash`. "%" itself is encoded.
 */
export function uriEncode(s: string, keepSlash = false): string {
  return percentEncode(s, keepSlash, false);
}

/**
 * Canonical form of one already-encoded query component: valid %XX escapes are decoded and
 * re-encoded (so %7e becomes ~ and %2f becomes %2F), raw characters are encoded strictly.
 */
export function canonicalQueryComponent(s: string): string {
  return percentEncode(s, false, true);
}

/**
 * Removes "." and ".." segments and collapses empty ones (RFC 3986 section 5.2.4 plus "//"
 * folding, as the AWS suites expect): "//example//" -> "/example/", "/a/b/../.." -> "/".
 */
export function normalizePath(path: string): string {
  // Fast path ("" and "/" too): no "//" and no dot segment.
  if (path.indexOf("//") < 0 && path.indexOf("/.") < 0) return path[0] === "/" ? path : "/" + path;
  const parts = path.split("/");
  const out: string[] = [];
  for (const seg of parts) {
    if (seg === "..") out.pop();
    else if (seg !== "" && seg !== ".") out.push(seg);
  }
  if (out.length === 0) return "/";
  return "/" + out.join("/") + (ENDS_IN_DIRECTORY.test(path) ? "/" : "");
}

/** A last segment of "", "." or "..": the normalized path keeps its trailing "/". */
const ENDS_IN_DIRECTORY = /(?:^|\/)\.{0,2}$/;

/** The canonical URI of a wire path. */
export function canonicalUri(path: string, normalize: boolean, escape: boolean): string {
  const p = normalize ? normalizePath(path) : path || "/";
  return escape ? uriEncode(p, true) : p;
}

/** The canonical query string of an encoded query ("" stays ""). Parameters are sorted by name, then value. */
export function canonicalQuery(query: string, skip?: string): string {
  if (query === "") return "";
  const pairs: string[] = [];
  const n = query.length;
  for (let start = 0; start <= n; ) {
    let amp = query.indexOf("&", start);
    if (amp < 0) amp = n;
    if (amp > start) {
      let eq = query.indexOf("=", start);
      if (eq < 0 || eq > amp) eq = amp; // no value: the value slice below is empty
      const key = canonicalQueryComponent(query.slice(start, eq));
      if (key !== skip) pairs.push(key + "=" + canonicalQueryComponent(query.slice(eq + 1, amp)));
    }
    start = amp + 1;
  }
  if (pairs.length > 1) pairs.sort(comparePairs);
  return pairs.join("&");
}

/** Orders "key=value" strings by key, then value, in byte order. */
function comparePairs(a: string, b: string): number {
  const ka = a.slice(0, a.indexOf("="));
  const kb = b.slice(0, b.indexOf("="));
  // Equal keys: the pairs share the prefix "key=", so comparing them whole compares the values.
  return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
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
    const lower = keys.some((name) => UPPER.test(name));
    const names: string[] = [];
    for (const name of lower ? Object.keys(lowerCaseHeaders(headers)) : keys) {
      if (!UNSIGNABLE_HEADERS.has(name) && !unsigned?.has(name)) names.push(name);
    }
    names.sort();
    hit = { keys, names, prefixes: names.map((n) => n + ":"), signed: names.join(";"), unsigned, lower };
    if (recent.length >= 8) recent.pop();
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

/** The last few sorted name lists, newest first (at most 8). */
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
