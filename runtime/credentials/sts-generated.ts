// The StsCaller the Node session uses: AssumeRole and AssumeRoleWithWebIdentity through the
// generated STS client (`tsaws/sts`), so credential calls get the same endpoint resolution,
// retries, user agent and protocol code as every other call. The client module is loaded
// lazily with a dynamic `import("tsaws/sts")` (the package's self-reference: it resolves to
// generated/sts both from the TypeScript sources and from the built dist/), so a program that
// never assumes a role never loads STS.
//
// Configuration comes from the session the caller belongs to (when given): its environment
// and profile give the configured endpoint (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the
// `services` section, endpoint_url), sts_regional_endpoints / AWS_STS_REGIONAL_ENDPOINTS /
// the defaults mode (regional vs the global sts.amazonaws.com), retry settings and the
// defaults mode; the region is the one the provider asks for. AssumeRole is signed with the
// source credentials (one light client per call, sharing one HTTP handler, so concurrent
// calls with different source credentials never mix); AssumeRoleWithWebIdentity is modelled
// `smithy.api#noAuth`, which the endpoint resolver turns into an unsigned request, and its
// client is given a credentials provider that always rejects, so it can never sign by mistake.
//
// Errors: an STS error response becomes an StsError (a CredentialsError) naming the action,
// HTTP status and STS error code; transport failures become a CredentialsError naming the
// action; configuration errors pass through. None ever contains the parameters (the web
// identity token) or credentials.
// IDPCommunicationError (the identity provider did not answer STS) is retried here, as the
// hand-written caller and botocore's STS retry policy do.
//
// The hand-written awsQuery caller (sts.ts) remains the default of the standalone providers
// (fromProfile, fromWebIdentity without an `sts` option) and of browser builds.

import type { Session } from "../session.js";
import type { ClientConfig } from "../client.js";
import type { HttpHandler } from "../http/types.js";
import { ConfigError, CredentialsError, ServiceError, TsawsError } from "../errors.js";
import { StsError, type StsAction, type StsCaller, type StsCredentials } from "./sts.js";
import { accountIdFromArn, makeCredentials, type Credentials } from "./types.js";

export interface GeneratedStsCallerOptions {
  /**
   * The session whose environment and profile configure the STS client (endpoint URLs,
   * sts_regional_endpoints, retries, defaults mode). Without one, the client reads the process
   * environment and the default profile, as any client made without a session does.
   */
  session?: Session | undefined;
  /** A transport for the STS calls (default: one handler of the platform, shared by the caller's calls). */
  httpHandler?: HttpHandler | undefined;
  /** A fixed endpoint URL (overrides configured endpoints and the rule set). */
  endpoint?: string | undefined;
  /** "legacy" sends calls for the legacy global regions to sts.amazonaws.com (default: the configuration). */
  stsRegionalEndpoints?: "regional" | "legacy" | undefined;
  /** The signing clock in epoch milliseconds. */
  clock?: (() => number) | undefined;
  /** Total attempts for IDPCommunicationError (default 3). */
  idpAttempts?: number | undefined;
  /** Wait before retry n (1-based) of an IDPCommunicationError, ms (default 100 * 2^(n-1)). */
  retryDelayMs?: ((attempt: number) => number) | undefined;
}

type StsModule = typeof import("tsaws/sts");

let stsModule: Promise<StsModule> | undefined;

/** Loads the generated STS client once per process. */
function loadSts(): Promise<StsModule> {
  stsModule ??= import("tsaws/sts").catch((e: unknown) => {
    stsModule = undefined;
    throw new CredentialsError(
      `could not load the generated STS client (tsaws/sts): ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  });
  return stsModule;
}

const NO_CREDENTIALS = (): Promise<Credentials> =>
  Promise.reject(new CredentialsError("STS AssumeRoleWithWebIdentity is unsigned and takes no credentials"));

/** An StsCaller over the generated STS client. */
export function createGeneratedStsCaller(options: GeneratedStsCallerOptions = {}): StsCaller {
  const idpAttempts = options.idpAttempts ?? 3;
  const delay = options.retryDelayMs ?? ((n: number) => 100 * 2 ** (n - 1));
  let sharedHandler: Promise<HttpHandler> | undefined;
  // One transport for all of this caller's clients: a client per call must not mean a
  // connection pool per call.
  const handler = (): Promise<HttpHandler> => {
    if (options.httpHandler) return Promise.resolve(options.httpHandler);
    sharedHandler ??= import("#http").then((m) => m.createHttpHandler({ clientName: "STS" }) as HttpHandler);
    return sharedHandler;
  };

  return async (action, params, region, sourceCredentials) => {
    if (action === "AssumeRole" && !sourceCredentials) {
      throw new CredentialsError("STS AssumeRole needs source credentials to sign with");
    }
    const { STSClient, AssumeRole, AssumeRoleWithWebIdentity } = await loadSts();
    const config: ClientConfig & { stsRegionalEndpoints?: "regional" | "legacy" } = {
      region,
      httpHandler: await handler(),
      credentials: action === "AssumeRole" ? sourceCredentials! : NO_CREDENTIALS,
    };
    if (options.session) config.session = options.session;
    if (options.endpoint !== undefined) config.endpoint = options.endpoint;
    if (options.stsRegionalEndpoints !== undefined) config.stsRegionalEndpoints = options.stsRegionalEndpoints;
    if (options.clock) config.clock = options.clock;
    const client = new STSClient(config);

    for (let attempt = 1; ; attempt++) {
      try {
        if (action === "AssumeRole") {
          const out = await client.send(AssumeRole, {
            RoleArn: required(params, "RoleArn", action),
            RoleSessionName: required(params, "RoleSessionName", action),
            ...optionalString(params, "ExternalId"),
            ...optionalString(params, "SerialNumber"),
            ...optionalString(params, "TokenCode"),
            ...optionalString(params, "SourceIdentity"),
            ...optionalString(params, "Policy"),
            ...optionalDuration(params, action),
          });
          return toStsCredentials(action, out);
        }
        const out = await client.send(AssumeRoleWithWebIdentity, {
          RoleArn: required(params, "RoleArn", action),
          RoleSessionName: required(params, "RoleSessionName", action),
          WebIdentityToken: required(params, "WebIdentityToken", action),
          ...optionalString(params, "ProviderId"),
          ...optionalString(params, "Policy"),
          ...optionalDuration(params, action),
        });
        return toStsCredentials(action, out);
      } catch (e) {
        const mapped = mapError(action, e);
        if (mapped instanceof StsError && mapped.code === "IDPCommunicationError" && attempt < idpAttempts) {
          await new Promise((r) => setTimeout(r, delay(attempt)));
          continue;
        }
        throw mapped;
      }
    }
  };
}

function required(params: Record<string, string>, key: string, action: StsAction): string {
  const v = params[key];
  if (v === undefined || v === "") throw new CredentialsError(`STS ${action}: ${key} is required`);
  return v;
}

function optionalString<K extends string>(params: Record<string, string>, key: K): { [P in K]?: string } {
  const v = params[key];
  return (v === undefined || v === "" ? {} : { [key]: v }) as { [P in K]?: string };
}

function optionalDuration(params: Record<string, string>, action: StsAction): { DurationSeconds?: number } {
  const raw = params.DurationSeconds;
  if (raw === undefined || raw === "") return {};
  if (!/^\d+$/.test(raw.trim())) throw new CredentialsError(`STS ${action}: DurationSeconds is not a whole number`);
  return { DurationSeconds: Number(raw) };
}

interface StsOutput {
  Credentials?: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: Date } | undefined;
  AssumedRoleUser?: { AssumedRoleId: string; Arn: string } | undefined;
  SourceIdentity?: string | undefined;
}

function toStsCredentials(action: StsAction, out: StsOutput): StsCredentials {
  const c = out.Credentials;
  const expiration = c?.Expiration;
  if (
    !c ||
    !c.AccessKeyId ||
    !c.SecretAccessKey ||
    !c.SessionToken ||
    !(expiration instanceof Date) ||
    Number.isNaN(expiration.getTime())
  ) {
    throw new CredentialsError(`STS ${action} returned a response without complete credentials`);
  }
  const arn = out.AssumedRoleUser?.Arn;
  const roleId = out.AssumedRoleUser?.AssumedRoleId;
  return {
    ...makeCredentials({
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration,
      accountId: accountIdFromArn(arn),
    }),
    expiration,
    ...(arn ? { assumedRoleArn: arn } : {}),
    ...(roleId ? { assumedRoleId: roleId } : {}),
    ...(out.SourceIdentity ? { sourceIdentity: out.SourceIdentity } : {}),
  };
}

/**
 * STS errors -> StsError (code, status, STS's message); configuration errors (an invalid
 * sts_regional_endpoints, say) as they are; anything else -> CredentialsError.
 */
function mapError(action: StsAction, e: unknown): CredentialsError | ConfigError {
  if (e instanceof ServiceError) {
    // `code` is the wire code (IDPCommunicationError), not the modeled class name
    // (IDPCommunicationErrorException): the one STS documents and users search for.
    const code = e.code;
    const message = e.message && e.message !== e.code ? e.message : undefined;
    const err = new StsError(action, e.$metadata.httpStatusCode ?? 0, code, message);
    Object.defineProperty(err, "cause", { value: e, enumerable: false, configurable: true, writable: true });
    return err;
  }
  if (e instanceof CredentialsError || e instanceof ConfigError) return e;
  const detail = e instanceof TsawsError ? `${e.name}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return new CredentialsError(`STS ${action} failed: ${detail}`, { cause: e });
}
