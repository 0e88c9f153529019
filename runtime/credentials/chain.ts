// Provider chains. Providers are tried in order; one that is not configured (an error with
// tryNextLink === true: our CredentialsNotFoundError or smithy's ProviderError) passes to the next,
// and what it looked at is remembered; any other error stops the chain, because a source that is
// configured but broken must not be silently skipped (botocore behaves the same). When all pass,
// the chain fails with one CredentialsNotFoundError listing every place it looked.
// Platform-neutral; accepts any @smithy/types AwsCredentialIdentityProvider.

import { CredentialsNotFoundError, isTryNext, type CredentialProvider, type Credentials } from "./types.js";

/** Anything that produces credentials: ours or any @smithy/types identity provider. */
export type AnyCredentialProvider = (identityProperties?: Record<string, unknown>) => Promise<Credentials>;

/** What the chain says when a provider passes: its own `looked` list, else its message. */
function lookedAt(err: unknown): string[] {
  if (err instanceof CredentialsNotFoundError)
    return err.qualified ? [...err.looked] : err.looked.map((l) => `${err.source}: ${l}`);
  return [err instanceof Error ? err.message : String(err)];
}

/** Runs providers in order until one returns credentials. */
export async function firstCredentials(
  providers: readonly AnyCredentialProvider[],
  source: string,
  identityProperties?: Record<string, unknown>,
): Promise<Credentials> {
  const looked: string[] = [];
  for (const provider of providers) {
    try {
      return await provider(identityProperties);
    } catch (err) {
      if (!isTryNext(err)) throw err;
      looked.push(...lookedAt(err));
    }
  }
  throw new CredentialsNotFoundError(source, looked, { qualified: true });
}

/** A provider that tries `providers` in order (lazily: nothing runs until it is called). */
export function chain(...providers: AnyCredentialProvider[]): CredentialProvider {
  return (identityProperties) => firstCredentials(providers, "the credential chain", identityProperties);
}
