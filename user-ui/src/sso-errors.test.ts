// The words for the codes single sign-on sends back to /login?error=.
import { describe, expect, it } from "vitest";
import { ssoErrorMessage } from "./sso-errors.js";

describe("ssoErrorMessage", () => {
  it("explains known codes and falls back for any other", () => {
    expect(ssoErrorMessage("account_suspended")).toBe("Your account is suspended.");
    expect(ssoErrorMessage("whatever")).toMatch(/single sign-on did not work/);
    expect(ssoErrorMessage("toString")).toMatch(/single sign-on did not work/);
  });
});
