// Proxy settings from the environment, as curl and most HTTP tools read them.
//
// HTTPS_PROXY / HTTP_PROXY (lower-case spellings win, as in curl) name the proxy for each
// target scheme; NO_PROXY lists hosts reached directly: "*" for all, a domain (with or
// without a leading "." or "*.") matching itself and its subdomains, an exact IP, an IPv4
// CIDR block, each optionally with ":port". The environment is passed in (never read
// here), parsed once per handler; matching is a short loop over pre-parsed rules.
// Pure code: no node imports, so it runs anywhere.
import { ConfigError } from "../errors.js";

export interface ProxyTarget {
  protocol: "http:" | "https:";
  hostname: string;
  port: number;
  /** `Basic ...` value for Proxy-Authorization, when the proxy URL holds credentials. */
  authorization?: string;
  /** host:port, for messages (never the credentials). */
  label: string;
}

interface NoProxyRule {
  /** Lower-case host or domain without a leading dot; "" with `cidr`. */
  host: string;
  port?: number;
  cidr?: [base: number, mask: number];
}

export interface ProxySettings {
  http?: ProxyTarget;
  https?: ProxyTarget;
  all: boolean;
  rules: NoProxyRule[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** `host`, in brackets when it is an IPv6 address (for an authority `host:port`). */
export function bracketed(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function pick(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

/** Base64 of ASCII/UTF-8 text without Buffer or btoa differences. */
function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Parses a proxy URL ("http://user:pass@host:3128", or "host:3128" meaning http). */
export function parseProxyUrl(value: string, variable = "proxy"): ProxyTarget {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new ConfigError(`${variable} is not a valid proxy URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${variable} uses ${url.protocol.slice(0, -1)}; only http and https proxies are supported.`);
  }
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const target: ProxyTarget = { protocol: url.protocol, hostname, port, label: `${url.hostname}:${port}` };
  if (url.username || url.password) {
    target.authorization = `Basic ${base64Utf8(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}`;
  }
  return target;
}

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

function parseNoProxy(value: string | undefined): { all: boolean; rules: NoProxyRule[] } {
  const rules: NoProxyRule[] = [];
  let all = false;
  if (!value) return { all, rules };
  for (let entry of value.toLowerCase().split(/[\s,]+/)) {
    if (entry === "") continue;
    if (entry === "*") {
      all = true;
      continue;
    }
    let port: number | undefined;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracket) {
      entry = bracket[1]!;
      if (bracket[2]) port = Number(bracket[2]);
    } else {
      const colon = entry.lastIndexOf(":");
      // A single colon separates a port; several colons mean a bare IPv6 address.
      if (colon > 0 && entry.indexOf(":") === colon && /^\d+$/.test(entry.slice(colon + 1))) {
        port = Number(entry.slice(colon + 1));
        entry = entry.slice(0, colon);
      }
    }
    const slash = entry.indexOf("/");
    if (slash > 0) {
      const base = ipv4(entry.slice(0, slash));
      const bits = Number(entry.slice(slash + 1));
      if (base !== undefined && Number.isInteger(bits) && bits >= 0 && bits <= 32) {
        const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
        rules.push(
          port !== undefined
            ? { host: "", cidr: [(base & mask) >>> 0, mask], port }
            : { host: "", cidr: [(base & mask) >>> 0, mask] },
        );
      }
      continue;
    }
    if (entry.startsWith("*.")) entry = entry.slice(2);
    else if (entry.startsWith(".")) entry = entry.slice(1);
    if (entry !== "") rules.push(port !== undefined ? { host: entry, port } : { host: entry });
  }
  return { all, rules };
}

/** Reads HTTP(S)_PROXY and NO_PROXY; undefined when no proxy is configured. */
export function proxySettingsFromEnv(env: Env): ProxySettings | undefined {
  const httpValue = pick(env, "http_proxy");
  const httpsValue = pick(env, "https_proxy");
  if (httpValue === undefined && httpsValue === undefined) return undefined;
  const settings: ProxySettings = { ...parseNoProxy(pick(env, "no_proxy")) };
  if (httpValue !== undefined) settings.http = parseProxyUrl(httpValue, "HTTP_PROXY");
  if (httpsValue !== undefined) settings.https = parseProxyUrl(httpsValue, "HTTPS_PROXY");
  return settings;
}

/** True when NO_PROXY says `hostname:port` is reached directly. */
export function bypassesProxy(settings: ProxySettings, hostname: string, port: number): boolean {
  if (settings.all) return true;
  if (settings.rules.length === 0) return false;
  let host = hostname.toLowerCase();
  if (host.startsWith("[")) host = host.slice(1, -1);
  if (host.endsWith(".")) host = host.slice(0, -1);
  let v4: number | undefined | null = null;
  for (const rule of settings.rules) {
    if (rule.port !== undefined && rule.port !== port) continue;
    if (rule.cidr) {
      if (v4 === null) v4 = ipv4(host);
      if (v4 !== undefined && (v4 & rule.cidr[1]) >>> 0 === rule.cidr[0]) return true;
      continue;
    }
    if (host === rule.host) return true;
    if (
      host.length > rule.host.length &&
      host.endsWith(rule.host) &&
      host.charCodeAt(host.length - rule.host.length - 1) === 46 /* . */
    ) {
      return true;
    }
  }
  return false;
}

/** The proxy for a request, or undefined when it goes direct. */
export function proxyFor(
  settings: ProxySettings,
  protocol: "http:" | "https:",
  hostname: string,
  port: number,
): ProxyTarget | undefined {
  const target = protocol === "https:" ? settings.https : settings.http;
  if (target === undefined || bypassesProxy(settings, hostname, port)) return undefined;
  return target;
}
