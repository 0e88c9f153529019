// Browser and edge defaults for a Session: there are no files, processes or metadata
// services, so region and credentials come from the session or client config only, and the
// environment is only what the session was given. The defaults mode comes from the client or
// session config (or an AWS_DEFAULTS_MODE in the given environment); `auto` picks "mobile" on a
// mobile browser (navigator.userAgentData.mobile, else the user agent) and "standard" otherwise,
// since a browser has no execution region to compare with.
import { CredentialsError } from "../errors.js";
import { LEGACY_DEFAULTS, resolveDefaultsModeName } from "../defaults-mode-name.js";
import type { Session } from "../session.js";
import type { LoadedDefaults, SessionOptions } from "./types.js";

export type { LoadedDefaults, SessionOptions } from "./types.js";

function isMobile(): boolean {
  const nav = (globalThis as { navigator?: { userAgent?: string; userAgentData?: { mobile?: boolean } } }).navigator;
  if (typeof nav?.userAgentData?.mobile === "boolean") return nav.userAgentData.mobile;
  return /Mobi|Android|iPhone|iPad|iPod/.test(nav?.userAgent ?? "");
}

export async function loadDefaults(options: SessionOptions, _session?: Session): Promise<LoadedDefaults> {
  const creds = options.credentials;
  const credentials =
    creds === undefined
      ? () =>
          Promise.reject(
            new CredentialsError(
              "no credentials configured: in a browser, pass `credentials` (keys or an async provider) in the client or session config",
            ),
          )
      : typeof creds === "function"
        ? creds
        : () => Promise.resolve(creds);
  const env = options.env ?? {};
  return {
    env,
    region: options.region,
    credentials,
    regionSources: "the client config and the session config (a browser has no environment or shared config files)",
    setting: () => undefined,
    nested: () => undefined,
    endpointUrl: () => undefined,
    async defaultsMode(configured) {
      const mode = resolveDefaultsModeName({ config: configured ?? options.defaultsMode, env });
      if (mode === "legacy") return LEGACY_DEFAULTS;
      const { resolveAutoMode, resolveDefaults } = await import("../defaults-mode.js"); // the other modes' data, on demand
      return mode === "auto" ? resolveDefaults(resolveAutoMode({ isMobile: isMobile() })) : resolveDefaults(mode);
    },
  };
}
