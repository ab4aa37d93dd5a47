// The only code that touches the users table.
import type { Queryable } from "@clawden/kit/db";

export type Role = "user" | "admin";
export type UserState = "pending" | "active" | "suspended";

export interface User {
  id: string;
  email: string;
  role: Role;
  state: UserState;
  createdAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  role: Role;
  state: UserState;
  created_at: Date;
}

const COLUMNS = "id, email, role, state, created_at";

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, role: row.role, state: row.state, createdAt: row.created_at };
}

export async function findUserById(db: Queryable, id: string): Promise<User | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email]);
  return rows[0] ? toUser(rows[0]) : null;
}

/** Creates the user, or returns the existing one with that email unchanged. */
export async function ensureUser(
  db: Queryable,
  email: string,
  role: Role,
): Promise<{ user: User; created: boolean }> {
  const inserted = await db.query<UserRow>(
    `INSERT INTO users (email, role) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
    [email, role],
  );
  if (inserted.rows[0]) return { user: toUser(inserted.rows[0]), created: true };
  const existing = await findUserByEmail(db, email);
  if (!existing) throw new Error(`user ${email} vanished while being created`);
  return { user: existing, created: false };
}

/** Creates a user in `state`; null when the email is taken (a concurrent sign-up won). */
export async function insertUser(
  db: Queryable,
  email: string,
  role: Role,
  state: UserState,
): Promise<User | null> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (email, role, state, approved_at) VALUES ($1, $2, $3, CASE WHEN $3 = 'active' THEN now() END)
     ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
    [email, role, state],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

/** Moves a user from one of `from` to `to`; null when the user is not in one of those states. */
export async function transitionUserState(
  db: Queryable,
  id: string,
  from: UserState[],
  to: UserState,
): Promise<User | null> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET state = $3, updated_at = now(),
       approved_at = CASE WHEN $3 = 'active' AND approved_at IS NULL THEN now() ELSE approved_at END,
       suspended_at = CASE WHEN $3 = 'suspended' THEN now() ELSE NULL END,
       agent_stop_pending = ($3 = 'suspended')
     WHERE id = $1 AND state = ANY($2::text[]) RETURNING ${COLUMNS}`,
    [id, from, to],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export async function usersAwaitingAgentStop(db: Queryable, limit = 50): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM users WHERE agent_stop_pending AND state = 'suspended' ORDER BY suspended_at LIMIT $1",
    [limit],
  );
  return rows.map((r) => r.id);
}

export async function markAgentStopped(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE users SET agent_stop_pending = false WHERE id = $1 AND state = 'suspended'", [id]);
}

export interface UserListing extends User {
  mfaEnabled: boolean;
  lastSeenAt: Date | null;
}

export interface UserQuery {
  q?: string | undefined;
  state?: UserState | undefined;
  role?: Role | undefined;
  limit: number;
  offset: number;
}

export async function listUsers(
  db: Queryable,
  query: UserQuery,
): Promise<{ users: UserListing[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.q) {
    params.push(`%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`u.email LIKE $${params.length}`);
  }
  if (query.state) {
    params.push(query.state);
    where.push(`u.state = $${params.length}`);
  }
  if (query.role) {
    params.push(query.role);
    where.push(`u.role = $${params.length}`);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users u ${clause}`, params);
  params.push(query.limit, query.offset);
  const { rows } = await db.query<UserRow & { mfa_enabled: boolean; last_seen_at: Date | null }>(
    `SELECT u.id, u.email, u.role, u.state, u.created_at,
       EXISTS (SELECT 1 FROM mfa_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS mfa_enabled,
       (SELECT max(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id) AS last_seen_at
     FROM users u ${clause} ORDER BY u.created_at DESC, u.id
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return {
    users: rows.map((r) => ({ ...toUser(r), mfaEnabled: r.mfa_enabled, lastSeenAt: r.last_seen_at })),
    total: total.rows[0]?.n ?? 0,
  };
}

export async function setUserRole(db: Queryable, id: string, role: Role): Promise<void> {
  await db.query("UPDATE users SET role = $2, updated_at = now() WHERE id = $1", [id, role]);
}

export async function countAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND state = 'active'",
  );
  return rows[0]?.n ?? 0;
}
