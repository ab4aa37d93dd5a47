// The error catalogue of sign-in, MFA, sessions and API keys: stable codes, messages meant for people.
import { HttpError } from "@clawden/kit/server";

const seconds = (until: Date) => Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));

export const authErrors = {
  linkInvalid: () =>
    new HttpError(
      400,
      "link_invalid",
      "This sign-in link is not valid or was already used. Ask for a new one.",
    ),
  linkExpired: () => new HttpError(400, "link_expired", "This sign-in link has expired. Ask for a new one."),
  linkOtherBrowser: () =>
    new HttpError(
      400,
      "link_other_browser",
      "This link was asked for in another browser. Open it in the browser where you asked for it, or ask for a new one here.",
    ),
  accountPending: () =>
    new HttpError(403, "account_pending", "Your account is waiting for an administrator's approval."),
  accountSuspended: () => new HttpError(403, "account_suspended", "Your account is suspended."),
  signUpClosed: () =>
    new HttpError(
      403,
      "sign_up_closed",
      "This address may not create an account here. Ask your administrator.",
    ),
  linkRateLimited: (retryAfter: number) =>
    new HttpError(
      429,
      "rate_limited",
      "Too many sign-in links were asked for. Wait a few minutes and try again.",
      {
        retryAfter,
      },
    ),
  noChallenge: (message = "Your sign-in has expired or ended. Start again.") =>
    new HttpError(401, "no_challenge", message),
  mfaInvalid: (attemptsLeft: number | undefined) =>
    new HttpError(
      400,
      "mfa_invalid",
      "That code is not right. Check your authenticator app's clock and try the current code.",
      attemptsLeft === undefined ? {} : { details: { attemptsLeft } },
    ),
  mfaLocked: (until: Date) =>
    new HttpError(
      429,
      "mfa_locked",
      `Too many wrong codes. Try again in ${Math.ceil(seconds(until) / 60)} minute(s).`,
      { retryAfter: seconds(until) },
    ),
  mfaAlreadyEnabled: () =>
    new HttpError(409, "mfa_enabled", "An authenticator app is already set up. Turn it off first."),
  mfaNotEnabled: () => new HttpError(409, "mfa_not_enabled", "No authenticator app is set up."),
  mfaRequired: () =>
    new HttpError(
      409,
      "mfa_required",
      "Your administrator requires two-factor authentication; it cannot be turned off.",
    ),
  reauthRequired: () =>
    new HttpError(403, "reauth_required", "Confirm it is you first: this action needs a recent sign-in."),
  reauthMismatch: () =>
    new HttpError(
      400,
      "link_invalid",
      "This confirmation link belongs to another session. Open it in the browser where you asked for it.",
    ),
  csrfFailed: () =>
    new HttpError(
      403,
      "csrf_failed",
      "This request is missing its security token. Reload the page and try again.",
    ),
  apiKeyInvalid: () =>
    new HttpError(401, "unauthenticated", "A valid API key is required (Authorization: Bearer ocpk_…).", {
      headers: { "WWW-Authenticate": 'Bearer realm="clawden"' },
    }),
  apiKeyScope: (scope: string) =>
    new HttpError(403, "insufficient_scope", `This API key lacks the scope ${scope}.`, {
      headers: { "WWW-Authenticate": `Bearer realm="clawden", error="insufficient_scope", scope="${scope}"` },
    }),
};
