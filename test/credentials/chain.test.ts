// The generic chain (any @smithy/types identity provider, tryNextLink semantics) and a check that
// the platform-neutral entry points (runtime/credentials/index.ts, runtime/config/{ini,profiles,
// endpoint-url}.ts) bundle for browsers without any node: module.
import assert from "node:assert/strict";
import { test } from "node:test";
import { build } from "esbuild";
import { chain } from "../../runtime/credentials/chain.js";
import { CredentialsNotFoundError } from "../../runtime/credentials/types.js";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { fromProfile, type FromProfileOptions } from "../../runtime/credentials/profile.js";
import type { Credentials as SignerCredentials } from "../../runtime/signer/sigv4.js";

/** The client's provider type (runtime/client.ts CredentialsProvider). */
type ClientCredentialsProvider = () => Promise<SignerCredentials>;

test("chain skips providers that say tryNextLink, stops at other errors, lists where it looked", async () => {
  // A smithy-style "not here" error: any object error with tryNextLink = true.
  const smithyMiss: AwsCredentialIdentityProvider = async () => {
    throw Object.assign(new Error("smithy provider: nothing configured"), { tryNextLink: true });
  };
  const ours = async () => {
    throw new CredentialsNotFoundError("somewhere", "nothing there");
  };
  const hit: AwsCredentialIdentityProvider = async () => ({ accessKeyId: "AKIDHIT", secretAccessKey: "s" });
  assert.equal((await chain(smithyMiss, ours, hit)()).accessKeyId, "AKIDHIT");

  await assert.rejects(chain(smithyMiss, ours)(), (e: unknown) => {
    assert.ok(e instanceof CredentialsNotFoundError);
    assert.deepEqual(e.looked, ["smithy provider: nothing configured", "somewhere: nothing there"]);
    return true;
  });
  let reached = false;
  const broken = async () => {
    throw new Error("configured but broken");
  };
  const after = async () => {
    reached = true;
    return { accessKeyId: "A", secretAccessKey: "S" };
  };
  await assert.rejects(chain(ours, broken, after)(), /configured but broken/);
  assert.equal(reached, false);
});

test("our providers are @smithy/types AwsCredentialIdentityProviders (compile-time) and chains are lazy", async () => {
  let calls = 0;
  const p: AwsCredentialIdentityProvider = chain(async () => {
    calls++;
    return { accessKeyId: "A", secretAccessKey: "S", expiration: new Date(0) };
  });
  assert.equal(calls, 0);
  await p();
  assert.equal(calls, 1);
});

test("the platform-neutral modules bundle for browsers without node: imports", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const result = await build({
    entryPoints: [
      "runtime/credentials/index.ts",
      "runtime/config/ini.ts",
      "runtime/config/profiles.ts",
      "runtime/config/endpoint-url.ts",
    ].map((p) => root + p),
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    outdir: "/tmp/unused",
    metafile: true,
    external: ["#crypto"], // resolved to runtime/crypto/web.ts by package.json for browsers
    logLevel: "silent",
  });
  const nodeImports = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports
      .filter((i) => i.path.startsWith("node:") || /^(fs|os|path|child_process|crypto|http)$/.test(i.path))
      .map((i) => `${file} -> ${i.path}`),
  );
  assert.deepEqual(nodeImports, []);
  const files = Object.keys(result.metafile.inputs);
  for (const nodeOnly of [
    "shared.ts",
    "profile.ts",
    "sso.ts",
    "login.ts",
    "process.ts",
    "container.ts",
    "web-identity.ts",
    "default-chain.ts",
  ]) {
    assert.ok(!files.some((f) => f.endsWith(`/${nodeOnly}`)), `${nodeOnly} reached the browser bundle`);
  }
});

test("the global fetch and the client's provider type fit the options and results (compile-time)", () => {
  const options: FromProfileOptions = { fetch: globalThis.fetch };
  const provider: ClientCredentialsProvider = fromProfile(options);
  assert.equal(typeof provider, "function");
});
