// The bearer module (runtime/auth/bearer.ts) on its own: the environment variable's name, the
// order of the sources, when a service that also allows SigV4 keeps it, and what a browser gets
// (defaults/web.ts: only the config and the environment the session was given, no SSO cache).
import assert from "node:assert/strict";
import { bearerAuth, bearerTokenEnvName } from "../../runtime/auth/bearer.ts";
import { loadDefaults as webDefaults } from "../../runtime/defaults/web.ts";
import { CredentialsError } from "../../runtime/errors.ts";
import { Session } from "../../runtime/session.ts";
import type { HttpRequest } from "../../runtime/http/types.ts";
import type { ServiceSchema } from "../../runtime/schema.ts";
import type { ClientConfig } from "../../runtime/client.ts";
import { countedTests } from "../support/counted.ts";

const check = countedTests("credentials bearer");

const BEARER_ONLY: ServiceSchema = { id: "CodeCatalyst", p: "rest-json", v: "2022-09-28", ep: "codecatalyst", sn: "codecatalyst", au: ["smithy.api#httpBearerAuth"] };
const EITHER: ServiceSchema = { id: "Bedrock Runtime", p: "rest-json", v: "2023-09-30", ep: "bedrock-runtime", sn: "bedrock", au: ["aws.auth#sigv4", "smithy.api#httpBearerAuth"] };
const client = { clock: { now: () => Date.now() }, credentials: () => Promise.reject(new Error("AWS credentials are not used")) };
const request = (): HttpRequest => ({ method: "POST", protocol: "https:", hostname: "example.com", path: "/", query: "", headers: {} });

async function authorization(service: ServiceSchema, config: ClientConfig, env: Record<string, string> = {}): Promise<string | undefined> {
  const authorize = await bearerAuth(service, config, await webDefaults({ env }));
  if (!authorize) return undefined;
  return (await authorize(request(), client)).headers.authorization;
}

check("the environment variable is AWS_BEARER_TOKEN_ + the signing name in capitals, - and spaces as _", () => {
  assert.equal(bearerTokenEnvName("bedrock"), "AWS_BEARER_TOKEN_BEDROCK");
  assert.equal(bearerTokenEnvName("codecatalyst"), "AWS_BEARER_TOKEN_CODECATALYST");
  assert.equal(bearerTokenEnvName("bedrock-runtime"), "AWS_BEARER_TOKEN_BEDROCK_RUNTIME");
  assert.equal(bearerTokenEnvName("Some Service"), "AWS_BEARER_TOKEN_SOME_SERVICE");
});

check("order: client token, session token, the environment variable; a service that allows SigV4 keeps it without one", async () => {
  const session = new Session({ token: "session" });
  const env = { AWS_BEARER_TOKEN_BEDROCK: "env" };
  assert.equal(await authorization(EITHER, { token: "client", session }, env), "Bearer client");
  assert.equal(await authorization(EITHER, { session }, env), "Bearer session");
  assert.equal(await authorization(EITHER, {}, env), "Bearer env");
  assert.equal(await authorization(EITHER, {}, { AWS_BEARER_TOKEN_BEDROCK: "" }), undefined, "an empty variable is unset");
  assert.equal(await authorization(EITHER, {}), undefined, "SigV4");
  assert.equal(await authorization(BEARER_ONLY, {}, { AWS_BEARER_TOKEN_CODECATALYST: "cc-env" }), "Bearer cc-env");
});

check("in a browser (defaults/web.ts) a bearer-only service without a configured token fails, saying to pass `token`", async () => {
  const e = await authorization(BEARER_ONLY, {}).catch((err: unknown) => err);
  assert.ok(e instanceof CredentialsError, String(e));
  assert.match(e.message, /CodeCatalyst authenticates only with a bearer token/);
  assert.match(e.message, /a browser has no SSO token cache: pass `token` in the client or session config/);
  assert.equal(await authorization(BEARER_ONLY, { token: { token: "browser-token" } }), "Bearer browser-token");
});
