// The cookies of the sign-in flow. Over HTTPS each name carries the `__Host-` prefix (Secure,
// host-only, Path=/), which a subdomain or a plain-HTTP page cannot set or overwrite; over plain HTTP
// (a local quick start) browsers refuse that prefix, so the names drop it. All are HttpOnly and
// SameSite=Lax.
//   session: the signed-in session id.
//   login:   binds sign-in links to the browser that asked for them.
//   mfa:     a pending second-factor challenge (first factor passed, no session yet).
//   oidc:    binds a single sign-on round trip to the browser that started it.
export type CookieKind = "session" | "login" | "mfa" | "oidc";

const BASE_NAMES: Record<CookieKind, string> = {
  session: "clawden_session",
  login: "clawden_login",
  mfa: "clawden_mfa",
  oidc: "clawden_oidc",
};

export interface CookiePolicy {
  /** The session cookie's name. */
  name: string;
  secure: boolean;
  nameOf(kind: CookieKind): string;
}

export function cookiePolicy(publicUrl: string): CookiePolicy {
  const secure = new URL(publicUrl).protocol === "https:";
  const nameOf = (kind: CookieKind) => (secure ? `__Host-${BASE_NAMES[kind]}` : BASE_NAMES[kind]);
  return { name: nameOf("session"), secure, nameOf };
}

export function serializeCookie(
  policy: CookiePolicy,
  kind: CookieKind,
  value: string,
  maxAgeSeconds: number,
): string {
  const parts = [
    `${policy.nameOf(kind)}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (policy.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearCookie(policy: CookiePolicy, kind: CookieKind): string {
  return serializeCookie(policy, kind, "", 0);
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
