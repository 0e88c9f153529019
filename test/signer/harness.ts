// Shared helpers for the signer suites: read raw HTTP request files into HttpRequest
// records, and turn requests (ours or the expected files) into comparable shapes.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { HttpRequest } from "../../runtime/http/types.js";
import type { SigningOptions } from "../../runtime/signer/sigv4.js";

export const CONFORMANCE = new URL("../vendor/conformance/sigv4/", import.meta.url).pathname;

export interface RawRequest {
  method: string;
  /** The request-target path exactly as written (not encoded). */
  path: string;
  query: string;
  /** Header lines in order: lower-case name, value as written (continuations joined with a space). */
  headerLines: [string, string][];
  body: string | undefined;
}

/**
 * Parses a raw HTTP request file. The path is split from the request line on the first and
 * last space (it may hold spaces); headers may repeat and continue on indented lines; the
 * body follows the first blank line.
 */
export function parseRawRequest(text: string): RawRequest {
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const requestLine = lines[0]!;
  const first = requestLine.indexOf(" ");
  const last = requestLine.lastIndexOf(" ");
  const method = requestLine.slice(0, first);
  const target = requestLine.slice(first + 1, last);
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? "" : target.slice(q + 1);
  const headerLines: [string, string][] = [];
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") break;
    if ((line[0] === " " || line[0] === "\t") && headerLines.length > 0) {
      // obs-fold: the line break becomes a space; the indentation is kept for the signer to fold.
      headerLines[headerLines.length - 1]![1] += " " + line;
      continue;
    }
    const colon = line.indexOf(":");
    headerLines.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1)]);
  }
  const bodyLines = lines.slice(i + 1);
  const body = i < lines.length && bodyLines.length > 0 ? bodyLines.join("\n") : undefined;
  return { method, path, query, headerLines, body: body === "" ? undefined : body };
}

/**
 * A request record from a raw request. Repeated headers are joined with "," (SigV4's rule
 * for repeated names), each value trimmed first as an HTTP parser would; a single value is
 * kept as written so the signer's own trimming is exercised.
 */
export function toHttpRequest(raw: RawRequest): HttpRequest {
  const headers: Record<string, string> = {};
  const count = new Map<string, number>();
  for (const [name] of raw.headerLines) count.set(name, (count.get(name) ?? 0) + 1);
  for (const [name, value] of raw.headerLines) {
    if (count.get(name) === 1) headers[name] = value;
    else headers[name] = headers[name] === undefined ? value.trim() : headers[name] + "," + value.trim();
  }
  const host = (headers.host ?? "").trim();
  const request: HttpRequest = { method: raw.method, protocol: "https:", hostname: host, path: raw.path, query: raw.query, headers };
  if (raw.body !== undefined) request.body = raw.body;
  return request;
}

/** A comparable view of a request: method, path, sorted query pairs, normalized headers, body. */
export interface RequestShape {
  method: string;
  path: string;
  query: string[];
  headers: Record<string, string>;
  body: string;
}

function normalizeValue(v: string): string {
  return v.replace(/[ \t\r\n]+/g, " ").trim();
}

export function shapeOf(request: HttpRequest): RequestShape {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = normalizeValue(v);
  return {
    method: request.method,
    path: request.path,
    query: request.query === "" ? [] : request.query.split("&").sort(),
    headers,
    body: typeof request.body === "string" ? request.body : request.body === undefined ? "" : "<non-string body>",
  };
}

export function shapeOfRaw(raw: RawRequest): RequestShape {
  const req = toHttpRequest(raw);
  // Repeated headers: join normalized values with "," as toHttpRequest does.
  return shapeOf(req);
}

export function read(path: string): string {
  return readFileSync(path, "utf8");
}

export function listDirs(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
}

export { existsSync, join };

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  reasons: Map<string, number>;
  failures: string[];
}

export function tally(): Tally {
  return { passed: 0, failed: 0, skipped: 0, reasons: new Map(), failures: [] };
}

export function summary(suite: string, t: Tally): string {
  const reasons = [...t.reasons].map(([r, n]) => `${n}: ${r}`).join("; ");
  return `${suite}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${reasons ? ` (${reasons})` : ""}`;
}

/** Registers a node:test case that also counts into `t` (failures still fail the run). */
export function caseTest(t: Tally, name: string, fn: () => void | Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
      t.passed++;
    } catch (e) {
      t.failed++;
      t.failures.push(name);
      throw e;
    }
  });
}

/** Registers a skipped case with its reason, counted apart. */
export function skipCase(t: Tally, name: string, reason: string): void {
  t.skipped++;
  t.reasons.set(reason, (t.reasons.get(reason) ?? 0) + 1);
  test(name, { skip: reason }, () => {});
}

// ---- aws-signing-test-suite context.json

export interface SuiteContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  expiration_in_seconds: number;
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

/** Signing options for a suite context (the clock frozen at its timestamp). */
export function optionsOf(ctx: SuiteContext): SigningOptions {
  const credentials = ctx.credentials.token
    ? { accessKeyId: ctx.credentials.access_key_id, secretAccessKey: ctx.credentials.secret_access_key, sessionToken: ctx.credentials.token }
    : { accessKeyId: ctx.credentials.access_key_id, secretAccessKey: ctx.credentials.secret_access_key };
  return {
    credentials,
    region: ctx.region,
    service: ctx.service,
    date: new Date(ctx.timestamp),
    normalizePath: ctx.normalize,
    contentSha256Header: ctx.sign_body,
    signSessionToken: ctx.omit_session_token !== true,
  };
}

/** What a verifier sees: the signed request minus the signature and any token added after signing. */
export function verifierView(signed: HttpRequest, ctx: SuiteContext): HttpRequest {
  const headers = { ...signed.headers };
  delete headers.authorization;
  let query = signed.query;
  if (ctx.omit_session_token) {
    delete headers["x-amz-security-token"];
    query = query
      .split("&")
      .filter((p) => !p.startsWith("X-Amz-Security-Token="))
      .join("&");
  }
  return { ...signed, headers, query };
}

