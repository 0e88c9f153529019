// Node defaults for a Session: the environment, the shared config and credentials files, the
// full credential chain, and (when asked) the instance metadata region. Browsers get
// defaults/web.ts instead (package.json `#defaults`), so none of the file, process or
// metadata-service code reaches a browser bundle. Everything is read once per session.
import { loadSharedConfig } from "../config/shared.js";
import { own, profileFromEnv, profileString, resolveProfile, type SharedConfig } from "../config/profiles.js";
import { configuredEndpointUrl } from "../config/endpoint-url.js";
import { defaultChain } from "../credentials/default-chain.js";
import { regionFromImds } from "../credentials/imds.js";
import { ConfigError } from "../errors.js";
import type { LoadedDefaults, SessionOptions } from "./types.js";

export type { LoadedDefaults, SessionOptions } from "./types.js";

export async function loadDefaults(options: SessionOptions): Promise<LoadedDefaults> {
  const env = options.env ?? process.env;
  const fileOptions = {
    env,
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    ...(options.credentialsFile !== undefined ? { credentialsFile: options.credentialsFile } : {}),
  };
  const shared: SharedConfig = await loadSharedConfig(fileOptions);
  const profileName = options.profile ?? profileFromEnv(env);
  const profile = resolveProfile(shared, profileName);
  if (!profile && (options.profile !== undefined || env.AWS_PROFILE)) {
    const where = [...shared.configFiles, ...shared.credentialsFiles].join(", ");
    throw new ConfigError(`the profile "${profileName}" was not found in ${where}`);
  }
  let region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || profileString(profile, "region") || undefined;
  if (!region && options.regionFromInstanceMetadata) region = await regionFromImds({ env });
  const creds = options.credentials;
  const credentials =
    creds === undefined
      ? defaultChain({
          ...fileOptions,
          sharedConfig: shared,
          ...(options.profile !== undefined ? { profile: options.profile } : {}),
          ...(region ? { region } : {}),
          ...(options.mfaCodeProvider ? { mfaCodeProvider: options.mfaCodeProvider } : {}),
        })
      : typeof creds === "function"
        ? creds
        : () => Promise.resolve(creds);
  return {
    env,
    region,
    credentials,
    setting: (key) => profileString(profile, key),
    nested(section, key) {
      const block = profile ? own(profile, section) : undefined;
      const v = block && typeof block === "object" ? own(block, key) : undefined;
      return typeof v === "string" ? v : undefined;
    },
    endpointUrl: (serviceId, ignore) =>
      configuredEndpointUrl({
        serviceId,
        env,
        profile: profileName,
        sharedConfig: shared,
        ...(ignore !== undefined ? { ignoreConfiguredEndpointUrls: ignore } : {}),
      }),
  };
}
