// Why single sign-on sent the browser back to the sign-in page (`/login?error=<code>`), in words. The
// redirect carries only the code, so the words live here.

const SSO_ERRORS: Record<string, string> = {
  account_pending: "Your account is waiting for an administrator's approval.",
  account_suspended: "Your account is suspended.",
  sign_up_closed: "This email address may not sign up to Clawden. Ask the person who runs it to add you.",
  access_denied: "Single sign-on was cancelled or refused.",
  sso_unavailable:
    "This single sign-on provider cannot be reached right now. Try again later, or get a sign-in link by email.",
  rate_limited: "Too many single sign-on attempts were started from here. Wait a few minutes and try again.",
  sso_expired: "The single sign-on attempt took too long. Try again.",
  sso_state: "The single sign-on attempt was started in another browser or has expired. Try again.",
  sso_email_unverified: "Your identity provider did not confirm your email address.",
  sso_disabled: "This single sign-on provider is not available any more.",
};

const FALLBACK = "Signing in with single sign-on did not work. Try again, or get a sign-in link by email.";

export function ssoErrorMessage(code: string): string {
  return Object.hasOwn(SSO_ERRORS, code) ? SSO_ERRORS[code]! : FALLBACK;
}
