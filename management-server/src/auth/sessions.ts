// Browser sessions: a fresh random id at every sign-in (never reused from the request, so a planted
// cookie cannot become a session), idle and absolute time limits, and resolution of the cookie to
// the signed-in user.
import type { Database } from "@clawden/kit/db";
import { deleteSession, insertSession, touchSession } from "../db/sessions.js";
import { findUserById, type User } from "../db/users.js";
import { hashSecret, newSecretToken, SECRET_TOKEN_PATTERN } from "../domain/secrets.js";

export interface SessionLimits {
  idleMs: number;
  maxAgeMs: number;
}

export interface StartedSession {
  token: string;
  expiresAt: Date;
}

export async function startSession(
  db: Database,
  limits: SessionLimits,
  userId: string,
  client: { ip: string | undefined; userAgent: string | undefined },
): Promise<StartedSession> {
  const token = newSecretToken();
  const expiresAt = await insertSession(db, {
    idHash: hashSecret(token),
    userId,
    maxAgeMs: limits.maxAgeMs,
    ip: client.ip,
    userAgent: client.userAgent,
  });
  return { token, expiresAt };
}

/** The active user behind a session cookie value, or null. */
export async function userForSession(
  db: Database,
  limits: SessionLimits,
  token: string,
): Promise<User | null> {
  if (!SECRET_TOKEN_PATTERN.test(token)) return null;
  const session = await touchSession(db, hashSecret(token), limits.idleMs);
  if (!session) return null;
  const user = await findUserById(db, session.userId);
  if (!user || user.state !== "active") return null;
  return user;
}

export async function endSession(db: Database, token: string): Promise<void> {
  if (SECRET_TOKEN_PATTERN.test(token)) await deleteSession(db, hashSecret(token));
}
