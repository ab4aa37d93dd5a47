// The session cookie. Over HTTPS it is `__Host-clawden_session` (Secure, host-only, Path=/), which a
// subdomain or a plain-HTTP page cannot set or overwrite; over plain HTTP (a local quick start) the
// prefix is not allowed by browsers, so the name drops it.
export interface CookiePolicy {
  name: string;
  secure: boolean;
}

export function cookiePolicy(publicUrl: string): CookiePolicy {
  const secure = new URL(publicUrl).protocol === "https:";
  return { name: secure ? "__Host-clawden_session" : "clawden_session", secure };
}

export function serializeSessionCookie(policy: CookiePolicy, value: string, maxAgeSeconds: number): string {
  const parts = [`${policy.name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (policy.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearSessionCookie(policy: CookiePolicy): string {
  return serializeSessionCookie(policy, "", 0);
}

/** Reads one cookie from a Cookie header; the first occurrence wins, malformed pairs are ignored. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
