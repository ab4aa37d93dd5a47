// The signed-in user's own account (/api/me, /api/account): sessions, re-authentication, MFA, API keys.
// Everything is scoped to the caller; another user's session or key id answers 404.
import { Router } from "express";
import { commonErrors, parseInput } from "@clawden/kit/server";
import { z } from "zod";
import { recordAudit } from "../audit/log.js";
import { ownEvent, type AuditAction } from "../audit/events.js";
import { API_KEY_SCOPES, createApiKey, MAX_API_KEYS } from "../auth/api-keys.js";
import { clearCookie } from "../auth/cookies.js";
import { authErrors } from "../auth/errors.js";
import {
  beginTotpEnrolment,
  checkSecondFactor,
  countUnusedRecoveryCodes,
  mfaEnabled,
  regenerateRecoveryCodes,
} from "../auth/mfa.js";
import { reauthenticatedUntil } from "../auth/sessions.js";
import { reauthenticateWithCode, requestReauthLink } from "../auth/sign-in.js";
import { listApiKeys, revokeApiKey } from "../db/api-keys.js";
import { deleteMfa } from "../db/mfa.js";
import { deleteSessionById, deleteSessionsOf, listSessionsOf } from "../db/sessions.js";
import { getSignUpPolicy } from "../db/settings.js";
import { csrfTokenFor, hashSecret } from "../domain/secrets.js";
import { mfaRequiredFor } from "../domain/sign-up.js";
import type { Identity } from "../identity.js";
import { applyOutcome } from "./auth-routes.js";
import { requireRecentAuth, requireUser, sessionOf } from "./principal.js";
import { publicApiKey, publicSession, publicUser } from "./serializers.js";
import type { Queryable } from "@clawden/kit/db";
import type { Request } from "express";

const idParam = z.object({ id: z.uuid({ error: "is not an id" }) }).strict();
const codeBody = z.object({ code: z.string().trim().min(6).max(32) }).strict();
const newKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
    expiresInDays: z.number().int().min(1).max(365).nullable(),
  })
  .strict();

async function auditSelf(
  tx: Queryable,
  req: Request,
  action: AuditAction,
  targetType: string,
  targetId: string,
  details: Record<string, unknown> = {},
) {
  const { user } = sessionOf(req);
  await recordAudit(
    tx,
    ownEvent(user.id, req, action, "success", details, { type: targetType, id: targetId }),
  );
}

export function accountRoutes(id: Identity): Router {
  const router = Router();
  const { db } = id;
  router.use(["/api/me", "/api/account"], requireUser);

  router.get("/api/me", async (req, res) => {
    const { user, session } = sessionOf(req);
    const [enabled, policy, left] = await Promise.all([
      mfaEnabled(db, user.id),
      getSignUpPolicy(db),
      countUnusedRecoveryCodes(db, user.id),
    ]);
    res.json({
      user: publicUser(user),
      csrfToken: csrfTokenFor(session.token),
      mfa: { enabled, required: mfaRequiredFor(policy, user.role), recoveryCodesLeft: enabled ? left : 0 },
      reauthenticatedUntil: reauthenticatedUntil(session).toISOString(),
    });
  });

  // Sessions
  router.get("/api/account/sessions", async (req, res) => {
    const { user, session } = sessionOf(req);
    const sessions = await listSessionsOf(db, user.id);
    const current = hashSecret(session.token);
    res.json({
      sessions: sessions.map((s) => ({ ...publicSession(s), current: s.idHash.equals(current) })),
    });
  });

  router.delete("/api/account/sessions/:id", async (req, res) => {
    const { id: sessionId } = parseInput(idParam, req.params, "path");
    const { user, session } = sessionOf(req);
    const deleted = await db.transaction(async (tx) => {
      const done = await deleteSessionById(tx, user.id, sessionId);
      if (done) await auditSelf(tx, req, "session.revoked", "session", sessionId, { by: "owner" });
      return done;
    });
    if (!deleted) throw commonErrors.notFound("session");
    if (sessionId === session.id) res.append("Set-Cookie", clearCookie(id.cookies, "session"));
    res.status(204).end();
  });

  router.post("/api/account/sessions/revoke-others", async (req, res) => {
    const { user, session } = sessionOf(req);
    const revoked = await db.transaction(async (tx) => {
      const n = await deleteSessionsOf(tx, user.id, hashSecret(session.token));
      await auditSelf(tx, req, "session.revoked", "user", user.id, {
        count: n,
        by: "owner",
        scope: "others",
      });
      return n;
    });
    res.json({ revoked });
  });

  // Re-authentication
  router.post("/api/account/reauth", async (req, res) => {
    const { code } = parseInput(codeBody, req.body);
    const { user, session } = sessionOf(req);
    if (!(await mfaEnabled(db, user.id))) throw authErrors.mfaNotEnabled();
    applyOutcome(res, await reauthenticateWithCode(id, req, user, session.token, code));
  });

  router.post("/api/account/reauth/email", async (req, res) => {
    applyOutcome(res, await requestReauthLink(id, req, sessionOf(req).user), 202);
  });

  // MFA
  router.post("/api/account/mfa/totp", requireRecentAuth, async (req, res) => {
    const { user } = sessionOf(req);
    const enrolment = await beginTotpEnrolment(db, id.keys, user.id, user.email);
    if (!enrolment) throw authErrors.mfaAlreadyEnabled();
    res.json(enrolment);
  });

  router.post("/api/account/mfa/totp/confirm", requireRecentAuth, async (req, res) => {
    const { code } = parseInput(codeBody, req.body);
    const { user } = sessionOf(req);
    const check = await checkSecondFactor(db, id.keys, user.id, code, { confirmEnrolment: true });
    if (!check.ok) {
      if (check.lockedUntil && check.reason === "locked") throw authErrors.mfaLocked(check.lockedUntil);
      throw authErrors.mfaInvalid(undefined);
    }
    const recoveryCodes = await db.transaction(async (tx) => {
      const codes = await regenerateRecoveryCodes(tx, user.id);
      await auditSelf(tx, req, "mfa.enrolled", "user", user.id, { method: "totp" });
      return codes;
    });
    res.json({ recoveryCodes });
  });

  router.delete("/api/account/mfa/totp", requireRecentAuth, async (req, res) => {
    const { user } = sessionOf(req);
    if (mfaRequiredFor(await getSignUpPolicy(db), user.role)) throw authErrors.mfaRequired();
    const removed = await db.transaction(async (tx) => {
      const done = await deleteMfa(tx, user.id);
      if (done) await auditSelf(tx, req, "mfa.disabled", "user", user.id, { method: "totp" });
      return done;
    });
    if (!removed) throw authErrors.mfaNotEnabled();
    res.status(204).end();
  });

  router.post("/api/account/mfa/recovery-codes", requireRecentAuth, async (req, res) => {
    const { user } = sessionOf(req);
    if (!(await mfaEnabled(db, user.id))) throw authErrors.mfaNotEnabled();
    const recoveryCodes = await db.transaction(async (tx) => {
      const codes = await regenerateRecoveryCodes(tx, user.id);
      await auditSelf(tx, req, "mfa.recovery_codes_regenerated", "user", user.id);
      return codes;
    });
    res.json({ recoveryCodes });
  });

  // API keys
  router.get("/api/account/api-keys", async (req, res) => {
    const keys = await listApiKeys(db, sessionOf(req).user.id);
    res.json({ apiKeys: keys.map(publicApiKey) });
  });

  router.post("/api/account/api-keys", requireRecentAuth, async (req, res) => {
    const input = parseInput(newKeyBody, req.body);
    const { user } = sessionOf(req);
    const created = await db.transaction(async (tx) => {
      if ((await listApiKeys(tx, user.id)).length >= MAX_API_KEYS)
        throw commonErrors.conflict(`You have ${MAX_API_KEYS} API keys already; revoke one first.`);
      const made = await createApiKey(tx, user.id, input);
      await auditSelf(tx, req, "api_key.created", "api_key", made.record.id, {
        name: made.record.name,
        scopes: made.record.scopes,
        expiresAt: made.record.expiresAt?.toISOString() ?? null,
      });
      return made;
    });
    res.status(201).json({ apiKey: publicApiKey(created.record), secret: created.secret });
  });

  router.delete("/api/account/api-keys/:id", async (req, res) => {
    const { id: keyId } = parseInput(idParam, req.params, "path");
    const { user } = sessionOf(req);
    const revoked = await db.transaction(async (tx) => {
      const key = await revokeApiKey(tx, user.id, keyId);
      if (key)
        await auditSelf(tx, req, "api_key.revoked", "api_key", key.id, { name: key.name, by: "owner" });
      return key;
    });
    if (!revoked) throw commonErrors.notFound("API key");
    res.status(204).end();
  });

  return router;
}
