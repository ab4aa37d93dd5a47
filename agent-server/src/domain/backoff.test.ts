import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, givesUp, retryDelayMs } from "./backoff.js";

describe("back-off", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([0, 1, 2, 3, 4].map((n) => retryDelayMs(n))).toEqual([0, 1000, 2000, 4000, 8000]);
    expect(retryDelayMs(20)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(retryDelayMs(1000)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it("gives up after the configured number of consecutive failures", () => {
    expect(givesUp(4)).toBe(false);
    expect(givesUp(5)).toBe(true);
    expect(givesUp(2, { baseMs: 10, maxMs: 100, maxFailures: 2 })).toBe(true);
  });
});
