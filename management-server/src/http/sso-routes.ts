// Single sign-on: the providers people may use (/api/auth/sso), the browser's round trip through one
// (start, callback: full-page redirects, never a JSON error page), and the administrators' provider
// settings (/api/admin/sso).
import { Router, type Response } from "express";
import { commonErrors, parseInput } from "@clawden/kit/server";
import { z } from "zod";
import { recordAudit } from "../audit/log.js";
import { actorOf, PLATFORM_TENANT } from "../audit/events.js";
import { clearCookie } from "../auth/cookies.js";
import {
  finishSsoFlow,
  forgetProviderConfiguration,
  isAllowedIssuer,
  OIDC_PROVIDER_ID,
  sealClientSecret,
  ssoCallbackUrl,
  startSsoFlow,
  SsoFailure,
} from "../auth/oidc.js";
import {
  deleteOidcProvider,
  getOidcProvider,
  listOidcProviders,
  upsertOidcProvider,
  type OidcProvider,
} from "../db/oidc.js";
import type { Identity } from "../identity.js";
import { requireAdmin, requireRecentAuth } from "./principal.js";

export const DEFAULT_SSO_SCOPES = "openid email profile";

const providerIdParam = z
  .object({
    id: z.string().regex(OIDC_PROVIDER_ID, { error: "is not a provider id (a-z, 0-9, -; up to 32)" }),
  })
  .strict();

// RFC 6749 scope tokens, space-separated; openid is required (this is OpenID Connect).
const scopesSchema = z
  .string()
  .trim()
  .max(1000)
  .transform((text) => [...new Set(text.split(/\s+/).filter(Boolean))])
  .refine((scopes) => scopes.every((scope) => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope)), {
    error: "holds a character a scope cannot have",
  })
  .refine((scopes) => scopes.includes("openid"), { error: "must include openid" })
  .transform((scopes) => scopes.join(" "));

const providerBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    issuer: z.string().trim().max(500).refine(isAllowedIssuer, {
      error:
        "must be the issuer's https:// URL (plain http only to 127.0.0.1 or localhost), not its discovery document, without query or fragment",
    }),
    clientId: z.string().trim().min(1).max(500),
    /** Write-only. Omitted: keep the stored one; null: none (a public client, PKCE only). */
    clientSecret: z.string().min(1).max(2000).nullable().optional(),
    scopes: scopesSchema.optional(),
    enabled: z.boolean(),
  })
  .strict();

const startQuery = z.object({ next: z.string().max(512).optional() }).loose();

function adminView(provider: OidcProvider) {
  return {
    id: provider.id,
    name: provider.name,
    issuer: provider.issuer,
    clientId: provider.clientId,
    scopes: provider.scopes,
    enabled: provider.enabled,
    hasSecret: provider.clientSecretSealed !== null,
    createdAt: provider.createdAt.toISOString(),
    updatedAt: provider.updatedAt.toISOString(),
  };
}

export function ssoRoutes(id: Identity): Router {
  const router = Router();
  const { db } = id;

  /** Sends the browser back to the sign-in page with the reason's code. */
  function failTo(res: Response, error: unknown): void {
    const code = error instanceof SsoFailure ? error.code : "sso_failed";
    if (!(error instanceof SsoFailure)) id.logger.error({ err: error }, "single sign-on failed");
    res.redirect(302, `/login?${new URLSearchParams({ error: code }).toString()}`);
  }

  router.use("/api/auth/sso", (_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });

  router.get("/api/auth/sso", async (_req, res) => {
    const providers = await listOidcProviders(db, { enabledOnly: true });
    res.json({ providers: providers.map((p) => ({ id: p.id, name: p.name })) });
  });

  router.get("/api/auth/sso/:id/start", async (req, res) => {
    try {
      const { next } = parseInput(startQuery, req.query, "query");
      const redirect = await startSsoFlow(id, req, req.params.id, next ?? null);
      for (const cookie of redirect.cookies) res.append("Set-Cookie", cookie);
      res.redirect(302, redirect.location);
    } catch (error) {
      failTo(res, error);
    }
  });

  router.get("/api/auth/sso/:id/callback", async (req, res) => {
    try {
      const principal = req.principal?.kind === "session" ? req.principal : undefined;
      const outcome = await finishSsoFlow(id, req, req.params.id, principal?.session.token);
      for (const cookie of outcome.cookies) res.append("Set-Cookie", cookie);
      res.append("Set-Cookie", clearCookie(id.cookies, "oidc"));
      const { body } = outcome;
      const location =
        body.status === "mfa-required"
          ? "/login/mfa"
          : body.status === "mfa-enrolment-required"
            ? "/login/mfa/enrol"
            : body.next;
      res.redirect(302, location);
    } catch (error) {
      failTo(res, error);
    }
  });

  // --- Administration --------------------------------------------------------------------------------

  router.use("/api/admin/sso", requireAdmin);

  router.get("/api/admin/sso", async (_req, res) => {
    const providers = await listOidcProviders(db);
    res.json({
      providers: providers.map(adminView),
      redirectUriTemplate: ssoCallbackUrl(id.config.PUBLIC_URL, "{id}"),
    });
  });

  // Adding or changing a provider decides who may sign in as whom: a recent sign-in is required.
  router.put("/api/admin/sso/:id", requireRecentAuth, async (req, res) => {
    const { id: providerId } = parseInput(providerIdParam, req.params, "path");
    const body = parseInput(providerBody, req.body);
    const saved = await db.transaction(async (tx) => {
      const before = await getOidcProvider(tx, providerId);
      const result = await upsertOidcProvider(tx, {
        id: providerId,
        name: body.name,
        issuer: body.issuer,
        clientId: body.clientId,
        clientSecretSealed:
          body.clientSecret === undefined
            ? undefined
            : body.clientSecret === null
              ? null
              : sealClientSecret(id, providerId, body.clientSecret),
        scopes: body.scopes ?? before?.scopes ?? DEFAULT_SSO_SCOPES,
        enabled: body.enabled,
      });
      await recordAudit(tx, {
        action: "sso.provider_saved",
        outcome: "success",
        ...actorOf(req),
        targetType: "sso_provider",
        targetId: providerId,
        targetTenant: PLATFORM_TENANT,
        details: {
          created: result.created,
          before: before ? { ...adminView(before), createdAt: undefined, updatedAt: undefined } : null,
          after: { ...adminView(result.provider), createdAt: undefined, updatedAt: undefined },
          secretChanged: body.clientSecret !== undefined,
        },
      });
      return result;
    });
    forgetProviderConfiguration(id, providerId);
    res.status(saved.created ? 201 : 200).json({ provider: adminView(saved.provider) });
  });

  router.delete("/api/admin/sso/:id", requireRecentAuth, async (req, res) => {
    const { id: providerId } = parseInput(providerIdParam, req.params, "path");
    const deleted = await db.transaction(async (tx) => {
      const removed = await deleteOidcProvider(tx, providerId);
      if (!removed) return null;
      await recordAudit(tx, {
        action: "sso.provider_deleted",
        outcome: "success",
        ...actorOf(req),
        targetType: "sso_provider",
        targetId: providerId,
        targetTenant: PLATFORM_TENANT,
        details: { provider: { ...adminView(removed), createdAt: undefined, updatedAt: undefined } },
      });
      return removed;
    });
    forgetProviderConfiguration(id, providerId);
    if (!deleted) throw commonErrors.notFound("SSO provider");
    res.status(204).end();
  });

  return router;
}
