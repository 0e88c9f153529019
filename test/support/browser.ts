// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH),
// driven by playwright-core, loading one esbuild-bundled module from a page served on
// 127.0.0.1 (a secure context, so web crypto is there). Without Chromium a browser test
// file is skipped with `browserSkip` as its reason, unless TSAWS_REQUIRE_BROWSER=1 (set by
// .ci/run, which installs Chromium): then `openPage` throws and the file fails.
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import type { Page } from "playwright-core";

const ROOT = new URL("../..", import.meta.url).pathname;
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const missing = existsSync(CHROMIUM)
  ? undefined
  : `Chromium not found at ${CHROMIUM} (apt-get install chromium; .ci/run installs it and sets TSAWS_REQUIRE_BROWSER=1)`;

/** The `skip` option of a browser test: the reason Chromium is not there, or false. */
export const browserSkip: string | false = missing !== undefined && process.env["TSAWS_REQUIRE_BROWSER"] !== "1" ? missing : false;

export interface BundledPage {
  /** Relative paths of every input esbuild put into the page's script. */
  inputs: string[];
  /** Uncaught errors and unhandled rejections the page reported. */
  errors: string[];
  /** Runs `fn` in the page once its script has set `globalThis[ready]`. */
  page: Page;
}

/**
 * Bundles `entry` (a path under the repository) for the browser, serves it from 127.0.0.1,
 * opens it in Chromium and waits for the script to define `globalThis[ready]`; then `use`
 * runs with the page. Everything is closed afterwards, whatever `use` does.
 */
export async function withBundledPage<T>(entry: string, ready: string, use: (p: BundledPage) => Promise<T>): Promise<T> {
  if (missing) throw new Error(missing);
  const r = await build({
    entryPoints: [`${ROOT}${entry}`],
    absWorkingDir: ROOT,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const script = r.outputFiles[0]!.text;
  const html = `<!doctype html><meta charset="utf-8"><title>tsaws</title><script type="module" src="/page.js"></script>`;
  const site = createServer((req, res) => {
    if (req.url === "/page.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else if (req.url === "/") res.writeHead(200, { "content-type": "text/html" }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`${e.name}: ${e.message}`));
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
    await page.waitForFunction((name) => typeof (globalThis as Record<string, unknown>)[name] === "function", ready);
    return await use({ inputs: Object.keys(r.metafile.inputs), errors, page });
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => site.close(() => resolve()));
  }
}
