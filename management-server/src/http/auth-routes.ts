// Sign-in and sign-out, and who am I.
import { Router } from "express";
import { HttpError, parseInput } from "@clawden/kit/server";
import { z } from "zod";
import { clearSessionCookie, serializeSessionCookie, type CookiePolicy } from "../auth/cookies.js";
import { redeemMagicLink } from "../auth/magic-links.js";
import { endSession, startSession, type SessionLimits } from "../auth/sessions.js";
import type { Database } from "@clawden/kit/db";
import { findUserById } from "../db/users.js";
import { requireUser } from "./principal.js";
import { publicUser } from "./serializers.js";

const consumeBody = z.object({ token: z.string().min(1).max(256) }).strict();

export const authErrors = {
  linkInvalid: () =>
    new HttpError(
      400,
      "link_invalid",
      "This sign-in link is not valid or was already used. Ask for a new one.",
    ),
  linkExpired: () => new HttpError(400, "link_expired", "This sign-in link has expired. Ask for a new one."),
  accountInactive: (state: string) =>
    new HttpError(
      403,
      "account_inactive",
      state === "pending"
        ? "Your account is waiting for an administrator's approval."
        : "Your account is suspended.",
    ),
};

export function authRoutes(db: Database, cookies: CookiePolicy, limits: SessionLimits): Router {
  const router = Router();

  router.post("/api/auth/magic-link/consume", async (req, res) => {
    const { token } = parseInput(consumeBody, req.body);
    const redeemed = await redeemMagicLink(db, token);
    if (redeemed.status !== "ok") {
      throw redeemed.status === "expired" ? authErrors.linkExpired() : authErrors.linkInvalid();
    }
    const user = await findUserById(db, redeemed.userId);
    if (!user) throw authErrors.linkInvalid();
    if (user.state !== "active") throw authErrors.accountInactive(user.state);
    // Whatever session the browser had is ended: a sign-in always gets a new id.
    if (req.principal) await endSession(db, req.principal.sessionToken);
    const session = await startSession(db, limits, user.id, { ip: req.ip, userAgent: req.get("user-agent") });
    const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    res.setHeader("Set-Cookie", serializeSessionCookie(cookies, session.token, maxAge));
    req.log.info({ userId: user.id }, "signed in with a one-time link");
    res.json({ user: publicUser(user) });
  });

  router.post("/api/auth/logout", async (req, res) => {
    if (req.principal) await endSession(db, req.principal.sessionToken);
    res.setHeader("Set-Cookie", clearSessionCookie(cookies));
    res.status(204).end();
  });

  router.get("/api/me", requireUser, (req, res) => {
    res.json({ user: publicUser(req.principal!.user) });
  });

  return router;
}
