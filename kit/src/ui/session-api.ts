// The session calls every Clawden web app makes (who is signed in, sign out) and the user they
// describe. Each app's src/api.ts passes them on to its components with its own calls.
import { ApiError, apiRequest, setCsrfToken } from "./api-client.js";

export type Role = "user" | "admin";

export interface User {
  id: string;
  email: string;
  role: Role;
  state: string;
  createdAt: string;
}

/** The signed-in user, or null for an anonymous visitor. */
export async function getMe(): Promise<User | null> {
  try {
    const res = await apiRequest("GET", "/api/me");
    const body = (await res.json()) as { user: User; csrfToken: string };
    setCsrfToken(body.csrfToken);
    return body.user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(undefined);
      return null;
    }
    throw error;
  }
}

/** Ends the session. */
export async function logout(): Promise<void> {
  await apiRequest("POST", "/api/auth/logout");
  setCsrfToken(undefined);
}
