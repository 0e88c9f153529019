// Loaded with --import after tsx: resolves "#crypto" to runtime/crypto/web.ts (the browser
// implementation) instead of node.ts, so the signer suites can run against it in Node.
import { register } from "node:module";

const web = new URL("../../runtime/crypto/web.ts", import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  return next(specifier === "#crypto" ? ${JSON.stringify(web)} : specifier, context);
}`;
register("data:text/javascript," + encodeURIComponent(hooks));

const crypto = await import("#crypto");
if (crypto.CRYPTO_IMPLEMENTATION !== "web") throw new Error("#crypto did not resolve to web.ts");
