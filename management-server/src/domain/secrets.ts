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
