// What the two pages of the second sign-in step share (<mfa-challenge-page> at /login/mfa answers a
// "verify" challenge, <mfa-enrol-page> at /login/mfa/enrol an "enrol" one): reading the challenge this
// browser holds, going to the other page when it is of the other kind, and what they show when the
// challenge is over (401 `no_challenge`: it expired or was used up) or could not be read.
import { errorMessage } from "@clawden/kit/ui";
import { html, type TemplateResult } from "lit";
import { ApiError, getChallenge, type Challenge } from "./api.js";
import { navigate } from "./router.js";

const PAGES: Record<Challenge["kind"], string> = { verify: "/login/mfa", enrol: "/login/mfa/enrol" };

export type ChallengeExpired = { status: "expired"; message: string };
export type ChallengeFailure = ChallengeExpired | { status: "failed"; message: string };

/**
 * This browser's pending challenge, when it is of `kind`; of the other kind, the browser goes to that
 * kind's page and this resolves to null. Throws what getChallenge() throws.
 */
export async function loadChallenge(kind: Challenge["kind"]): Promise<Challenge | null> {
  const challenge = await getChallenge();
  if (challenge.kind === kind) return challenge;
  navigate(PAGES[challenge.kind], { replace: true });
  return null;
}

/** The "expired" state when `error` says the challenge is over; null for any other error. */
export function challengeExpired(error: unknown): ChallengeExpired | null {
  return error instanceof ApiError && error.status === 401
    ? { status: "expired", message: error.message }
    : null;
}

/** The state of a page whose loading failed with `error`. */
export function challengeFailure(error: unknown): ChallengeFailure {
  return challengeExpired(error) ?? { status: "failed", message: errorMessage(error, "Loading failed.") };
}

/**
 * What the page for `kind` (its heading `title`) shows of a failure: an expired challenge leads back to
 * /login with `startAgain` as advice; anything else offers to load the page again.
 */
export function challengeFailureCard(
  failure: ChallengeFailure,
  page: { kind: Challenge["kind"]; title: string; startAgain: string },
): TemplateResult {
  if (failure.status === "expired") {
    return html`
      <div class="card">
        <h1 tabindex="-1">Your sign-in expired</h1>
        <p>${failure.message}</p>
        <p>${page.startAgain}</p>
        <a href="/login">Sign in again</a>
      </div>
    `;
  }
  return html`
    <div class="card">
      <h1 tabindex="-1">${page.title}</h1>
      <p class="error" role="alert">${failure.message}</p>
      <a href=${PAGES[page.kind]}>Try again</a>
    </div>
  `;
}
