// The only code that touches the magic_links table. A link is consumed atomically: one DELETE ...
// RETURNING, so two concurrent uses cannot both succeed. A link bound to a browser is only consumed
// by that browser (a use from elsewhere leaves it in place for its owner).
import type { Queryable } from "@clawden/kit/db";

export type LinkPurpose = "login" | "operator" | "reauth";

export interface NewMagicLink {
  tokenHash: Buffer;
  /** The account, when it exists; otherwise `email` (open or approval sign-up creates it on use). */
  userId: string | null;
  email: string | null;
  purpose: LinkPurpose;
  ttlMs: number;
  browserHash: Buffer | null;
  nextPath: string | null;
}

export async function insertMagicLink(db: Queryable, link: NewMagicLink): Promise<Date> {
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO magic_links (token_hash, user_id, email, purpose, expires_at, browser_hash, next_path)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::double precision / 1000), $6, $7)
     RETURNING expires_at`,
    [link.tokenHash, link.userId, link.email, link.purpose, link.ttlMs, link.browserHash, link.nextPath],
  );
  return rows[0]!.expires_at;
}

export type ConsumeResult =
  | {
      status: "ok";
      userId: string | null;
      email: string | null;
      purpose: LinkPurpose;
      nextPath: string | null;
    }
  | { status: "unknown" | "expired" | "other_browser" };

/** Deletes the link (unless bound to another browser) and says whether it was still valid. */
export async function consumeMagicLink(
  db: Queryable,
  tokenHash: Buffer,
  browserHash: Buffer | null,
): Promise<ConsumeResult> {
  const { rows } = await db.query<{
    user_id: string | null;
    email: string | null;
    purpose: LinkPurpose;
    next_path: string | null;
    live: boolean;
  }>(
    `DELETE FROM magic_links
     WHERE token_hash = $1 AND (browser_hash IS NULL OR browser_hash = $2)
     RETURNING user_id, email, purpose, next_path, expires_at > now() AS live`,
    [tokenHash, browserHash],
  );
  const row = rows[0];
  if (!row) {
    const held = await db.query<{ live: boolean }>(
      "SELECT expires_at > now() AS live FROM magic_links WHERE token_hash = $1",
      [tokenHash],
    );
    if (!held.rows[0]) return { status: "unknown" };
    return { status: held.rows[0].live ? "other_browser" : "expired" };
  }
  if (!row.live) return { status: "expired" };
  return {
    status: "ok",
    userId: row.user_id,
    email: row.email,
    purpose: row.purpose,
    nextPath: row.next_path,
  };
}

export async function deleteMagicLinksOf(db: Queryable, userId: string): Promise<void> {
  await db.query("DELETE FROM magic_links WHERE user_id = $1", [userId]);
}

export async function deleteExpiredMagicLinks(db: Queryable): Promise<number> {
  const { rowCount } = await db.query("DELETE FROM magic_links WHERE expires_at <= now()");
  return rowCount ?? 0;
}
