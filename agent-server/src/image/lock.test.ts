// The build lock between processes, with the real flock(1): holders run one after the other, a
// waiter is told it waits, and a holder that dies releases the lock with it.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withFileLock } from "./lock.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "clawden-lock-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("withFileLock", () => {
  it("runs holders of one lock one at a time and tells the waiter it waits", async () => {
    const lock = path.join(dir, "serial", "build.lock");
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstIn!: () => void;
    const firstEntered = new Promise<void>((resolve) => (firstIn = resolve));
    const first = withFileLock(lock, async () => {
      events.push("first in");
      firstIn();
      await firstHeld;
      events.push("first out");
      return 1;
    });
    await firstEntered;
    let waited = false;
    const second = withFileLock(
      lock,
      async () => {
        events.push("second in");
        return 2;
      },
      { onWait: () => (waited = true), waitNoticeMs: 50 },
    );
    // The waiter's notice comes while the first still holds the lock.
    await expect.poll(() => waited, { timeout: 5000 }).toBe(true);
    expect(events).toEqual(["first in"]);
    releaseFirst();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(["first in", "first out", "second in"]);
  });

  it("releases the lock when its holder dies, and releases it after a failure", async () => {
    const lock = path.join(dir, "crash.lock");
    // Another process (group) takes the lock and is killed while holding it.
    const holder = spawn("flock", ["--exclusive", lock, "sh", "-c", "echo held; exec sleep 600"], {
      stdio: ["ignore", "pipe", "ignore"],
      detached: true,
    });
    await once(holder.stdout, "data");
    process.kill(-holder.pid!, "SIGKILL");
    await once(holder, "exit");
    await expect(withFileLock(lock, async () => "taken", { timeoutMs: 5000 })).resolves.toBe("taken");

    await expect(withFileLock(lock, async () => Promise.reject(new Error("build failed")))).rejects.toThrow(
      "build failed",
    );
    await expect(withFileLock(lock, async () => "again", { timeoutMs: 5000 })).resolves.toBe("again");
  });
});
