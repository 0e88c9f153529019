// Node defaults for a Session: the environment, the shared config and credentials files, the
// full credential chain (its STS calls through the generated STS client, configured by this
// same session), the defaults mode, and (when asked) the instance metadata region. Browsers get
// defaults/web.ts instead (package.json `#defaults`), so none of the file, process or
// metadata-service code reaches a browser bundle. Everything is read once per session; the
// instance metadata service is asked at most once per session, and only when the region or
// the `auto` defaults mode needs it. The credential chain (a dozen provider modules) and the
// metadata client are imported when first used: a client given credentials never loads them,
// which keeps its cold start short.
import { loadSharedConfig } from "../config/shared.js";
import { own, profileFromEnv, profileString, resolveProfile, type SharedConfig } from "../config/profiles.js";
import { configuredEndpointUrl } from "../config/endpoint-url.js";
import { LEGACY_DEFAULTS, resolveDefaultsModeName } from "../defaults-mode-name.js";
import { ConfigError } from "../errors.js";
import type { Session } from "../session.js";
import type { Credentials } from "../signer/sigv4.js";
import { addTraceIdHeader } from "../customizations/recursion-detection.js";
import type { LoadedDefaults, SessionOptions } from "./types.js";

export type { LoadedDefaults, SessionOptions } from "./types.js";

/**
 * Reads the session's configuration. `session` is the Session being loaded: the credential
 * chain's STS client uses it, so STS sees the same environment, profile and endpoints.
 */
export async function loadDefaults(options: SessionOptions, session?: Session): Promise<LoadedDefaults> {
  const env = options.env ?? process.env;
  const fileOptions = {
    env,
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    ...(options.credentialsFile !== undefined ? { credentialsFile: options.credentialsFile } : {}),
  };
  const shared: SharedConfig = await loadSharedConfig(fileOptions);
  const profileName = options.profile ?? profileFromEnv(env);
  const profile = resolveProfile(shared, profileName);
  const files = [...shared.configFiles, ...shared.credentialsFiles].join(", ");
  if (!profile && (options.profile !== undefined || env.AWS_PROFILE)) {
    throw new ConfigError(`the profile "${profileName}" was not found in ${files}`);
  }
  let imdsRegion: Promise<string | undefined> | undefined;
  const instanceRegion = (): Promise<string | undefined> => {
    imdsRegion ??= import("../credentials/imds.js")
      .then((m) => m.regionFromImds({ env, ...(profile ? { profile } : {}) }))
      .catch(() => undefined);
    return imdsRegion;
  };
  let region =
    options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || profileString(profile, "region") || undefined;
  if (!region && options.regionFromInstanceMetadata) region = await instanceRegion();
  const regionSources =
    `the client config, the session config, AWS_REGION, AWS_DEFAULT_REGION, region in profile "${profileName}" (${files})` +
    (options.regionFromInstanceMetadata ? ", the EC2 instance metadata service" : "");
  const creds = options.credentials;
  const clock = options.clock;
  // The default chain, built once on its first use (it memoizes what it finds).
  let chain: Promise<() => Promise<Credentials>> | undefined;
  const loadChain = async (): Promise<() => Promise<Credentials>> => {
    const [{ defaultChain }, { createGeneratedStsCaller }] = await Promise.all([
      import("../credentials/default-chain.js"),
      import("../credentials/sts-generated.js"),
    ]);
    return defaultChain({
      ...fileOptions,
      sharedConfig: shared,
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(region ? { region } : {}),
      ...(options.mfaCodeProvider ? { mfaCodeProvider: options.mfaCodeProvider } : {}),
      ...(clock ? { now: clock } : {}),
      sts: createGeneratedStsCaller({ session, clock }),
    });
  };
  const credentials =
    creds === undefined
      ? async (): Promise<Credentials> => {
          chain ??= loadChain().catch((e: unknown) => {
            chain = undefined;
            throw e;
          });
          return (await chain)();
        }
      : typeof creds === "function"
        ? creds
        : () => Promise.resolve(creds);
  // The SSO token of the profile's sso_session (bearer-only services), its module loaded on first use.
  let ssoToken: Promise<() => Promise<{ token: string; expiration: Date }>> | undefined;
  return {
    env,
    region,
    credentials,
    async ssoToken() {
      ssoToken ??= import("../credentials/sso.js").then((m) =>
        m.fromSsoSessionToken({ env, profileName, sharedConfig: shared, ...(profile ? { profile } : {}), ...(clock ? { now: clock } : {}) }),
      );
      return (await ssoToken)();
    },
    // Only inside a Lambda function (its name is set for the sandbox's life); the trace id is
    // read on every request: Lambda sets a new one for each invocation.
    requestHeaders: env.AWS_LAMBDA_FUNCTION_NAME !== undefined ? (headers) => addTraceIdHeader(headers, env) : undefined,
    regionSources,
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
    async defaultsMode(configured, clientRegion) {
      const mode = resolveDefaultsModeName({
        config: configured ?? options.defaultsMode,
        env,
        profile: { defaults_mode: profileString(profile, "defaults_mode") },
      });
      if (mode === "legacy") return LEGACY_DEFAULTS;
      const { resolveDefaults } = await import("../defaults-mode.js"); // the other modes' data, on demand
      if (mode !== "auto") return resolveDefaults(mode);
      // botocore's rule: inside an AWS execution environment (Lambda, ECS, ...) AWS_REGION is
      // where the code runs; elsewhere ask IMDS (unless AWS_EC2_METADATA_DISABLED).
      const executionRegion = env.AWS_EXECUTION_ENV ? env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined : undefined;
      return resolveDefaults("auto", {
        region: clientRegion,
        executionRegion,
        imdsRegion: executionRegion ? undefined : await instanceRegion(),
      });
    },
  };
}
