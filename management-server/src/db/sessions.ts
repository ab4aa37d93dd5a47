// The only code that touches the sessions table. Sessions are looked up by the SHA-256 of the cookie
// value; idle expiry is enforced in the same statement that records the visit.
import type { Queryable } from "@clawden/kit/db";

export interface SessionRecord {
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface NewSession {
  idHash: Buffer;
  userId: string;
  maxAgeMs: number;
  ip: string | undefined;
  userAgent: string | undefined;
}

export async function insertSession(db: Queryable, s: NewSession): Promise<Date> {
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (id_hash, user_id, expires_at, ip, user_agent)
     VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000), $4, $5)
     RETURNING expires_at`,
    [s.idHash, s.userId, s.maxAgeMs, s.ip ?? null, s.userAgent?.slice(0, 512) ?? null],
  );
  return rows[0]!.expires_at;
}

/**
 * Returns the live session for this id hash and marks it seen now; null when unknown, past its
 * absolute lifetime, or idle for longer than `idleMs` (such sessions are deleted on the way).
 */
export async function touchSession(
  db: Queryable,
  idHash: Buffer,
  idleMs: number,
): Promise<SessionRecord | null> {
  const { rows } = await db.query<{ user_id: string; created_at: Date; expires_at: Date }>(
    `UPDATE sessions SET last_seen_at = now()
     WHERE id_hash = $1 AND expires_at > now()
       AND last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
     RETURNING user_id, created_at, expires_at`,
    [idHash, idleMs],
  );
  const row = rows[0];
  if (!row) {
    await db.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
    return null;
  }
  return { userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
}

export async function deleteSession(db: Queryable, idHash: Buffer): Promise<void> {
  await db.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
}

export async function deleteExpiredSessions(db: Queryable, idleMs: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM sessions WHERE expires_at <= now()
       OR last_seen_at <= now() - make_interval(secs => $1::double precision / 1000)`,
    [idleMs],
  );
  return rowCount ?? 0;
}
