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

export async function setUserRole(db: Queryable, id: string, role: Role): Promise<void> {
  await db.query("UPDATE users SET role = $2, updated_at = now() WHERE id = $1", [id, role]);
}

export async function countAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND state = 'active'",
  );
  return rows[0]?.n ?? 0;
}
