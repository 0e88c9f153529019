// The rules-engine standard library: the functions endpoint rule sets call, as plain
// functions over JS values. A function that "returns nothing" returns null, which fails the
// condition that called it. No URL class: WHATWG URL lowercases hosts, drops default ports
// and rewrites IP literals, while the rules need the authority exactly as written.
// Partition lookups are cached per partitions object and region (a WeakMap of Maps): a
// region's outputs are built once, and regionRegexes are only tried for a region no
// partition lists.
import { uriEncode as strictUriEncode } from "../signer/canonical.js";
import type { PartitionOutputs, Partitions } from "./types.js";

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

/** getAttr: keys index objects (own properties), numbers index arrays; a missing step gives null. The path starts at `from`. */
export function getAttr(value: unknown, path: readonly (string | number)[], from = 0): unknown {
  let v = value;
  for (let i = from; i < path.length; i++) {
    const step = path[i]!;
    const found = typeof step === "number" ? Array.isArray(v) : typeof v === "object" && v !== null && !Array.isArray(v) && Object.hasOwn(v, step);
    if (!found) return null;
    v = (v as Record<string | number, unknown>)[step];
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

// An http(s) URL without a query (an empty `?` is allowed); the authority's host[:port] (after
// any userinfo), where the host may be a bracketed IPv6 literal; an IP host, v4 or bracketed v6.
const URL_RE = /^(https?):\/\/([^/?#]*)([^?#]*)\??(?:#.*)?$/i;
const HOST_PORT_RE = /^(\[[^\]]*\]|(?!\[)[^:]*)(?::(\d*))?$/;
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IP_RE = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$|^\\[[0-9A-Fa-f:.]+(?:%25[^\\]]+)?\\]$`);

/** parseURL: an http(s) URL without a query string, split as written. */
export function parseURL(value: unknown): UrlParts | null {
  const m = typeof value === "string" ? URL_RE.exec(value) : null;
  if (!m) return null;
  const authority = m[2]!;
  const path = m[3]!;
  const host = HOST_PORT_RE.exec(authority.slice(authority.lastIndexOf("@") + 1));
  if (!host || host[1] === "" || Number(host[2]) > 65535) return null;
  let normalizedPath = path.startsWith("/") ? path : `/${path}`;
  if (!normalizedPath.endsWith("/")) normalizedPath += "/";
  return { scheme: m[1]!.toLowerCase(), authority, path, normalizedPath, isIp: IP_RE.test(host[1]!) };
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

// Per partitions object, the outputs by region (bounded: regions come from configuration, but
// a caller could pass many distinct strings).
const BY_REGION = new WeakMap<Partitions, Map<string, PartitionOutputs>>();

/**
 * aws.partition: the partition that lists the region (with that region's overrides), else the
 * first whose regionRegex matches, else the `aws` partition (so an unknown region still resolves).
 */
export function partition(partitions: Partitions, region: unknown): PartitionOutputs | null {
  if (typeof region !== "string") return null;
  let byRegion = BY_REGION.get(partitions);
  if (!byRegion) BY_REGION.set(partitions, (byRegion = new Map()));
  let found = byRegion.get(region);
  if (found) return found;
  const list = partitions.partitions;
  const listed = list.find((p) => Object.hasOwn(p.regions, region));
  const p = listed ?? list.find((x) => new RegExp(x.regionRegex).test(region)) ?? list.find((x) => x.id === "aws") ?? list[0];
  if (!p) return null;
  const { description, ...overrides } = listed?.regions[region] ?? {};
  const out: Record<string, unknown> = { ...p.outputs, ...overrides };
  out.name ??= p.id;
  found = Object.freeze(out) as PartitionOutputs;
  if (byRegion.size < 256) byRegion.set(region, found);
  return found;
}
