// Sign-in steps (/api/auth): ask for a link, use it, pass the second factor (or enrol), sign out.
import { Router, type Response } from "express";
import { parseInput } from "@clawden/kit/server";
import { z } from "zod";
import { clearCookie } from "../auth/cookies.js";
import {
  beginChallengeEnrolment,
  confirmChallengeEnrolment,
  consumeSignInLink,
  currentChallenge,
  requestSignInLink,
  verifyChallenge,
  CHALLENGE_MAX_FAILURES,
  type Outcome,
} from "../auth/sign-in.js";
import { endSession } from "../auth/sessions.js";
import { recordAuditAlone } from "../audit/log.js";
import { ownEvent } from "../audit/events.js";
import { emailSchema } from "../domain/email.js";
import type { Identity } from "../identity.js";

const linkRequestBody = z.object({ email: emailSchema, next: z.string().max(512).optional() }).strict();
const consumeBody = z.object({ token: z.string().min(1).max(256) }).strict();
const codeBody = z.object({ code: z.string().trim().min(6).max(32) }).strict();

export function applyOutcome<B>(res: Response, outcome: Outcome<B>, status = 200): void {
  for (const cookie of outcome.cookies) res.append("Set-Cookie", cookie);
  res.status(status).json(outcome.body);
}

export function authRoutes(id: Identity): Router {
  const router = Router();

  router.post("/api/auth/magic-link", async (req, res) => {
    const { email, next } = parseInput(linkRequestBody, req.body);
    applyOutcome(res, await requestSignInLink(id, req, email, next ?? null), 202);
  });

  router.post("/api/auth/magic-link/consume", async (req, res) => {
    const { token } = parseInput(consumeBody, req.body);
    const principal = req.principal?.kind === "session" ? req.principal : undefined;
    const current = principal ? { token: principal.session.token, userId: principal.user.id } : undefined;
    applyOutcome(res, await consumeSignInLink(id, req, token, current));
  });

  router.get("/api/auth/challenge", async (req, res) => {
    const { challenge, user } = await currentChallenge(id, req);
    res.json({
      kind: challenge.kind,
      email: user.email,
      expiresAt: challenge.expiresAt.toISOString(),
      attemptsLeft: Math.max(0, CHALLENGE_MAX_FAILURES - challenge.failures),
    });
  });

  router.post("/api/auth/mfa/verify", async (req, res) => {
    const { code } = parseInput(codeBody, req.body);
    applyOutcome(res, await verifyChallenge(id, req, code));
  });

  router.post("/api/auth/mfa/enrol", async (req, res) => {
    res.json(await beginChallengeEnrolment(id, req));
  });

  router.post("/api/auth/mfa/enrol/confirm", async (req, res) => {
    const { code } = parseInput(codeBody, req.body);
    applyOutcome(res, await confirmChallengeEnrolment(id, req, code));
  });

  router.post("/api/auth/logout", async (req, res) => {
    const principal = req.principal;
    if (principal?.kind === "session") {
      await endSession(id.db, principal.session.token);
      await recordAuditAlone(
        id.db,
        ownEvent(
          principal.user.id,
          req,
          "auth.logout",
          "success",
          {},
          { type: "session", id: principal.session.id },
        ),
      );
    }
    res.append("Set-Cookie", clearCookie(id.cookies, "session"));
    res.append("Set-Cookie", clearCookie(id.cookies, "mfa"));
    res.status(204).end();
  });

  return router;
}
