// Platform API keys: `ocpk_` + 256 random bits, shown once, stored as SHA-256, scoped, optionally
// expiring, revocable. A key acts for its user only while the user is active.
import type { Queryable } from "@clawden/kit/db";
import { insertApiKey, useApiKey, type ApiKeyRecord } from "../db/api-keys.js";
import { findUserById, type User } from "../db/users.js";
import { API_KEY_PATTERN, hashSecret, newApiKey } from "../domain/secrets.js";

export const API_KEY_SCOPES = ["chat", "account:read"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
/** At most this many live keys per user. */
export const MAX_API_KEYS = 25;

export async function createApiKey(
  db: Queryable,
  userId: string,
  input: { name: string; scopes: ApiKeyScope[]; expiresInDays: number | null },
): Promise<{ record: ApiKeyRecord; secret: string }> {
  const { secret, prefix } = newApiKey();
  const record = await insertApiKey(db, {
    userId,
    name: input.name,
    prefix,
    keyHash: hashSecret(secret),
    scopes: [...new Set(input.scopes)].sort(),
    expiresInDays: input.expiresInDays,
  });
  return { record, secret };
}

/** The key and its (active) user for a presented key, or null. */
export async function authenticateApiKey(
  db: Queryable,
  presented: string,
): Promise<{ key: ApiKeyRecord; user: User } | null> {
  if (!API_KEY_PATTERN.test(presented)) return null;
  const key = await useApiKey(db, hashSecret(presented));
  if (!key) return null;
  const user = await findUserById(db, key.userId);
  if (!user || user.state !== "active") return null;
  return { key, user };
}
