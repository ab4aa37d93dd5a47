// One-time sign-in links. The token travels in the URL fragment (`/login/confirm#token=...`), which
// browsers never send to servers, so it stays out of access logs and Referer headers; the
// confirmation page POSTs it, so a mail scanner that follows the link does not use it up. Links asked
// for over HTTP are bound to the asking browser by a cookie set then; operator links (printed on the
// operator's console by the admin CLI) are not bound.
import type { Queryable } from "@clawden/kit/db";
import {
  consumeMagicLink,
  insertMagicLink,
  type ConsumeResult,
  type LinkPurpose,
} from "../db/magic-links.js";
import { hashSecret, newSecretToken, SECRET_TOKEN_PATTERN } from "../domain/secrets.js";

/** Operator links are shown on the operator's own console, not mailed, so they may live longer. */
export const LINK_TTL_MS: Record<LinkPurpose, number> = {
  login: 10 * 60_000,
  reauth: 10 * 60_000,
  operator: 60 * 60_000,
};

export interface IssuedLink {
  url: string;
  expiresAt: Date;
}

export function confirmUrl(publicUrl: string, token: string, next?: string | null): string {
  const url = new URL("/login/confirm", publicUrl);
  const fragment = new URLSearchParams({ token });
  if (next) fragment.set("next", next);
  url.hash = fragment.toString();
  return url.toString();
}

export interface LinkRequest {
  purpose: LinkPurpose;
  userId?: string | null;
  email?: string | null;
  /** The browser-binding cookie's value; null for an unbound (operator) link. */
  browserToken?: string | null;
  next?: string | null;
}

export async function issueMagicLink(
  db: Queryable,
  publicUrl: string,
  request: LinkRequest,
): Promise<IssuedLink> {
  const token = newSecretToken();
  const expiresAt = await insertMagicLink(db, {
    tokenHash: hashSecret(token),
    userId: request.userId ?? null,
    email: request.email ?? null,
    purpose: request.purpose,
    ttlMs: LINK_TTL_MS[request.purpose],
    browserHash: request.browserToken ? hashSecret(request.browserToken) : null,
    nextPath: request.next ?? null,
  });
  return { url: confirmUrl(publicUrl, token, request.next), expiresAt };
}

export type RedeemResult = ConsumeResult | { status: "invalid" };

export async function redeemMagicLink(
  db: Queryable,
  token: string,
  browserToken: string | undefined,
): Promise<RedeemResult> {
  if (!SECRET_TOKEN_PATTERN.test(token)) return { status: "invalid" };
  const browserHash =
    browserToken && SECRET_TOKEN_PATTERN.test(browserToken) ? hashSecret(browserToken) : null;
  return consumeMagicLink(db, hashSecret(token), browserHash);
}
