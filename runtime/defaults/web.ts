// Browser and edge defaults: there are no files, processes or metadata services to read, so a
// region and credentials must come from the client config (or a Session built by the app).
import { CredentialsError } from "../errors.js";
import type { Credentials } from "../signer/sigv4.js";

export function defaultRegion(): string | undefined {
  return undefined;
}

export function defaultCredentials(): () => Promise<Credentials> {
  return () =>
    Promise.reject(new CredentialsError("no credentials configured: in a browser, pass `credentials` (keys or an async provider) in the client config"));
}
