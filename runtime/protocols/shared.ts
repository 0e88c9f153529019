// Small wire helpers every protocol may use: timestamp formatting and parsing, special
// floats, header-list splitting/joining, RFC 3986 percent-encoding, and idempotency-token
// filling. Pure functions over plain values (no Buffer, no I/O), so the same code runs in
// Node, browsers and edge runtimes. Parsers are lenient about what servers send (any
// ISO-8601 offset, fractional seconds, HTTP-date variants); formatters are exact.
import { RequestFormError } from "../errors.js";
import type { StructureShape, TimestampFormat } from "../schema.js";
import { traits } from "../schema.js";

// ---------------------------------------------------------------------------------------
// Timestamps

/**
 * Turns a user-supplied timestamp into a Date. Accepts a Date, epoch seconds (number,
 * fractional allowed), or a string (ISO-8601, HTTP-date, or numeric epoch seconds).
 * Throws RequestFormError for anything that is not a valid instant.
 */
export function toDate(value: unknown): Date {
  // Epoch seconds keep whole milliseconds (truncated, as the Date constructor does).
  const d = value instanceof Date ? value : dateFrom(value, Math.trunc);
  if (!isValid(d)) throw new RequestFormError(`invalid timestamp value (${typeof value})`);
  return d;
}

/** A Date from epoch seconds (milliseconds made whole by `wholeMs`) or timestamp text. */
function dateFrom(value: unknown, wholeMs: (ms: number) => number): Date | undefined {
  if (typeof value === "number") return new Date(wholeMs(value * 1000));
  return typeof value === "string" ? parseTimestamp(value) : undefined;
}

function isValid(date: Date | undefined): date is Date {
  return date !== undefined && !Number.isNaN(date.getTime());
}

/**
 * ISO-8601 / RFC 3339 in UTC: `2019-12-16T23:48:18Z`, with `.123` only when there are
 * milliseconds (the engine's `toISOString`, so years beyond 9999 get its `+010000` form).
 */
export function formatIso8601(date: Date): string {
  return date.toISOString().replace(".000Z", "Z");
}

/**
 * IMF-fixdate (RFC 7231 HTTP-date, the model's "rfc822"): `Mon, 16 Dec 2019 23:48:18 GMT`,
 * which is exactly what `toUTCString` returns (ECMAScript 2018 fixed its format).
 */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/**
 * Formats a timestamp for text locations (headers, query strings, URI labels, XML, query
 * protocol, JSON strings): iso8601 and rfc822 as above, unixTimestamp as decimal epoch
 * seconds (fractional when the date has milliseconds).
 */
export function formatTimestamp(value: unknown, format: TimestampFormat): string {
  const date = toDate(value);
  if (format === "iso8601") return formatIso8601(date);
  if (format === "rfc822") return formatHttpDate(date);
  return String(date.getTime() / 1000);
}

// ISO-8601: date, time, fraction, then Z or a `+hh:mm` offset (groups 8-10), or no zone (UTC).
const ISO_RE = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?:[Zz]|([+-])(\d\d):?(\d\d))?$/;
// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`,
// asctime `Sun Nov  6 08:49:37 1994` (the three forms RFC 7231 requires recipients to accept);
// asctime is read by rewriting it in IMF order (`6 Nov 1994 08:49:37`).
const IMF_RE =
  /^(?:[A-Za-z]{3,9},\s*)?(\d{1,2})[\s-]([A-Za-z]{3})[\s-](\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(?:GMT|UTC|Z|\+0000)?$/;
const ASCTIME_RE = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/;

/** 0-11 for a three-letter month name in any case ("Jan", "dec"), else -1. */
function monthIndex(name: string): number {
  const at = "janfebmaraprmayjunjulaugsepoctnovdec".indexOf(name.toLowerCase());
  return at % 3 === 0 ? at / 3 : -1;
}

function fractionToMs(frac: string | undefined): number {
  if (!frac) return 0;
  // Keep millisecond precision (the Date resolution), truncating extra digits.
  return Number((frac + "00").slice(0, 3));
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): Date {
  const date = new Date(Date.UTC(2000, mo, d, h, mi, s, ms));
  date.setUTCFullYear(y); // Date.UTC maps years 0-99 to 1900-1999
  return date;
}

/**
 * Parses a timestamp from the wire in any of the formats AWS services send: ISO-8601
 * (any offset, fractional seconds), HTTP-date (IMF-fixdate, RFC 850, asctime) or epoch
 * seconds as a decimal string. Returns undefined when the text is none of these.
 */
export function parseTimestamp(text: string): Date | undefined {
  // Responses repeat the same text (Last-Modified of one object, a Date within one second): one entry of cache.
  if (text === lastTimestampText) return lastTimestamp === undefined ? undefined : new Date(lastTimestamp);
  const date = parseTimestampText(text);
  lastTimestampText = text;
  lastTimestamp = date?.getTime();
  return date;
}

let lastTimestampText: string | undefined;
let lastTimestamp: number | undefined;

function parseTimestampText(text: string): Date | undefined {
  const s = text.trim();
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return new Date(Math.round(Number(s) * 1000));
  let m = ISO_RE.exec(s);
  if (m) {
    const date = utc(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionToMs(m[7]));
    if (m[8]) {
      const offset = (+m[9]! * 60 + +m[10]!) * (m[8] === "-" ? -1 : 1);
      date.setTime(date.getTime() - offset * 60000);
    }
    return date;
  }
  m = IMF_RE.exec(s.replace(ASCTIME_RE, "$2 $1 $6 $3:$4:$5"));
  if (m) {
    const month = monthIndex(m[2]!);
    if (month < 0) return undefined;
    let year = +m[3]!;
    if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
    return utc(year, month, +m[1]!, +m[4]!, +m[5]!, +(m[6] ?? 0), fractionToMs(m[7]));
  }
  return undefined;
}

/**
 * The error for a wire value that does not read as `what`. It names the value's type and size,
 * never the value: it may be a `sensitive` member's (and a hostile one may be huge).
 */
function unreadable(what: string, value: unknown): TypeError {
  const got = typeof value === "string" ? `a string of ${value.length} characters` : value === null ? "null" : `a ${typeof value}`;
  return new TypeError(`invalid ${what}: ${got}`);
}

/** Parses a wire timestamp (string or epoch-seconds number); throws on garbage. */
export function readTimestamp(value: unknown): Date {
  const d = dateFrom(value, Math.round);
  if (!isValid(d)) throw unreadable("timestamp", value);
  return d;
}

// ---------------------------------------------------------------------------------------
// Numbers

/** Reads a float from a text or JSON value, accepting the special-float strings. */
export function readFloat(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    if (value === "NaN") return NaN; // the only special float Number() does not read ("Infinity" it does)
    const n = Number(value.trim());
    if (value.trim() !== "" && !Number.isNaN(n)) return n;
  }
  throw unreadable("number", value);
}

/** Reads an integer from text (headers, XML); accepts JSON numbers as they are. */
export function readInteger(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  throw unreadable("integer", value);
}

/** Text form of a number for headers, query strings and labels (`NaN`, `Infinity` spelled out). */
export function numberText(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return value.trim();
  if (value === "NaN" || value === "Infinity" || value === "-Infinity") return value;
  throw new RequestFormError(`invalid number value (${typeof value})`);
}

/** Reads a boolean from text (`true`/`false`, case-insensitive). */
export function readBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "true") return true;
    if (v === "false") return false;
  }
  throw unreadable("boolean", value);
}

// ---------------------------------------------------------------------------------------
// Header lists (RFC 7230 comma lists with Smithy's quoting rules)

/** Quotes a list element when it holds a comma or a double quote (escaping `"` and `\`). */
export function quoteHeaderValue(value: string): string {
  return /[",]/.test(value) ? `"${value.replace(/[\\"]/g, (c) => "\\" + c)}"` : value;
}

/** Joins list elements into one header value with `, `; string elements are quoted as needed. */
export function joinHeaderList(values: readonly string[], quote = true): string {
  return values.map((v) => (quote ? quoteHeaderValue(v) : v)).join(", ");
}

/**
 * Splits a comma-separated header value into elements: commas inside double quotes do not
 * split, quoted elements are unquoted (`\"` -> `"`), and whitespace around elements is trimmed.
 */
export function splitHeaderList(value: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === "\\" && i + 1 < value.length) cur += value[++i]!;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur.trim() === "") {
      quoted = true;
      wasQuoted = true;
      cur = "";
    } else if (c === ",") {
      out.push(wasQuoted ? cur : cur.trim());
      cur = "";
      wasQuoted = false;
    } else if (!(wasQuoted && /\s/.test(c))) {
      cur += c;
    }
  }
  out.push(wasQuoted ? cur : cur.trim());
  return out;
}

/**
 * Splits a list of HTTP-dates, whose elements contain a comma of their own
 * (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`): commas are paired back up.
 */
export function splitHttpDateList(value: string): string[] {
  const parts = value.split(",").map((p) => p.trim());
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    // A weekday prefix ("Mon") is followed by the rest of the date in the next part.
    if (/^[A-Za-z]{3,9}$/.test(p) && i + 1 < parts.length) out.push(`${p}, ${parts[++i]!}`);
    else if (p !== "") out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Percent-encoding

/**
 * RFC 3986 percent-encoding of UTF-8 for labels and query strings (Smithy's, and the one SigV4
 * expects): the signer's `uriEncode`, one implementation for both; with `keepSlash`, `/` stays
 * (greedy URI labels).
 */
export { uriEncode } from "../signer/canonical.js";

// ---------------------------------------------------------------------------------------
// Idempotency tokens

/**
 * Returns the input with every top-level idempotency-token member (trait `it`) that is
 * absent filled from `uuid()`. The caller's object is never mutated.
 */
export function fillIdempotencyTokens(
  shape: StructureShape | undefined,
  input: Record<string, unknown>,
  uuid: () => string,
): Record<string, unknown> {
  if (!shape) return input;
  let names = tokenMembers.get(shape);
  if (names === undefined) {
    names = Object.keys(shape.m).filter((name) => traits(shape.m[name]!).it);
    tokenMembers.set(shape, names);
  }
  let out = input;
  for (const name of names) {
    if (input[name] === undefined || input[name] === null) {
      if (out === input) out = Object.assign({}, input); // not a spread: adding to a spread copy is slow in V8
      out[name] = uuid();
    }
  }
  return out;
}

/** The idempotency-token members of each input shape, found once. */
const tokenMembers = new WeakMap<StructureShape, readonly string[]>();
