// Runs a server's real main (TypeScript through tsx) as a child process, the way an operator runs it,
// to test what only a process shows: configuration errors, signals, exit codes.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");

export interface ChildServer {
  child: ChildProcess;
  /** Every line written to stdout and stderr so far. */
  output: string[];
  url: string;
  /** Sends `signal` and resolves with the exit code (or the signal name if killed by one). */
  stop: (signal?: NodeJS.Signals) => Promise<number | string>;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string[];
}

function spawnMain(
  entry: string,
  env: Record<string, string>,
  onLine?: (line: string) => void,
): { child: ChildProcess; output: string[] } {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", entry], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      output.push(line);
      onLine?.(line);
    });
  }
  return { child, output };
}

/** Runs a main to completion (for start-up failures) with a time limit. */
export async function runMainToExit(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RunResult> {
  const { child, output } = spawnMain(entry, env);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, output };
}

function listeningUrl(line: string): string | null {
  if (!line.startsWith("{")) return null;
  try {
    const record = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return record.msg === "listening" && typeof record.url === "string" ? record.url : null;
  } catch {
    return null;
  }
}

/**
 * Starts a main and waits for its JSON log line `{"msg":"listening","url":...}`. Fails with the child's
 * output if it exits first or does not listen within the time limit.
 */
export async function startMain(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ChildServer> {
  let announce: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (announce = resolve));
  const { child, output } = spawnMain(entry, env, (line) => {
    const url = listeningUrl(line);
    if (url) announce(url);
  });
  const exited = once(child, "close") as Promise<[number | null, NodeJS.Signals | null]>;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    listening,
    exited.then(() => ({ exited: true }) as const),
    new Promise<{ timedOut: true }>(
      (resolve) => (timer = setTimeout(() => resolve({ timedOut: true }), timeoutMs)),
    ),
  ]);
  clearTimeout(timer);
  if (typeof outcome !== "string") {
    child.kill("SIGKILL");
    const why = "exited" in outcome ? "exited before listening" : `did not listen within ${timeoutMs} ms`;
    throw new Error(`${entry} ${why}:\n${output.join("\n")}`);
  }
  return {
    child,
    output,
    url: outcome,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code, sig] = await exited;
      return code ?? sig ?? "unknown";
    },
  };
}
