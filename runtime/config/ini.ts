// The AWS shared config/credentials file format, parsed the way botocore parses it: Python's
// configparser.RawConfigParser (strict mode, `=` or `:` delimiters, `#`/`;` full-line comments,
// option names lower-cased, indented continuation lines, a `[DEFAULT]` section inherited by all),
// then botocore's `raw_config_parse` (a value that starts with a newline is one level of nested
// `key = value` settings) and `build_profile_map` (`[profile x]`, `[default]`, `[sso-session x]`,
// `[services x]`, names split shell-style so quotes are removed and malformed headers dropped).
// Pure and platform-neutral: it takes text or bytes (decoded strictly as UTF-8, never lossily) and
// returns plain records with null prototypes, so a profile named `__proto__` is just a name.
// Error messages give line numbers and option names, never values (they may be secrets).

import { ConfigError } from "../errors.js";
import { fromUtf8 } from "../encoding.js";

/** One level of nested settings: `s3 =` followed by indented `key = value` lines. */
export interface IniSubsection {
  [key: string]: string;
}

/** A value is a string, or an object for a nested block. */
export type IniValue = string | IniSubsection;

export interface IniSection {
  [key: string]: IniValue;
}

/** Section name (as written between the brackets) to its settings, in file order. */
export interface IniFile {
  [section: string]: IniSection;
}

export interface ParseIniOptions {
  /** Used in error messages only. */
  path?: string;
  /** Parse values that start with a newline as nested settings (botocore's default: true). */
  parseSubsections?: boolean;
}

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

const SECTION_RE = /^\[(.+)\]/;
const OPTION_RE = /^(.*?)\s*([=:])\s*(.*)$/s;

/** Parses one INI file. Throws ConfigError on anything configparser or botocore rejects. */
export function parseIni(input: string | Uint8Array, options: ParseIniOptions = {}): IniFile {
  const where = options.path ? ` in ${options.path}` : "";
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = fromUtf8(input, true);
    } catch {
      throw new ConfigError(`Unable to parse config file${where}: the file is not valid UTF-8`);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // Multi-line values are collected as arrays of lines and joined at the end, as configparser does.
  const defaults = new Map<string, string[]>();
  const sections = new Map<string, Map<string, string[]>>();
  const added = new Set<string>(); // section names and "section\0option" pairs seen in this file
  let current: Map<string, string[]> | undefined;
  let sectionName: string | undefined;
  let optionName: string | undefined;
  let indentLevel = 0;
  const badLines: number[] = [];

  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    const stripped = line.trim();
    const isComment = stripped.startsWith("#") || stripped.startsWith(";");
    const value = isComment ? "" : stripped;
    if (!value) {
      // Blank lines belong to a multi-line value (trailing ones are dropped at the end);
      // comment lines do not.
      if (!isComment && current && optionName !== undefined) current.get(optionName)?.push("");
      continue;
    }
    const firstNonSpace = line.search(/\S/);
    const indent = firstNonSpace < 0 ? 0 : firstNonSpace;
    if (current && optionName !== undefined && indent > indentLevel) {
      current.get(optionName)!.push(value);
      continue;
    }
    indentLevel = indent;
    const header = SECTION_RE.exec(value);
    if (header) {
      const name = header[1]!;
      if (sections.has(name)) {
        if (added.has(name)) {
          throw new ConfigError(`Unable to parse config file${where}: line ${lineNo}: section [${name}] appears twice`);
        }
        current = sections.get(name)!;
        added.add(name);
      } else if (name === "DEFAULT") {
        current = defaults;
      } else {
        current = new Map();
        sections.set(name, current);
        added.add(name);
      }
      sectionName = name;
      optionName = undefined;
      continue;
    }
    if (!current) {
      throw new ConfigError(
        `Unable to parse config file${where}: line ${lineNo}: a setting appears before any [section] header`,
      );
    }
    const option = OPTION_RE.exec(value);
    if (!option || !option[1]) {
      badLines.push(lineNo);
      if (!option) continue;
    }
    const name = option[1]!.trimEnd().toLowerCase();
    const key = `${sectionName}\0${name}`;
    if (added.has(key)) {
      throw new ConfigError(
        `Unable to parse config file${where}: line ${lineNo}: setting "${name}" appears twice in [${sectionName}]`,
      );
    }
    added.add(key);
    current.set(name, [option[3]!.trim()]);
    optionName = name;
  }
  if (badLines.length > 0) {
    throw new ConfigError(
      `Unable to parse config file${where}: line${badLines.length > 1 ? "s" : ""} ${badLines.join(", ")} ` +
        `${badLines.length > 1 ? "are" : "is"} neither a [section] header nor a "key = value" setting`,
    );
  }

  const parseSub = options.parseSubsections ?? true;
  const out = record<IniSection>();
  for (const [name, settings] of sections) {
    const section = record<IniValue>();
    const merged = new Map(settings);
    for (const [k, v] of defaults) if (!merged.has(k)) merged.set(k, v);
    for (const [k, parts] of merged) {
      const joined = parts.join("\n").trimEnd();
      section[k] = parseSub && joined.startsWith("\n") ? parseNested(joined, k, name, where) : joined;
    }
    out[name] = section;
  }
  return out;
}

// Python's str.splitlines boundaries.
const SPLITLINES = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

function parseNested(value: string, option: string, section: string, where: string): IniSubsection {
  const out = record<string>();
  for (const raw of value.split(SPLITLINES)) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq < 0) {
      throw new ConfigError(
        `Unable to parse config file${where}: the nested settings of "${option}" in [${section}] ` +
          `must each be "key = value"`,
      );
    }
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Splits a string as Python's `shlex.split` does (POSIX mode, no comments): whitespace separates
 * words, single quotes are literal, double quotes allow `\"` and `\\`, a backslash outside quotes
 * escapes any character. Returns undefined where shlex raises (an unclosed quote, a trailing `\`).
 */
export function shellSplit(input: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += input.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < input.length) {
        const d = input[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === "\\" && i + 1 < input.length && (input[i + 1] === '"' || input[i + 1] === "\\")) {
          word += input[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) return undefined;
      inWord = true;
    } else if (c === "\\") {
      if (i + 1 >= input.length) return undefined;
      word += input[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The sections of a config file, grouped as botocore's `build_profile_map` groups them. */
export interface ProfileMap {
  profiles: Record<string, IniSection>;
  ssoSessions: Record<string, IniSection>;
  services: Record<string, IniSection>;
  /** Sections that are none of the above (ignored by the SDK, kept for completeness). */
  other: Record<string, IniSection>;
}

function sectionTitle(key: string): string | undefined {
  const parts = shellSplit(key);
  return parts && parts.length === 2 ? parts[1] : undefined;
}

/**
 * Groups a parsed config file. As in botocore, a section whose name starts with "profile",
 * "sso-session" or "services" must split into exactly two shell words (`profile "my name"`),
 * else it is dropped; `[default]` is the default profile; later sections win on a clash.
 */
export function buildProfileMap(ini: IniFile): ProfileMap {
  const map: ProfileMap = { profiles: record(), ssoSessions: record(), services: record(), other: record() };
  for (const key of Object.keys(ini)) {
    const values = ini[key]!;
    let target: Record<string, IniSection> | undefined;
    if (key.startsWith("profile")) target = map.profiles;
    else if (key.startsWith("sso-session")) target = map.ssoSessions;
    else if (key.startsWith("services")) target = map.services;
    if (target) {
      const title = sectionTitle(key);
      if (title !== undefined) target[title] = values;
    } else if (key === "default") {
      map.profiles[key] = values;
    } else {
      map.other[key] = values;
    }
  }
  return map;
}

/**
 * Parses the legacy `AWS_CREDENTIAL_FILE` format (botocore's `parse_key_val_file_contents`):
 * `KEY=value` lines, no sections; lines without `=` are skipped.
 */
export function parseKeyValueFile(input: string | Uint8Array, path?: string): Record<string, string> {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    try {
      text = fromUtf8(input, true);
    } catch {
      throw new ConfigError(`Unable to parse credential file${path ? ` ${path}` : ""}: the file is not valid UTF-8`);
    }
  }
  const out = record<string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}
