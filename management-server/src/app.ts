// Builds management-server's app from its dependencies without listening, so tests run the real app.
import type { Express } from "express";
import { createHttpApp, type Lifecycle, type Logger, type Metrics } from "@clawden/kit/server";
import type { Config } from "./config.js";
import type { Database } from "@clawden/kit/db";
import { accountRoutes } from "./http/account-routes.js";
import { adminRoutes } from "./http/admin-routes.js";
import { adminUserRoutes } from "./http/admin-user-routes.js";
import { apiV1Routes } from "./http/api-v1-routes.js";
import { auditRoutes } from "./http/audit-routes.js";
import { authRoutes } from "./http/auth-routes.js";
import { resolvePrincipal } from "./http/principal.js";
import { requireSameOrigin } from "./http/same-origin.js";
import { ssoRoutes } from "./http/sso-routes.js";
import { webAppRoutes } from "./http/web-apps.js";
import type { Identity } from "./identity.js";

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  identity: Identity;
}

/** Content-Security-Policy for the web apps: everything from our own origin, nothing inline. */
function helmetOptions(config: Config) {
  const https = new URL(config.PUBLIC_URL).protocol === "https:";
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        ...(https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
    crossOriginEmbedderPolicy: false,
  };
}

export function createApp(deps: AppDeps): Express {
  const { config, db, identity } = deps;
  return createHttpApp(
    {
      logger: deps.logger,
      metrics: deps.metrics,
      lifecycle: deps.lifecycle,
      readiness: { database: () => db.ping() },
      metricsToken: config.METRICS_TOKEN,
      trustProxy: config.TRUST_PROXY_HOPS,
      helmet: helmetOptions(config),
    },
    (app) => {
      app.use("/api", requireSameOrigin(config.PUBLIC_URL, identity.cookies.name));
      app.use("/api", resolvePrincipal(identity));
      app.use(authRoutes(identity));
      app.use(ssoRoutes(identity));
      app.use(accountRoutes(identity));
      app.use(apiV1Routes());
      app.use(adminUserRoutes(identity));
      app.use(auditRoutes(db));
      app.use(
        adminRoutes(db, [
          { name: "agent-server", url: config.AGENT_SERVER_URL },
          { name: "group-vault", url: config.GROUP_VAULT_URL },
          { name: "relay-server", url: config.RELAY_SERVER_URL },
        ]),
      );
      app.use(
        webAppRoutes(
          [
            { prefix: "", dir: config.USER_UI_DIR, name: "user" },
            { prefix: "/admin", dir: config.ADMIN_UI_DIR, name: "admin" },
          ],
          deps.logger,
        ),
      );
    },
  );
}
