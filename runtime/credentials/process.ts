// Node-only: `credential_process`, as botocore's ProcessProvider runs it. The command line is split
// shell-style (POSIX shlex; on Windows it runs through the shell) and executed without a shell on
// POSIX; its stdout must be the JSON document {"Version": 1, "AccessKeyId", "SecretAccessKey",
// "SessionToken"?, "Expiration"?, "AccountId"?}. A non-zero exit is an error that carries the
// process's stderr (trimmed, truncated); stdout is never quoted in a message because it holds the
// secret. The profile's aws_account_id fills in a missing AccountId.

import { spawn } from "node:child_process";
import { CredentialsError } from "../errors.js";
import { shellSplit } from "../config/ini.js";
import { processEnv, type Env } from "../config/profiles.js";
import { makeCredentials, parseTimestamp, type CredentialProvider, type Credentials } from "./types.js";

export interface FromProcessOptions {
  /** The credential_process command line. */
  command: string;
  /** Environment for the child process (default: process.env). */
  env?: Env;
  /** Used when the output has no AccountId. */
  accountId?: string;
  /** Kill the process after this many ms (default: no limit, as botocore). */
  timeoutMs?: number;
  /** Profile name, for messages. */
  profileName?: string;
}

const MAX_STDERR = 512;

function run(
  command: string,
  env: Env,
  timeoutMs: number | undefined,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const windows = (globalThis as { process?: { platform?: string } }).process?.platform === "win32";
    let file: string;
    let args: string[];
    if (windows) {
      file = command;
      args = [];
    } else {
      const argv = shellSplit(command);
      if (!argv || argv.length === 0) {
        reject(new CredentialsError("credential_process is empty or has unbalanced quotes"));
        return;
      }
      file = argv[0]!;
      args = argv.slice(1);
    }
    const child = spawn(file, args, {
      env: env as NodeJS.ProcessEnv,
      shell: windows,
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeoutMs && timeoutMs > 0) timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(new CredentialsError(`credential_process could not be started (${e.code ?? "spawn failed"}): ${file}`));
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

export function fromProcess(options: FromProcessOptions): CredentialProvider {
  return async (): Promise<Credentials> => {
    const where = options.profileName ? ` (profile "${options.profileName}")` : "";
    const { code, stdout, stderr } = await run(options.command, options.env ?? processEnv(), options.timeoutMs);
    if (code !== 0) {
      const detail = stderr.trim().slice(0, MAX_STDERR);
      throw new CredentialsError(
        `credential_process${where} exited with ${code === null ? "a signal" : `code ${code}`}${detail ? `: ${detail}` : ""}`,
      );
    }
    let doc: unknown;
    try {
      doc = JSON.parse(stdout);
    } catch {
      throw new CredentialsError(`credential_process${where} did not print a JSON document`);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new CredentialsError(`credential_process${where} did not print a JSON object`);
    }
    const o = doc as Record<string, unknown>;
    if (o.Version !== 1) {
      throw new CredentialsError(`credential_process${where} printed an unsupported Version (only 1 is supported)`);
    }
    const missing = ["AccessKeyId", "SecretAccessKey"].filter((k) => typeof o[k] !== "string" || o[k] === "");
    if (missing.length > 0) {
      throw new CredentialsError(`credential_process${where} output lacks ${missing.join(" and ")}`);
    }
    let expiration: Date | undefined;
    if (o.Expiration !== undefined && o.Expiration !== null) {
      expiration = parseTimestamp(o.Expiration);
      if (!expiration || typeof o.Expiration !== "string") {
        throw new CredentialsError(`credential_process${where} printed an invalid Expiration`);
      }
    }
    return makeCredentials({
      accessKeyId: o.AccessKeyId as string,
      secretAccessKey: o.SecretAccessKey as string,
      sessionToken: typeof o.SessionToken === "string" ? o.SessionToken : undefined,
      expiration,
      accountId: typeof o.AccountId === "string" && o.AccountId ? o.AccountId : options.accountId,
    });
  };
}
