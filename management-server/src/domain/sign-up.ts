// The sign-up policy an administrator chooses, and what it means for an email address that has no
// account yet: open (anyone who proves their address), allowlist (listed addresses or @domains), or
// approval (anyone may ask; an administrator approves). MFA may be required for admins or everyone.
import { z } from "zod";
import { emailSchema } from "./email.js";

export const SIGN_UP_MODES = ["open", "allowlist", "approval"] as const;
export const MFA_REQUIREMENTS = ["off", "admins", "everyone"] as const;

const allowlistEntry = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (entry) =>
      entry.startsWith("@") ? /^@[a-z0-9.-]+\.[a-z]{2,}$/.test(entry) : emailSchema.safeParse(entry).success,
    {
      error: "must be an email address or @domain",
    },
  );

export const signUpPolicySchema = z
  .object({
    mode: z.enum(SIGN_UP_MODES),
    allowlist: z.array(allowlistEntry).max(1000).default([]),
    mfaRequired: z.enum(MFA_REQUIREMENTS),
  })
  .strict();

export type SignUpPolicy = z.infer<typeof signUpPolicySchema>;

/** A fresh installation: nobody signs up by themselves until an administrator opens the door. */
export const DEFAULT_SIGN_UP_POLICY: SignUpPolicy = { mode: "approval", allowlist: [], mfaRequired: "off" };

export type SignUpDecision = "active" | "pending" | "refused";

/** The state a new account for `email` starts in under `policy`. */
export function decideSignUp(policy: SignUpPolicy, email: string): SignUpDecision {
  switch (policy.mode) {
    case "open":
      return "active";
    case "approval":
      return "pending";
    case "allowlist": {
      const domain = `@${email.slice(email.lastIndexOf("@") + 1)}`;
      return policy.allowlist.some((entry) => entry === email || entry === domain) ? "active" : "refused";
    }
  }
}

export function mfaRequiredFor(policy: SignUpPolicy, role: "user" | "admin"): boolean {
  return policy.mfaRequired === "everyone" || (policy.mfaRequired === "admins" && role === "admin");
}
