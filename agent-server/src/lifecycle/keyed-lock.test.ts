import { describe, expect, it } from "vitest";
import { KeyedLock } from "./keyed-lock.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("KeyedLock", () => {
  it("runs operations on one key in order, one at a time", async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const gate = deferred();
    const a = lock.run("u1", async () => {
      log.push("a start");
      await gate.promise;
      log.push("a end");
    });
    const b = lock.run("u1", async () => {
      log.push("b");
    });
    await Promise.resolve();
    expect(log).toEqual(["a start"]);
    expect(lock.busy("u1")).toBe(true);
    gate.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(["a start", "a end", "b"]);
  });

  it("runs different keys side by side and keeps going after a failure", async () => {
    const lock = new KeyedLock();
    const gate = deferred();
    const slow = lock.run("u1", () => gate.promise);
    let otherRan = false;
    await lock.run("u2", async () => {
      otherRan = true;
    });
    expect(otherRan).toBe(true);
    gate.resolve();
    await slow;
    await expect(lock.run("u1", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(lock.run("u1", async () => "after")).resolves.toBe("after");
    await Promise.resolve();
    await Promise.resolve();
    expect(lock.busy("u1")).toBe(false);
  });
});
