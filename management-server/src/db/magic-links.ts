// The only code that touches the magic_links table. A link is consumed atomically: one DELETE ...
// RETURNING, so two concurrent uses cannot both succeed.
import type { Queryable } from "@clawden/kit/db";

export type LinkPurpose = "login" | "operator";

export async function insertMagicLink(
  db: Queryable,
  link: { tokenHash: Buffer; userId: string; purpose: LinkPurpose; ttlMs: number },
): Promise<Date> {
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO magic_links (token_hash, user_id, purpose, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))
     RETURNING expires_at`,
    [link.tokenHash, link.userId, link.purpose, link.ttlMs],
  );
  return rows[0]!.expires_at;
}

export type ConsumeResult =
  { status: "ok"; userId: string; purpose: LinkPurpose } | { status: "unknown" | "expired" };

/** Deletes the link whatever its state and says whether it was still valid. */
export async function consumeMagicLink(db: Queryable, tokenHash: Buffer): Promise<ConsumeResult> {
  const { rows } = await db.query<{ user_id: string; purpose: LinkPurpose; live: boolean }>(
    "DELETE FROM magic_links WHERE token_hash = $1 RETURNING user_id, purpose, expires_at > now() AS live",
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return { status: "unknown" };
  if (!row.live) return { status: "expired" };
  return { status: "ok", userId: row.user_id, purpose: row.purpose };
}

export async function deleteExpiredMagicLinks(db: Queryable): Promise<number> {
  const { rowCount } = await db.query("DELETE FROM magic_links WHERE expires_at <= now()");
  return rowCount ?? 0;
}
