// Who is calling. Resolved once per request from the session cookie and put on the request, typed
// here where it is set. Authorization decisions read only this.
import type { RequestHandler } from "express";
import { commonErrors } from "@clawden/kit/server";
import { readCookie, type CookiePolicy } from "../auth/cookies.js";
import { userForSession, type SessionLimits } from "../auth/sessions.js";
import type { Database } from "@clawden/kit/db";
import type { User } from "../db/users.js";

export interface Principal {
  user: User;
  sessionToken: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by resolvePrincipal(); undefined for anonymous callers. */
      principal?: Principal;
    }
  }
}

export function resolvePrincipal(db: Database, cookies: CookiePolicy, limits: SessionLimits): RequestHandler {
  return async function resolveSessionCookie(req, _res, next) {
    const token = readCookie(req.headers.cookie, cookies.name);
    if (token) {
      const user = await userForSession(db, limits, token);
      if (user) req.principal = { user, sessionToken: token };
    }
    next();
  };
}

export const requireUser: RequestHandler = function requireSignedIn(req, _res, next) {
  if (!req.principal) throw commonErrors.unauthenticated();
  next();
};

/**
 * Administrators only. A signed-in non-admin gets 404, as if the route did not exist, so the admin
 * surface is not advertised; anonymous callers get 401.
 */
export const requireAdmin: RequestHandler = function requireAdministrator(req, _res, next) {
  if (!req.principal) throw commonErrors.unauthenticated();
  if (req.principal.user.role !== "admin") throw commonErrors.notFound("route");
  next();
};
