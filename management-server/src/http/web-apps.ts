// Serves the built web apps: user-ui at /, admin-ui at /admin/. Hashed assets are cached for a year;
// index.html never, so a new build is picked up at once. Any other GET that asks for HTML gets the
// app's index.html (client-side routes); /api and unknown non-HTML requests fall through to 404 JSON.
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

function wantsHtml(req: Request): boolean {
  return (req.method === "GET" || req.method === "HEAD") && req.accepts(["html", "json"]) === "html";
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
      // /admin → /admin/ so relative asset URLs resolve under the app.
      router.get(app.prefix, (req, res) => res.redirect(301, `${app.prefix}/`));
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
      if (req.path.startsWith("/api/") || req.originalUrl.startsWith("/api/") || !wantsHtml(req))
        return next();
      if (!built) return notBuilt(app, res);
      sendIndex(app, res);
    });
  }
  return router;
}
