// Cross-site request forgery defence for cookie-authenticated requests: a state-changing request that
// carries our session cookie must come from our own origin (Origin header, or Sec-Fetch-Site when a
// browser omits Origin). Bodies must be JSON (enforced by the kit), which a cross-site form cannot send.
import type { RequestHandler } from "express";
import { HttpError } from "@clawden/kit/server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function requireSameOrigin(publicUrl: string, cookieName: string): RequestHandler {
  const ourOrigin = new URL(publicUrl).origin;
  return function checkOrigin(req, _res, next) {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    const fetchSite = req.headers["sec-fetch-site"];
    const sameOrigin = origin !== undefined ? origin === ourOrigin : fetchSite === "same-origin";
    const hasCookie = req.headers.cookie?.includes(`${cookieName}=`) ?? false;
    // A request from another origin is refused whether or not it carries the cookie; one with no
    // browser headers at all (curl, scripts) cannot ride on a victim's cookie and passes.
    if (origin !== undefined || fetchSite !== undefined || hasCookie) {
      if (!sameOrigin) {
        throw new HttpError(403, "cross_origin", "This request must come from the Clawden web app itself.");
      }
    }
    next();
  };
}
