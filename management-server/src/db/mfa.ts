// The only code that touches mfa_totp, recovery_codes, login_challenges and the MFA counters on users.
import type { Queryable } from "@clawden/kit/db";

export interface TotpRecord {
  secretSealed: Buffer;
  confirmed: boolean;
  lastStep: number | null;
}

export async function getTotp(db: Queryable, userId: string): Promise<TotpRecord | null> {
  const { rows } = await db.query<{
    secret_sealed: Buffer;
    confirmed_at: Date | null;
    last_step: number | null;
  }>("SELECT secret_sealed, confirmed_at, last_step FROM mfa_totp WHERE user_id = $1", [userId]);
  const row = rows[0];
  return row
    ? { secretSealed: row.secret_sealed, confirmed: row.confirmed_at !== null, lastStep: row.last_step }
    : null;
}

/** Starts (or restarts) an unconfirmed enrolment; a confirmed one is left alone (false). */
export async function putPendingTotp(db: Queryable, userId: string, secretSealed: Buffer): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO mfa_totp (user_id, secret_sealed) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, last_step = NULL, created_at = now()
       WHERE mfa_totp.confirmed_at IS NULL`,
    [userId, secretSealed],
  );
  return rowCount === 1;
}

/**
 * Records `step` as used, only if it is later than every step used before: the atomic guard that no
 * code is accepted twice, even by two requests at once.
 */
export async function claimTotpStep(
  db: Queryable,
  userId: string,
  step: number,
  confirm: boolean,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE mfa_totp SET last_step = $2, confirmed_at = CASE WHEN $3 THEN COALESCE(confirmed_at, now()) ELSE confirmed_at END
     WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2) AND ((confirmed_at IS NOT NULL) <> $3)`,
    [userId, step, confirm],
  );
  return rowCount === 1;
}

export async function deleteMfa(db: Queryable, userId: string): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM mfa_totp WHERE user_id = $1", [userId]);
  await db.query("DELETE FROM recovery_codes WHERE user_id = $1", [userId]);
  return (rowCount ?? 0) > 0;
}

export async function replaceRecoveryCodes(db: Queryable, userId: string, hashes: string[]): Promise<void> {
  await db.query("DELETE FROM recovery_codes WHERE user_id = $1", [userId]);
  await db.query("INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])", [
    userId,
    hashes,
  ]);
}

export async function unusedRecoveryCodes(
  db: Queryable,
  userId: string,
): Promise<{ id: string; hash: string }[]> {
  const { rows } = await db.query<{ id: string; code_hash: string }>(
    "SELECT id, code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    [userId],
  );
  return rows.map((r) => ({ id: r.id, hash: r.code_hash }));
}

/** Marks a recovery code used; false when another request used it first. */
export async function useRecoveryCode(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE recovery_codes SET used_at = now() WHERE id = $1 AND used_at IS NULL",
    [id],
  );
  return rowCount === 1;
}

export async function countUnusedRecoveryCodes(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    [userId],
  );
  return rows[0]?.n ?? 0;
}

export async function mfaLockedUntil(db: Queryable, userId: string): Promise<Date | null> {
  const { rows } = await db.query<{ until: Date | null }>(
    "SELECT CASE WHEN mfa_locked_until > now() THEN mfa_locked_until END AS until FROM users WHERE id = $1",
    [userId],
  );
  return rows[0]?.until ?? null;
}

/** Counts a wrong code; every 5th in a row locks the account for `lockMs(failures)`. */
export async function recordMfaFailure(
  db: Queryable,
  userId: string,
  lockMs: (failures: number) => number,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const { rows } = await db.query<{ mfa_failures: number }>(
    "UPDATE users SET mfa_failures = mfa_failures + 1 WHERE id = $1 RETURNING mfa_failures",
    [userId],
  );
  const failures = rows[0]?.mfa_failures ?? 0;
  const ms = lockMs(failures);
  if (ms <= 0) return { failures, lockedUntil: null };
  const locked = await db.query<{ mfa_locked_until: Date }>(
    `UPDATE users SET mfa_locked_until = now() + make_interval(secs => $2::double precision / 1000)
     WHERE id = $1 RETURNING mfa_locked_until`,
    [userId, ms],
  );
  return { failures, lockedUntil: locked.rows[0]?.mfa_locked_until ?? null };
}

export async function resetMfaFailures(db: Queryable, userId: string): Promise<void> {
  await db.query("UPDATE users SET mfa_failures = 0, mfa_locked_until = NULL WHERE id = $1", [userId]);
}

export type ChallengeKind = "verify" | "enrol";

export interface Challenge {
  userId: string;
  kind: ChallengeKind;
  method: string;
  nextPath: string | null;
  failures: number;
  expiresAt: Date;
}

export async function insertChallenge(
  db: Queryable,
  c: {
    idHash: Buffer;
    userId: string;
    kind: ChallengeKind;
    method: string;
    nextPath: string | null;
    ttlMs: number;
  },
): Promise<Date> {
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO login_challenges (id_hash, user_id, kind, method, next_path, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000))
     RETURNING expires_at`,
    [c.idHash, c.userId, c.kind, c.method, c.nextPath, c.ttlMs],
  );
  return rows[0]!.expires_at;
}

export async function getChallenge(db: Queryable, idHash: Buffer): Promise<Challenge | null> {
  const { rows } = await db.query<{
    user_id: string;
    kind: ChallengeKind;
    method: string;
    next_path: string | null;
    failures: number;
    expires_at: Date;
  }>(
    `SELECT user_id, kind, method, next_path, failures, expires_at FROM login_challenges
     WHERE id_hash = $1 AND expires_at > now()`,
    [idHash],
  );
  const r = rows[0];
  return r
    ? {
        userId: r.user_id,
        kind: r.kind,
        method: r.method,
        nextPath: r.next_path,
        failures: r.failures,
        expiresAt: r.expires_at,
      }
    : null;
}

/** Counts a wrong code against the challenge; returns the failures so far. */
export async function failChallenge(db: Queryable, idHash: Buffer): Promise<number> {
  const { rows } = await db.query<{ failures: number }>(
    "UPDATE login_challenges SET failures = failures + 1 WHERE id_hash = $1 RETURNING failures",
    [idHash],
  );
  return rows[0]?.failures ?? Number.MAX_SAFE_INTEGER;
}

/** Ends a challenge; false when it was already gone (used by a concurrent request). */
export async function deleteChallenge(db: Queryable, idHash: Buffer): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM login_challenges WHERE id_hash = $1", [idHash]);
  return rowCount === 1;
}

export async function deleteChallengesOf(db: Queryable, userId: string): Promise<void> {
  await db.query("DELETE FROM login_challenges WHERE user_id = $1", [userId]);
}

export async function deleteExpiredChallenges(db: Queryable): Promise<number> {
  const { rowCount } = await db.query("DELETE FROM login_challenges WHERE expires_at <= now()");
  return rowCount ?? 0;
}
