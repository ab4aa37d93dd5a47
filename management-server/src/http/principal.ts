// Who is calling. Resolved once per request and put on the request, typed here where it is set:
// under /api/v1 from an API key (Authorization: Bearer ocpk_...), elsewhere under /api from the
// session cookie. Authorization decisions read only this. Requests that change state with the cookie
// must also carry the session's anti-CSRF token.
import type { RequestHandler } from "express";
import { commonErrors, safeEqual } from "@clawden/kit/server";
import { authenticateApiKey, type ApiKeyScope } from "../auth/api-keys.js";
import { readCookie } from "../auth/cookies.js";
import { authErrors } from "../auth/errors.js";
import { REAUTH_WINDOW_MS, resolveSession } from "../auth/sessions.js";
import type { ApiKeyRecord } from "../db/api-keys.js";
import type { User } from "../db/users.js";
import { csrfTokenFor } from "../domain/secrets.js";
import type { Identity } from "../identity.js";

export interface SessionPrincipal {
  kind: "session";
  user: User;
  session: { id: string; token: string; authenticatedAt: Date };
}

export interface ApiKeyPrincipal {
  kind: "api_key";
  user: User;
  apiKey: ApiKeyRecord;
}

export type Principal = SessionPrincipal | ApiKeyPrincipal;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by resolvePrincipal(); undefined for anonymous callers. */
      principal?: Principal;
    }
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Mounted on /api: API keys for /api/v1, the session cookie (with CSRF check) for the rest. */
export function resolvePrincipal(id: Identity): RequestHandler {
  return async function resolveCaller(req, _res, next) {
    if (req.path.startsWith("/v1/") || req.path === "/v1") {
      const header = req.get("authorization");
      if (header?.startsWith("Bearer ")) {
        const found = await authenticateApiKey(id.db, header.slice(7).trim());
        if (found) req.principal = { kind: "api_key", user: found.user, apiKey: found.key };
      }
      return next();
    }
    const token = readCookie(req.headers.cookie, id.cookies.name);
    if (!token) return next();
    const resolved = await resolveSession(id.db, id.limits, token, { ip: req.ip });
    if (!resolved) return next();
    if (!SAFE_METHODS.has(req.method)) {
      const presented = req.get("x-csrf-token");
      if (!presented || !safeEqual(presented, csrfTokenFor(token))) throw authErrors.csrfFailed();
    }
    req.principal = {
      kind: "session",
      user: resolved.user,
      session: { id: resolved.session.id, token, authenticatedAt: resolved.session.authenticatedAt },
    };
    next();
  };
}

/** The caller's browser session; 401 without one. */
export function sessionOf(req: Express.Request): SessionPrincipal {
  const principal = req.principal;
  if (principal?.kind !== "session") throw commonErrors.unauthenticated();
  return principal;
}

export const requireUser: RequestHandler = function requireSignedIn(req, _res, next) {
  sessionOf(req);
  next();
};

/** Sensitive actions: the session must have signed in or re-authenticated within the window. */
export const requireRecentAuth: RequestHandler = function requireRecentAuthentication(req, _res, next) {
  const { session } = sessionOf(req);
  if (Date.now() - session.authenticatedAt.getTime() > REAUTH_WINDOW_MS) throw authErrors.reauthRequired();
  next();
};

/**
 * Administrators only. A signed-in non-admin gets 404, as if the route did not exist, so the admin
 * surface is not advertised; anonymous callers get 401.
 */
export const requireAdmin: RequestHandler = function requireAdministrator(req, _res, next) {
  const { user } = sessionOf(req);
  if (user.role !== "admin") throw commonErrors.notFound("route");
  next();
};

/** The caller's API key; 401 without a valid one. */
export function apiKeyOf(req: Express.Request): ApiKeyPrincipal {
  const principal = req.principal;
  if (principal?.kind !== "api_key") throw authErrors.apiKeyInvalid();
  return principal;
}

/** An API key with `scope`; 401 without a valid key, 403 when the scope is missing. */
export function requireApiKey(scope: ApiKeyScope): RequestHandler {
  return function requireApiKeyScope(req, _res, next) {
    if (!apiKeyOf(req).apiKey.scopes.includes(scope)) throw authErrors.apiKeyScope(scope);
    next();
  };
}
