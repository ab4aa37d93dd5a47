// admin-ui's identity pages in Chromium against the real management-server and PostgreSQL: the users
// list (search, state filter, pages, all kept in the address bar), a user's page and its actions
// (approve; suspend, which cuts off the user's browser session and API key at once; reactivate; a role
// change that asks the administrator to re-authenticate, by email link or by authenticator code), the
// sign-up settings, and the audit log (filters, older pages, CSV export).
import { readFile } from "node:fs/promises";
import type { WatchedPage } from "@clawden/kit/testing";
import { describe, expect, it } from "vitest";
import { recordAuditAlone } from "../src/audit/log.js";
import { ensureUser, type Role, type UserState } from "../src/db/users.js";
import { currentTotp } from "../src/domain/totp.js";
import { useBrowserApp } from "./support/browser-app.js";

const t = useBrowserApp();

/** Creates (or finds) a user directly in the database, in `state`. */
async function makeUser(email: string, state: UserState = "active", role: Role = "user") {
  const { user } = await ensureUser(t.db, email, role);
  await t.db.query("UPDATE users SET state = $2, role = $3 WHERE id = $1", [user.id, state, role]);
  return { ...user, state, role };
}

/** A page signed in as the administrator `email`, at `path`. */
async function adminAt(email: string, path: string): Promise<WatchedPage> {
  const w = await t.open();
  await t.signInBrowser(w, email, "admin");
  await w.page.goto(path);
  return w;
}

/** The page's session's anti-CSRF token. */
async function csrfOf(w: WatchedPage): Promise<string> {
  const res = await w.page.request.get("/api/me");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

/** A state-changing API call with the page's cookies, as our own web app would make it. */
async function send(w: WatchedPage, method: "POST" | "PUT" | "DELETE", path: string, data?: unknown) {
  const headers = { origin: t.app.url, "x-csrf-token": await csrfOf(w) };
  return w.page.request.fetch(path, { method, headers, data });
}

/** The text of the users list's status line ("Showing 1–25 of 30"). */
function showing(w: WatchedPage) {
  return w.page.getByRole("status").filter({ hasText: /Showing|No users/ });
}

/** Body rows of the first table on the page (the header row left out). */
function bodyRows(w: WatchedPage) {
  return w.page.locator("tbody tr");
}

async function auditCount(action: string, targetId: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND target_id = $2",
    [action, targetId],
  );
  return rows[0]!.n;
}

describe("admin-ui: identity", () => {
  it("turns away a signed-in user who is not an administrator, on every admin page", async () => {
    const w = await t.open();
    await t.signInBrowser(w, "not-admin@example.com");
    for (const path of ["/admin/users", "/admin/audit", "/admin/settings"]) {
      await w.page.goto(path);
      await w.page.getByRole("heading", { name: "This account is not an administrator" }).waitFor();
      expect(await w.page.getByRole("navigation", { name: "Admin pages" }).count()).toBe(0);
    }
    // The API does not even admit the routes exist.
    expect((await w.page.request.get("/api/admin/users")).status()).toBe(404);
    expect(w.problems()).toEqual([]);
  });

  it("searches, filters and pages the users list, with the state in the address bar", async () => {
    for (let i = 1; i <= 30; i++) {
      const n = String(i).padStart(2, "0");
      await makeUser(`member-${n}@roster.example`, i <= 5 ? "pending" : i <= 8 ? "suspended" : "active");
    }
    const w = await adminAt("lister@example.com", "/admin/");
    await w.page.getByRole("link", { name: "Users", exact: true }).click();
    await w.page.waitForURL(`${t.app.url}/admin/users`);
    await w.page.getByRole("heading", { name: "Users" }).waitFor();
    expect(await w.page.title()).toBe("Users · Clawden admin");
    expect(await w.page.getByRole("link", { name: "Users", exact: true }).getAttribute("aria-current")).toBe(
      "page",
    );

    // Search: typed, debounced, then in the address bar.
    await w.page.getByLabel("Search by email").fill("roster.example");
    await w.page.waitForURL(`${t.app.url}/admin/users?q=roster.example`);
    await showing(w).filter({ hasText: "Showing 1–25 of 30" }).waitFor();
    expect(await bodyRows(w).count()).toBe(25);
    expect(await w.page.getByRole("button", { name: "Previous" }).isDisabled()).toBe(true);
    await w.screenshot("admin-users-list");

    // Next page, and back again with the browser's Back.
    await w.page.getByRole("button", { name: "Next" }).click();
    await w.page.waitForURL(`${t.app.url}/admin/users?q=roster.example&page=2`);
    await showing(w).filter({ hasText: "Showing 26–30 of 30" }).waitFor();
    expect(await bodyRows(w).count()).toBe(5);
    expect(await w.page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);
    await w.page.goBack();
    await w.page.waitForURL(`${t.app.url}/admin/users?q=roster.example`);
    await showing(w).filter({ hasText: "Showing 1–25 of 30" }).waitFor();

    // State filter: back to page 1 of the pending ones.
    await w.page.getByLabel("State", { exact: true }).selectOption("pending");
    await w.page.waitForURL(`${t.app.url}/admin/users?q=roster.example&state=pending`);
    await showing(w).filter({ hasText: "Showing 1–5 of 5" }).waitFor();
    const states = await bodyRows(w).locator("td:nth-child(3)").allTextContents();
    expect(states.map((s) => s.trim())).toEqual(Array(5).fill("Pending"));
    const emails = (await bodyRows(w).locator("th").allTextContents()).map((e) => e.trim()).sort();
    expect(emails).toEqual([1, 2, 3, 4, 5].map((i) => `member-0${i}@roster.example`));

    // The address alone restores the list: a reload, and a bookmark-like visit.
    await w.page.reload();
    await showing(w).filter({ hasText: "Showing 1–5 of 5" }).waitFor();
    expect(await w.page.getByLabel("Search by email").inputValue()).toBe("roster.example");
    expect(await w.page.getByLabel("State", { exact: true }).inputValue()).toBe("pending");
    await w.page.goto("/admin/users?q=member-1&state=active&pageSize=10");
    // member-10 … member-19, all active: one page of ten.
    await showing(w).filter({ hasText: "Showing 1–10 of 10" }).waitFor();
    expect(await w.page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);
    await w.page.goto("/admin/users?q=roster.example&role=admin");
    await showing(w).filter({ hasText: "No users match" }).waitFor();
    await w.page.getByText("No users match these filters.").waitFor();

    // Back twice: the pending filter again, from history.
    await w.page.goBack();
    await w.page.goBack();
    await showing(w).filter({ hasText: "Showing 1–5 of 5" }).waitFor();

    // An email opens the user's page.
    await w.page.getByRole("link", { name: "member-03@roster.example" }).click();
    await w.page.getByRole("heading", { name: "member-03@roster.example" }).waitFor();
    expect(new URL(w.page.url()).pathname).toMatch(/^\/admin\/users\/[0-9a-f-]{36}$/);
    expect(await w.page.title()).toBe("User · Clawden admin");
    expect(w.problems()).toEqual([]);
  });

  it("shows unknown user ids as not found", async () => {
    const w = await adminAt("finder@example.com", "/admin/users/00000000-0000-4000-8000-000000000000");
    await w.page.getByRole("heading", { name: "User not found" }).waitFor();
    await w.page.goto("/admin/users/not-a-user-id");
    await w.page.getByRole("heading", { name: "User not found" }).waitFor();
    await w.page.getByRole("link", { name: "Go to all users" }).click();
    await w.page.waitForURL(`${t.app.url}/admin/users`);
    expect(w.problems()).toEqual([]);
  });

  it("approves a pending user", async () => {
    const pending = await makeUser("waiting@example.com", "pending");
    const w = await adminAt("approver@example.com", `/admin/users/${pending.id}`);
    await w.page.getByRole("heading", { name: "waiting@example.com" }).waitFor();
    expect(await w.page.getByTestId("user-state").textContent()).toBe("Pending");
    await w.page.getByRole("button", { name: "Approve" }).click();
    await w.page.getByRole("status").filter({ hasText: "Approved" }).waitFor();
    expect(await w.page.getByTestId("user-state").textContent()).toBe("Active");
    expect(await w.page.getByRole("button", { name: "Approve" }).count()).toBe(0);
    const { rows } = await t.db.query<{ state: string }>("SELECT state FROM users WHERE id = $1", [
      pending.id,
    ]);
    expect(rows[0]!.state).toBe("active");
    expect(await auditCount("user.approved", pending.id)).toBe(1);
    expect(w.problems()).toEqual([]);
  });

  it("suspends a user: their browser session and API key stop working at once; then reactivates", async () => {
    // The user, signed in in a browser of their own, with an API key.
    const v = await t.open();
    const victim = await t.signInBrowser(v, "victim@example.com");
    await v.page.goto("/");
    await v.page.getByText("Signed in as").waitFor();
    const created = await send(v, "POST", "/api/account/api-keys", {
      name: "laptop script",
      scopes: ["account:read"],
      expiresInDays: null,
    });
    expect(created.status()).toBe(201);
    const { secret, apiKey } = (await created.json()) as { secret: string; apiKey: { prefix: string } };
    const keyMe = () => fetch(`${t.app.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await keyMe()).status).toBe(200);

    const w = await adminAt("suspender@example.com", `/admin/users/${victim.id}`);
    await w.page.getByRole("heading", { name: "victim@example.com" }).waitFor();
    const sessions = w.page
      .locator("section")
      .filter({ has: w.page.getByRole("heading", { name: "Sessions" }) });
    const keys = w.page.locator("section").filter({ has: w.page.getByRole("heading", { name: "API keys" }) });
    expect(await sessions.locator("tbody tr").count()).toBe(1);
    await keys.getByRole("cell", { name: "laptop script" }).waitFor();
    await keys.getByText(apiKey.prefix).waitFor();

    // Suspend asks first, and says what it does.
    await w.page.getByRole("button", { name: "Suspend" }).click();
    const dialog = w.page.getByRole("dialog", { name: "Suspend this account?" });
    await dialog.waitFor();
    // What the dialog says is slotted into it from the page.
    const said = (await w.page.locator("confirm-dialog").textContent())!.replace(/\s+/g, " ");
    expect(said).toContain("all of their sessions and API keys are revoked");
    expect(said).toContain("their container is stopped");
    await w.screenshot("admin-user-suspend-confirm");
    // Cancel leaves everything as it was.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await w.page.getByTestId("user-state").textContent()).toBe("Active");

    await w.page.getByRole("button", { name: "Suspend" }).click();
    const [answer] = await Promise.all([
      w.page.waitForResponse((r) => r.url().endsWith(`/api/admin/users/${victim.id}/suspend`)),
      dialog.getByRole("button", { name: "Suspend" }).click(),
    ]);
    expect(answer.status()).toBe(200);
    await w.page.getByRole("status").filter({ hasText: "Suspended" }).waitFor();
    expect(await w.page.getByTestId("user-state").textContent()).toBe("Suspended");
    await sessions.getByText("No active sessions.").waitFor();
    await w.screenshot("admin-user-suspended");

    // The user's browser is signed out, and their key is refused.
    expect((await v.page.request.get("/api/me")).status()).toBe(401);
    await v.page.reload();
    await v.page.getByText("You are not signed in.").waitFor();
    expect((await keyMe()).status).toBe(401);
    expect(await auditCount("user.suspended", victim.id)).toBe(1);

    // Reactivated, they can sign in again (the revoked key stays revoked).
    await w.page.getByRole("button", { name: "Reactivate" }).click();
    await w.page.getByRole("status").filter({ hasText: "Reactivated" }).waitFor();
    expect(await w.page.getByTestId("user-state").textContent()).toBe("Active");
    await t.signInBrowser(v, "victim@example.com");
    await v.page.reload();
    await v.page.getByText("Signed in as").waitFor();
    expect((await keyMe()).status).toBe(401);
    expect(await auditCount("user.reactivated", victim.id)).toBe(1);
    expect(w.problems()).toEqual([]);
    expect(v.problems()).toEqual([]);
  });

  it("will not let an administrator suspend their own account", async () => {
    const w = await t.open();
    const me = await t.signInBrowser(w, "myself@example.com", "admin");
    await w.page.goto(`/admin/users/${me.id}`);
    await w.page.getByRole("heading", { name: "myself@example.com" }).waitFor();
    await w.page.getByRole("button", { name: "Suspend" }).click();
    const [answer] = await Promise.all([
      w.page.waitForResponse((r) => r.url().endsWith(`/api/admin/users/${me.id}/suspend`)),
      w.page.getByRole("dialog").getByRole("button", { name: "Suspend" }).click(),
    ]);
    expect(answer.status()).toBe(409);
    const { error } = (await answer.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("own_account");
    await w.page.getByRole("alert").filter({ hasText: error.message }).waitFor();
    expect(await w.page.getByTestId("user-state").textContent()).toBe("Active");
    expect(w.problems()).toEqual([]);
  });

  it("asks an administrator whose sign-in is old to re-authenticate by email link before a role change", async () => {
    const target = await makeUser("promoted@example.com");
    const w = await t.open();
    const admin = await t.signInBrowser(w, "granter@example.com", "admin");
    await t.db.query(
      "UPDATE sessions SET authenticated_at = now() - interval '11 minutes' WHERE user_id = $1",
      [admin.id],
    );
    await w.page.goto(`/admin/users/${target.id}`);
    await w.page.getByRole("heading", { name: "promoted@example.com" }).waitFor();
    await w.page.getByRole("button", { name: "Make admin" }).click();
    const [refused] = await Promise.all([
      w.page.waitForResponse((r) => r.url().endsWith(`/api/admin/users/${target.id}/role`)),
      w.page
        .getByRole("dialog", { name: "Make this user an administrator?" })
        .getByRole("button", { name: "Make admin" })
        .click(),
    ]);
    expect(refused.status()).toBe(403);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("reauth_required");

    // Why, and (no MFA) the email way to confirm it is them.
    const dialog = w.page.getByRole("dialog", { name: "Confirm it's you" });
    await dialog.getByText("This change needs a recent sign-in").waitFor();
    await dialog.getByRole("button", { name: "Email me a confirmation link" }).click();
    await dialog.getByText("We emailed a confirmation link").waitFor();
    await w.screenshot("admin-reauth-email");
    expect(await w.page.getByTestId("user-role").textContent()).toBe("User");

    // The link, opened in another tab of the same browser, re-authenticates this session.
    const link = await t.mailbox.waitForLink("granter@example.com");
    const tab = await w.context.newPage();
    await tab.goto(link);
    await tab.getByRole("button", { name: "Continue" }).click();
    await tab.waitForURL((url) => !url.pathname.startsWith("/login"));
    await tab.close();

    const [granted] = await Promise.all([
      w.page.waitForResponse((r) => r.url().endsWith(`/api/admin/users/${target.id}/role`)),
      dialog.getByRole("button", { name: "Continue" }).click(),
    ]);
    expect(granted.status()).toBe(200);
    await w.page
      .getByRole("status")
      .filter({ hasText: "promoted@example.com is now an administrator" })
      .waitFor();
    expect(await w.page.getByTestId("user-role").textContent()).toBe("Administrator");
    expect(await dialog.isVisible()).toBe(false);
    const { rows } = await t.db.query<{ role: string }>("SELECT role FROM users WHERE id = $1", [target.id]);
    expect(rows[0]!.role).toBe("admin");
    expect(await auditCount("user.role_changed", target.id)).toBe(1);
    expect(w.problems()).toEqual([]);
  });

  it("takes an authenticator code to re-authenticate an administrator who has MFA", async () => {
    const target = await makeUser("demoted@example.com", "active", "admin");
    const w = await t.open();
    const admin = await t.signInBrowser(w, "mfa-admin@example.com", "admin");
    // MFA set up through the API while the sign-in is fresh.
    const begun = await send(w, "POST", "/api/account/mfa/totp");
    expect(begun.status()).toBe(200);
    const { secret } = (await begun.json()) as { secret: string };
    const confirmed = await send(w, "POST", "/api/account/mfa/totp/confirm", { code: currentTotp(secret) });
    expect(confirmed.status()).toBe(200);
    await t.db.query(
      "UPDATE sessions SET authenticated_at = now() - interval '11 minutes' WHERE user_id = $1",
      [admin.id],
    );

    await w.page.goto(`/admin/users/${target.id}`);
    await w.page.getByRole("heading", { name: "demoted@example.com" }).waitFor();
    await w.page.getByRole("button", { name: "Remove admin" }).click();
    await w.page
      .getByRole("dialog", { name: "Remove administrator rights?" })
      .getByRole("button", { name: "Remove admin" })
      .click();
    // An administrator with MFA confirms it with a code: no mailed link.
    const dialog = w.page.getByRole("dialog", { name: "Confirm it's you" });
    const code = dialog.getByLabel("Code from your authenticator app");
    await code.waitFor();
    expect(await dialog.getByRole("button", { name: "Email me a confirmation link" }).count()).toBe(0);

    // A wrong code: the server's message, and another try.
    await code.fill("000000");
    const [wrong] = await Promise.all([
      w.page.waitForResponse((r) => r.url().endsWith("/api/account/reauth")),
      dialog.getByRole("button", { name: "Confirm", exact: true }).click(),
    ]);
    expect(wrong.status()).toBe(400);
    await dialog
      .getByRole("alert")
      .filter({ hasText: ((await wrong.json()) as { error: { message: string } }).error.message })
      .waitFor();

    // The next time step's code (the one used to confirm enrolment cannot be used again).
    await code.fill(currentTotp(secret, Date.now() + 30_000));
    await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
    await w.page
      .getByRole("status")
      .filter({ hasText: "demoted@example.com is no longer an administrator" })
      .waitFor();
    expect(await w.page.getByTestId("user-role").textContent()).toBe("User");
    expect(w.problems()).toEqual([]);
  });

  it("saves the sign-up settings, and shows them after a reload", async () => {
    const w = await adminAt("settler@example.com", "/admin/");
    await w.page.getByRole("link", { name: "Sign-up & SSO" }).click();
    await w.page.getByRole("heading", { name: "Sign-up & SSO" }).waitFor();
    expect(await w.page.title()).toBe("Sign-up & SSO · Clawden admin");
    const save = w.page.getByRole("button", { name: "Save sign-up settings" });
    await save.waitFor();
    await expect.poll(() => save.isEnabled()).toBe(true);
    try {
      await w.page.getByRole("radio", { name: /^Allowlist/ }).check();
      // A line that is neither an email nor a domain is refused before anything is sent.
      await w.page
        .getByLabel("Allowlist", { exact: true })
        .fill("friend@example.com\nnot a domain\n@Partner.example");
      await save.click();
      await w.page.getByRole("alert").filter({ hasText: "Not an email or @domain: not a domain" }).waitFor();

      await w.page
        .getByLabel("Allowlist", { exact: true })
        .fill("friend@example.com\n\n@Partner.example\nfriend@example.com");
      await w.page.getByRole("radio", { name: "Everyone must use MFA" }).check();
      const [saved] = await Promise.all([
        w.page.waitForResponse(
          (r) => r.url().endsWith("/api/admin/settings/sign-up") && r.request().method() === "PUT",
        ),
        save.click(),
      ]);
      expect(saved.status()).toBe(200);
      await w.page.getByRole("status").filter({ hasText: "Sign-up settings saved." }).waitFor();

      await w.page.reload();
      await expect
        .poll(() => w.page.getByLabel("Allowlist", { exact: true }).inputValue())
        .toBe("friend@example.com\n@partner.example");
      expect(await w.page.getByRole("radio", { name: /^Allowlist/ }).isChecked()).toBe(true);
      expect(await w.page.getByRole("radio", { name: "Everyone must use MFA" }).isChecked()).toBe(true);
      const settings = await (await w.page.request.get("/api/admin/settings/sign-up")).json();
      expect(settings).toEqual({
        mode: "allowlist",
        allowlist: ["friend@example.com", "@partner.example"],
        mfaRequired: "everyone",
      });
      await w.screenshot("admin-settings");
      expect(w.problems()).toEqual([]);
    } finally {
      // Later tests sign people in without MFA.
      await t.db.query("DELETE FROM settings WHERE key = 'sign_up'");
    }
  });

  it("adds, edits and deletes an SSO provider, its secret write-only, deleting after re-authentication", async () => {
    const w = await t.open();
    const admin = await t.signInBrowser(w, "sso-admin@example.com", "admin");
    await w.page.goto("/admin/settings");
    const sso = w.page
      .locator("section")
      .filter({ has: w.page.getByRole("heading", { name: "Single sign-on" }) });
    await sso.getByText("No providers yet.").waitFor();

    await sso.getByRole("button", { name: "Add a provider" }).click();
    await sso.getByLabel("Id", { exact: true }).fill("corp");
    await sso.getByLabel("Name", { exact: true }).fill("Corp SSO");
    await sso.getByLabel("Issuer URL").fill("https://login.corp.example");
    await sso.getByLabel("Client id").fill("clawden-app");
    await sso.getByLabel("Client secret").fill("s3cret-value");
    expect(await sso.getByLabel("Scopes").inputValue()).toBe("openid email profile");
    await sso.getByText(`${t.app.url}/api/auth/sso/corp/callback`).waitFor();
    await sso.getByRole("button", { name: "Save provider" }).click();
    await sso.getByRole("status").filter({ hasText: "Saved the provider “Corp SSO”." }).waitFor();
    const row = sso.locator("tbody tr").filter({ hasText: "Corp SSO" });
    await row.getByText("Set", { exact: true }).waitFor();
    await row.getByText("Enabled", { exact: true }).waitFor();
    const { rows: stored } = await t.db.query<{ sealed: Buffer }>(
      "SELECT client_secret_sealed AS sealed FROM oidc_providers WHERE id = 'corp'",
    );
    expect(stored[0]!.sealed.includes(Buffer.from("s3cret-value"))).toBe(false);
    const offered = await (await fetch(`${t.app.url}/api/auth/sso`)).json();
    expect(offered).toEqual({ providers: [{ id: "corp", name: "Corp SSO" }] });

    // Edit: the secret field starts empty and, left so, keeps the stored secret.
    await row.getByRole("button", { name: "Edit Corp SSO" }).click();
    expect(await sso.getByLabel("Id", { exact: true }).getAttribute("readonly")).not.toBeNull();
    expect(await sso.getByLabel("Client secret").inputValue()).toBe("");
    await sso.getByLabel("Name", { exact: true }).fill("Corp");
    await sso.getByLabel("Enabled: offered on the sign-in page").uncheck();
    await sso.getByRole("button", { name: "Save provider" }).click();
    await sso.getByRole("status").filter({ hasText: "Saved the provider “Corp”." }).waitFor();
    const edited = sso.locator("tbody tr").filter({ hasText: "clawden-app" });
    await edited.getByText("Disabled", { exact: true }).waitFor();
    await edited.getByText("Set", { exact: true }).waitFor();
    const { providers } = await (await w.page.request.get("/api/admin/sso")).json();
    expect(providers).toMatchObject([{ id: "corp", name: "Corp", hasSecret: true, enabled: false }]);
    expect(await (await fetch(`${t.app.url}/api/auth/sso`)).json()).toEqual({ providers: [] });
    await w.screenshot("admin-sso");

    // Deleting with an old sign-in: confirm it is you (by email link), then it goes through.
    await t.db.query(
      "UPDATE sessions SET authenticated_at = now() - interval '11 minutes' WHERE user_id = $1",
      [admin.id],
    );
    await edited.getByRole("button", { name: "Delete Corp" }).click();
    await w.page
      .getByRole("dialog", { name: "Delete this provider?" })
      .getByRole("button", { name: "Delete" })
      .click();
    const dialog = w.page.getByRole("dialog", { name: "Confirm it's you" });
    await dialog.getByRole("button", { name: "Email me a confirmation link" }).click();
    const link = await t.mailbox.waitForLink("sso-admin@example.com");
    const tab = await w.context.newPage();
    await tab.goto(link);
    await tab.getByRole("button", { name: "Continue" }).click();
    await tab.waitForURL((url) => !url.pathname.startsWith("/login"));
    await tab.close();
    await dialog.getByRole("button", { name: "Continue" }).click();
    await sso.getByRole("status").filter({ hasText: "Deleted the provider “Corp”." }).waitFor();
    await sso.getByText("No providers yet.").waitFor();
    expect(await dialog.isVisible()).toBe(false);
    const { rows: left } = await t.db.query("SELECT id FROM oidc_providers");
    expect(left).toEqual([]);
    expect(w.problems()).toEqual([]);
  });

  it("shows the audit log with filters, older pages and a CSV export", async () => {
    // 55 events of one actor, for more than one page.
    const busy = await makeUser("busy-bee@example.com");
    for (let i = 0; i < 55; i++) {
      await recordAuditAlone(t.db, {
        action: "session.revoked",
        outcome: "success",
        actorId: busy.id,
        targetType: "session",
        targetId: `bulk-${i}`,
        ip: "192.0.2.7",
        details: { n: i },
      });
    }
    // Then a suspension to find (the newest event), by an administrator of this test.
    const target = await makeUser("audited@example.com");
    const w = await adminAt("auditor@example.com", "/admin/");
    const suspended = await send(w, "POST", `/api/admin/users/${target.id}/suspend`);
    expect(suspended.status()).toBe(200);

    await w.page.getByRole("link", { name: "Audit log" }).click();
    await w.page.getByRole("heading", { name: "Audit log" }).waitFor();
    expect(await w.page.title()).toBe("Audit log · Clawden admin");
    const row = w.page
      .locator("tbody tr")
      .filter({ hasText: "user.suspended" })
      .filter({ hasText: target.id });
    await row.waitFor();
    expect(await row.getByText("auditor@example.com").count()).toBe(1);
    expect(await row.getByText("success").count()).toBe(1);

    // Filter by action: only suspensions remain.
    await w.page.getByLabel("Action", { exact: true }).fill("user.suspended");
    await w.page.getByRole("button", { name: "Apply filters" }).click();
    await w.page
      .getByRole("status")
      .filter({ hasText: /events? shown/ })
      .waitFor();
    const actions = await w.page.locator("tbody tr td.action").allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions.map((a) => a.trim()))).toEqual(new Set(["user.suspended"]));
    await row.waitFor();

    // Export with the same filters: a CSV file holding the suspension.
    const [download] = await Promise.all([
      w.page.waitForEvent("download"),
      w.page.getByRole("link", { name: "CSV" }).click(),
    ]);
    expect(new URL(download.url()).searchParams.get("format")).toBe("csv");
    expect(new URL(download.url()).searchParams.get("action")).toBe("user.suspended");
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile(await download.path(), "utf8");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^seq,at,/);
    expect(lines.slice(1).every((line) => line.includes("user.suspended"))).toBe(true);
    expect(csv).toContain(target.id);
    expect(csv).not.toContain("session.revoked");

    // By actor: 50 of the 55, then the older 5.
    await w.page.getByLabel("Action", { exact: true }).fill("");
    await w.page.getByLabel("Actor", { exact: true }).fill("busy-bee@example.com");
    await w.page.getByRole("button", { name: "Apply filters" }).click();
    await w.page
      .getByRole("status")
      .filter({ hasText: "50 events shown (older events can be loaded)" })
      .waitFor();
    await w.page.getByRole("button", { name: "Load older" }).click();
    await w.page.getByRole("status").filter({ hasText: "55 events shown" }).waitFor();
    expect(await w.page.getByRole("button", { name: "Load older" }).count()).toBe(0);
    expect(await w.page.locator("tbody tr").count()).toBe(55);
    // Newest first: the last one recorded leads; details are folded away until asked for.
    const first = w.page.locator("tbody tr").first();
    expect(await first.textContent()).toContain("bulk-54");
    await first.locator("summary").click();
    expect(await first.locator("pre").textContent()).toContain('"n": 54');
    await w.screenshot("admin-audit");

    // A time span that ended before any of it: nothing.
    await w.page.getByLabel("To", { exact: true }).fill("2001-01-01T00:00");
    await w.page.getByRole("button", { name: "Apply filters" }).click();
    await w.page.getByRole("status").filter({ hasText: "No events match these filters." }).waitFor();
    expect(w.problems()).toEqual([]);
  });
});
