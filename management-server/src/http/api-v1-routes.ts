// The public, API-key authenticated API (/api/v1). The chat API joins it later.
import { Router } from "express";
import { apiKeyOf, requireApiKey } from "./principal.js";

export function apiV1Routes(): Router {
  const router = Router();
  router.get("/api/v1/me", requireApiKey("account:read"), (req, res) => {
    const principal = apiKeyOf(req);
    res.json({
      user: { id: principal.user.id, email: principal.user.email },
      apiKey: { id: principal.apiKey.id, name: principal.apiKey.name, scopes: principal.apiKey.scopes },
    });
  });
  return router;
}
