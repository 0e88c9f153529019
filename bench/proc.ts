// Child-process helpers for the bench: run a command to completion with its output
// captured and a time limit, and start the long-lived server process.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Endpoints } from "./common.js";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall ms from spawn to exit. */
  wall: number;
}

export function run(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[bench: killed after ${opts.timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, opts.timeoutMs ?? 300_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wall: performance.now() - t0 });
    });
  });
}

/** The last JSON line of a child's stdout, or an Error carrying its stderr tail. */
export function lastJson<T>(r: RunResult): T | Error {
  if (r.code === 0) {
    const line = r.stdout.trim().split("\n").pop();
    if (line) {
      try {
        return JSON.parse(line) as T;
      } catch {
        /* fall through */
      }
    }
  }
  const tail = r.stderr.trim().split("\n").slice(0, 6).join(" | ");
  return new Error(`exit ${String(r.code)}: ${tail.slice(0, 400) || "(no output)"}`);
}

export interface ServerProcess {
  endpoints: Endpoints;
  stop(): Promise<void>;
}

/** Starts bench/servers.ts in its own node process and waits for its endpoints line. */
export function startServers(root: string): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ["--openssl-legacy-provider", "--import", "tsx", "bench/servers.ts"],
      { cwd: root, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bench: servers did not start in 60 s: ${stderr.slice(0, 500)}`));
    }, 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bench: servers exited (${String(code)}): ${stderr.slice(0, 500)}`));
    });
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const endpoints = JSON.parse(line) as Endpoints;
      resolve({
        endpoints,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
            child.once("exit", () => {
              clearTimeout(kill);
              done();
            });
            child.stdin!.end();
          }),
      });
    });
  });
}

/** A long-lived child answering one JSON line per command line (bench/child.ts `cpu`). */
export interface Worker {
  /** The next JSON line the child writes (after sending `command`, if given). */
  ask<T>(command?: string, timeoutMs?: number): Promise<T>;
  kill(): void;
}

export function startWorker(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string },
): Worker {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const lines: string[] = [];
  let waiting: ((line: string | Error) => void) | undefined;
  const deliver = (x: string | Error): void => {
    const w = waiting;
    waiting = undefined;
    if (w) w(x);
    else if (typeof x === "string") lines.push(x);
  };
  let exited: Error | undefined;
  createInterface({ input: child.stdout }).on("line", deliver);
  child.on("error", (e) => deliver((exited = e)));
  child.on("close", (code) => {
    const tail = stderr.trim().split("\n").slice(0, 6).join(" | ");
    deliver((exited = new Error(`exit ${String(code)}: ${tail.slice(0, 400) || "(no output)"}`)));
  });
  child.stdin.on("error", () => {}); // a child that died: its close event reports it
  return {
    ask<T>(command?: string, timeoutMs = 240_000): Promise<T> {
      if (command !== undefined && !exited) child.stdin.write(command + "\n");
      return new Promise<T>((resolve, reject) => {
        const take = (x: string | Error): void => {
          clearTimeout(timer);
          if (x instanceof Error) return reject(x);
          try {
            resolve(JSON.parse(x) as T);
          } catch {
            reject(new Error(`not JSON: ${x.slice(0, 200)}`));
          }
        };
        const timer = setTimeout(() => {
          waiting = undefined;
          child.kill("SIGKILL");
          reject(new Error(`no answer in ${timeoutMs} ms: ${stderr.slice(0, 400)}`));
        }, timeoutMs);
        const queued = lines.shift();
        if (queued !== undefined) take(queued);
        else if (exited) take(exited);
        else waiting = take;
      });
    },
    kill: () => child.kill("SIGKILL"),
  };
}
