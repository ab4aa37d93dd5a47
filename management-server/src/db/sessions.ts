// The only code that touches the sessions table. Sessions are looked up by the SHA-256 of the cookie
// value; idle expiry is enforced in the same statement that records the visit. Each session also has
// a public id (a uuid) by which its owner lists and revokes it.
import type { Queryable } from "@clawden/kit/db";

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  authenticatedAt: Date;
}

export interface SessionListing {
  id: string;
  idHash: Buffer;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  method: string;
}

export interface NewSession {
  idHash: Buffer;
  userId: string;
  maxAgeMs: number;
  ip: string | undefined;
  userAgent: string | undefined;
  method: string;
}

export async function insertSession(db: Queryable, s: NewSession): Promise<{ id: string; expiresAt: Date }> {
  const { rows } = await db.query<{ id: string; expires_at: Date }>(
    `INSERT INTO sessions (id_hash, user_id, expires_at, ip, user_agent, method)
     VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000), $4, $5, $6)
     RETURNING id, expires_at`,
    [s.idHash, s.userId, s.maxAgeMs, s.ip ?? null, s.userAgent?.slice(0, 512) ?? null, s.method],
  );
  return { id: rows[0]!.id, expiresAt: rows[0]!.expires_at };
}

/**
 * Returns the live session for this id hash and marks it seen now; null when unknown, past its
 * absolute lifetime, or idle for longer than `idleMs` (such sessions are deleted on the way).
 */
export async function touchSession(
  db: Queryable,
  idHash: Buffer,
  idleMs: number,
  client: { ip: string | undefined },
): Promise<SessionRecord | null> {
  const { rows } = await db.query<{
    id: string;
    user_id: string;
    created_at: Date;
    expires_at: Date;
    authenticated_at: Date;
  }>(
    `UPDATE sessions SET last_seen_at = now(), ip = COALESCE($3, ip)
     WHERE id_hash = $1 AND expires_at > now()
       AND last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
     RETURNING id, user_id, created_at, expires_at, authenticated_at`,
    [idHash, idleMs, client.ip ?? null],
  );
  const row = rows[0];
  if (!row) {
    await db.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
    return null;
  }
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    authenticatedAt: row.authenticated_at,
  };
}

export async function listSessionsOf(db: Queryable, userId: string): Promise<SessionListing[]> {
  const { rows } = await db.query<{
    id: string;
    id_hash: Buffer;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
    method: string;
  }>(
    `SELECT id, id_hash, created_at, last_seen_at, expires_at, ip, user_agent, method
     FROM sessions WHERE user_id = $1 AND expires_at > now() ORDER BY last_seen_at DESC`,
    [userId],
  );
  return rows.map((r) => ({
    id: r.id,
    idHash: r.id_hash,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    ip: r.ip,
    userAgent: r.user_agent,
    method: r.method,
  }));
}

/**
 * Gives a session a new id (its cookie changes) and records a fresh authentication; returns its
 * authentication time and expiry, or null when there is no such session.
 */
export async function rotateSession(
  db: Queryable,
  oldHash: Buffer,
  newHash: Buffer,
): Promise<{ authenticatedAt: Date; expiresAt: Date } | null> {
  const { rows } = await db.query<{ authenticated_at: Date; expires_at: Date }>(
    `UPDATE sessions SET id_hash = $2, authenticated_at = now(), last_seen_at = now() WHERE id_hash = $1
     RETURNING authenticated_at, expires_at`,
    [oldHash, newHash],
  );
  const row = rows[0];
  return row ? { authenticatedAt: row.authenticated_at, expiresAt: row.expires_at } : null;
}

export async function deleteSession(db: Queryable, idHash: Buffer): Promise<void> {
  await db.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
}

/** Deletes one of `userId`'s sessions by public id; false when they have no such session. */
export async function deleteSessionById(db: Queryable, userId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM sessions WHERE user_id = $1 AND id = $2", [userId, id]);
  return rowCount === 1;
}

export async function deleteSessionsOf(db: Queryable, userId: string, except?: Buffer): Promise<number> {
  const { rowCount } = await db.query(
    "DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR id_hash <> $2)",
    [userId, except ?? null],
  );
  return rowCount ?? 0;
}

export async function deleteExpiredSessions(db: Queryable, idleMs: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM sessions WHERE expires_at <= now()
       OR last_seen_at <= now() - make_interval(secs => $1::double precision / 1000)`,
    [idleMs],
  );
  return rowCount ?? 0;
}
