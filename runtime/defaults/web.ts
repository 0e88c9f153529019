// Browser and edge defaults for a Session: there are no files, processes or metadata
// services, so region and credentials come from the session or client config only.
import { CredentialsError } from "../errors.js";
import type { LoadedDefaults, SessionOptions } from "./types.js";

export type { LoadedDefaults, SessionOptions } from "./types.js";

export async function loadDefaults(options: SessionOptions): Promise<LoadedDefaults> {
  const creds = options.credentials;
  const credentials =
    creds === undefined
      ? () =>
          Promise.reject(
            new CredentialsError("no credentials configured: in a browser, pass `credentials` (keys or an async provider) in the client or session config"),
          )
      : typeof creds === "function"
        ? creds
        : () => Promise.resolve(creds);
  return {
    env: options.env ?? {},
    region: options.region,
    credentials,
    setting: () => undefined,
    nested: () => undefined,
    endpointUrl: () => undefined,
  };
}
