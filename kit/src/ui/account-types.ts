// The shapes of an account that both apps read from management-server's API (management-server/API.md):
// a person's second factor, and the listings of their sessions and API keys, which people see of their
// own account (user-ui) and administrators of anyone's (admin-ui).
import type { User } from "./session-api.js";

export interface MfaStatus {
  enabled: boolean;
  /** Whether the sign-up policy requires a second factor of this user (it cannot be turned off). */
  required: boolean;
  recoveryCodesLeft: number;
}

/** The signed-in user with their second factor (GET /api/me). */
export interface Account {
  user: User;
  mfa: MfaStatus;
  /** Until when sensitive actions need no re-authentication (ISO time), or null. */
  reauthenticatedUntil: string | null;
}

/** A signed-in session, as its owner or an administrator sees it (never what is behind the cookie). */
export interface SessionSummary {
  id: string;
  device: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  method: string | null;
}

/** A platform API key, as listed: never its secret, only the start of it (`prefix`). */
export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}
