// The only code that touches the api_keys table. Keys are found by the SHA-256 of the presented key.
import type { Queryable } from "@clawden/kit/db";

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

interface Row {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = "id, user_id, name, prefix, scopes, created_at, expires_at, last_used_at";

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
});

export async function insertApiKey(
  db: Queryable,
  key: {
    userId: string;
    name: string;
    prefix: string;
    keyHash: Buffer;
    scopes: string[];
    expiresInDays: number | null;
  },
): Promise<ApiKeyRecord> {
  const { rows } = await db.query<Row>(
    `INSERT INTO api_keys (user_id, name, prefix, key_hash, scopes, expires_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END)
     RETURNING ${COLUMNS}`,
    [key.userId, key.name, key.prefix, key.keyHash, key.scopes, key.expiresInDays],
  );
  return toRecord(rows[0]!);
}

/** Live (not revoked, not expired) keys of a user, newest first. */
export async function listApiKeys(db: Queryable, userId: string): Promise<ApiKeyRecord[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM api_keys
     WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
     ORDER BY created_at DESC`,
    [userId],
  );
  return rows.map(toRecord);
}

/** The live key with this hash; records its use (at most once a minute, to spare the table). */
export async function useApiKey(db: Queryable, keyHash: Buffer): Promise<ApiKeyRecord | null> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM api_keys
     WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [keyHash],
  );
  const row = rows[0];
  if (!row) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [row.id]);
    row.last_used_at = new Date();
  }
  return toRecord(row);
}

export async function revokeApiKey(db: Queryable, userId: string, id: string): Promise<ApiKeyRecord | null> {
  const { rows } = await db.query<Row>(
    `UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    [userId, id],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function revokeApiKeysOf(db: Queryable, userId: string): Promise<number> {
  const { rowCount } = await db.query(
    "UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    [userId],
  );
  return rowCount ?? 0;
}
