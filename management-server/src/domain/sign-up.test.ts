import { describe, expect, it } from "vitest";
import { decideSignUp, mfaRequiredFor, signUpPolicySchema } from "./sign-up.js";

describe("sign-up policy", () => {
  it("decides the state of a new account by mode", () => {
    const base = { allowlist: ["@team.example", "ceo@corp.example"], mfaRequired: "off" as const };
    expect(decideSignUp({ ...base, mode: "open" }, "anyone@x.example")).toBe("active");
    expect(decideSignUp({ ...base, mode: "approval" }, "anyone@x.example")).toBe("pending");
    expect(decideSignUp({ ...base, mode: "allowlist" }, "dev@team.example")).toBe("active");
    expect(decideSignUp({ ...base, mode: "allowlist" }, "ceo@corp.example")).toBe("active");
    expect(decideSignUp({ ...base, mode: "allowlist" }, "cfo@corp.example")).toBe("refused");
    // A domain entry does not match subdomains or look-alikes.
    expect(decideSignUp({ ...base, mode: "allowlist" }, "dev@evil.team.example")).toBe("refused");
    expect(decideSignUp({ ...base, mode: "allowlist" }, "dev@team.example.evil")).toBe("refused");
  });

  it("requires MFA by role", () => {
    const policy = (mfaRequired: "off" | "admins" | "everyone") => ({
      mode: "open" as const,
      allowlist: [],
      mfaRequired,
    });
    expect(mfaRequiredFor(policy("off"), "admin")).toBe(false);
    expect(mfaRequiredFor(policy("admins"), "admin")).toBe(true);
    expect(mfaRequiredFor(policy("admins"), "user")).toBe(false);
    expect(mfaRequiredFor(policy("everyone"), "user")).toBe(true);
  });

  it("normalises allowlist entries and refuses what is neither an address nor a domain", () => {
    const parsed = signUpPolicySchema.parse({
      mode: "allowlist",
      allowlist: [" @Team.Example ", "A@B.example"],
      mfaRequired: "off",
    });
    expect(parsed.allowlist).toEqual(["@team.example", "a@b.example"]);
    for (const bad of ["team.example", "@", "@nodot", "not an email", "@x.example/evil"]) {
      expect(
        signUpPolicySchema.safeParse({ mode: "open", allowlist: [bad], mfaRequired: "off" }).success,
      ).toBe(false);
    }
    expect(
      signUpPolicySchema.safeParse({ mode: "open", allowlist: [], mfaRequired: "off", extra: 1 }).success,
    ).toBe(false);
  });
});
