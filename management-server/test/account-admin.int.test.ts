// The signed-in user's account (sessions, re-authentication, API keys) and the administrators' user
// management, through the real HTTP API, with the attacks: CSRF without or with a wrong token, another
// user's ids, stale sessions for sensitive actions, a suspended user's old cookie and API key, and a
// non-admin on every admin route.
import type { Database } from "@clawden/kit/db";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/audit/log.js";
import { putSignUpPolicy } from "../src/db/settings.js";
import { ensureUser, findUserByEmail, type Role } from "../src/db/users.js";
import { currentTotp } from "../src/domain/totp.js";
import type { TestApp } from "./support/app.js";
import { useIdentityApp } from "./support/identity-app.js";
import { BrowserClient } from "./support/browser-client.js";
import type { Mailbox } from "./support/mailbox.js";

const testbed = useIdentityApp();
let app: TestApp;
let db: Database;
let mailbox: Mailbox;
beforeAll(() => {
  ({ app, db, mailbox } = testbed);
});

/** A browser signed in (by mailed link) as `email`, created with `role` when new. */
async function signedIn(email: string, role: Role = "user", userAgent?: string): Promise<BrowserClient> {
  await ensureUser(db, email, role);
  const browser = new BrowserClient(app, userAgent);
  expect((await browser.signInByMail(mailbox, email)).status).toBe(200);
  return browser;
}

async function ageSession(browser: BrowserClient, minutes: number): Promise<void> {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256").update(browser.session!).digest();
  await db.query(
    `UPDATE sessions SET authenticated_at = now() - make_interval(mins => $2) WHERE id_hash = $1`,
    [hash, minutes],
  );
}

describe("CSRF", () => {
  it("refuses a state change made with the cookie but without the token, or with another session's", async () => {
    const browser = await signedIn("csrf1@example.com");
    const other = await signedIn("csrf2@example.com");
    const token = browser.csrf!;
    browser.csrf = undefined;
    const missing = await browser.post("/api/account/sessions/revoke-others");
    expect(missing.status).toBe(403);
    expect(missing.body.error!.code).toBe("csrf_failed");
    browser.csrf = other.csrf;
    expect((await browser.post("/api/account/sessions/revoke-others")).body.error!.code).toBe("csrf_failed");
    browser.csrf = token;
    expect((await browser.post("/api/account/sessions/revoke-others")).status).toBe(200);
    // A right token from a foreign origin is still refused.
    const foreign = await browser.request("POST", "/api/account/sessions/revoke-others", undefined, {
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error!.code).toBe("cross_origin");
  });

  it("changes the token with the session id", async () => {
    const a = await signedIn("csrf3@example.com");
    const first = a.csrf;
    const b = await signedIn("csrf3@example.com");
    expect(b.csrf).not.toBe(first);
  });
});

describe("sessions", () => {
  it("lists the user's sessions with device, IP and last seen, and revokes one or all others", async () => {
    const laptop = await signedIn(
      "multi@example.com",
      "user",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
    );
    const phone = await signedIn(
      "multi@example.com",
      "user",
      "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36",
    );
    const desktop = await signedIn("multi@example.com");
    const listed = await laptop.get<{
      sessions: { id: string; device: string; ip: string; current: boolean; lastSeenAt: string }[];
    }>("/api/account/sessions");
    expect(listed.body.sessions).toHaveLength(3);
    const devices = listed.body.sessions.map((s) => s.device).sort();
    expect(devices).toEqual(["Chrome on Android", "Chrome on Linux", "Safari on macOS"]);
    expect(listed.body.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(listed.body.sessions.find((s) => s.current)!.device).toBe("Safari on macOS");
    for (const s of listed.body.sessions) {
      expect(s.ip).toMatch(/127\.0\.0\.1/);
      expect(Date.parse(s.lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(JSON.stringify(s)).not.toMatch(/[A-Za-z0-9_-]{43}/);
    }
    const phoneSession = listed.body.sessions.find((s) => s.device === "Chrome on Android")!;
    expect((await laptop.delete(`/api/account/sessions/${phoneSession.id}`)).status).toBe(204);
    expect((await phone.get("/api/me")).status).toBe(401);
    const revoked = await laptop.post<{ revoked: number }>("/api/account/sessions/revoke-others");
    expect(revoked.body.revoked).toBe(1);
    expect((await desktop.get("/api/me")).status).toBe(401);
    expect((await laptop.get("/api/me")).status).toBe(200);
  });

  it("answers 404 for another user's session id, and leaves it alone", async () => {
    const mallory = await signedIn("mallory@example.com");
    const alice = await signedIn("alice@example.com");
    const aliceSessions = await alice.get<{ sessions: { id: string }[] }>("/api/account/sessions");
    const target = aliceSessions.body.sessions[0]!.id;
    const attempt = await mallory.delete(`/api/account/sessions/${target}`);
    expect(attempt.status).toBe(404);
    expect((await alice.get("/api/me")).status).toBe(200);
    expect((await mallory.delete("/api/account/sessions/not-a-uuid")).status).toBe(400);
  });

  it("ends sessions idle longer than the idle timeout and past the absolute lifetime", async () => {
    const idle = await signedIn("idle@example.com");
    await db.query(
      "UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM users WHERE email = 'idle@example.com')",
    );
    expect((await idle.get("/api/me")).status).toBe(401);
    const old = await signedIn("old@example.com");
    await db.query(
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = 'old@example.com')",
    );
    expect((await old.get("/api/me")).status).toBe(401);
    // The cookie's own lifetime follows the configured maximum (7 days by default).
    const fresh = new BrowserClient(app);
    await ensureUser(db, "cookie@example.com", "user");
    await fresh.requestLink("cookie@example.com");
    const link = await mailbox.waitForLink("cookie@example.com");
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get("token");
    const res = await fetch(`${app.url}/api/auth/magic-link/consume`, {
      method: "POST",
      headers: { ...app.sameOrigin, cookie: fresh.cookieHeader() },
      body: JSON.stringify({ token }),
    });
    const maxAge = Number(/Max-Age=(\d+)/.exec(res.headers.getSetCookie()[0]!)![1]);
    expect(maxAge).toBeGreaterThan(7 * 86_400 - 60);
    expect(maxAge).toBeLessThanOrEqual(7 * 86_400);
  });
});

describe("re-authentication", () => {
  it("asks for a recent sign-in before sensitive actions, and re-authenticates by code with a new session id", async () => {
    const browser = await signedIn("reauth@example.com");
    const started = await browser.post<{ secret: string }>("/api/account/mfa/totp");
    await browser.post("/api/account/mfa/totp/confirm", { code: currentTotp(started.body.secret) });
    await ageSession(browser, 11);
    const refused = await browser.post("/api/account/api-keys", {
      name: "ci",
      scopes: ["chat"],
      expiresInDays: 30,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error!.code).toBe("reauth_required");
    expect((await browser.post("/api/account/mfa/recovery-codes")).body.error!.code).toBe("reauth_required");
    expect((await browser.delete("/api/account/mfa/totp")).body.error!.code).toBe("reauth_required");

    const before = browser.session!;
    const wrong = await browser.post("/api/account/reauth", { code: "000000" });
    expect(wrong.status).toBe(400);
    const done = await browser.post<{ reauthenticatedUntil: string }>("/api/account/reauth", {
      code: currentTotp(started.body.secret, Date.now() + 30_000),
    });
    expect(done.status).toBe(200);
    expect(Date.parse(done.body.reauthenticatedUntil)).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(browser.session).not.toBe(before);
    // The old id is dead; the new one (and its new CSRF token) works.
    const stale = new BrowserClient(app);
    stale.cookies.set("clawden_session", before);
    expect((await stale.get("/api/me")).status).toBe(401);
    await browser.me();
    const created = await browser.post("/api/account/api-keys", {
      name: "ci",
      scopes: ["chat"],
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
  });

  it("re-authenticates by a mailed link bound to this browser and this session", async () => {
    const browser = await signedIn("relink@example.com");
    await ageSession(browser, 30);
    expect((await browser.post("/api/account/reauth/email")).status).toBe(202);
    const link = await mailbox.waitForLink("relink@example.com");
    // Another session of the same user (another browser) cannot use it.
    const elsewhere = await signedIn("relink@example.com");
    expect((await elsewhere.consumeLink(link)).body.error!.code).toBe("link_other_browser");
    const used = await browser.consumeLink(link);
    expect(used.status).toBe(200);
    expect(used.body).toMatchObject({ status: "reauthenticated" });
    expect(
      (
        await browser.post("/api/account/api-keys", {
          name: "k",
          scopes: ["account:read"],
          expiresInDays: null,
        })
      ).status,
    ).toBe(201);
  });
});

describe("API keys", () => {
  it("shows the key once, stores only its hash, and lets it call /api/v1 until revoked", async () => {
    const browser = await signedIn("keys@example.com");
    const created = await browser.post<{
      apiKey: { id: string; prefix: string; scopes: string[]; expiresAt: string };
      secret: string;
    }>("/api/account/api-keys", {
      name: "laptop script",
      scopes: ["account:read", "chat"],
      expiresInDays: 90,
    });
    expect(created.status).toBe(201);
    const { secret, apiKey } = created.body;
    expect(secret).toMatch(/^ocpk_[A-Za-z0-9_-]{43}$/);
    expect(secret.slice(5, 13)).toBe(apiKey.prefix);
    expect(Date.parse(apiKey.expiresAt)).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    const listed = await browser.get<{ apiKeys: unknown[] }>("/api/account/api-keys");
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const stored = await db.query<{ key_hash: Buffer }>("SELECT key_hash FROM api_keys WHERE id = $1", [
      apiKey.id,
    ]);
    expect(stored.rows[0]!.key_hash).toHaveLength(32);

    const call = (key: string, path = "/api/v1/me") =>
      fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const ok = await call(secret);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user: { email: "keys@example.com" }, apiKey: { id: apiKey.id } });
    const after = await browser.get<{ apiKeys: { lastUsedAt: string | null }[] }>("/api/account/api-keys");
    expect(after.body.apiKeys[0]!.lastUsedAt).not.toBeNull();
    // A cookie is not an API key, and a forged key is nothing.
    expect(
      (await fetch(`${app.url}/api/v1/me`, { headers: { cookie: browser.cookieHeader() } })).status,
    ).toBe(401);
    const forged = await call(`ocpk_${"A".repeat(43)}`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toContain("Bearer");

    expect((await browser.delete(`/api/account/api-keys/${apiKey.id}`)).status).toBe(204);
    expect((await call(secret)).status).toBe(401);
  });

  it("enforces scopes and expiry, and hides other users' keys", async () => {
    const owner = await signedIn("scoped@example.com");
    const chatOnly = await owner.post<{ secret: string; apiKey: { id: string } }>("/api/account/api-keys", {
      name: "chat bot",
      scopes: ["chat"],
      expiresInDays: 1,
    });
    const denied = await fetch(`${app.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${chatOnly.body.secret}` },
    });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe("insufficient_scope");

    const readKey = await owner.post<{ secret: string; apiKey: { id: string } }>("/api/account/api-keys", {
      name: "reader",
      scopes: ["account:read"],
      expiresInDays: 1,
    });
    await db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [
      readKey.body.apiKey.id,
    ]);
    expect(
      (await fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${readKey.body.secret}` } }))
        .status,
    ).toBe(401);

    const stranger = await signedIn("stranger@example.com");
    expect((await stranger.delete(`/api/account/api-keys/${chatOnly.body.apiKey.id}`)).status).toBe(404);
    expect((await stranger.get<{ apiKeys: unknown[] }>("/api/account/api-keys")).body.apiKeys).toEqual([]);
    const bad = await owner.post("/api/account/api-keys", {
      name: "",
      scopes: ["admin"],
      expiresInDays: 9999,
    });
    expect(bad.status).toBe(400);
  });
});

describe("administration", () => {
  const ADMIN_ROUTES: [string, string][] = [
    ["GET", "/api/admin/system"],
    ["GET", "/api/admin/users"],
    ["GET", "/api/admin/users/00000000-0000-4000-8000-000000000000"],
    ["POST", "/api/admin/users/00000000-0000-4000-8000-000000000000/approve"],
    ["POST", "/api/admin/users/00000000-0000-4000-8000-000000000000/suspend"],
    ["POST", "/api/admin/users/00000000-0000-4000-8000-000000000000/reactivate"],
    ["POST", "/api/admin/users/00000000-0000-4000-8000-000000000000/reset-mfa"],
    ["POST", "/api/admin/users/00000000-0000-4000-8000-000000000000/revoke-sessions"],
    ["POST", "/api/admin/users/00000000-0000-4000-8000-000000000000/role"],
    ["GET", "/api/admin/settings/sign-up"],
    ["PUT", "/api/admin/settings/sign-up"],
    ["GET", "/api/admin/audit"],
    ["GET", "/api/admin/audit/export"],
    ["GET", "/api/admin/audit/actions"],
    ["GET", "/api/admin/sso"],
    ["PUT", "/api/admin/sso/example"],
    ["DELETE", "/api/admin/sso/example"],
    ["GET", "/api/admin/no-such-route"],
  ];

  it("answers anonymous callers 401 and signed-in non-admins 404 on every admin route", async () => {
    const user = await signedIn("nosy@example.com");
    for (const [method, path] of ADMIN_ROUTES) {
      const anonymous = await new BrowserClient(app).request(method, path, method === "GET" ? undefined : {});
      expect([method, path, anonymous.status]).toEqual([method, path, 401]);
      const nosy = await user.request(method, path, method === "GET" ? undefined : {});
      expect([method, path, nosy.status]).toEqual([method, path, 404]);
    }
    // An API key is not a way in either.
    const key = await user.post<{ secret: string }>("/api/account/api-keys", {
      name: "k",
      scopes: ["chat", "account:read"],
      expiresInDays: null,
    });
    const viaKey = await fetch(`${app.url}/api/admin/users`, {
      headers: { authorization: `Bearer ${key.body.secret}` },
    });
    expect(viaKey.status).toBe(401);
  });

  it("lists users with search, state and role filters, and pages", async () => {
    const admin = await signedIn("lister@example.com", "admin");
    for (let i = 0; i < 30; i++)
      await ensureUser(db, `page${String(i).padStart(2, "0")}@list.example`, "user");
    const first = await admin.get<{
      users: { email: string }[];
      total: number;
      page: number;
      pageSize: number;
    }>("/api/admin/users?q=list.example&pageSize=25");
    expect(first.body.total).toBe(30);
    expect(first.body.users).toHaveLength(25);
    const second = await admin.get<{ users: { email: string }[] }>(
      "/api/admin/users?q=list.example&pageSize=25&page=2",
    );
    expect(second.body.users).toHaveLength(5);
    const all = new Set([...first.body.users, ...second.body.users].map((u) => u.email));
    expect(all.size).toBe(30);
    // LIKE wildcards in the search are literal.
    expect((await admin.get<{ total: number }>("/api/admin/users?q=%25")).body.total).toBe(0);
    expect(
      (await admin.get<{ users: { role: string }[] }>("/api/admin/users?role=admin")).body.users.every(
        (u) => u.role === "admin",
      ),
    ).toBe(true);
    expect((await admin.get("/api/admin/users?state=bogus")).status).toBe(400);
  });

  it("approves a pending user, who can then sign in", async () => {
    await putSignUpPolicy(db, { mode: "approval", allowlist: [], mfaRequired: "off" }, null);
    const admin = await signedIn("approver@example.com", "admin");
    const hopeful = new BrowserClient(app);
    await hopeful.requestLink("hopeful@example.com");
    expect(
      (await hopeful.consumeLink(await mailbox.waitForLink("hopeful@example.com"))).body.error!.code,
    ).toBe("account_pending");
    const pending = await admin.get<{ users: { id: string; email: string }[] }>(
      "/api/admin/users?state=pending&q=hopeful",
    );
    const id = pending.body.users[0]!.id;
    const approved = await admin.post<{ user: { state: string } }>(`/api/admin/users/${id}/approve`);
    expect(approved.body.user.state).toBe("active");
    expect((await admin.post(`/api/admin/users/${id}/approve`)).status).toBe(409);
    await hopeful.requestLink("hopeful@example.com");
    expect((await hopeful.consumeLink(await mailbox.waitForLink("hopeful@example.com"))).status).toBe(200);
  });

  it("suspends at once: the old cookie, the API key and a pending second factor stop working; reactivation does not revive them", async () => {
    const admin = await signedIn("suspender@example.com", "admin");
    const victim = await signedIn("victim@example.com");
    const key = await victim.post<{ secret: string }>("/api/account/api-keys", {
      name: "k",
      scopes: ["account:read"],
      expiresInDays: null,
    });
    const callKey = () =>
      fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${key.body.secret}` } });
    expect((await callKey()).status).toBe(200);
    const id = (await findUserByEmail(db, "victim@example.com"))!.id;
    const suspended = await admin.post<{ user: { state: string }; containerStopped: boolean }>(
      `/api/admin/users/${id}/suspend`,
    );
    expect(suspended.status).toBe(200);
    expect(suspended.body.user.state).toBe("suspended");
    expect((await victim.get("/api/me")).status).toBe(401);
    expect((await callKey()).status).toBe(401);
    const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions WHERE user_id = $1", [
      id,
    ]);
    expect(rows.rows[0]!.n).toBe(0);
    // No agent-server answers in this test: the stop is remembered for a retry.
    expect(suspended.body.containerStopped).toBe(false);
    expect(
      (await db.query<{ p: boolean }>("SELECT agent_stop_pending AS p FROM users WHERE id = $1", [id]))
        .rows[0]!.p,
    ).toBe(true);

    const back = await admin.post<{ user: { state: string } }>(`/api/admin/users/${id}/reactivate`);
    expect(back.body.user.state).toBe("active");
    expect((await victim.get("/api/me")).status).toBe(401);
    expect((await callKey()).status).toBe(401);
  });

  it("protects the admin's own account and the last administrator", async () => {
    const admin = await signedIn("only-admin@example.com", "admin");
    await db.query(
      "UPDATE users SET state = 'suspended' WHERE role = 'admin' AND email <> 'only-admin@example.com'",
    );
    const me = (await findUserByEmail(db, "only-admin@example.com"))!;
    expect((await admin.post(`/api/admin/users/${me.id}/suspend`)).body.error!.code).toBe("own_account");
    expect((await admin.post(`/api/admin/users/${me.id}/role`, { role: "user" })).body.error!.code).toBe(
      "own_account",
    );
    const second = await signedIn("second-admin@example.com", "admin");
    const secondId = (await findUserByEmail(db, "second-admin@example.com"))!.id;
    // Demoting the other admin is fine while one remains; the change needs a recent sign-in.
    await ageSession(admin, 11);
    expect((await admin.post(`/api/admin/users/${secondId}/role`, { role: "user" })).body.error!.code).toBe(
      "reauth_required",
    );
    await ageSession(admin, 0);
    const demoted = await admin.post<{ user: { role: string } }>(`/api/admin/users/${secondId}/role`, {
      role: "user",
    });
    expect(demoted.body.user.role).toBe("user");
    // The demoted admin's session ended: their privileges change with a new session.
    expect((await second.get("/api/me")).status).toBe(401);
  });

  it("resets a user's MFA and ends a user's sessions", async () => {
    const admin = await signedIn("helpdesk@example.com", "admin");
    const user = await signedIn("lostphone@example.com");
    const started = await user.post<{ secret: string }>("/api/account/mfa/totp");
    await user.post("/api/account/mfa/totp/confirm", { code: currentTotp(started.body.secret) });
    const id = (await findUserByEmail(db, "lostphone@example.com"))!.id;
    const detail = await admin.get<{ mfaEnabled: boolean; sessions: unknown[] }>(`/api/admin/users/${id}`);
    expect(detail.body.mfaEnabled).toBe(true);
    expect(detail.body.sessions).toHaveLength(1);
    expect((await admin.post(`/api/admin/users/${id}/reset-mfa`)).status).toBe(200);
    expect((await user.me()).body.mfa.enabled).toBe(false);
    const ended = await admin.post<{ revoked: number }>(`/api/admin/users/${id}/revoke-sessions`);
    expect(ended.body.revoked).toBe(1);
    expect((await user.get("/api/me")).status).toBe(401);
    expect((await admin.get(`/api/admin/users/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it("saves the sign-up policy, validating it", async () => {
    const admin = await signedIn("policy@example.com", "admin");
    const saved = await admin.put("/api/admin/settings/sign-up", {
      mode: "allowlist",
      allowlist: ["@Corp.Example", "ceo@other.example", "@corp.example"],
      mfaRequired: "admins",
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      mode: "allowlist",
      allowlist: ["@corp.example", "ceo@other.example"],
      mfaRequired: "admins",
    });
    expect((await admin.get("/api/admin/settings/sign-up")).body).toEqual(saved.body);
    const bad = await admin.put("/api/admin/settings/sign-up", {
      mode: "anyone",
      allowlist: ["not a domain"],
      mfaRequired: "off",
    });
    expect(bad.status).toBe(400);
  });

  it("writes every change to a verifiable audit chain, with actor, target, tenants and IP", async () => {
    const admin = await signedIn("auditor@example.com", "admin");
    const victim = await signedIn("audited-victim@example.com");
    await victim.post("/api/account/sessions/revoke-others");
    const id = (await findUserByEmail(db, "audited-victim@example.com"))!.id;
    await admin.post(`/api/admin/users/${id}/suspend`);
    const events = await admin.get<{
      events: {
        action: string;
        actorEmail: string;
        targetId: string;
        targetTenant: string;
        actorTenant: string;
        ip: string;
        outcome: string;
      }[];
    }>(`/api/admin/audit?action=user.suspended`);
    const suspension = events.body.events.find((e) => e.targetId === id)!;
    expect(suspension).toMatchObject({
      actorEmail: "auditor@example.com",
      actorTenant: "platform",
      targetTenant: `user:${id}`,
      outcome: "success",
    });
    expect(suspension.ip).toMatch(/127\.0\.0\.1/);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    const actions = await admin.get<{ actions: string[] }>("/api/admin/audit/actions");
    expect(actions.body.actions).toEqual(
      expect.arrayContaining(["user.suspended", "auth.login", "api_key.created"]),
    );
  });
});
