// models/ and models/manifest.json: the committed models match their manifest (the check every
// `make generate` runs first), a tampered, missing or extra model file is detected, and
// `make update-models` (codegen/models.ts update) takes the newest API version of each service,
// unpacks gzipped files, ignores files that are not ours, and writes a manifest the check accepts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkModels, updateModels } from "../../codegen/models.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

test("the committed models/ match models/manifest.json", () => {
  const n = checkModels();
  const manifest = JSON.parse(readFileSync(join(ROOT, "models/manifest.json"), "utf8")) as { file: string; sha256: string }[];
  assert.equal(n, manifest.length);
  assert.ok(manifest.some((e) => e.file.startsWith("s3/") && e.file.endsWith("/service-2.json")));
  assert.ok(manifest.every((e) => /^[0-9a-f]{64}$/.test(e.sha256)));
});

test("a tampered, missing or unlisted model file is detected", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsaws-models-"));
  try {
    // A copy of two real services and their manifest entries.
    const all = JSON.parse(readFileSync(join(ROOT, "models/manifest.json"), "utf8")) as { file: string; sha256: string }[];
    const entries = all.filter((e) => e.file.startsWith("sqs/") || e.file.startsWith("sts/"));
    assert.ok(entries.length >= 2);
    for (const e of entries) {
      mkdirSync(join(dir, e.file, ".."), { recursive: true });
      cpSync(join(ROOT, "models", e.file), join(dir, e.file));
    }
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(entries));
    assert.equal(checkModels(dir), entries.length);

    const target = join(dir, entries.find((e) => e.file.endsWith("service-2.json"))!.file);
    const original = readFileSync(target);
    appendFileSync(target, " ");
    assert.throws(() => checkModels(dir), (e: Error) => /changed .*service-2\.json/.test(e.message) && /make update-models/.test(e.message));
    writeFileSync(target, original);
    assert.equal(checkModels(dir), entries.length);

    rmSync(target);
    assert.throws(() => checkModels(dir), /missing .*service-2\.json/);
    writeFileSync(target, original);

    writeFileSync(join(dir, "sqs", "extra.json"), "{}");
    assert.throws(() => checkModels(dir), /not in manifest sqs\/extra\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("update-models copies the newest API version, unpacks .gz, skips foreign files, and writes a valid manifest", () => {
  const src = mkdtempSync(join(tmpdir(), "tsaws-models-src-"));
  const out = mkdtempSync(join(tmpdir(), "tsaws-models-out-"));
  try {
    const put = (rel: string, data: string | Uint8Array) => {
      mkdirSync(join(src, rel, ".."), { recursive: true });
      writeFileSync(join(src, rel), data);
    };
    put("widgets/2019-01-01/service-2.json", '{"old":true}');
    put("widgets/2024-06-01/service-2.json.gz", gzipSync('{"new":true}'));
    put("widgets/2024-06-01/paginators-1.json", "{}");
    put("widgets/2024-06-01/examples-1.json", "{}");
    put("_root/partitions.json", "{}");
    put("_root/unrelated.json", "{}");
    put("README.txt", "not a service");
    const n = updateModels(src, out);
    assert.equal(n, 3);
    assert.equal(readFileSync(join(out, "widgets/2024-06-01/service-2.json"), "utf8"), '{"new":true}');
    assert.ok(existsSync(join(out, "widgets/2024-06-01/paginators-1.json")));
    assert.ok(!existsSync(join(out, "widgets/2019-01-01")), "older API versions are not copied");
    assert.ok(!existsSync(join(out, "widgets/2024-06-01/examples-1.json")), "files that are not ours are skipped");
    assert.ok(!existsSync(join(out, "_root/unrelated.json")));
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { file: string }[];
    assert.deepEqual(
      manifest.map((e) => e.file),
      ["_root/partitions.json", "widgets/2024-06-01/paginators-1.json", "widgets/2024-06-01/service-2.json"],
    );
    assert.equal(checkModels(out), 3);
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});
