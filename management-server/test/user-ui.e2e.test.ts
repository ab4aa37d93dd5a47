// user-ui in Chromium against the real management-server and PostgreSQL: the start page, signing in
// through a one-time link's confirmation page (and the ways that must not work), and signing out.
import { describe, expect, it } from "vitest";
import { useBrowserApp } from "./support/browser-app.js";

const t = useBrowserApp();

/** The link's path as the server mails it, with `next` if given. */
function confirmPath(token: string, next?: string): string {
  const fragment = new URLSearchParams({ token });
  if (next !== undefined) fragment.set("next", next);
  return `/login/confirm#${fragment.toString()}`;
}

describe("user-ui", () => {
  it("shows an anonymous visitor the start page and how to sign in, with no errors or CSP violations", async () => {
    const w = await t.open("/");
    await w.page.getByText("You are not signed in.").waitFor();
    await w.page.getByRole("heading", { name: "How to sign in" }).waitFor();
    expect(await w.page.getByText("clawden-admin login-link").count()).toBe(1);
    await w.screenshot("user-ui-anonymous");
    await w.page.goto("/login?next=/admin/");
    await w.page.getByRole("heading", { name: "Sign in", exact: true }).waitFor();
    await w.page.getByRole("heading", { name: "How to sign in" }).waitFor();
    await w.page.goto("/no/such/page");
    await w.page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(w.problems()).toEqual([]);
  });

  it("signs a user in when they press Continue, after taking the token out of the address bar", async () => {
    const { token } = await t.app.linkToken("ada@example.com");
    const w = await t.open(confirmPath(token));
    const button = w.page.getByRole("button", { name: "Continue" });
    await button.waitFor();
    expect(w.page.url()).toBe(`${t.app.url}/login/confirm`);
    await w.screenshot("user-ui-confirm");
    // Hold the real request in flight to see the button disabled while it runs.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await w.page.route("**/api/auth/magic-link/consume", async (route) => {
      await held;
      await route.continue();
    });
    await button.click();
    const busy = w.page.getByRole("button", { name: "Signing in…" });
    await busy.waitFor();
    expect(await busy.isDisabled()).toBe(true);
    release();
    await w.page.waitForURL(`${t.app.url}/`);
    expect(await w.page.getByTestId("email").textContent()).toBe("ada@example.com");
    await w.screenshot("user-ui-home");
    expect(w.problems()).toEqual([]);
  });

  it("does not use up a link when its page is only loaded", async () => {
    const { token } = await t.app.linkToken("scanner@example.com");
    const scanner = await t.open();
    const apiCalls: string[] = [];
    scanner.page.on("request", (request) => {
      if (request.url().includes("/api/auth/")) apiCalls.push(request.url());
    });
    await scanner.page.goto(confirmPath(token));
    await scanner.page.getByRole("button", { name: "Continue" }).waitFor();
    await scanner.page.reload();
    // Reloaded, the page has no token left to use.
    await scanner.page.getByText("the link's code is missing").waitFor();
    expect(apiCalls).toEqual([]);
    expect(scanner.problems()).toEqual([]);

    const person = await t.open(confirmPath(token));
    await person.page.getByRole("button", { name: "Continue" }).click();
    await person.page.waitForURL(`${t.app.url}/`);
    expect(await person.page.getByTestId("email").textContent()).toBe("scanner@example.com");
    expect(person.problems()).toEqual([]);
  });

  it("shows the server's message inline when a link is used again", async () => {
    const { token } = await t.app.linkToken("reuse@example.com");
    const first = await t.open(confirmPath(token));
    await first.page.getByRole("button", { name: "Continue" }).click();
    await first.page.waitForURL(`${t.app.url}/`);

    const again = await t.open(confirmPath(token));
    await again.page.getByRole("button", { name: "Continue" }).click();
    const alert = again.page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      "This sign-in link is not valid or was already used. Ask for a new one.",
    );
    expect(again.page.url()).toBe(`${t.app.url}/login/confirm`);
    await again.screenshot("user-ui-link-used");
    await again.page.getByRole("link", { name: "How to get a new link" }).click();
    await again.page.getByRole("heading", { name: "How to sign in" }).waitFor();
    expect(again.problems()).toEqual([]);
  });

  it("follows a same-origin next and ignores one that leads to another site", async () => {
    const { token } = await t.app.linkToken("next@example.com");
    const good = await t.open(confirmPath(token, "/login?from=link"));
    await good.page.getByRole("button", { name: "Continue" }).click();
    await good.page.waitForURL(`${t.app.url}/login?from=link`);
    await good.page.getByText("You are already signed in as next@example.com.").waitFor();
    expect(good.problems()).toEqual([]);

    for (const evil of ["//evil.example", "https://evil.example/", "/\\evil.example"]) {
      const { token: evilToken } = await t.app.linkToken("next@example.com");
      const w = await t.open(confirmPath(evilToken, evil));
      await w.page.getByRole("button", { name: "Continue" }).click();
      await w.page.waitForURL(`${t.app.url}/`);
      expect(await w.page.getByTestId("email").textContent()).toBe("next@example.com");
      expect(w.problems()).toEqual([]);
    }
  });

  it("signs out and shows the visitor as anonymous again", async () => {
    const w = await t.open();
    await t.signInBrowser(w, "bye@example.com");
    await w.page.goto("/");
    expect(await w.page.getByTestId("email").textContent()).toBe("bye@example.com");
    await w.page.getByRole("button", { name: "Sign out" }).click();
    await w.page.getByText("You are not signed in.").waitFor();
    expect(await w.context.cookies()).toEqual([]);
    await w.page.reload();
    await w.page.getByText("You are not signed in.").waitFor();
    expect(w.problems()).toEqual([]);
  });
});
