// An exclusive lock between processes (two test files, two `pnpm build-image`s) on one file, held by
// the kernel: a `flock` child process (util-linux) takes it and keeps it while its stdin is open. When
// the holder ends the child's stdin, or dies, the lock is released; there is never a stale lock file
// to clean up.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import path from "node:path";

export class LockError extends Error {
  override readonly name = "LockError";
}

export interface LockOptions {
  /** Give up after this long. Default 30 minutes (a cold image build takes about a minute). */
  timeoutMs?: number;
  /** Called once if the lock is not free within `waitNoticeMs` (default 200 ms). */
  onWait?: () => void;
  waitNoticeMs?: number;
}

const LOCKED = "locked\n";

/** Runs `fn` while holding the exclusive lock on `lockFile` (created if missing). */
export async function withFileLock<T>(
  lockFile: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  await mkdir(path.dirname(lockFile), { recursive: true });
  const timeoutSeconds = Math.max(1, Math.ceil((options.timeoutMs ?? 30 * 60_000) / 1000));
  // `cat` holds the lock (inherited from flock) until its stdin ends.
  const child = spawn(
    "flock",
    [
      "--exclusive",
      "--timeout",
      String(timeoutSeconds),
      lockFile,
      "sh",
      "-c",
      `printf '${LOCKED.trim()}\\n'; exec cat`,
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const exited = once(child, "exit").then(([code]) => code as number | null);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const notice = setTimeout(() => options.onWait?.(), options.waitNoticeMs ?? 200);
  try {
    await new Promise<void>((resolve, reject) => {
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.startsWith(LOCKED)) resolve();
      });
      child.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new LockError(
            error.code === "ENOENT"
              ? "flock is not installed on this host (Debian package util-linux)"
              : `flock failed: ${error.message}`,
          ),
        ),
      );
      void exited.then((code) =>
        reject(
          new LockError(
            code === 1
              ? `${lockFile} stayed locked for ${timeoutSeconds} s`
              : `flock ${lockFile} ended with ${code}: ${stderr.trim()}`,
          ),
        ),
      );
    });
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    clearTimeout(notice);
  }
  try {
    return await fn();
  } finally {
    child.stdin.end();
    await exited;
  }
}
