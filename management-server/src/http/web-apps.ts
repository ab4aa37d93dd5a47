// Serves the built web apps: user-ui at /, admin-ui at /admin/. Hashed assets are cached for a year;
// index.html never, so a new build is picked up at once. Any other GET that asks for HTML gets the
// app's index.html (client-side routes): a page navigation (Accept names text/html) to a path that
// does not look like a file. Missing files (/assets/x.js), /api and other requests get a 404.
import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router, type Request, type Response } from "express";
import type { Logger } from "@clawden/kit/server";

export interface WebApp {
  /** URL prefix without trailing slash ("" for the root app). */
  prefix: string;
  dir: string;
  name: string;
}

function isPageNavigation(req: Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  // fetch() and <script> send */*; only a navigation names text/html explicitly.
  if (!(req.headers.accept ?? "").includes("text/html")) return false;
  return !path.posix.basename(req.path).includes(".");
}

function sendIndex(app: WebApp, res: Response): void {
  res.setHeader("Cache-Control", "no-cache");
  res.sendFile(path.join(app.dir, "index.html"));
}

function notBuilt(app: WebApp, res: Response): void {
  res
    .status(503)
    .type("text/plain")
    .send(`The ${app.name} web app is not built. Run \`pnpm build\` (npm start does it for you).`);
}

export function webAppRoutes(apps: WebApp[], logger: Logger): Router {
  const router = Router();
  // Longest prefix first, so /admin is matched before the root app.
  const ordered = [...apps].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const app of ordered) {
    const built = existsSync(path.join(app.dir, "index.html"));
    if (!built) logger.warn({ app: app.name, dir: app.dir }, "web app is not built; its pages answer 503");
    const mount = app.prefix || "/";
    if (app.prefix) {
      // /admin → /admin/ so relative asset URLs resolve under the app. Routing is not strict, so
      // "/admin/" matches here too and must pass on (redirecting it would loop).
      router.get(app.prefix, (req, res, next) => {
        if (req.path !== app.prefix) return next();
        res.redirect(301, `${app.prefix}/${req.originalUrl.slice(app.prefix.length)}`);
      });
    }
    if (built) {
      router.use(
        mount,
        express.static(app.dir, {
          index: false,
          redirect: false,
          setHeaders(res, filePath) {
            const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
            res.setHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
          },
        }),
      );
    }
    router.use(mount, (req, res, next) => {
      if (req.path.startsWith("/api/") || req.originalUrl.startsWith("/api/") || !isPageNavigation(req))
        return next();
      if (!built) return notBuilt(app, res);
      sendIndex(app, res);
    });
  }
  return router;
}
