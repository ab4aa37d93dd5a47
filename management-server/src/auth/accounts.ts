// What administrators do to accounts: approve, suspend (every session and API key revoked in the same
// transaction, then the container stopped), reactivate, reset MFA, end sessions, change roles. Each
// change and its audit event commit together or not at all.
import type { Request } from "express";
import { HttpError, commonErrors } from "@clawden/kit/server";
import { recordAudit } from "../audit/log.js";
import { actorOf, userTenant, type AuditAction } from "../audit/events.js";
import { revokeApiKeysOf } from "../db/api-keys.js";
import { deleteMagicLinksOf } from "../db/magic-links.js";
import { deleteChallengesOf, deleteMfa } from "../db/mfa.js";
import { deleteSessionsOf } from "../db/sessions.js";
import {
  countAdmins,
  findUserById,
  markAgentStopped,
  setUserRole,
  transitionUserState,
  type Role,
  type User,
  type UserState,
} from "../db/users.js";
import type { Identity } from "../identity.js";
import type { Queryable } from "@clawden/kit/db";

export const accountErrors = {
  wrongState: (user: User, action: string) =>
    new HttpError(409, "invalid_state", `Cannot ${action} a user who is ${user.state}.`),
  ownAccount: () => new HttpError(409, "own_account", "You cannot do that to your own account."),
  lastAdmin: () =>
    new HttpError(
      409,
      "last_admin",
      "This is the last active administrator; make someone else an administrator first.",
    ),
};

async function audit(
  tx: Queryable,
  req: Request,
  action: AuditAction,
  target: User,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(tx, {
    action,
    outcome: "success",
    ...actorOf(req),
    targetType: "user",
    targetId: target.id,
    targetTenant: userTenant(target.id),
    details,
  });
}

/** Serializes changes that could remove the last administrator (two admins demoting each other). */
async function lockAdminChanges(tx: Queryable): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('clawden.admin-changes'))");
}

async function mustFind(tx: Queryable, userId: string): Promise<User> {
  const user = await findUserById(tx, userId);
  if (!user) throw commonErrors.notFound("user");
  return user;
}

async function transition(
  id: Identity,
  req: Request,
  userId: string,
  from: UserState[],
  to: UserState,
  action: AuditAction,
  verb: string,
  also?: (tx: Queryable, user: User) => Promise<Record<string, unknown>>,
): Promise<User> {
  return id.db.transaction(async (tx) => {
    await lockAdminChanges(tx);
    const before = await mustFind(tx, userId);
    if (to === "suspended" && before.id === req.principal?.user.id) throw accountErrors.ownAccount();
    if (to === "suspended" && before.role === "admin" && (await countAdmins(tx)) <= 1)
      throw accountErrors.lastAdmin();
    const after = await transitionUserState(tx, userId, from, to);
    if (!after) throw accountErrors.wrongState(before, verb);
    const details = (await also?.(tx, after)) ?? {};
    await audit(tx, req, action, after, { from: before.state, to, ...details });
    return after;
  });
}

export function approveUser(id: Identity, req: Request, userId: string): Promise<User> {
  return transition(id, req, userId, ["pending"], "active", "user.approved", "approve");
}

export function reactivateUser(id: Identity, req: Request, userId: string): Promise<User> {
  return transition(id, req, userId, ["suspended"], "active", "user.reactivated", "reactivate");
}

/** Suspends a user: sessions, API keys, pending sign-ins end at once; then the container stops. */
export async function suspendUser(
  id: Identity,
  req: Request,
  userId: string,
): Promise<{ user: User; containerStopped: boolean }> {
  const user = await transition(
    id,
    req,
    userId,
    ["pending", "active"],
    "suspended",
    "user.suspended",
    "suspend",
    async (tx) => {
      const sessions = await deleteSessionsOf(tx, userId);
      const apiKeys = await revokeApiKeysOf(tx, userId);
      await deleteChallengesOf(tx, userId);
      await deleteMagicLinksOf(tx, userId);
      return { sessionsRevoked: sessions, apiKeysRevoked: apiKeys };
    },
  );
  const containerStopped = await stopContainer(id, userId, `admin:${req.principal?.user.id ?? "unknown"}`);
  return { user, containerStopped };
}

/** Asks agent-server to stop a suspended user's container; remembered and retried until it answers. */
export async function stopContainer(id: Identity, userId: string, actor: string): Promise<boolean> {
  const stopped = await id.agents.stop(userId, actor);
  if (stopped) await markAgentStopped(id.db, userId);
  else id.logger.warn({ userId }, "could not stop a suspended user's container yet; will retry");
  return stopped;
}

export async function resetUserMfa(id: Identity, req: Request, userId: string): Promise<User> {
  return id.db.transaction(async (tx) => {
    const user = await mustFind(tx, userId);
    const removed = await deleteMfa(tx, userId);
    await deleteChallengesOf(tx, userId);
    await audit(tx, req, "mfa.reset", user, { hadMfa: removed });
    return user;
  });
}

export async function revokeUserSessions(
  id: Identity,
  req: Request,
  userId: string,
): Promise<{ user: User; revoked: number }> {
  return id.db.transaction(async (tx) => {
    const user = await mustFind(tx, userId);
    const revoked = await deleteSessionsOf(tx, userId);
    await audit(tx, req, "session.revoked", user, { count: revoked, by: "admin" });
    return { user, revoked };
  });
}

/** Changes a role; the user's sessions end, so the new privileges start with a new session id. */
export async function changeUserRole(id: Identity, req: Request, userId: string, role: Role): Promise<User> {
  return id.db.transaction(async (tx) => {
    await lockAdminChanges(tx);
    const user = await mustFind(tx, userId);
    if (user.id === req.principal?.user.id) throw accountErrors.ownAccount();
    if (user.role === role) return user;
    if (user.role === "admin" && user.state === "active" && (await countAdmins(tx)) <= 1)
      throw accountErrors.lastAdmin();
    await setUserRole(tx, userId, role);
    const revoked = await deleteSessionsOf(tx, userId);
    const updated = { ...user, role };
    await audit(tx, req, "user.role_changed", updated, {
      from: user.role,
      to: role,
      sessionsRevoked: revoked,
    });
    return updated;
  });
}
