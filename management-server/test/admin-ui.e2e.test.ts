// admin-ui in Chromium against the real management-server and PostgreSQL: the operator's first
// sign-in and the System page, anonymous visitors sent to sign in, and non-admins turned away.
import { describe, expect, it } from "vitest";
import { ensureAdminWithLink } from "../src/auth/first-admin.js";
import { useBrowserApp } from "./support/browser-app.js";

const t = useBrowserApp();

describe("admin-ui", () => {
  it("signs the operator's admin in with the CLI's link and shows every server's readiness", async () => {
    const { link } = await ensureAdminWithLink(t.db, t.app.config.PUBLIC_URL, "root@example.com");
    const w = await t.open(link.url);
    await w.page.getByRole("button", { name: "Continue" }).click();
    await w.page.waitForURL(`${t.app.url}/admin/`);
    await w.page.getByRole("heading", { name: "System" }).waitFor();
    expect(await w.page.getByTestId("admin-email").textContent()).toBe("root@example.com");

    const row = (name: string) => w.page.getByRole("row").filter({ has: w.page.getByText(name) });
    await row("management-server").getByText("Ready", { exact: true }).waitFor();
    for (const other of ["agent-server", "group-vault", "relay-server"]) {
      expect(await row(other).getByText("Not ready").count()).toBe(1);
    }
    expect(await w.page.getByRole("row").count()).toBe(5);
    await w.page.getByText("Last checked at").waitFor();
    await w.screenshot("admin-ui-system");

    const [answer] = await Promise.all([
      w.page.waitForResponse((r) => r.url() === `${t.app.url}/api/admin/system`),
      w.page.getByRole("button", { name: "Refresh" }).click(),
    ]);
    expect(answer.status()).toBe(200);
    await w.page.getByRole("button", { name: "Refresh" }).waitFor();
    expect(await w.page.getByRole("button", { name: "Refresh" }).isEnabled()).toBe(true);
    expect(w.problems()).toEqual([]);
  });

  it("sends an anonymous visitor to sign in, with the way back", async () => {
    const w = await t.open("/admin");
    await w.page.waitForURL(`${t.app.url}/login?next=/admin/`);
    await w.page.getByRole("heading", { name: "How to sign in" }).waitFor();
    expect(w.problems()).toEqual([]);
  });

  it("tells a signed-in user who is not an administrator, and lets them sign out", async () => {
    const w = await t.open();
    await t.signInBrowser(w, "plain@example.com");
    await w.page.goto("/admin/");
    await w.page.getByRole("heading", { name: "This account is not an administrator" }).waitFor();
    await w.screenshot("admin-ui-not-admin");
    await w.page.getByRole("button", { name: "Sign out" }).click();
    await w.page.waitForURL(`${t.app.url}/`);
    await w.page.getByText("You are not signed in.").waitFor();
    expect(w.problems()).toEqual([]);
  });

  it("signs an admin out from the header", async () => {
    const w = await t.open();
    await t.signInBrowser(w, "leaving@example.com", "admin");
    await w.page.goto("/admin/");
    await w.page.getByRole("heading", { name: "System" }).waitFor();
    await w.page.getByRole("button", { name: "Sign out" }).click();
    await w.page.waitForURL(`${t.app.url}/`);
    await w.page.getByText("You are not signed in.").waitFor();
    await w.page.goto("/admin/");
    await w.page.waitForURL(`${t.app.url}/login?next=/admin/`);
    expect(w.problems()).toEqual([]);
  });
});
