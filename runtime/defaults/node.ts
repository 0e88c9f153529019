// Node defaults for region and credentials: the environment, the shared config files and the
// full credential chain. Browsers get defaults/web.ts instead (package.json `#defaults`), so
// none of the file, process or metadata-service providers reach a browser bundle.
import { CredentialsError } from "../errors.js";
import type { Credentials } from "../signer/sigv4.js";

export function defaultRegion(env: Record<string, string | undefined> = process.env): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

export function defaultCredentials(env: Record<string, string | undefined> = process.env): () => Promise<Credentials> {
  return async () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (accessKeyId && secretAccessKey) {
      const c: Credentials = { accessKeyId, secretAccessKey };
      if (env.AWS_SESSION_TOKEN) c.sessionToken = env.AWS_SESSION_TOKEN;
      return c;
    }
    throw new CredentialsError("no credentials found: looked in the client config and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
  };
}
