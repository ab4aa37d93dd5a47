// Random secrets handed to people or browsers (session ids, link tokens): 256 bits, URL-safe, and
// stored only as their SHA-256 so a database leak does not hand out live credentials.
import { createHash, randomBytes } from "node:crypto";

export const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSecret(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/**
 * The anti-CSRF token of a session: a hash of the session id under its own label. Only a holder of
 * the (HttpOnly) session id can compute it, so nothing more needs storing, and it changes whenever the
 * session id does.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash("sha256").update(`clawden-csrf\0${sessionToken}`, "utf8").digest("base64url");
}

/** Platform API keys: `ocpk_` + 256 random bits; `prefix` (8 characters) names the key in lists. */
export const API_KEY_PATTERN = /^ocpk_[A-Za-z0-9_-]{43}$/;

export function newApiKey(): { secret: string; prefix: string } {
  const body = randomBytes(32).toString("base64url");
  return { secret: `ocpk_${body}`, prefix: body.slice(0, 8) };
}
