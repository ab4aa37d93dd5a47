import { describe, expect, it } from "vitest";
import { Admission, AdmissionRefused } from "./admission.js";

const GiB = 1024 ** 3;
const options = { maxConcurrent: 2, maxQueued: 2, memoryBudgetBytes: 10 * GiB, typicalStartSeconds: 10 };

describe("Admission", () => {
  it("runs up to the cap at once and serves the queue in order", async () => {
    const admission = new Admission(options);
    const order: number[] = [];
    const tickets = [0, 1, 2, 3].map((i) => {
      const t = admission.enter(GiB, 0);
      void t.ready.then(() => order.push(i));
      return t;
    });
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(admission.queued).toBe(2);
    tickets[1]!.release();
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    tickets[0]!.release();
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2, 3]);
    tickets[2]!.release();
    tickets[3]!.release();
    tickets[3]!.release(); // a second release changes nothing
    expect(admission.active).toBe(0);
  });

  it("refuses when the queue is full, with a Retry-After estimate", () => {
    const admission = new Admission(options);
    for (let i = 0; i < 4; i++) admission.enter(GiB, 0);
    try {
      admission.enter(GiB, 0);
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(AdmissionRefused);
      expect((error as AdmissionRefused).reason).toBe("queue_full");
      expect((error as AdmissionRefused).retryAfterSeconds).toBe(25);
    }
  });

  it("refuses a start that would exceed the memory budget, counting reservations", () => {
    const admission = new Admission(options);
    admission.enter(4 * GiB, 4 * GiB);
    expect(() => admission.enter(3 * GiB, 4 * GiB)).toThrow(/memory budget/);
    const ok = admission.enter(2 * GiB, 4 * GiB);
    ok.release();
    expect(() => admission.enter(3 * GiB, 4 * GiB)).toThrow(AdmissionRefused);
  });
});
