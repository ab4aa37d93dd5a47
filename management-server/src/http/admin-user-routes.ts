// Administrators' user management and sign-up policy (/api/admin/users, /api/admin/settings).
import { Router } from "express";
import { commonErrors, parseInput } from "@clawden/kit/server";
import { z } from "zod";
import { recordAudit } from "../audit/log.js";
import { actorOf, PLATFORM_TENANT } from "../audit/events.js";
import {
  approveUser,
  changeUserRole,
  reactivateUser,
  resetUserMfa,
  revokeUserSessions,
  suspendUser,
} from "../auth/accounts.js";
import { mfaEnabled } from "../auth/mfa.js";
import { listApiKeys } from "../db/api-keys.js";
import { listSessionsOf } from "../db/sessions.js";
import { getSignUpPolicy, putSignUpPolicy } from "../db/settings.js";
import { findUserById, listUsers } from "../db/users.js";
import { signUpPolicySchema } from "../domain/sign-up.js";
import type { Identity } from "../identity.js";
import { requireAdmin, requireRecentAuth } from "./principal.js";
import { publicApiKey, publicSession, publicUser } from "./serializers.js";

const listQuery = z
  .object({
    q: z.string().trim().max(254).optional(),
    state: z.enum(["pending", "active", "suspended"]).optional(),
    role: z.enum(["user", "admin"]).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(25),
  })
  .strict();
const idParam = z.object({ id: z.uuid({ error: "is not a user id" }) }).strict();
const roleBody = z.object({ role: z.enum(["user", "admin"]) }).strict();

export function adminUserRoutes(id: Identity): Router {
  const router = Router();
  const { db } = id;
  router.use("/api/admin", requireAdmin);

  router.get("/api/admin/users", async (req, res) => {
    const query = parseInput(listQuery, req.query, "query");
    const { users, total } = await listUsers(db, {
      q: query.q || undefined,
      state: query.state,
      role: query.role,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    res.json({
      users: users.map((u) => ({
        ...publicUser(u),
        mfaEnabled: u.mfaEnabled,
        lastSeenAt: u.lastSeenAt?.toISOString() ?? null,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    });
  });

  router.get("/api/admin/users/:id", async (req, res) => {
    const { id: userId } = parseInput(idParam, req.params, "path");
    const user = await findUserById(db, userId);
    if (!user) throw commonErrors.notFound("user");
    const [enabled, sessions, keys] = await Promise.all([
      mfaEnabled(db, userId),
      listSessionsOf(db, userId),
      listApiKeys(db, userId),
    ]);
    res.json({
      user: publicUser(user),
      mfaEnabled: enabled,
      sessions: sessions.map(publicSession),
      apiKeys: keys.map(publicApiKey),
    });
  });

  router.post("/api/admin/users/:id/approve", async (req, res) => {
    const { id: userId } = parseInput(idParam, req.params, "path");
    res.json({ user: publicUser(await approveUser(id, req, userId)) });
  });

  router.post("/api/admin/users/:id/suspend", async (req, res) => {
    const { id: userId } = parseInput(idParam, req.params, "path");
    const { user, containerStopped } = await suspendUser(id, req, userId);
    res.json({ user: publicUser(user), containerStopped });
  });

  router.post("/api/admin/users/:id/reactivate", async (req, res) => {
    const { id: userId } = parseInput(idParam, req.params, "path");
    res.json({ user: publicUser(await reactivateUser(id, req, userId)) });
  });

  router.post("/api/admin/users/:id/reset-mfa", async (req, res) => {
    const { id: userId } = parseInput(idParam, req.params, "path");
    res.json({ user: publicUser(await resetUserMfa(id, req, userId)) });
  });

  router.post("/api/admin/users/:id/revoke-sessions", async (req, res) => {
    const { id: userId } = parseInput(idParam, req.params, "path");
    const { user, revoked } = await revokeUserSessions(id, req, userId);
    res.json({ user: publicUser(user), revoked });
  });

  router.post("/api/admin/users/:id/role", requireRecentAuth, async (req, res) => {
    const { id: userId } = parseInput(idParam, req.params, "path");
    const { role } = parseInput(roleBody, req.body);
    res.json({ user: publicUser(await changeUserRole(id, req, userId, role)) });
  });

  router.get("/api/admin/settings/sign-up", async (_req, res) => {
    res.json(await getSignUpPolicy(db));
  });

  router.put("/api/admin/settings/sign-up", async (req, res) => {
    const policy = parseInput(signUpPolicySchema, req.body);
    policy.allowlist = [...new Set(policy.allowlist)];
    await db.transaction(async (tx) => {
      const before = await getSignUpPolicy(tx);
      await putSignUpPolicy(tx, policy, req.principal!.user.id);
      await recordAudit(tx, {
        action: "settings.sign_up_changed",
        outcome: "success",
        ...actorOf(req),
        targetType: "settings",
        targetId: "sign_up",
        targetTenant: PLATFORM_TENANT,
        details: { before, after: policy },
      });
    });
    res.json(policy);
  });

  return router;
}
