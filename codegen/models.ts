// Model data management: `update` copies botocore/boto3 model files from MODELS_SRC
// (default ../shared/models; gzipped files are unpacked) into models/ and writes
// models/manifest.json; `check` verifies every file against the manifest so a build
// never runs on models that differ from the reviewed ones.
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const MODELS = join(ROOT, "models");
/** The files a service folder may hold; anything else in MODELS_SRC is not ours. */
const WANTED = /^(service-2|paginators-1|waiters-2|endpoint-rule-set-1|resources-1)(\.sdk-extras)?\.json$/;
const ROOT_WANTED = /^(partitions|_retry|sdk-default-configuration|endpoints)\.json$/;

interface ManifestEntry { file: string; sha256: string }

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Replaces `out` (default models/) with the wanted files of `src` and writes its manifest.json. */
export function updateModels(src: string, out: string = MODELS): number {
  if (!existsSync(src)) throw new Error(`MODELS_SRC ${src} does not exist`);
  rmSync(out, { recursive: true, force: true });
  const entries: ManifestEntry[] = [];
  for (const service of readdirSync(src).sort()) {
    const sdir = join(src, service);
    if (!statSync(sdir).isDirectory()) continue;
    const copy = (from: string, rel: string) => {
      let data = readFileSync(from);
      if (rel.endsWith(".gz")) { data = gunzipSync(data); rel = rel.slice(0, -3); }
      const to = join(out, rel);
      mkdirSync(join(to, ".."), { recursive: true });
      writeFileSync(to, data);
      entries.push({ file: rel, sha256: sha256(data) });
    };
    if (service === "_root") {
      for (const f of readdirSync(sdir).sort()) {
        if (ROOT_WANTED.test(f.replace(/\.gz$/, ""))) copy(join(sdir, f), `_root/${f}`);
      }
      continue;
    }
    // Newest API version only, as botocore loads it.
    const versions = readdirSync(sdir).filter((v) => statSync(join(sdir, v)).isDirectory()).sort();
    const version = versions[versions.length - 1];
    if (!version) continue;
    for (const f of readdirSync(join(sdir, version)).sort()) {
      if (WANTED.test(f.replace(/\.gz$/, ""))) copy(join(sdir, version, f), `${service}/${version}/${f}`);
    }
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "manifest.json"), JSON.stringify(entries, null, 1) + "\n");
  return entries.length;
}

/** Verifies every file of `dir` (default models/) against its manifest.json; throws listing what differs. */
export function checkModels(dir: string = MODELS): number {
  const entries = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as ManifestEntry[];
  const listed = new Set(entries.map((e) => e.file));
  const problems: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.file);
    if (!existsSync(p)) problems.push(`missing ${e.file}`);
    else if (sha256(readFileSync(p)) !== e.sha256) problems.push(`changed ${e.file}`);
  }
  for (const p of walk(dir)) {
    const rel = relative(dir, p);
    if (rel !== "manifest.json" && !listed.has(rel)) problems.push(`not in manifest ${rel}`);
  }
  if (problems.length) {
    throw new Error(`models/ does not match models/manifest.json (run make update-models):\n  ${problems.slice(0, 20).join("\n  ")}`);
  }
  return entries.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cmd = process.argv[2];
  if (cmd === "update") {
    const src = process.env.MODELS_SRC || join(ROOT, "..", "shared", "models");
    console.log(`models: ${updateModels(src)} files from ${src}`);
  }
  else if (cmd === "check") console.log(`models: ${checkModels()} files match the manifest`);
  else { console.error("usage: models.ts update|check"); process.exit(2); }
}
