// fromContainer against a fake ECS/EKS credentials endpoint: RELATIVE_URI (host redirected to the
// fake), FULL_URI on loopback, the authorization token from the environment or a re-read file,
// allowed hosts, retries on 5xx.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CredentialsError } from "../../runtime/errors.js";
import { containerCredentialsUrl, fromContainer } from "../../runtime/credentials/container.js";
import { isTryNext } from "../../runtime/credentials/types.js";
import { startFakeContainer, tempDir, type FakeContainer } from "../support/fake-aws-servers.js";

let server: FakeContainer;
const CREDS = {
  AccessKeyId: "ASIACONTAINER",
  SecretAccessKey: "container-secret",
  Token: "container-token",
  Expiration: "2030-05-06T07:08:09Z",
  AccountId: "123456789012",
};

before(async () => {
  server = await startFakeContainer({
    path: "/v2/credentials/task-1",
    authorization: "Bearer pod-token",
    credentials: CREDS,
  });
});
after(() => server.close());

test("RELATIVE_URI against 169.254.170.2 (redirected to the fake in tests), token from the environment", async () => {
  const creds = await fromContainer({
    env: {
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/task-1",
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "Bearer pod-token",
    },
    relativeUriHost: server.url,
  })();
  assert.deepEqual(creds, {
    accessKeyId: "ASIACONTAINER",
    secretAccessKey: "container-secret",
    sessionToken: "container-token",
    expiration: new Date("2030-05-06T07:08:09Z"),
    accountId: "123456789012",
  });
  assert.equal(server.requests.at(-1)!.headers.authorization, "Bearer pod-token");
  assert.equal(
    containerCredentialsUrl({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/x" }),
    "http://169.254.170.2/v2/x",
  );
});

test("FULL_URI with the token file, re-read on every call", async () => {
  const dir = tempDir({ token: "Bearer pod-token\n" });
  const env = {
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/v2/credentials/task-1`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, "token"),
    AWS_CONTAINER_AUTHORIZATION_TOKEN: "ignored",
  };
  const provider = fromContainer({ env });
  assert.equal((await provider()).accessKeyId, "ASIACONTAINER");
  writeFileSync(join(dir, "token"), "Bearer rotated");
  await assert.rejects(
    provider(),
    (e: unknown) => e instanceof CredentialsError && /HTTP 401/.test(e.message) && !e.message.includes("rotated"),
  );
});

test("retries a 500 and then succeeds", async () => {
  server.failNext = 2;
  const before = server.requests.length;
  const creds = await fromContainer({
    env: {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/v2/credentials/task-1`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "Bearer pod-token",
    },
    retryDelayMs: 1,
  })();
  assert.equal(creds.accessKeyId, "ASIACONTAINER");
  assert.equal(server.requests.length - before, 3);
});

test("hosts: https anywhere, http only to loopback and the container addresses", () => {
  const url = (u: string) => containerCredentialsUrl({ AWS_CONTAINER_CREDENTIALS_FULL_URI: u });
  assert.equal(url("https://creds.example.com/x"), "https://creds.example.com/x");
  assert.equal(url("http://127.0.0.2:8080/x"), "http://127.0.0.2:8080/x");
  assert.equal(url("http://169.254.170.23/v1/credentials"), "http://169.254.170.23/v1/credentials");
  assert.equal(url("http://[fd00:ec2::23]/v1/credentials"), "http://[fd00:ec2::23]/v1/credentials");
  assert.equal(url("http://localhost/x"), "http://localhost/x");
  assert.throws(() => url("http://192.0.2.10/creds"), /must use https, or http to a loopback/);
  assert.throws(() => url("file:///etc/passwd"), CredentialsError);
});

test("nothing set passes to the next provider; a token with a line break is refused", async () => {
  await assert.rejects(fromContainer({ env: {} })(), (e: unknown) => isTryNext(e));
  await assert.rejects(
    fromContainer({
      env: {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/v2/credentials/task-1`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: "a\r\nInjected: 1",
      },
    })(),
    /line break/,
  );
});
