// What an audit event says. Actions are dotted names (`auth.login`, `user.suspended`); tenants are
// whose data it concerns: a user's own tenant is `user:<id>`, the platform's is `platform`.
import type { Request } from "express";

export type AuditOutcome = "success" | "failure" | "denied";

export interface AuditEvent {
  action: AuditAction;
  outcome: AuditOutcome;
  /** Who did it: a user id, or null for the system or an unidentified caller. */
  actorId: string | null;
  actorTenant?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  targetTenant?: string | null;
  ip?: string | null;
  /** Facts that help an investigator; never secrets. */
  details?: Record<string, unknown>;
}

/** Every action the platform records, so filters and the viewer can name them. */
export const AUDIT_ACTIONS = [
  "auth.link_requested",
  "auth.login",
  "auth.logout",
  "auth.mfa_verify",
  "auth.reauth",
  "auth.sso_login",
  "mfa.enrolled",
  "mfa.disabled",
  "mfa.reset",
  "mfa.recovery_codes_regenerated",
  "mfa.recovery_code_used",
  "session.revoked",
  "api_key.created",
  "api_key.revoked",
  "user.created",
  "user.approved",
  "user.suspended",
  "user.reactivated",
  "user.role_changed",
  "settings.sign_up_changed",
  "sso.provider_saved",
  "sso.provider_deleted",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const userTenant = (userId: string): string => `user:${userId}`;
export const PLATFORM_TENANT = "platform";

/**
 * An event a user causes on their own account (sign-in steps, their own settings): they are the actor,
 * and the target (themselves by default, or one of their sessions or keys) is in their tenant. `userId`
 * null: someone not (yet) known, e.g. a sign-in with an unknown link.
 */
export function ownEvent(
  userId: string | null,
  req: Pick<Request, "ip">,
  action: AuditAction,
  outcome: AuditOutcome,
  details: Record<string, unknown> = {},
  target: { type: string; id: string | null } = { type: "user", id: userId },
): AuditEvent {
  const tenant = userId === null ? null : userTenant(userId);
  return {
    action,
    outcome,
    actorId: userId,
    actorTenant: tenant,
    targetType: target.type,
    targetId: target.id,
    targetTenant: tenant,
    ip: req.ip ?? null,
    details,
  };
}

/** The actor fields of an event for the signed-in caller of `req` (anonymous: null). */
export function actorOf(req: Request): Pick<AuditEvent, "actorId" | "actorTenant" | "ip"> {
  const user = req.principal?.user;
  return {
    actorId: user?.id ?? null,
    actorTenant: user ? (user.role === "admin" ? PLATFORM_TENANT : userTenant(user.id)) : null,
    ip: req.ip ?? null,
  };
}
