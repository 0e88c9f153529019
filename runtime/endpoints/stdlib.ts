// The rules-engine standard library: the functions endpoint rule sets call, as plain
// functions over JS values. A function that "returns nothing" returns null, which fails the
// condition that called it. No URL class: WHATWG URL lowercases hosts, drops default ports
// and rewrites IP literals, while the rules need the authority exactly as written.
// Partition lookups are cached per partitions object (a WeakMap), so the data passed in by
// the generated code is compiled (regexes) once.
import { uriEncode as strictUriEncode } from "../signer/canonical.js";
import type { Partition, PartitionOutputs, Partitions } from "./types.js";

/** What `parseURL` returns. */
export interface UrlParts {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
  readonly normalizedPath: string;
  readonly isIp: boolean;
}

/** What `aws.parseArn` returns. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resourceId: readonly string[];
}

const hasOwn = Object.prototype.hasOwnProperty;

/** getAttr: keys index objects, numbers index arrays; a missing step gives null. The path starts at `from`. */
export function getAttr(value: unknown, path: readonly (string | number)[], from = 0): unknown {
  let v = value;
  for (let i = from; i < path.length; i++) {
    const step = path[i]!;
    if (v === null || v === undefined) return null;
    if (typeof step === "number") {
      if (!Array.isArray(v) || step >= v.length) return null;
      v = v[step];
    } else {
      if (typeof v !== "object" || Array.isArray(v) || !hasOwn.call(v, step)) return null;
      v = (v as Record<string, unknown>)[step];
    }
  }
  return v ?? null;
}

/** Parses a getAttr path (`a.b[0]`, `[2]`) into keys and indexes; throws on a malformed one. */
export function parseAttrPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split(".")) {
    const m = /^([^[\]]*)(?:\[(\d+)\])?$/.exec(part);
    if (!m || (m[1] === "" && m[2] === undefined)) throw new Error(`invalid getAttr path ${JSON.stringify(path)}`);
    if (m[1]) out.push(m[1]);
    if (m[2] !== undefined) out.push(Number(m[2]));
  }
  return out;
}

/** substring over ASCII input; `reverse` counts from the end. */
export function substring(input: unknown, start: number, stop: number, reverse: boolean): string | null {
  if (typeof input !== "string" || start >= stop || input.length < stop || /[^\x00-\x7f]/.test(input)) return null;
  return reverse ? input.slice(input.length - stop, input.length - start) : input.slice(start, stop);
}

/**
 * RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~, as UTF-8, upper-case hex (a
 * lone surrogate as U+FFFD). The signer's strict encoder, which both need.
 */
export function uriEncode(value: unknown): string | null {
  return typeof value === "string" ? strictUriEncode(value) : null;
}

const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;
const IPV4_RE = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** parseURL: an http(s) URL without a query string, split as written. */
export function parseURL(value: unknown): UrlParts | null {
  if (typeof value !== "string") return null;
  const m = URL_RE.exec(value);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!;
  const path = m[3]!;
  if ((scheme !== "http" && scheme !== "https") || (m[4] !== undefined && m[4] !== "")) return null;
  // host[:port], where host may be a bracketed IPv6 literal; userinfo is kept in authority.
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  let host: string;
  let port: string | undefined;
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]");
    if (end < 0) return null;
    host = hostPort.slice(0, end + 1);
    const rest = hostPort.slice(end + 1);
    if (rest !== "") {
      if (rest[0] !== ":") return null;
      port = rest.slice(1);
    }
  } else {
    const colon = hostPort.indexOf(":");
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    if (colon >= 0) port = hostPort.slice(colon + 1);
  }
  if (host === "") return null;
  if (port !== undefined && port !== "" && (!/^\d+$/.test(port) || Number(port) > 65535)) return null;
  const isIp = IPV4_RE.test(host) || /^\[[0-9A-Fa-f:.]+(?:%25[^\]]+)?\]$/.test(host);
  let normalizedPath = path.startsWith("/") ? path : `/${path}`;
  if (!normalizedPath.endsWith("/")) normalizedPath += "/";
  return { scheme, authority, path, normalizedPath, isIp };
}

const HOST_LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** isValidHostLabel: 1-63 letters, digits and dashes, not starting or ending with a dash. */
export function isValidHostLabel(value: unknown, allowSubDomains: unknown): boolean {
  if (typeof value !== "string") return false;
  if (allowSubDomains === true) return value.split(".").every((label) => HOST_LABEL_RE.test(label));
  return HOST_LABEL_RE.test(value);
}

/** aws.isVirtualHostableS3Bucket: a lower-case DNS-compatible name of 3-63 characters, not an IPv4 address. */
export function isVirtualHostableS3Bucket(value: unknown, allowSubDomains: unknown): boolean {
  if (typeof value !== "string" || value.length < 3 || value.length > 63) return false;
  if (value.toLowerCase() !== value || /^\d+\.\d+\.\d+\.\d+$/.test(value)) return false;
  return isValidHostLabel(value, allowSubDomains);
}

/** aws.parseArn: `arn:partition:service:region:account:resource`, resource split on `:` and `/`. */
export function parseArn(value: unknown): ArnParts | null {
  if (typeof value !== "string" || !value.startsWith("arn:")) return null;
  const parts = value.split(":");
  if (parts.length < 6) return null;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(":");
  if (partition === "" || service === "" || resource === "") return null;
  return { partition, service, region, accountId, resourceId: resource.split(/[:/]/) };
}

/** split(value, delimiter, limit): limit 0 splits fully, n > 0 gives at most n parts. */
export function split(value: unknown, delimiter: unknown, limit: unknown): string[] | null {
  if (typeof value !== "string" || typeof delimiter !== "string" || delimiter === "" || typeof limit !== "number") return null;
  const all = value.split(delimiter);
  if (limit <= 0 || all.length <= limit) return all;
  return [...all.slice(0, limit - 1), all.slice(limit - 1).join(delimiter)];
}

interface PartitionIndex {
  readonly regexes: readonly RegExp[];
  readonly byRegion: Map<string, PartitionOutputs>;
}

const INDEXES = new WeakMap<Partitions, PartitionIndex>();

function outputsFor(p: Partition, regionOverrides: Readonly<Record<string, unknown>> | undefined): PartitionOutputs {
  let out: Record<string, unknown> = { ...p.outputs };
  if (regionOverrides) {
    for (const k of Object.keys(regionOverrides)) if (k !== "description") out[k] = regionOverrides[k];
  }
  out.name ??= p.id;
  return Object.freeze(out) as PartitionOutputs;
}

/**
 * aws.partition: the partition that lists the region, else the first whose regionRegex
 * matches, else the `aws` partition (so an unknown region still resolves).
 */
export function partition(partitions: Partitions, region: unknown): PartitionOutputs | null {
  if (typeof region !== "string") return null;
  let index = INDEXES.get(partitions);
  if (!index) {
    index = { regexes: partitions.partitions.map((p) => new RegExp(p.regionRegex)), byRegion: new Map() };
    INDEXES.set(partitions, index);
  }
  const cached = index.byRegion.get(region);
  if (cached) return cached;
  const list = partitions.partitions;
  let found: PartitionOutputs | undefined;
  for (const p of list) {
    if (hasOwn.call(p.regions, region)) {
      found = outputsFor(p, p.regions[region]);
      break;
    }
  }
  if (!found) {
    const i = index.regexes.findIndex((re) => re.test(region));
    const p = i >= 0 ? list[i] : (list.find((x) => x.id === "aws") ?? list[0]);
    if (!p) return null;
    found = outputsFor(p, undefined);
  }
  // Bounded: regions come from configuration, but a caller could pass many distinct strings.
  if (index.byRegion.size < 256) index.byRegion.set(region, found);
  return found;
}
