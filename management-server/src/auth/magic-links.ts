// One-time sign-in links. The token travels in the URL fragment (`/login/confirm#token=...`), which
// browsers never send to servers, so it stays out of access logs and Referer headers; the
// confirmation page POSTs it, so a mail scanner that follows the link does not use it up.
import type { Database } from "@clawden/kit/db";
import { consumeMagicLink, insertMagicLink, type LinkPurpose } from "../db/magic-links.js";
import { hashSecret, newSecretToken, SECRET_TOKEN_PATTERN } from "../domain/secrets.js";

/** Operator links are shown on the operator's own console, not mailed, so they may live longer. */
export const LINK_TTL_MS: Record<LinkPurpose, number> = { login: 10 * 60_000, operator: 60 * 60_000 };

export interface IssuedLink {
  url: string;
  expiresAt: Date;
}

export function confirmUrl(publicUrl: string, token: string, next?: string): string {
  const url = new URL("/login/confirm", publicUrl);
  const fragment = new URLSearchParams({ token });
  if (next) fragment.set("next", next);
  url.hash = fragment.toString();
  return url.toString();
}

export async function issueMagicLink(
  db: Database,
  publicUrl: string,
  userId: string,
  purpose: LinkPurpose,
  next?: string,
): Promise<IssuedLink> {
  const token = newSecretToken();
  const expiresAt = await insertMagicLink(db, {
    tokenHash: hashSecret(token),
    userId,
    purpose,
    ttlMs: LINK_TTL_MS[purpose],
  });
  return { url: confirmUrl(publicUrl, token, next), expiresAt };
}

export type RedeemResult = { status: "ok"; userId: string } | { status: "invalid" | "expired" };

export async function redeemMagicLink(db: Database, token: string): Promise<RedeemResult> {
  if (!SECRET_TOKEN_PATTERN.test(token)) return { status: "invalid" };
  const result = await consumeMagicLink(db, hashSecret(token));
  if (result.status === "ok") return { status: "ok", userId: result.userId };
  return { status: result.status === "expired" ? "expired" : "invalid" };
}
