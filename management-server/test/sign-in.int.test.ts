// Signing in with a one-time link through the real HTTP API, and the attacks on it: reuse, expiry,
// forged tokens, cross-site requests, planted session ids, and non-admins on the admin API.
import { createTestDatabase, type TestDatabase } from "@clawden/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookiePolicy } from "../src/auth/cookies.js";
import { createDatabase, type Database } from "@clawden/kit/db";
import { insertMagicLink } from "../src/db/magic-links.js";
import { migrate } from "@clawden/kit/db";
import { managementMigrations } from "../src/db/migrations.js";
import { ensureUser } from "../src/db/users.js";
import { hashSecret, newSecretToken } from "../src/domain/secrets.js";
import { startTestApp, type TestApp } from "./support/app.js";

let database: TestDatabase;
let db: Database;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase({ connectionString: database.url, max: 4 });
  await migrate(db, managementMigrations());
  app = await startTestApp(db);
});
afterAll(async () => {
  await app.close();
  await db.close();
  await database.drop();
});

async function consume(token: string, headers: Record<string, string> = app.sameOrigin) {
  const res = await fetch(`${app.url}/api/auth/magic-link/consume`, {
    method: "POST",
    headers,
    body: JSON.stringify({ token }),
  });
  return { res, body: (await res.json()) as { user?: { email: string }; error?: { code: string } } };
}

async function me(cookie?: string) {
  return fetch(`${app.url}/api/me`, { headers: cookie ? { cookie } : {} });
}

describe("sign-in with a one-time link", () => {
  it("starts a session whose cookie identifies the user", async () => {
    const { token } = await app.linkToken("ada@example.com");
    const { res, body } = await consume(token);
    expect(res.status).toBe(200);
    expect(body.user!.email).toBe("ada@example.com");
    const setCookie = res.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(
      /^clawden_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/,
    );
    const cookie = setCookie.split(";")[0]!;
    const who = await me(cookie);
    expect(who.status).toBe(200);
    expect(((await who.json()) as { user: { email: string; role: string } }).user).toMatchObject({
      email: "ada@example.com",
      role: "user",
    });
  });

  it("stores only hashes of link tokens and session ids", async () => {
    const { token } = await app.linkToken("hashes@example.com");
    const { rows: links } = await db.query<{ token_hash: Buffer }>("SELECT token_hash FROM magic_links");
    expect(links.some((l) => l.token_hash.equals(hashSecret(token)))).toBe(true);
    const { res } = await consume(token);
    const sessionId = res.headers.get("set-cookie")!.split(";")[0]!.split("=")[1]!;
    const dump = JSON.stringify((await db.query("SELECT * FROM sessions")).rows);
    expect(dump).not.toContain(sessionId);
    expect(JSON.stringify((await db.query("SELECT * FROM magic_links")).rows)).not.toContain(token);
  });

  it("refuses a link the second time", async () => {
    const { token } = await app.linkToken("reuse@example.com");
    expect((await consume(token)).res.status).toBe(200);
    const again = await consume(token);
    expect(again.res.status).toBe(400);
    expect(again.body.error!.code).toBe("link_invalid");
  });

  it("refuses an expired link", async () => {
    const { user } = await ensureUser(db, "late@example.com", "user");
    const token = newSecretToken();
    await insertMagicLink(db, {
      tokenHash: hashSecret(token),
      userId: user.id,
      purpose: "login",
      ttlMs: -1,
      email: null,
      browserHash: null,
      nextPath: null,
    });
    const { res, body } = await consume(token);
    expect(res.status).toBe(400);
    expect(body.error!.code).toBe("link_expired");
  });

  it("refuses forged and malformed tokens the same way", async () => {
    for (const token of [newSecretToken(), "short", "x".repeat(256), "../../etc/passwd"]) {
      const { res, body } = await consume(token);
      expect(res.status).toBe(400);
      expect(body.error!.code).toBe("link_invalid");
    }
  });

  it("never adopts a session id planted in the browser (session fixation)", async () => {
    const planted = newSecretToken();
    const { token } = await app.linkToken("fixation@example.com");
    const { res } = await consume(token, { ...app.sameOrigin, cookie: `clawden_session=${planted}` });
    expect(res.status).toBe(200);
    const issued = res.headers.getSetCookie()[0]!.split(";")[0]!.split("=")[1];
    expect(issued).not.toBe(planted);
    expect((await me(`clawden_session=${planted}`)).status).toBe(401);
  });

  it("ends the previous session when a browser signs in again", async () => {
    const first = await app.signIn("twice@example.com");
    const { token } = await app.linkToken("twice@example.com");
    const { res } = await consume(token, first.headers);
    expect(res.status).toBe(200);
    expect((await me(first.cookie)).status).toBe(401);
  });

  it("refuses a cross-site request that carries the session cookie", async () => {
    const { cookie } = await app.signIn("csrf@example.com");
    const evil = await fetch(`${app.url}/api/auth/logout`, {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "content-type": "application/json" },
    });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { code: string } }).error.code).toBe("cross_origin");
    const noOrigin = await fetch(`${app.url}/api/auth/logout`, { method: "POST", headers: { cookie } });
    expect(noOrigin.status).toBe(403);
    expect((await me(cookie)).status).toBe(200);
  });

  it("signs out: the cookie is cleared and no longer works", async () => {
    const { cookie, headers } = await app.signIn("bye@example.com");
    const res = await fetch(`${app.url}/api/auth/logout`, { method: "POST", headers });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()[0]).toMatch(/^clawden_session=; .*Max-Age=0/);
    expect((await me(cookie)).status).toBe(401);
  });

  it("refuses a suspended user's link and session", async () => {
    const { cookie, user } = await app.signIn("suspended@example.com");
    const { token } = await app.linkToken("suspended@example.com");
    await db.query("UPDATE users SET state = 'suspended' WHERE id = $1", [user.id]);
    expect((await me(cookie)).status).toBe(401);
    const { res, body } = await consume(token);
    expect(res.status).toBe(403);
    expect(body.error!.code).toBe("account_suspended");
  });

  it("uses a __Host- cookie marked Secure when the public URL is HTTPS", () => {
    const https = cookiePolicy("https://clawden.example");
    expect(https).toMatchObject({ name: "__Host-clawden_session", secure: true });
    expect(https.nameOf("login")).toBe("__Host-clawden_login");
    expect(cookiePolicy("http://127.0.0.1:8080")).toMatchObject({ name: "clawden_session", secure: false });
  });
});

describe("the admin API", () => {
  it("answers anonymous callers 401, signed-in non-admins 404, and admins with every server's readiness", async () => {
    const anonymous = await fetch(`${app.url}/api/admin/system`);
    expect(anonymous.status).toBe(401);
    const user = await app.signIn("plain@example.com");
    const denied = await fetch(`${app.url}/api/admin/system`, { headers: { cookie: user.cookie } });
    expect(denied.status).toBe(404);
    const admin = await app.signIn("admin@example.com", "admin");
    const res = await fetch(`${app.url}/api/admin/system`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    const { services } = (await res.json()) as { services: { name: string; ready: boolean }[] };
    expect(services.map((s) => s.name)).toEqual([
      "management-server",
      "agent-server",
      "group-vault",
      "relay-server",
    ]);
    expect(services[0]!.ready).toBe(true);
  });

  it("answers a non-admin 404 on admin routes that do not exist either", async () => {
    const user = await app.signIn("prober@example.com");
    const res = await fetch(`${app.url}/api/admin/nothing-here`, { headers: { cookie: user.cookie } });
    expect(res.status).toBe(404);
  });
});
