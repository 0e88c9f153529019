// Node-only: the default credential chain in botocore's order —
//   environment variables (left out when a profile is passed explicitly in code, as botocore does;
//   AWS_PROFILE does not remove it) -> the profile's sources (assume role, web identity including
//   the AWS_WEB_IDENTITY_TOKEN_FILE variables, SSO, login, credentials-file keys, credential_process,
//   config-file keys) -> legacy AWS_CREDENTIAL_FILE / BOTO_CONFIG -> container endpoint -> IMDS —
// wrapped in memoize() so credentials are shared and refreshed once, 5 minutes before expiry.
// The config files are read when the chain first runs (and on each refresh), never at creation.
// The final error lists every source and what was missing there.

import { processEnv } from "../config/profiles.js";
import { firstCredentials } from "./chain.js";
import { fromEnv } from "./env.js";
import { fromContainer, type FromContainerOptions } from "./container.js";
import { fromInstanceMetadata, type InstanceMetadataOptions } from "./imds.js";
import { fromBotoConfig, fromLegacyCredentialFile } from "./legacy.js";
import { memoize, type MemoizeOptions, type MemoizedProvider } from "./memoize.js";
import { createProfileContext, resolveProfileCredentials, type FromProfileOptions } from "./profile.js";
import { resolveProfile } from "../config/profiles.js";
import type { CredentialProvider } from "./types.js";

export interface DefaultChainOptions extends FromProfileOptions {
  container?: Omit<FromContainerOptions, "env">;
  imds?: Omit<InstanceMetadataOptions, "env">;
  /** Caching options, or false for an uncached chain. */
  cache?: MemoizeOptions | false;
}

/** The default credential chain, memoized. */
export function defaultChain(options: DefaultChainOptions = {}): MemoizedProvider {
  const env = options.env ?? processEnv();
  const resolved: DefaultChainOptions = { ...options, env };
  const uncached: CredentialProvider = async () => {
    const providers: CredentialProvider[] = [];
    if (options.profile === undefined) providers.push(fromEnv({ env }));
    // The profile step loads the config once; IMDS reads its settings from the same profile.
    let profileSection: ReturnType<typeof resolveProfile>;
    providers.push(async () => {
      const ctx = await createProfileContext(resolved);
      profileSection = resolveProfile(ctx.config, ctx.profileName);
      return resolveProfileCredentials(ctx, true);
    });
    providers.push(fromLegacyCredentialFile({ env }), fromBotoConfig({ env }));
    providers.push(fromContainer({ ...options.container, env }));
    providers.push(async () =>
      fromInstanceMetadata({ ...options.imds, env, ...(profileSection ? { profile: profileSection } : {}) })(),
    );
    return firstCredentials(providers, "the default credential chain");
  };
  if (options.cache === false) {
    const passthrough = uncached as MemoizedProvider;
    passthrough.invalidate = () => {};
    return passthrough;
  }
  return memoize(uncached, { ...(options.now ? { now: options.now } : {}), ...options.cache });
}
