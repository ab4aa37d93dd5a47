// The real management-server app on loopback for tests, with helpers to act as a signed-in user.
import { randomBytes } from "node:crypto";
import { createServiceBasics, serve, type RunningServer } from "@clawden/kit/server";
import { freePort } from "@clawden/kit/testing";
import { createApp } from "../../src/app.js";
import { issueMagicLink } from "../../src/auth/magic-links.js";
import { readConfig, type Config } from "../../src/config.js";
import type { Database } from "@clawden/kit/db";
import { ensureUser, setUserRole, type Role, type User } from "../../src/db/users.js";
import { buildIdentity, type Identity } from "../../src/identity.js";

export interface SignedIn {
  cookie: string;
  user: User;
  csrf: string;
  headers: Record<string, string>;
}

export interface TestApp {
  url: string;
  config: Config;
  running: RunningServer;
  identity: Identity;
  /** Headers a browser on our own origin would send with a JSON request. */
  sameOrigin: Record<string, string>;
  /** Issues a one-time link for `email` (created with `role` if new) and returns its token. */
  linkToken(email: string, role?: Role): Promise<{ token: string; user: User }>;
  /**
   * Signs in through the real endpoint and returns the session cookie ("name=value"), the session's
   * anti-CSRF token, and `headers` for a same-origin JSON request carrying both.
   */
  signIn(email: string, role?: Role): Promise<SignedIn>;
  /** The anti-CSRF token of a session cookie (from GET /api/me). */
  csrfToken(cookie: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(db: Database, env: Record<string, string> = {}): Promise<TestApp> {
  const port = await freePort();
  const config = readConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "silent",
    SHUTDOWN_TIMEOUT_MS: "2000",
    SECRET_KEYS: `t1:${randomBytes(32).toString("base64")}`,
    ...env,
  });
  const basics = createServiceBasics("management-server", config.LOG_LEVEL);
  const identity = buildIdentity(config, db, basics.logger);
  const app = createApp({ ...basics, config, db, identity });
  const running = await serve({
    basics,
    config,
    app,
    closers: [{ name: "outgoing mail", close: () => identity.mailer.drain() }],
  });
  const url = config.PUBLIC_URL.replace(/\/$/, "");
  const sameOrigin = { origin: url, "content-type": "application/json" };

  async function linkToken(email: string, role: Role = "user") {
    const { user } = await ensureUser(db, email, role);
    if (user.role !== role) await setUserRole(db, user.id, role);
    const link = await issueMagicLink(db, config.PUBLIC_URL, { userId: user.id, purpose: "login" });
    const token = new URLSearchParams(new URL(link.url).hash.slice(1)).get("token")!;
    return { token, user: { ...user, role } };
  }

  async function csrfToken(cookie: string): Promise<string> {
    const res = await fetch(`${url}/api/me`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`GET /api/me answered ${res.status}`);
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  return {
    url,
    config,
    running,
    identity,
    sameOrigin,
    linkToken,
    async signIn(email, role = "user") {
      const { token, user } = await linkToken(email, role);
      const res = await fetch(`${url}/api/auth/magic-link/consume`, {
        method: "POST",
        headers: sameOrigin,
        body: JSON.stringify({ token }),
      });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      const cookie = res.headers.getSetCookie()[0]!.split(";")[0]!;
      const csrf = await csrfToken(cookie);
      return { cookie, user, csrf, headers: { ...sameOrigin, cookie, "x-csrf-token": csrf } };
    },
    csrfToken,
    close: () => running.shutdown("test end"),
  };
}
