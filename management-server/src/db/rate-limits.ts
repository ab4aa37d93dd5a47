// Fixed-window counters in PostgreSQL, so limits hold across restarts and across several servers.
import { createHash } from "node:crypto";
import type { Queryable } from "@clawden/kit/db";

export interface RateLimit {
  bucket: string;
  limit: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts one hit of `subject` against `rule` and says whether it is within the limit. */
export async function hitRateLimit(db: Queryable, rule: RateLimit, subject: string): Promise<RateDecision> {
  const now = Date.now();
  const windowStart = new Date(Math.floor(now / rule.windowMs) * rule.windowMs);
  const keyHash = createHash("sha256").update(`${rule.bucket}\0${subject}`).digest();
  const { rows } = await db.query<{ hits: number }>(
    `INSERT INTO rate_limits (bucket, key_hash, window_start, hits) VALUES ($1, $2, $3, 1)
     ON CONFLICT (bucket, key_hash, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING hits`,
    [rule.bucket, keyHash, windowStart],
  );
  if (rows[0]!.hits <= rule.limit) return { allowed: true };
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + rule.windowMs - now) / 1000)),
  };
}

export async function deleteOldRateLimits(db: Queryable, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query(
    "DELETE FROM rate_limits WHERE window_start < now() - make_interval(secs => $1::double precision / 1000)",
    [olderThanMs],
  );
  return rowCount ?? 0;
}
