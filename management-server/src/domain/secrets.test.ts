import { describe, expect, it } from "vitest";
import {
  API_KEY_PATTERN,
  csrfTokenFor,
  hashSecret,
  newApiKey,
  newSecretToken,
  SECRET_TOKEN_PATTERN,
} from "./secrets.js";

describe("secrets handed out", () => {
  it("are 256 random bits, URL-safe", () => {
    const tokens = new Set(Array.from({ length: 100 }, newSecretToken));
    expect(tokens.size).toBe(100);
    for (const t of tokens) expect(t).toMatch(SECRET_TOKEN_PATTERN);
    expect(hashSecret("x")).toHaveLength(32);
  });

  it("make API keys with the ocpk_ prefix and a short display prefix", () => {
    const { secret, prefix } = newApiKey();
    expect(secret).toMatch(API_KEY_PATTERN);
    expect(secret.slice(5, 13)).toBe(prefix);
  });

  it("derive a CSRF token per session that differs from the session id and between sessions", () => {
    const a = newSecretToken();
    const b = newSecretToken();
    expect(csrfTokenFor(a)).toBe(csrfTokenFor(a));
    expect(csrfTokenFor(a)).not.toBe(csrfTokenFor(b));
    expect(csrfTokenFor(a)).not.toContain(a);
    expect(csrfTokenFor(a)).not.toBe(hashSecret(a).toString("base64url"));
  });
});
