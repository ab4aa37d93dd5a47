// Single sign-on with OpenID Connect against a real OpenID provider (oidc-provider on loopback),
// through the real HTTP API with the browser's redirects driven by hand: account creation and linking,
// returning users, the linking rules (never on an unverified email), the sign-up policy, the second
// factor, and the attacks on the round trip: forged, replayed, expired or other-browser states, and a
// nonce that does not match. Then the administrators' provider API.
import { createTestDatabase, type TestDatabase } from "@clawden/kit/testing";
import { createDatabase, migrate, type Database } from "@clawden/kit/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { beginTotpEnrolment, checkSecondFactor } from "../src/auth/mfa.js";
import { managementMigrations } from "../src/db/migrations.js";
import {
  deleteOidcProvider,
  findLinkedIdentity,
  getOidcProvider,
  insertLinkedIdentity,
  insertOidcFlow,
  takeOidcFlow,
  upsertOidcProvider,
} from "../src/db/oidc.js";
import { putSignUpPolicy } from "../src/db/settings.js";
import { ensureUser, findUserByEmail } from "../src/db/users.js";
import type { SignUpPolicy } from "../src/domain/sign-up.js";
import { hashSecret, newSecretToken } from "../src/domain/secrets.js";
import { currentTotp } from "../src/domain/totp.js";
import { startTestApp, type TestApp } from "./support/app.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabaseHandle } from "./support/databases.js";
import { CookieJar, startOidcProvider, type TestOidcProvider } from "./support/oidc-provider.js";

let database: TestDatabase;
let db: Database;
let app: TestApp;
/** Claims in the ID token; client_secret_basic. */
let idp: TestOidcProvider;
/** Claims from userinfo only; client_secret_post only. */
let idpUserinfo: TestOidcProvider;
let admin: { cookie: string; csrf: string };

const CLIENT_SECRET = "a-client-secret-that-must-never-be-shown-0123456789";
const OTHER_SECRET = "another-client-secret-9876543210";

async function policy(p: Partial<SignUpPolicy>) {
  await putSignUpPolicy(db, { mode: "open", allowlist: [], mfaRequired: "off", ...p }, null);
}

async function adminSession(email: string): Promise<{ cookie: string; csrf: string }> {
  const { cookie } = await app.signIn(email, "admin");
  const me = await fetch(`${app.url}/api/me`, { headers: { cookie } });
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

async function adminCall(method: string, path: string, body?: unknown, who = admin) {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...app.sameOrigin, cookie: who.cookie, "x-csrf-token": who.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed: any = text ? JSON.parse(text) : null;
  return { status: res.status, body: parsed, text };
}

const callbackOf = (providerId: string) => `${app.url}/api/auth/sso/${providerId}/callback`;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase({ connectionString: database.url, max: 6 });
  await migrate(db, managementMigrations());
  app = await startTestApp(db);
  idp = await startOidcProvider({
    clients: [
      {
        client_id: "clawden",
        client_secret: CLIENT_SECRET,
        redirect_uris: [callbackOf("test")],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    conformIdTokenClaims: false,
  });
  idpUserinfo = await startOidcProvider({
    clients: [
      {
        client_id: "clawden-post",
        client_secret: OTHER_SECRET,
        redirect_uris: [callbackOf("other")],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    clientAuthMethods: ["client_secret_post"],
  });
  admin = await adminSession("root@example.com");
  const saved = await adminCall("PUT", "/api/admin/sso/test", {
    name: "Test IdP",
    issuer: idp.issuer,
    clientId: "clawden",
    clientSecret: CLIENT_SECRET,
    enabled: true,
  });
  expect(saved.status, saved.text).toBe(201);
  const other = await adminCall("PUT", "/api/admin/sso/other", {
    name: "Userinfo IdP",
    issuer: idpUserinfo.issuer,
    clientId: "clawden-post",
    clientSecret: OTHER_SECRET,
    scopes: "openid email",
    enabled: true,
  });
  expect(other.status, other.text).toBe(201);
});
afterAll(async () => {
  await app?.close();
  await idp?.close();
  await idpUserinfo?.close();
  await db?.close();
  await database?.drop();
});
beforeEach(async () => {
  await policy({});
  await db.query("DELETE FROM rate_limits");
  await db.query("DELETE FROM oidc_flows");
});

// --- The browser -------------------------------------------------------------------------------------

interface Started {
  browser: CookieJar;
  authorizeUrl: URL;
}

/** The browser opens /start: it is sent to the provider with a binding cookie. */
async function start(providerId = "test", next?: string, browser = new CookieJar()): Promise<Started> {
  const query = next === undefined ? "" : `?${new URLSearchParams({ next }).toString()}`;
  const res = await fetch(`${app.url}/api/auth/sso/${providerId}/start${query}`, {
    redirect: "manual",
    headers: { cookie: browser.header() },
  });
  expect(res.status, await res.clone().text()).toBe(302);
  browser.store(res);
  return { browser, authorizeUrl: new URL(res.headers.get("location")!) };
}

/**
 * At the provider, `loginAs` signs in (null: refuses); returns the callback URL the provider sends the
 * browser back to. The provider's own cookies are fresh each time (no single sign-on session there).
 */
async function atProvider(authorizeUrl: URL, loginAs: string | null, provider = idp): Promise<string> {
  provider.loginAs = loginAs;
  const jar = new CookieJar();
  let url = authorizeUrl.href;
  for (let hop = 0; hop < 10; hop += 1) {
    if (url.startsWith(`${app.url}/`)) return url;
    const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(res);
    if (res.status < 300 || res.status >= 400)
      throw new Error(`provider answered ${res.status}: ${await res.text()}`);
    url = new URL(res.headers.get("location")!, url).href;
  }
  throw new Error("too many redirects at the provider");
}

interface Landing {
  status: number;
  location: string;
  setCookies: string[];
  sessionCookie: string | undefined;
}

/** The browser follows the provider's redirect back to our callback. */
async function callback(url: string, browser: CookieJar): Promise<Landing> {
  const res = await fetch(url, { redirect: "manual", headers: { cookie: browser.header() } });
  browser.store(res);
  const setCookies = res.headers.getSetCookie();
  const session = setCookies.find(
    (c) => c.startsWith("clawden_session=") && !c.startsWith("clawden_session=;"),
  );
  return {
    status: res.status,
    location: res.headers.get("location") ?? "",
    setCookies,
    sessionCookie: session?.split(";")[0],
  };
}

/** The whole round trip as `loginAs` at the provider. */
async function signInWithSso(
  loginAs: string | null,
  options: { providerId?: string; next?: string; provider?: TestOidcProvider; browser?: CookieJar } = {},
) {
  const started = await start(options.providerId ?? "test", options.next, options.browser);
  const url = await atProvider(started.authorizeUrl, loginAs, options.provider ?? idp);
  return { ...(await callback(url, started.browser)), browser: started.browser };
}

function account(
  sub: string,
  email: string | undefined,
  verified: boolean | string | undefined,
  provider = idp,
) {
  provider.accounts.set(sub, {
    sub,
    ...(email === undefined ? {} : { email }),
    ...(verified === undefined ? {} : { email_verified: verified }),
  });
}

async function me(cookie: string) {
  const res = await fetch(`${app.url}/api/me`, { headers: { cookie } });
  return {
    status: res.status,
    body: (await res.json()) as { user: { id: string; email: string; state: string } },
  };
}

async function linksOf(subject: string) {
  const { rows } = await db.query<{ provider_id: string; user_id: string; email: string }>(
    "SELECT provider_id, user_id, email FROM user_identities WHERE subject = $1",
    [subject],
  );
  return rows;
}

async function ssoAudit(outcome: "success" | "failure") {
  const { rows } = await db.query<{ actor_id: string | null; details: Record<string, unknown> }>(
    "SELECT actor_id, details FROM audit_events WHERE action = 'auth.sso_login' AND outcome = $1 ORDER BY seq DESC LIMIT 1",
    [outcome],
  );
  return rows[0];
}

const errorRedirect = (code: string) => `/login?error=${code}`;

// --- Tests -------------------------------------------------------------------------------------------

describe("single sign-on: the round trip", () => {
  it("lists the enabled providers for the sign-in page", async () => {
    const res = await fetch(`${app.url}/api/auth/sso`);
    expect(res.status).toBe(200);
    const { providers } = (await res.json()) as { providers: { id: string; name: string }[] };
    expect(providers).toEqual(
      expect.arrayContaining([
        { id: "test", name: "Test IdP" },
        { id: "other", name: "Userinfo IdP" },
      ]),
    );
  });

  it("sends the browser to the provider with PKCE (S256), a state and a nonce, bound by a cookie", async () => {
    const { browser, authorizeUrl } = await start("test", "/somewhere");
    expect(authorizeUrl.origin).toBe(idp.issuer);
    const params = authorizeUrl.searchParams;
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe("clawden");
    expect(params.get("redirect_uri")).toBe(callbackOf("test"));
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("scope")!.split(" ")).toContain("openid");
    const binding = browser.get("clawden_oidc")!;
    expect(binding).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only hashes of the state and the cookie are stored; the PKCE verifier is sealed.
    const dump = JSON.stringify((await db.query("SELECT * FROM oidc_flows")).rows);
    expect(dump).not.toContain(params.get("state")!);
    expect(dump).not.toContain(binding);
  });

  it("creates the account, links it and signs in; the session works on /api/me", async () => {
    account("sub-ada", "Ada@Example.com", true);
    const landing = await signInWithSso("sub-ada", { next: "/chat?x=1" });
    expect(landing.status).toBe(302);
    expect(landing.location).toBe("/chat?x=1");
    expect(landing.sessionCookie).toBeDefined();
    expect(landing.setCookies.some((c) => /^clawden_oidc=;.*Max-Age=0/.test(c))).toBe(true);
    const who = await me(landing.sessionCookie!);
    expect(who.status).toBe(200);
    expect(who.body.user).toMatchObject({ email: "ada@example.com", state: "active" });
    expect(await linksOf("sub-ada")).toEqual([
      { provider_id: "test", user_id: who.body.user.id, email: "ada@example.com" },
    ]);
    const { rows: sessions } = await db.query<{ method: string }>(
      "SELECT method FROM sessions WHERE user_id = $1",
      [who.body.user.id],
    );
    expect(sessions.map((s) => s.method)).toEqual(["sso:test"]);
    expect(await ssoAudit("success")).toMatchObject({ actor_id: who.body.user.id });
    const created = await db.query(
      "SELECT 1 FROM audit_events WHERE action = 'user.created' AND actor_id = $1",
      [who.body.user.id],
    );
    expect(created.rowCount).toBe(1);
    expect((await db.query("SELECT 1 FROM oidc_flows")).rowCount).toBe(0);
  });

  it("signs a returning user in by subject, whatever email the provider gives now", async () => {
    account("sub-bob", "bob@example.com", true);
    const first = await signInWithSso("sub-bob");
    const firstUser = (await me(first.sessionCookie!)).body.user;
    // The address changed at the provider and is not verified: the link decides, not the email.
    account("sub-bob", "robert@example.com", false);
    const again = await signInWithSso("sub-bob");
    expect(again.location).toBe("/");
    expect((await me(again.sessionCookie!)).body.user.id).toBe(firstUser.id);
    expect(await findUserByEmail(db, "robert@example.com")).toBeNull();
  });

  it("links an existing account by a verified email", async () => {
    const { user } = await ensureUser(db, "carol@example.com", "user");
    account("sub-carol", "carol@example.com", true);
    const landing = await signInWithSso("sub-carol");
    expect((await me(landing.sessionCookie!)).body.user.id).toBe(user.id);
    expect((await linksOf("sub-carol"))[0]!.user_id).toBe(user.id);
  });

  it("never links to an account, nor creates one, on an unverified email", async () => {
    const { user } = await ensureUser(db, "dave@example.com", "user");
    for (const verified of [false, undefined, "false"]) {
      account("sub-mallory", "dave@example.com", verified);
      const landing = await signInWithSso("sub-mallory");
      expect(landing.location).toBe(errorRedirect("sso_email_unverified"));
      expect(landing.sessionCookie).toBeUndefined();
    }
    expect(await linksOf("sub-mallory")).toEqual([]);
    expect((await ssoAudit("failure"))!.details).toMatchObject({ code: "sso_email_unverified" });
    account("sub-newbie", "newbie@example.com", false);
    expect((await signInWithSso("sub-newbie")).location).toBe(errorRedirect("sso_email_unverified"));
    expect(await findUserByEmail(db, "newbie@example.com")).toBeNull();
    account("sub-no-email", undefined, undefined);
    expect((await signInWithSso("sub-no-email")).location).toBe(errorRedirect("sso_email_unverified"));
    expect((await db.query("SELECT 1 FROM user_identities WHERE user_id = $1", [user.id])).rowCount).toBe(0);
  });

  it("does not link a second subject of the same provider by email (an address given to someone else)", async () => {
    account("sub-erin", "erin@example.com", true);
    const first = await signInWithSso("sub-erin");
    expect(first.sessionCookie).toBeDefined();
    account("sub-erin-2", "erin@example.com", true);
    const second = await signInWithSso("sub-erin-2");
    expect(second.location).toBe(errorRedirect("sso_failed"));
    expect(second.sessionCookie).toBeUndefined();
    expect(await linksOf("sub-erin-2")).toEqual([]);
  });

  it("reads the email from userinfo when the ID token has none, authenticating with client_secret_post", async () => {
    account("sub-frank", "frank@example.com", true, idpUserinfo);
    const landing = await signInWithSso("sub-frank", { providerId: "other", provider: idpUserinfo });
    expect(landing.location).toBe("/");
    expect((await me(landing.sessionCookie!)).body.user.email).toBe("frank@example.com");
    expect(await linksOf("sub-frank")).toMatchObject([{ provider_id: "other" }]);
  });

  it("keeps `next` on our own origin", async () => {
    account("sub-gina", "gina@example.com", true);
    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const landing = await signInWithSso("sub-gina", { next });
      expect(landing.location).toBe("/");
    }
  });

  it("sends the browser back with access_denied when the user refuses at the provider", async () => {
    const landing = await signInWithSso(null);
    expect(landing.location).toBe(errorRedirect("access_denied"));
    expect(landing.sessionCookie).toBeUndefined();
  });

  it("refuses unknown or disabled providers", async () => {
    const unknown = await fetch(`${app.url}/api/auth/sso/nope/start`, { redirect: "manual" });
    expect(unknown.status).toBe(302);
    expect(unknown.headers.get("location")).toBe(errorRedirect("sso_disabled"));
    const bad = await fetch(`${app.url}/api/auth/sso/..%2F..%2Fx/start`, { redirect: "manual" });
    expect(bad.headers.get("location")).toBe(errorRedirect("sso_disabled"));
    const callbackOfUnknown = await fetch(`${app.url}/api/auth/sso/nope/callback?code=x&state=y`, {
      redirect: "manual",
    });
    expect(callbackOfUnknown.headers.get("location")).toBe(errorRedirect("sso_state"));
  });
});

describe("single sign-on: attacks on the round trip", () => {
  it("refuses a tampered, unknown or missing state", async () => {
    account("sub-hank", "hank@example.com", true);
    const { browser, authorizeUrl } = await start();
    const url = new URL(await atProvider(authorizeUrl, "sub-hank"));
    const state = url.searchParams.get("state")!;
    const tampered = new URL(url);
    tampered.searchParams.set("state", `${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`);
    expect((await callback(tampered.href, browser)).location).toBe(errorRedirect("sso_state"));
    const missing = new URL(url);
    missing.searchParams.delete("state");
    expect((await callback(missing.href, browser)).location).toBe(errorRedirect("sso_state"));
    const junk = new URL(url);
    junk.searchParams.set("state", "'; DROP TABLE oidc_flows; --");
    const refused = await callback(junk.href, browser);
    expect(refused.location).toBe(errorRedirect("sso_state"));
    expect(refused.sessionCookie).toBeUndefined();
    expect((await ssoAudit("failure"))!.details).toMatchObject({ code: "sso_state" });
    // The real one still works after all that.
    const real = await callback(url.href, browser);
    expect(real.sessionCookie).toBeDefined();
  });

  it("uses a state once: the callback replayed is refused", async () => {
    account("sub-ivy", "ivy@example.com", true);
    const { browser, authorizeUrl } = await start();
    const url = await atProvider(authorizeUrl, "sub-ivy");
    const first = await callback(url, browser);
    expect(first.sessionCookie).toBeDefined();
    const replay = await callback(url, browser);
    expect(replay.status).toBe(302);
    expect(replay.location).toBe(errorRedirect("sso_state"));
    expect(replay.sessionCookie).toBeUndefined();
  });

  it("refuses a callback in another browser (no or another binding cookie)", async () => {
    account("sub-jack", "jack@example.com", true);
    // The attacker's own round trip, handed to a victim whose browser has no binding cookie...
    const attacker = await start();
    const url = await atProvider(attacker.authorizeUrl, "sub-jack");
    const noCookie = await callback(url, new CookieJar());
    expect(noCookie.location).toBe(errorRedirect("sso_state"));
    expect(noCookie.sessionCookie).toBeUndefined();
    // ...or the binding cookie of a round trip of its own.
    const victim = await start();
    const second = await start();
    const url2 = await atProvider(second.authorizeUrl, "sub-jack");
    const otherCookie = await callback(url2, victim.browser);
    expect(otherCookie.location).toBe(errorRedirect("sso_state"));
    expect(otherCookie.sessionCookie).toBeUndefined();
    expect((await ssoAudit("failure"))!.details).toMatchObject({ reason: "started in another browser" });
    expect(await linksOf("sub-jack")).toEqual([]);
  });

  it("refuses an ID token whose nonce is not the round trip's", async () => {
    account("sub-kate", "kate@example.com", true);
    const { browser, authorizeUrl } = await start();
    const url = await atProvider(authorizeUrl, "sub-kate");
    // The stored nonce no longer matches the one the provider put in the ID token.
    await db.query("UPDATE oidc_flows SET nonce = 'not-the-nonce-that-was-sent'");
    const landing = await callback(url, browser);
    expect(landing.location).toBe(errorRedirect("sso_failed"));
    expect(landing.sessionCookie).toBeUndefined();
    expect(String((await ssoAudit("failure"))!.details.reason)).toMatch(/nonce/);
    expect(await linksOf("sub-kate")).toEqual([]);
  });

  it("refuses a code redeemed with another round trip's PKCE verifier", async () => {
    account("sub-leo", "leo@example.com", true);
    const browser = new CookieJar();
    const first = await start("test", undefined, browser);
    const second = await start("test", undefined, browser);
    const url1 = new URL(await atProvider(first.authorizeUrl, "sub-leo"));
    // The code of the first round trip, with the state of the second (same browser).
    url1.searchParams.set("state", second.authorizeUrl.searchParams.get("state")!);
    const landing = await callback(url1.href, browser);
    expect(landing.location).toBe(errorRedirect("sso_failed"));
    expect(landing.sessionCookie).toBeUndefined();
  });

  it("refuses an expired round trip", async () => {
    account("sub-mia", "mia@example.com", true);
    const { browser, authorizeUrl } = await start();
    const url = await atProvider(authorizeUrl, "sub-mia");
    await db.query("UPDATE oidc_flows SET expires_at = now() - interval '1 second'");
    const landing = await callback(url, browser);
    expect(landing.location).toBe(errorRedirect("sso_expired"));
    expect(landing.sessionCookie).toBeUndefined();
  });

  it("refuses a state of another provider", async () => {
    account("sub-ned", "ned@example.com", true);
    const { browser, authorizeUrl } = await start("test");
    const url = new URL(await atProvider(authorizeUrl, "sub-ned"));
    const moved = `${callbackOf("other")}${url.search}`;
    expect((await callback(moved, browser)).location).toBe(errorRedirect("sso_state"));
  });
});

describe("single sign-on: accounts and the second factor", () => {
  it("still asks for the second factor: no session until the code", async () => {
    const { user } = await ensureUser(db, "otto@example.com", "user");
    const enrolment = await beginTotpEnrolment(db, app.identity.keys, user.id, user.email);
    const confirmed = await checkSecondFactor(
      db,
      app.identity.keys,
      user.id,
      currentTotp(enrolment!.secret),
      {
        confirmEnrolment: true,
      },
    );
    expect(confirmed.ok).toBe(true);
    account("sub-otto", "otto@example.com", true);
    const landing = await signInWithSso("sub-otto", { next: "/after" });
    expect(landing.location).toBe("/login/mfa");
    expect(landing.sessionCookie).toBeUndefined();
    const challenge = landing.browser.get("clawden_mfa");
    expect(challenge).toBeDefined();
    const verify = await fetch(`${app.url}/api/auth/mfa/verify`, {
      method: "POST",
      headers: { ...app.sameOrigin, cookie: landing.browser.header() },
      body: JSON.stringify({ code: currentTotp(enrolment!.secret, Date.now() + 30_000) }),
    });
    expect(verify.status).toBe(200);
    expect(((await verify.json()) as { next: string }).next).toBe("/after");
    const session = verify.headers
      .getSetCookie()
      .find((c) => c.startsWith("clawden_session="))!
      .split(";")[0]!;
    expect((await me(session)).body.user.id).toBe(user.id);
  });

  it("sends someone who must enrol to /login/mfa/enrol", async () => {
    await policy({ mfaRequired: "everyone" });
    account("sub-pia", "pia@example.com", true);
    const landing = await signInWithSso("sub-pia");
    expect(landing.location).toBe("/login/mfa/enrol");
    expect(landing.sessionCookie).toBeUndefined();
  });

  it("respects the sign-up policy: approval makes a pending account and says so", async () => {
    await policy({ mode: "approval" });
    account("sub-quinn", "quinn@example.com", true);
    const landing = await signInWithSso("sub-quinn");
    expect(landing.location).toBe(errorRedirect("account_pending"));
    expect(landing.sessionCookie).toBeUndefined();
    const user = await findUserByEmail(db, "quinn@example.com");
    expect(user?.state).toBe("pending");
    // Once approved, the same subject signs in.
    await db.query("UPDATE users SET state = 'active' WHERE id = $1", [user!.id]);
    const later = await signInWithSso("sub-quinn");
    expect((await me(later.sessionCookie!)).body.user.id).toBe(user!.id);
  });

  it("respects the sign-up policy: an address not on the allowlist gets no account", async () => {
    await policy({ mode: "allowlist", allowlist: ["@allowed.example"] });
    account("sub-rita", "rita@example.com", true);
    expect((await signInWithSso("sub-rita")).location).toBe(errorRedirect("sign_up_closed"));
    expect(await findUserByEmail(db, "rita@example.com")).toBeNull();
    account("sub-sam", "sam@allowed.example", true);
    expect((await signInWithSso("sub-sam")).sessionCookie).toBeDefined();
  });

  it("refuses suspended accounts, linked or not", async () => {
    account("sub-tom", "tom@example.com", true);
    const first = await signInWithSso("sub-tom");
    const { id } = (await me(first.sessionCookie!)).body.user;
    await db.query("UPDATE users SET state = 'suspended' WHERE id = $1", [id]);
    const landing = await signInWithSso("sub-tom");
    expect(landing.location).toBe(errorRedirect("account_suspended"));
    expect(landing.sessionCookie).toBeUndefined();
    const { user } = await ensureUser(db, "uma@example.com", "user");
    await db.query("UPDATE users SET state = 'suspended' WHERE id = $1", [user.id]);
    account("sub-uma", "uma@example.com", true);
    expect((await signInWithSso("sub-uma")).location).toBe(errorRedirect("account_suspended"));
    expect(await linksOf("sub-uma")).toEqual([]);
  });

  it("ends the session the browser had when it signs in again", async () => {
    account("sub-vic", "vic@example.com", true);
    const first = await signInWithSso("sub-vic");
    const browser = first.browser;
    expect(browser.get("clawden_session")).toBeDefined();
    const again = await signInWithSso("sub-vic", { browser });
    expect(again.sessionCookie).toBeDefined();
    expect(again.sessionCookie).not.toBe(first.sessionCookie);
    expect((await me(first.sessionCookie!)).status).toBe(401);
  });
});

describe("single sign-on: the admin API", () => {
  it("answers anonymous callers 401 and non-admins 404", async () => {
    expect((await fetch(`${app.url}/api/admin/sso`)).status).toBe(401);
    const { cookie } = await app.signIn("plain-user@example.com");
    const meRes = await fetch(`${app.url}/api/me`, { headers: { cookie } });
    const { csrfToken } = (await meRes.json()) as { csrfToken: string };
    const user = { cookie, csrf: csrfToken };
    expect((await adminCall("GET", "/api/admin/sso", undefined, user)).status).toBe(404);
    const put = await adminCall(
      "PUT",
      "/api/admin/sso/evil",
      { name: "Evil", issuer: "https://evil.example", clientId: "x", enabled: true },
      user,
    );
    expect(put.status).toBe(404);
    expect((await adminCall("DELETE", "/api/admin/sso/test", undefined, user)).status).toBe(404);
    expect((await db.query("SELECT 1 FROM oidc_providers WHERE id = 'evil'")).rowCount).toBe(0);
  });

  it("never returns the client secret, and stores it sealed", async () => {
    const listed = await adminCall("GET", "/api/admin/sso");
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(CLIENT_SECRET);
    expect(listed.body.providers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "test",
          name: "Test IdP",
          issuer: idp.issuer,
          clientId: "clawden",
          scopes: "openid email profile",
          enabled: true,
          hasSecret: true,
        }),
      ]),
    );
    for (const provider of listed.body.providers) expect(provider).not.toHaveProperty("clientSecret");
    const { rows } = await db.query<{ client_secret_sealed: Buffer }>(
      "SELECT client_secret_sealed FROM oidc_providers WHERE id = 'test'",
    );
    expect(rows[0]!.client_secret_sealed.includes(Buffer.from(CLIENT_SECRET))).toBe(false);
    const audit = await db.query("SELECT details::text AS d FROM audit_events WHERE action LIKE 'sso.%'");
    expect(JSON.stringify(audit.rows)).not.toContain(CLIENT_SECRET);
  });

  it("keeps the stored secret when a save omits it, and sign-in keeps working", async () => {
    const saved = await adminCall("PUT", "/api/admin/sso/test", {
      name: "Test IdP (renamed)",
      issuer: idp.issuer,
      clientId: "clawden",
      enabled: true,
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.provider).toMatchObject({ name: "Test IdP (renamed)", hasSecret: true });
    expect(saved.text).not.toContain(CLIENT_SECRET);
    account("sub-wendy", "wendy@example.com", true);
    expect((await signInWithSso("sub-wendy")).sessionCookie).toBeDefined();
    const { rows } = await db.query<{ details: Record<string, unknown> }>(
      "SELECT details FROM audit_events WHERE action = 'sso.provider_saved' ORDER BY seq DESC LIMIT 1",
    );
    expect(rows[0]!.details).toMatchObject({ created: false, secretChanged: false });
  });

  it("uses a changed secret at once (the cached configuration is dropped)", async () => {
    const wrong = await adminCall("PUT", "/api/admin/sso/test", {
      name: "Test IdP",
      issuer: idp.issuer,
      clientId: "clawden",
      clientSecret: "not-the-secret",
      enabled: true,
    });
    expect(wrong.status).toBe(200);
    account("sub-xena", "xena@example.com", true);
    expect((await signInWithSso("sub-xena")).location).toBe(errorRedirect("sso_failed"));
    const right = await adminCall("PUT", "/api/admin/sso/test", {
      name: "Test IdP",
      issuer: idp.issuer,
      clientId: "clawden",
      clientSecret: CLIENT_SECRET,
      enabled: true,
    });
    expect(right.status).toBe(200);
    expect((await signInWithSso("sub-xena")).sessionCookie).toBeDefined();
  });

  it("refuses plain-http issuers other than loopback, and other malformed bodies", async () => {
    const base = { name: "X", clientId: "x", enabled: true };
    for (const issuer of [
      "http://idp.example.com",
      "http://10.0.0.1",
      "ftp://idp.example.com",
      "not a url",
      "https://idp.example.com/?q=1",
      "https://idp.example.com/.well-known/openid-configuration",
    ]) {
      const res = await adminCall("PUT", "/api/admin/sso/bad", { ...base, issuer });
      expect(res.status, issuer).toBe(400);
    }
    expect(
      (
        await adminCall("PUT", "/api/admin/sso/bad", {
          ...base,
          issuer: "https://idp.example.com",
          scopes: "email",
        })
      ).status,
    ).toBe(400);
    expect(
      (await adminCall("PUT", "/api/admin/sso/Bad_Id", { ...base, issuer: "https://idp.example.com" }))
        .status,
    ).toBe(400);
    expect(
      (await adminCall("PUT", "/api/admin/sso/bad", { ...base, issuer: "https://idp.example.com", extra: 1 }))
        .status,
    ).toBe(400);
    expect((await db.query("SELECT 1 FROM oidc_providers WHERE id = 'bad'")).rowCount).toBe(0);
    for (const issuer of [
      "https://idp.example.com",
      "http://localhost:9999",
      "http://127.0.0.1:9999/realms/x",
    ]) {
      const res = await adminCall("PUT", "/api/admin/sso/good", { ...base, issuer, enabled: false });
      expect(res.status, `${issuer}: ${res.text}`).toBeLessThan(300);
    }
    expect((await adminCall("DELETE", "/api/admin/sso/good")).status).toBe(204);
  });

  it("needs the CSRF token and our origin for changes", async () => {
    const body = JSON.stringify({
      name: "X",
      issuer: "https://idp.example.com",
      clientId: "x",
      enabled: true,
    });
    const noToken = await fetch(`${app.url}/api/admin/sso/csrf`, {
      method: "PUT",
      headers: { ...app.sameOrigin, cookie: admin.cookie },
      body,
    });
    expect(noToken.status).toBe(403);
    const crossSite = await fetch(`${app.url}/api/admin/sso/csrf`, {
      method: "PUT",
      headers: {
        ...app.sameOrigin,
        origin: "https://evil.example",
        cookie: admin.cookie,
        "x-csrf-token": admin.csrf,
      },
      body,
    });
    expect(crossSite.status).toBe(403);
    expect((await db.query("SELECT 1 FROM oidc_providers WHERE id = 'csrf'")).rowCount).toBe(0);
  });

  it("needs a recent sign-in to change providers", async () => {
    const stale = await adminSession("stale-admin@example.com");
    const { rows } = await db.query<{ id: string }>(
      "SELECT id FROM users WHERE email = 'stale-admin@example.com'",
    );
    await db.query("UPDATE sessions SET authenticated_at = now() - interval '1 hour' WHERE user_id = $1", [
      rows[0]!.id,
    ]);
    const body = { name: "Late", issuer: "https://idp.example.com", clientId: "x", enabled: true };
    const put = await adminCall("PUT", "/api/admin/sso/late", body, stale);
    expect(put.status).toBe(403);
    expect(put.body.error.code).toBe("reauth_required");
    expect((await adminCall("DELETE", "/api/admin/sso/test", undefined, stale)).status).toBe(403);
    expect((await adminCall("GET", "/api/admin/sso", undefined, stale)).status).toBe(200);
  });

  it("disables and deletes providers, with audit events; links go with the provider", async () => {
    const saved = await adminCall("PUT", "/api/admin/sso/temp", {
      name: "Temporary",
      issuer: idp.issuer,
      clientId: "clawden",
      clientSecret: CLIENT_SECRET,
      enabled: false,
    });
    expect(saved.status).toBe(201);
    expect(saved.body.provider).toMatchObject({ id: "temp", enabled: false, hasSecret: true });
    const listed = (await (await fetch(`${app.url}/api/auth/sso`)).json()) as { providers: { id: string }[] };
    expect(listed.providers.map((p) => p.id)).not.toContain("temp");
    const disabled = await fetch(`${app.url}/api/auth/sso/temp/start`, { redirect: "manual" });
    expect(disabled.headers.get("location")).toBe(errorRedirect("sso_disabled"));

    expect((await adminCall("DELETE", "/api/admin/sso/temp")).status).toBe(204);
    expect((await adminCall("DELETE", "/api/admin/sso/temp")).status).toBe(404);
    const { rows } = await db.query<{ action: string; actor_id: string; target_id: string }>(
      "SELECT action, actor_id, target_id FROM audit_events WHERE target_type = 'sso_provider' AND target_id = 'temp' ORDER BY seq",
    );
    expect(rows.map((r) => r.action)).toEqual(["sso.provider_saved", "sso.provider_deleted"]);
  });
});

describe.each(DATABASE_KINDS)("the single sign-on store on %s", (kind) => {
  let handle: TestDatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await migrate(handle.db, managementMigrations());
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("creates, updates (keeping or replacing the secret) and deletes providers", async () => {
    const store = handle.db;
    const input = {
      id: "acme",
      name: "Acme",
      issuer: "https://idp.acme.example",
      clientId: "c1",
      clientSecretSealed: Buffer.from("sealed-1"),
      scopes: "openid email",
      enabled: true,
    };
    const created = await upsertOidcProvider(store, input);
    expect(created.created).toBe(true);
    const kept = await upsertOidcProvider(store, { ...input, name: "Acme 2", clientSecretSealed: undefined });
    expect(kept.created).toBe(false);
    expect(kept.provider).toMatchObject({ name: "Acme 2", clientSecretSealed: Buffer.from("sealed-1") });
    expect(kept.provider.updatedAt.getTime()).toBeGreaterThanOrEqual(created.provider.updatedAt.getTime());
    const cleared = await upsertOidcProvider(store, { ...input, clientSecretSealed: null });
    expect(cleared.provider.clientSecretSealed).toBeNull();
    expect(await deleteOidcProvider(store, "acme")).not.toBeNull();
    expect(await getOidcProvider(store, "acme")).toBeNull();
    expect(await deleteOidcProvider(store, "acme")).toBeNull();
  });

  it("takes a flow once, even when two take it at once; links a subject once", async () => {
    const store = handle.db;
    await upsertOidcProvider(store, {
      id: "flows",
      name: "Flows",
      issuer: "https://idp.flows.example",
      clientId: "c",
      clientSecretSealed: undefined,
      scopes: "openid",
      enabled: true,
    });
    const stateHash = hashSecret(newSecretToken());
    await insertOidcFlow(store, {
      stateHash,
      providerId: "flows",
      browserHash: hashSecret(newSecretToken()),
      nonce: "n",
      codeVerifierSealed: Buffer.from("v"),
      nextPath: "/x",
      ttlMs: 60_000,
    });
    const taken = await Promise.all([takeOidcFlow(store, stateHash), takeOidcFlow(store, stateHash)]);
    expect(taken.filter((t) => t !== null)).toHaveLength(1);
    expect(taken.find((t) => t !== null)).toMatchObject({ providerId: "flows", nextPath: "/x", live: true });

    const { user } = await ensureUser(store, "store@example.com", "user");
    const link = { providerId: "flows", subject: "s1", userId: user.id, email: "store@example.com" };
    expect(await insertLinkedIdentity(store, link)).toBe(true);
    expect(await insertLinkedIdentity(store, link)).toBe(false);
    expect(await findLinkedIdentity(store, "flows", "s1")).toMatchObject({ userId: user.id });
  });
});
