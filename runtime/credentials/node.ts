// Node-only credential providers: everything in ./index.js plus the providers that read files,
// run processes or reach the container endpoint, and the default chain.

export * from "./index.js";
export { fromContainer, containerCredentialsUrl, type FromContainerOptions } from "./container.js";
export { fromWebIdentity, type FromWebIdentityOptions } from "./web-identity.js";
export { fromProcess, type FromProcessOptions } from "./process.js";
export {
  fromSso,
  hasSsoSettings,
  ssoCacheFile,
  ssoSettingsFromProfile,
  type FromSsoOptions,
  type SsoSettings,
} from "./sso.js";
export { fromLogin, dpopProof, loginCacheFile, type FromLoginOptions } from "./login.js";
export { fromBotoConfig, fromLegacyCredentialFile, type LegacyOptions } from "./legacy.js";
export {
  createProfileContext,
  fromProfile,
  profileSteps,
  resolveProfileCredentials,
  type FromProfileOptions,
  type ProfileContext,
  type ProfileStep,
} from "./profile.js";
export { defaultChain, type DefaultChainOptions } from "./default-chain.js";
