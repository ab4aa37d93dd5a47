// The session calls every Clawden web app makes (who is signed in, sign out, confirm it is still them)
// and the user they describe. Each app's src/api.ts passes them on to its components with its own calls.
import type { Account } from "./account-types.js";
import { ApiError, apiRequest, json, setCsrfToken } from "./api-client.js";

export type Role = "user" | "admin";

export interface User {
  id: string;
  email: string;
  role: Role;
  state: string;
  createdAt: string;
}

/** The signed-in user with their MFA state, or null for an anonymous visitor. Stores the CSRF token. */
export async function getAccount(): Promise<Account | null> {
  try {
    const { csrfToken, ...account } = await json<Account & { csrfToken: string }>(
      await apiRequest("GET", "/api/me"),
    );
    setCsrfToken(csrfToken);
    return account;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(undefined);
      return null;
    }
    throw error;
  }
}

/** The signed-in user, or null for an anonymous visitor. Stores the CSRF token. */
export async function getMe(): Promise<User | null> {
  return (await getAccount())?.user ?? null;
}

/** Ends the session. */
export async function logout(): Promise<void> {
  await apiRequest("POST", "/api/auth/logout");
  setCsrfToken(undefined);
}

/**
 * Re-authenticates the session with a TOTP or recovery code. The session gets a new id, and with it a
 * new CSRF token, which apiRequest takes from the answer.
 */
export async function reauthenticate(code: string): Promise<void> {
  await apiRequest("POST", "/api/account/reauth", { code });
}

/** Mails the signed-in user a link that re-authenticates this browser's session. */
export async function requestReauthEmail(): Promise<void> {
  await apiRequest("POST", "/api/account/reauth/email");
}
