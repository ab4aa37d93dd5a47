import { describe, expect, it } from "vitest";
import { lockDurationMs } from "./mfa.js";

describe("second-factor lockout", () => {
  it("locks at every 5th wrong code in a row, doubling from 1 minute up to an hour", () => {
    const minutes = (n: number) => lockDurationMs(n) / 60_000;
    expect([1, 2, 3, 4].map(minutes)).toEqual([0, 0, 0, 0]);
    expect(minutes(5)).toBe(1);
    expect(minutes(6)).toBe(0);
    expect(minutes(10)).toBe(2);
    expect(minutes(15)).toBe(4);
    expect(minutes(30)).toBe(32);
    expect(minutes(35)).toBe(60);
    expect(minutes(500)).toBe(60);
    expect(minutes(0)).toBe(0);
  });
});
