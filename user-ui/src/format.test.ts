// The formatters of times, devices and sign-in methods user-ui shows.
import { describe, expect, it } from "vitest";
import { describeDevice, describeSignInMethod, formatDate, formatRelative } from "./format.js";

const now = new Date("2026-03-12T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

describe("formatRelative", () => {
  it("says how long ago, in the largest whole unit", () => {
    expect(formatRelative(ago(5), now)).toBe("just now");
    expect(formatRelative(ago(44), now)).toBe("just now");
    expect(formatRelative(ago(60), now)).toBe("1 minute ago");
    expect(formatRelative(ago(5 * 60 + 20), now)).toBe("5 minutes ago");
    expect(formatRelative(ago(3 * 3600), now)).toBe("3 hours ago");
    expect(formatRelative(ago(26 * 3600), now)).toBe("yesterday");
    expect(formatRelative(ago(3 * 86400), now)).toBe("3 days ago");
    expect(formatRelative(ago(15 * 86400), now)).toBe("2 weeks ago");
    expect(formatRelative(ago(400 * 86400), now)).toBe("last year");
  });

  it("says how long until, for times to come", () => {
    expect(formatRelative(ago(-90 * 86400), now)).toBe("in 3 months");
    expect(formatRelative(ago(-2 * 3600), now)).toBe("in 2 hours");
  });

  it("copes with a time it cannot read", () => {
    expect(formatRelative("not a time", now)).toBe("unknown");
    expect(formatDate("nope")).toBe("unknown");
  });
});

describe("describeDevice", () => {
  it("shows the server's name for the device, shortened, or says it is unknown", () => {
    expect(describeDevice("Chrome on Linux")).toBe("Chrome on Linux");
    expect(describeDevice("x".repeat(100))).toBe(`${"x".repeat(59)}…`);
    expect(describeDevice(null)).toBe("Unknown device");
    expect(describeDevice("  ")).toBe("Unknown device");
  });
});

describe("describeSignInMethod", () => {
  it("puts the known methods in words and passes others on", () => {
    expect(describeSignInMethod("link")).toBe("email link");
    expect(describeSignInMethod("sso")).toBe("single sign-on");
    expect(describeSignInMethod("sso:corp")).toBe("single sign-on");
    expect(describeSignInMethod("operator-link")).toBe("operator link");
    expect(describeSignInMethod(null)).toBe("unknown");
    expect(describeSignInMethod("passkey")).toBe("passkey");
  });
});
