// Real local servers for integration tests and the demo: s3rver (S3), dynalite (DynamoDB)
// and kinesalite (Kinesis), each on 127.0.0.1 with an ephemeral port, in-memory or in a
// temporary folder, and stopped by the caller. s3rver knows only the key pair S3RVER/S3RVER.
// Neither s3rver nor dynalite checks SigV4 signatures, so each sits behind a verifying proxy
// (sigv4-verify.ts) that refuses a badly signed request with the service's own 403/400:
// `endpoint` is the proxy's, `signatures` what it saw.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { startVerifyingProxy, type VerifyingProxy } from "./sigv4-verify.js";

export interface LocalServer {
  endpoint: string;
  /** The verifying proxy's record: requests verified, and those refused with the reason. */
  signatures?: Pick<VerifyingProxy, "refused" | "verified">;
  close(): Promise<void>;
}

/** Asserts the verifying proxy refused nothing and verified at least `minimum` signed requests. */
export function assertAllSigned(server: LocalServer | undefined, minimum = 1): void {
  const seen = server?.signatures;
  assert.ok(seen, "the server has no verifying proxy");
  assert.deepEqual(seen.refused, []);
  assert.ok(seen.verified >= minimum, `only ${seen.verified} signed requests verified`);
}

/** The server behind a proxy that verifies requests signed with `credentials`. */
async function verified(server: LocalServer, credentials: { accessKeyId: string; secretAccessKey: string }, format: "xml" | "json"): Promise<LocalServer> {
  const proxy = await startVerifyingProxy(server.endpoint, { [credentials.accessKeyId]: credentials.secretAccessKey }, format);
  return {
    endpoint: proxy.endpoint,
    signatures: proxy,
    async close() {
      await proxy.close();
      await server.close();
    },
  };
}

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
/** dynalite and kinesalite accept any credentials. */
export const LOCAL_CREDENTIALS = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };

export async function startS3rver(): Promise<LocalServer> {
  const { default: S3rver } = (await import("s3rver")) as unknown as {
    default: new (o: object) => { run(): Promise<AddressInfo>; close(): Promise<void> };
  };
  const directory = mkdtempSync(join(tmpdir(), "tsaws-s3rver-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
  const addr = await server.run();
  const direct: LocalServer = {
    endpoint: `http://127.0.0.1:${addr.port}`,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return verified(direct, S3RVER_CREDENTIALS, "xml");
}

type Listening = { listen(port: number, host: string, cb: (e?: Error) => void): void; address(): AddressInfo; close(cb?: () => void): void };

async function listen(server: Listening): Promise<LocalServer> {
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", (e) => (e ? reject(e) : resolve())));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startDynalite(): Promise<LocalServer> {
  const { default: dynalite } = (await import("dynalite")) as unknown as { default: (o: object) => Listening };
  return verified(await listen(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })), LOCAL_CREDENTIALS, "json");
}

export async function startKinesalite(): Promise<LocalServer> {
  const { default: kinesalite } = (await import("kinesalite")) as unknown as { default: (o: object) => Listening };
  return listen(kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 }));
}
