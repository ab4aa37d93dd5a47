// The real management-server app on loopback for tests, with helpers to act as a signed-in user.
import { createServiceBasics, serve, type RunningServer } from "@clawden/kit/server";
import { freePort } from "@clawden/kit/testing";
import { createApp } from "../../src/app.js";
import { issueMagicLink } from "../../src/auth/magic-links.js";
import { readConfig, type Config } from "../../src/config.js";
import type { Database } from "@clawden/kit/db";
import { ensureUser, setUserRole, type Role, type User } from "../../src/db/users.js";

export interface TestApp {
  url: string;
  config: Config;
  running: RunningServer;
  /** Headers a browser on our own origin would send with a JSON request. */
  sameOrigin: Record<string, string>;
  /** Issues a one-time link for `email` (created with `role` if new) and returns its token. */
  linkToken(email: string, role?: Role): Promise<{ token: string; user: User }>;
  /** Signs in through the real endpoint and returns the session cookie ("name=value"). */
  signIn(email: string, role?: Role): Promise<{ cookie: string; user: User }>;
  close(): Promise<void>;
}

export async function startTestApp(db: Database, env: Record<string, string> = {}): Promise<TestApp> {
  const port = await freePort();
  const config = readConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "silent",
    SHUTDOWN_TIMEOUT_MS: "2000",
    ...env,
  });
  const basics = createServiceBasics("management-server", config.LOG_LEVEL);
  const app = createApp({ ...basics, config, db });
  const running = await serve({ basics, config, app });
  const url = config.PUBLIC_URL.replace(/\/$/, "");
  const sameOrigin = { origin: url, "content-type": "application/json" };

  async function linkToken(email: string, role: Role = "user") {
    const { user } = await ensureUser(db, email, role);
    if (user.role !== role) await setUserRole(db, user.id, role);
    const link = await issueMagicLink(db, config.PUBLIC_URL, user.id, "login");
    const token = new URLSearchParams(new URL(link.url).hash.slice(1)).get("token")!;
    return { token, user: { ...user, role } };
  }

  return {
    url,
    config,
    running,
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
      const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
      return { cookie, user };
    },
    close: () => running.shutdown("test end"),
  };
}
