// Platform-neutral credential pieces (browsers, edge runtimes and Node): types, caching, chains,
// environment variables, the STS caller and IMDS (fetch only). The file-, process- and
// container-based providers and the default chain are node-only: import them from ./node.js
// (package.json conditions keep them out of browser bundles).

export {
  CredentialsNotFoundError,
  accountIdFromArn,
  isTryNext,
  makeCredentials,
  parseTimestamp,
  type Clock,
  type CredentialProvider,
  type Credentials,
} from "./types.js";
export { memoize, type MemoizeOptions, type MemoizedProvider } from "./memoize.js";
export { chain, firstCredentials, type AnyCredentialProvider } from "./chain.js";
export { fromEnv, type FromEnvOptions } from "./env.js";
export {
  createStsCaller,
  formEncode,
  StsError,
  type StsAction,
  type StsCaller,
  type StsCallerOptions,
  type StsCredentials,
} from "./sts.js";
export { fromInstanceMetadata, regionFromImds, type InstanceMetadataOptions } from "./imds.js";
export { CredentialsNetworkError, type FetchLike } from "./http.js";
