// Node-only providers stay out of a browser bundle. runtime/session.ts and a generated client
// (STS) are bundled with esbuild for the browser: package.json `imports` are resolved the way a
// browser bundler resolves them (conditions browser, import, default: `#defaults` ->
// defaults/web, `#http` -> http/fetch, `#crypto` -> crypto/web), except that a target under
// dist/runtime/ is read from its TypeScript source under runtime/ so the test needs no build
// (and the Node prebundle under dist/node/, built from those same files, is passed over for the
// condition after it; the package's own `tsaws/<service>`, which the credential chain imports,
// is likewise generated/<service>/index.js).
// The bundle must import nothing from `node:` and its metafile must hold none of the file,
// process or metadata-service modules. The same entry bundled with the Node conditions is the
// control: it does pull those modules in, so the check can fail.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as esbuild from "esbuild";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  imports: Record<string, Record<string, string>>;
};

/** Node's PACKAGE_IMPORTS_RESOLVE for one specifier: the first matching condition in key order. */
function packageImport(specifier: string, conditions: readonly string[]): string | undefined {
  let target: Record<string, string> | undefined = pkg.imports[specifier];
  let star: string | undefined;
  if (!target) {
    for (const [key, value] of Object.entries(pkg.imports)) {
      const i = key.indexOf("*");
      if (i < 0) continue;
      const prefix = key.slice(0, i);
      const suffix = key.slice(i + 1);
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= key.length - 1) {
        target = value;
        star = specifier.slice(prefix.length, specifier.length - suffix.length);
        break;
      }
    }
  }
  if (!target) return undefined;
  for (const [condition, path] of Object.entries(target)) {
    if (path.startsWith("./dist/node/")) continue;
    if (conditions.includes(condition)) return star === undefined ? path : path.replace("*", star);
  }
  return undefined;
}

function resolverPlugin(conditions: readonly string[]): esbuild.Plugin {
  return {
    name: "package-imports",
    setup(build) {
      build.onResolve({ filter: /^tsaws\/[a-z0-9-]+$/ }, (args) => ({ path: join(ROOT, "generated", args.path.slice(6), "index.js") }));
      build.onResolve({ filter: /^#/ }, (args) => {
        const target = packageImport(args.path, conditions);
        if (!target) return { errors: [{ text: `no "${conditions.join(", ")}" target for ${args.path}` }] };
        let path = join(ROOT, target);
        const source = /\/dist\/(runtime\/.*)\.js$/.exec(path);
        if (source) path = join(ROOT, `${source[1]}.ts`);
        if (!existsSync(path)) return { errors: [{ text: `${args.path} -> ${path} does not exist` }] };
        return { path };
      });
    },
  };
}

const ENTRY = `
import { Session } from "./runtime/session.ts";
import { STSClient, GetCallerIdentity } from "./generated/sts/index.js";
export { WaiterError, PaginationError, ServiceError } from "./runtime/index.ts";
export async function whoAmI(accessKeyId, secretAccessKey) {
  const session = new Session({ region: "eu-west-1", credentials: { accessKeyId, secretAccessKey } });
  return session.client(STSClient).send(GetCallerIdentity, {});
}
`;

async function bundle(platform: "browser" | "node", conditions: readonly string[]) {
  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: "entry.js", loader: "js" },
    bundle: true,
    write: false,
    format: "esm",
    platform,
    conditions: [...conditions],
    // Kept external so the metafile records them instead of failing the build.
    external: ["node:*"],
    metafile: true,
    logLevel: "silent",
    plugins: [resolverPlugin(conditions)],
  });
  const inputs = Object.keys(result.metafile.inputs);
  const nodeImports = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imp of input.imports) if (imp.path.startsWith("node:") || imp.external) nodeImports.add(imp.path);
  }
  return { inputs, nodeImports: [...nodeImports], text: result.outputFiles[0]!.text };
}

const NODE_ONLY = [
  "runtime/config/shared.ts",
  "runtime/credentials/profile.ts",
  "runtime/credentials/default-chain.ts",
  "runtime/credentials/process.ts",
  "runtime/credentials/sso.ts",
  "runtime/credentials/container.ts",
  "runtime/credentials/imds.ts",
  "runtime/credentials/sts-generated.ts",
  "runtime/defaults/node.ts",
  "runtime/http/node.ts",
  "runtime/crypto/node.ts",
  "runtime/customizations/recursion-detection.ts",
];

test("a browser bundle of Session + a generated client has no node: import and no node-only provider", async () => {
  const browser = await bundle("browser", ["browser", "import", "default"]);
  assert.deepEqual(browser.nodeImports, [], `node imports in the browser bundle: ${browser.nodeImports.join(", ")}`);
  // The list above, plus every runtime module that imports a `node:` module (found, not listed).
  const importsNode = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? importsNode(`${dir}/${e.name}`)
        : e.name.endsWith(".ts") && /from "node:/.test(readFileSync(join(ROOT, dir, e.name), "utf8"))
          ? [`${dir}/${e.name}`]
          : [],
    );
  const found = importsNode("runtime");
  assert.ok(found.includes("runtime/credentials/process.ts") && found.length >= 8, found.join(", "));
  for (const file of new Set([...NODE_ONLY, ...found])) {
    assert.ok(!browser.inputs.includes(file), `${file} is in the browser bundle`);
  }
  // it is the browser implementation that got in, and the generated client itself
  for (const file of [
    "runtime/defaults/web.ts",
    "runtime/http/fetch.ts",
    "runtime/crypto/web.ts",
    "runtime/session.ts",
    "generated/sts/index.js",
  ]) {
    assert.ok(browser.inputs.includes(file), `${file} missing from ${browser.inputs.join(", ")}`);
  }
  console.log(`browser bundle: ${browser.inputs.length} inputs, ${browser.text.length} bytes, 0 node imports`);
});

test("control: the same entry bundled for Node pulls in the node-only modules", async () => {
  const node = await bundle("node", ["node", "import", "default"]);
  assert.ok(
    node.nodeImports.some((p) => p.startsWith("node:fs")),
    node.nodeImports.join(", "),
  );
  for (const file of ["runtime/config/shared.ts", "runtime/credentials/profile.ts", "runtime/defaults/node.ts", "runtime/customizations/recursion-detection.ts"]) {
    assert.ok(node.inputs.includes(file), `${file} should be in the Node bundle`);
  }
});
