// Browser sessions: a fresh random id at every sign-in (never reused from the request, so a planted
// cookie cannot become a session) and at re-authentication, idle and absolute time limits, and
// resolution of the cookie to the signed-in user.
import type { Queryable } from "@clawden/kit/db";
import {
  deleteSession,
  insertSession,
  rotateSession,
  touchSession,
  type SessionRecord,
} from "../db/sessions.js";
import { findUserById, type User } from "../db/users.js";
import { hashSecret, newSecretToken, SECRET_TOKEN_PATTERN } from "../domain/secrets.js";

export interface SessionLimits {
  idleMs: number;
  maxAgeMs: number;
}

/** Sensitive actions need a sign-in or re-authentication at most this long ago. */
export const REAUTH_WINDOW_MS = 10 * 60_000;

export interface StartedSession {
  token: string;
  id: string;
  expiresAt: Date;
}

export interface ClientInfo {
  ip: string | undefined;
  userAgent: string | undefined;
}

export async function startSession(
  db: Queryable,
  limits: SessionLimits,
  userId: string,
  client: ClientInfo,
  method = "link",
): Promise<StartedSession> {
  const token = newSecretToken();
  const { id, expiresAt } = await insertSession(db, {
    idHash: hashSecret(token),
    userId,
    maxAgeMs: limits.maxAgeMs,
    ip: client.ip,
    userAgent: client.userAgent,
    method,
  });
  return { token, id, expiresAt };
}

/** The active user behind a session cookie value, with the session, or null. */
export async function resolveSession(
  db: Queryable,
  limits: SessionLimits,
  token: string,
  client: { ip: string | undefined },
): Promise<{ user: User; session: SessionRecord } | null> {
  if (!SECRET_TOKEN_PATTERN.test(token)) return null;
  const session = await touchSession(db, hashSecret(token), limits.idleMs, client);
  if (!session) return null;
  const user = await findUserById(db, session.userId);
  if (!user || user.state !== "active") return null;
  return { user, session };
}

/**
 * Re-authenticated: the session gets a new id (returned as `token`) and a fresh authentication time;
 * null when the session is gone.
 */
export async function renewSession(
  db: Queryable,
  token: string,
): Promise<{ token: string; authenticatedAt: Date; expiresAt: Date } | null> {
  const fresh = newSecretToken();
  const renewed = await rotateSession(db, hashSecret(token), hashSecret(fresh));
  return renewed ? { token: fresh, ...renewed } : null;
}

/** A session cookie's Max-Age: the seconds left of the session's absolute lifetime. */
export function cookieMaxAge(expiresAt: Date): number {
  return Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
}

export function reauthenticatedUntil(session: { authenticatedAt: Date }): Date {
  return new Date(session.authenticatedAt.getTime() + REAUTH_WINDOW_MS);
}

export async function endSession(db: Queryable, token: string): Promise<void> {
  if (SECRET_TOKEN_PATTERN.test(token)) await deleteSession(db, hashSecret(token));
}
