// Node-only helpers for the token caches the AWS CLI shares with the SDKs (~/.aws/sso/cache,
// ~/.aws/login/cache): timestamps in the CLI's format and atomic, owner-only writes (a temporary
// file renamed over the old one, so a concurrent reader never sees half a document).

import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Timestamps as the AWS CLI writes them: 2025-01-01T00:00:00Z. */
export function cacheTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
  await rename(tmp, path);
}
