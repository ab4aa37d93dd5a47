// The operator's way in: create (or promote) an administrator and hand out a one-time sign-in link,
// used by the admin CLI and by `npm start` for the first admin.
import type { Database } from "@clawden/kit/db";
import { ensureUser, setUserRole, type User } from "../db/users.js";
import { issueMagicLink, type IssuedLink } from "./magic-links.js";

export interface AdminLink {
  user: User;
  created: boolean;
  promoted: boolean;
  link: IssuedLink;
}

export async function ensureAdminWithLink(
  db: Database,
  publicUrl: string,
  email: string,
): Promise<AdminLink> {
  const { user, created, promoted } = await db.transaction(async (tx) => {
    const ensured = await ensureUser(tx, email, "admin");
    const needsPromotion = ensured.user.role !== "admin";
    if (needsPromotion) await setUserRole(tx, ensured.user.id, "admin");
    return {
      user: { ...ensured.user, role: "admin" as const },
      created: ensured.created,
      promoted: needsPromotion,
    };
  });
  const link = await issueMagicLink(db, publicUrl, { userId: user.id, purpose: "operator", next: "/admin/" });
  return { user, created, promoted, link };
}
