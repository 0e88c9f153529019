// Real local servers for integration tests and the demo: s3rver (S3), dynalite (DynamoDB)
// and kinesalite (Kinesis), each on 127.0.0.1 with an ephemeral port, in-memory or in a
// temporary folder, and stopped by the caller. s3rver knows only the key pair S3RVER/S3RVER.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

export interface LocalServer {
  endpoint: string;
  close(): Promise<void>;
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
  return {
    endpoint: `http://127.0.0.1:${addr.port}`,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
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
  return listen(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
}

export async function startKinesalite(): Promise<LocalServer> {
  const { default: kinesalite } = (await import("kinesalite")) as unknown as { default: (o: object) => Listening };
  return listen(kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 }));
}
