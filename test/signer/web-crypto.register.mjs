// Loaded with --import after tsx: resolves "#crypto" to runtime/crypto/web.ts and
// "#crypto-core" to runtime/crypto/web-core.ts (the browser implementations: WebCrypto, pure
// JS) instead of node.ts, so the signer suites can run against them in Node.
import { register } from "node:module";

const web = new URL("../../runtime/crypto/web.ts", import.meta.url).href;
const webCore = new URL("../../runtime/crypto/web-core.ts", import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  const to = specifier === "#crypto" ? ${JSON.stringify(web)} : specifier === "#crypto-core" ? ${JSON.stringify(webCore)} : specifier;
  return next(to, context);
}`;
register("data:text/javascript," + encodeURIComponent(hooks));

const crypto = await import("#crypto");
if (crypto.CRYPTO_IMPLEMENTATION !== "web") throw new Error("#crypto did not resolve to web.ts");
const core = await import("#crypto-core");
if ("CRYPTO_IMPLEMENTATION" in core) throw new Error("#crypto-core did not resolve to web-core.ts");
