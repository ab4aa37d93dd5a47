// The one module user-ui's components call for management-server's API (management-server/API.md):
// typed functions that never let components build URLs, built on @clawden/kit/ui's request helper;
// every failure is an ApiError whose message can be shown to people as it is. The session calls every
// app shares (among them the signed-in account) and the shapes both apps read come from the kit too.
import {
  apiRequest,
  json,
  setCsrfToken,
  type ApiKeySummary,
  type SessionSummary,
  type User,
} from "@clawden/kit/ui";

export { ApiError, getAccount, getMe, type Account, type ApiKeySummary, type User } from "@clawden/kit/ui";

// ---------------------------------------------------------------------------------------------------
// Signing in

/** Mails a one-time sign-in link to `email` (the answer is the same whether or not it has an account). */
export async function requestSignInLink(email: string, next?: string): Promise<void> {
  await apiRequest("POST", "/api/auth/magic-link", next ? { email, next } : { email });
}

export type ConsumeResult =
  | { status: "signed-in"; user: User; next: string | null }
  | { status: "mfa-required"; next: string | null }
  | { status: "mfa-enrolment-required"; next: string | null }
  | { status: "reauthenticated"; next: string | null };

/** Uses up a one-time sign-in (or re-authentication) link's token. */
export async function consumeLink(token: string): Promise<ConsumeResult> {
  return json<ConsumeResult>(await apiRequest("POST", "/api/auth/magic-link/consume", { token }));
}

export interface Challenge {
  kind: "verify" | "enrol";
  email: string;
  expiresAt: string;
  attemptsLeft: number;
}

/** The pending second-factor challenge of this browser; 401 `no_challenge` when there is none. */
export async function getChallenge(): Promise<Challenge> {
  return json<Challenge>(await apiRequest("GET", "/api/auth/challenge"));
}

export interface SignedIn {
  user: User;
  next: string | null;
}

/** Answers the challenge with a TOTP or recovery code; starts the session. */
export async function verifyMfa(code: string): Promise<SignedIn & { recoveryCodesLeft: number | null }> {
  const body = await json<SignedIn & { recoveryCodesLeft?: number; csrfToken?: unknown }>(
    await apiRequest("POST", "/api/auth/mfa/verify", { code }),
  );
  return { user: body.user, next: body.next ?? null, recoveryCodesLeft: body.recoveryCodesLeft ?? null };
}

/** A new authenticator app secret: the QR code is a data: URL of an SVG image. */
export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrCode: string;
}

/** Starts setting up an authenticator app during sign-in (the enrol challenge). */
export async function startEnrolment(): Promise<TotpEnrolment> {
  return json<TotpEnrolment>(await apiRequest("POST", "/api/auth/mfa/enrol"));
}

/** Confirms the authenticator app with a code from it; starts the session. */
export async function confirmEnrolment(code: string): Promise<SignedIn & { recoveryCodes: string[] }> {
  const body = await json<SignedIn & { recoveryCodes: string[]; csrfToken?: unknown }>(
    await apiRequest("POST", "/api/auth/mfa/enrol/confirm", { code }),
  );
  return { user: body.user, next: body.next ?? null, recoveryCodes: body.recoveryCodes };
}

export interface SsoProvider {
  id: string;
  name: string;
}

/** The single sign-on providers people may sign in with. */
export async function listSsoProviders(): Promise<SsoProvider[]> {
  return (await json<{ providers: SsoProvider[] }>(await apiRequest("GET", "/api/auth/sso"))).providers;
}

/** Where a browser goes (a full page load) to sign in with a provider. */
export function ssoStartUrl(providerId: string, next?: string): string {
  const path = `/api/auth/sso/${encodeURIComponent(providerId)}/start`;
  return next ? `${path}?${new URLSearchParams({ next }).toString()}` : path;
}

// ---------------------------------------------------------------------------------------------------
// Sessions

/** One of this account's sessions; `current`: this browser's. */
export interface SessionInfo extends SessionSummary {
  current: boolean;
}

export async function listSessions(): Promise<SessionInfo[]> {
  return (await json<{ sessions: SessionInfo[] }>(await apiRequest("GET", "/api/account/sessions"))).sessions;
}

/** Ends one session; ending `current` (this browser's) signs this browser out. */
export async function revokeSession(id: string, current = false): Promise<void> {
  await apiRequest("DELETE", `/api/account/sessions/${encodeURIComponent(id)}`);
  if (current) setCsrfToken(undefined);
}

/** Ends every session but this browser's; resolves to how many ended. */
export async function revokeOtherSessions(): Promise<number> {
  return (await json<{ revoked: number }>(await apiRequest("POST", "/api/account/sessions/revoke-others")))
    .revoked;
}

// ---------------------------------------------------------------------------------------------------
// Two-step sign-in (all need a recent re-authentication)

export async function startTotpSetup(): Promise<TotpEnrolment> {
  return json<TotpEnrolment>(await apiRequest("POST", "/api/account/mfa/totp"));
}

/** Turns the authenticator app on; resolves to the new recovery codes. */
export async function confirmTotpSetup(code: string): Promise<string[]> {
  return (
    await json<{ recoveryCodes: string[] }>(
      await apiRequest("POST", "/api/account/mfa/totp/confirm", { code }),
    )
  ).recoveryCodes;
}

export async function disableTotp(): Promise<void> {
  await apiRequest("DELETE", "/api/account/mfa/totp");
}

/** New recovery codes; the old ones stop working. */
export async function regenerateRecoveryCodes(): Promise<string[]> {
  return (
    await json<{ recoveryCodes: string[] }>(await apiRequest("POST", "/api/account/mfa/recovery-codes"))
  ).recoveryCodes;
}

// ---------------------------------------------------------------------------------------------------
// API keys

export const API_KEY_SCOPES = ["chat", "account:read"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export async function listApiKeys(): Promise<ApiKeySummary[]> {
  return (await json<{ apiKeys: ApiKeySummary[] }>(await apiRequest("GET", "/api/account/api-keys"))).apiKeys;
}

export interface NewApiKey {
  name: string;
  scopes: ApiKeyScope[];
  /** 1–365, or null for a key that does not expire. */
  expiresInDays: number | null;
}

/** Creates a key; `secret` (ocpk_…) is shown this once and never again. */
export async function createApiKey(key: NewApiKey): Promise<{ apiKey: ApiKeySummary; secret: string }> {
  return json<{ apiKey: ApiKeySummary; secret: string }>(
    await apiRequest("POST", "/api/account/api-keys", key),
  );
}

export async function revokeApiKey(id: string): Promise<void> {
  await apiRequest("DELETE", `/api/account/api-keys/${encodeURIComponent(id)}`);
}
