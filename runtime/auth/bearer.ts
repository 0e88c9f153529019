// Bearer-token authentication (smithy.api#httpBearerAuth, RFC 6750 section 2.1: the request
// carries `Authorization: Bearer <token>` and no SigV4 headers), as botocore does it. Imported
// only by the services whose model allows a token (their schema's `ah` hook: CodeCatalyst,
// Bedrock, Bedrock Runtime), when a client of one resolves its configuration, so no other
// bundle carries it.
//
// Where the token comes from, in order (botocore's token chain): the client's `token`, the
// session's `token`, AWS_BEARER_TOKEN_<signing name> (in capitals, `-` and spaces as `_`:
// AWS_BEARER_TOKEN_BEDROCK for both Bedrock services), then, for a service whose only scheme is
// bearer, the SSO token of the profile's sso_session (Node: defaults/node.ts, read and refreshed
// by credentials/sso.ts). A service that also allows SigV4 uses bearer when the config or the
// environment variable gives a token, and SigV4 otherwise; a bearer-only service with no token
// fails every call before sending with a CredentialsError naming where it looked. The
// environment is the session's (`process.env` on Node; in browsers only what the session was
// given, and there is no SSO cache). The token is a secret: it goes into the header and nowhere
// else, no message or log line holds it.
import { CredentialsError } from "../errors.js";
import type { BearerToken, ClientConfig, TokenProvider } from "../client.js";
import type { LoadedDefaults } from "../defaults/types.js";
import type { Authorize, ServiceSchema } from "../schema.js";

export const BEARER_SCHEME = "smithy.api#httpBearerAuth";

/** AWS_BEARER_TOKEN_ and the signing name in capitals, `-` and spaces as `_` (botocore's, and AWS SDK v3's, rule). */
export function bearerTokenEnvName(signingName: string): string {
  return `AWS_BEARER_TOKEN_${signingName.replace(/[-\s]/g, "_").toUpperCase()}`;
}

type TokenSource = () => Promise<BearerToken | string> | BearerToken | string;

/** A token source's next token, checked: a non-empty header-safe string that has not expired (the token itself is never quoted). */
async function usable(source: TokenSource, where: string, now: number): Promise<string> {
  const got = await source();
  const t = typeof got === "string" ? { token: got } : got;
  if (!t || typeof t.token !== "string" || t.token.length === 0) throw new CredentialsError(`${where} gave no token`);
  // Visible ASCII and spaces only (RFC 6750's token68 is narrower): nothing that could end the header.
  if (!/^[\x20-\x7e]+$/.test(t.token)) throw new CredentialsError(`${where} gave a token with characters a header cannot carry`);
  if (t.expiration !== undefined && t.expiration.getTime() <= now) {
    throw new CredentialsError(`${where} gave a token that expired at ${t.expiration.toISOString()}`);
  }
  return t.token;
}

/**
 * The bearer scheme of one client, or undefined when the service also allows SigV4 and no token
 * is configured (the client signs with SigV4). The schema's `ah` hook.
 */
export async function bearerAuth(service: ServiceSchema, config: Readonly<ClientConfig>, defaults: LoadedDefaults): Promise<Authorize | undefined> {
  const only = !(service.au ?? []).some((a) => a !== BEARER_SCHEME && a !== "smithy.api#noAuth");
  const envName = bearerTokenEnvName(service.sn);
  let source: TokenSource | undefined;
  let where: string;
  const given: string | BearerToken | TokenProvider | undefined = config.token ?? config.session?.options.token;
  if (given !== undefined) {
    source = typeof given === "function" ? given : () => given;
    where = config.token !== undefined ? "the client config's `token`" : "the session config's `token`";
  } else if (defaults.env[envName]) {
    const value = defaults.env[envName];
    source = () => value;
    where = envName;
  } else if (!only) {
    return undefined; // SigV4
  } else {
    const looked = `${service.id} authenticates only with a bearer token, and none was found: not in the client or session config (\`token\`), not in ${envName}`;
    const sso = defaults.ssoToken;
    where = "the SSO token of the profile's sso_session";
    source = sso
      ? () =>
          sso().catch((e: unknown) => {
            const why = e instanceof Error ? e.message : String(e);
            throw new CredentialsError(`${looked}, and not as the SSO token of the profile's sso_session: ${why}`, { cause: e });
          })
      : () => Promise.reject(new CredentialsError(`${looked} (a browser has no SSO token cache: pass \`token\` in the client or session config)`));
  }
  const from = source;
  const label = `${service.id}: ${where}`;
  return async (request, client) => {
    let token: string;
    try {
      token = await usable(from, label, client.clock.now());
    } catch (e) {
      if (e instanceof CredentialsError) throw e;
      throw new CredentialsError(`${label} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    request.headers.authorization = `Bearer ${token}`;
    return request;
  };
}
