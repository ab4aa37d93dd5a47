// user-ui's identity pages in Chromium against the real management-server, PostgreSQL and an SMTP
// receiver: signing in with a mailed link (and in the wrong browser), the second factor (enrolment,
// codes, recovery codes), sessions, API keys and re-authentication for sensitive actions.
import type { WatchedPage } from "@clawden/kit/testing";
import { generateSync } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { useBrowserApp } from "./support/browser-app.js";
import { startOidcProvider } from "./support/oidc-provider.js";

const t = useBrowserApp();

// ---------------------------------------------------------------------------------------------------
// Helpers

const STEP_MS = 30_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** The last TOTP time step used per secret: the server never accepts a step twice. */
const usedSteps = new Map<string, number>();

/**
 * A TOTP code of `secret` for a step not used yet: the current one, else the next one (the server
 * accepts ±1 step), else — both used — the one after, once it is within reach.
 */
async function totp(secret: string): Promise<string> {
  let step = Math.floor(Date.now() / STEP_MS);
  const last = usedSteps.get(secret);
  if (last !== undefined && step <= last) {
    step = last + 1;
    const reachable = (step - 1) * STEP_MS + 250;
    if (Date.now() < reachable) await sleep(reachable - Date.now());
  }
  usedSteps.set(secret, step);
  return generateSync({ secret, period: 30, digits: 6, epoch: step * 30 });
}

/** A 6-digit code that is not the current one. */
function wrongCode(secret: string): string {
  const right = generateSync({ secret, period: 30, digits: 6, epoch: Math.floor(Date.now() / 1000) });
  return right.replace(/^./, (d) => String((Number(d) + 5) % 10));
}

interface ApiSession {
  cookie: string;
  call(method: string, path: string, body?: unknown): Promise<Response>;
}

/** A signed-in session of `email` for calling the API from the test, with its CSRF token. */
async function apiSession(email: string, role: "user" | "admin" = "user"): Promise<ApiSession> {
  const { cookie } = await t.app.signIn(email, role);
  const me = await fetch(`${t.app.url}/api/me`, { headers: { cookie } });
  expect(me.status).toBe(200);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  return {
    cookie,
    call: (method, path, body) =>
      fetch(`${t.app.url}${path}`, {
        method,
        headers: {
          origin: t.app.url,
          cookie,
          "x-csrf-token": csrfToken,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

let admin: ApiSession;

async function setSignUp(policy: { mode: string; allowlist?: string[]; mfaRequired: string }): Promise<void> {
  const res = await admin.call("PUT", "/api/admin/settings/sign-up", { allowlist: [], ...policy });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Turns on an authenticator app for `email` through the API; its secret and recovery codes. */
async function enrolByApi(email: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const session = await apiSession(email);
  const started = await session.call("POST", "/api/account/mfa/totp");
  expect(started.status, await started.clone().text()).toBe(200);
  const { secret } = (await started.json()) as { secret: string };
  const confirmed = await session.call("POST", "/api/account/mfa/totp/confirm", { code: await totp(secret) });
  expect(confirmed.status, await confirmed.clone().text()).toBe(200);
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  return { secret, recoveryCodes };
}

/** Asks for a sign-in link on /login (with `next`) and waits for the "Check your email" page. */
async function askForLink(w: WatchedPage, email: string, next?: string): Promise<void> {
  await w.page.goto(next ? `/login?${new URLSearchParams({ next }).toString()}` : "/login");
  await w.page.getByLabel("Email", { exact: true }).fill(email);
  await w.page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await w.page.getByRole("heading", { name: "Check your email" }).waitFor();
}

/** The whole mailed-link sign-in up to pressing Continue on the confirmation page. */
async function useMailedLink(w: WatchedPage, email: string, next?: string): Promise<void> {
  await askForLink(w, email, next);
  const link = await t.mailbox.waitForLink(email);
  await w.page.goto(link);
  await w.page.getByRole("button", { name: "Continue" }).click();
}

/** Makes the sessions of `email` older than the re-authentication window. */
async function ageSessions(email: string): Promise<void> {
  await t.db.query(
    `UPDATE sessions SET authenticated_at = now() - interval '11 minutes'
     WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
    [email],
  );
}

// Run in the page (this package's TypeScript knows no DOM, so they are written as strings).
const FOCUSED_TEXT = `(() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active ? active.tagName + ": " + (active.textContent || "").trim() : "";
})()`;
const CLIPBOARD_TEXT = "navigator.clipboard.readText()";

/** The element that has the focus, through the shadow roots: "TAG: text". */
function focusedText(w: WatchedPage): Promise<string> {
  return w.page.evaluate<string>(FOCUSED_TEXT);
}

async function secretOnPage(w: WatchedPage): Promise<string> {
  const text = await w.page.getByTestId("totp-secret").textContent();
  return (text ?? "").replace(/\s/g, "");
}

async function recoveryCodesOnPage(w: WatchedPage): Promise<string[]> {
  return (await w.page.getByTestId("recovery-codes").getByRole("listitem").allTextContents()).map((code) =>
    code.trim(),
  );
}

// ---------------------------------------------------------------------------------------------------

describe("user-ui identity pages", () => {
  beforeAll(async () => {
    admin = await apiSession("root@example.com", "admin");
    await setSignUp({ mode: "open", mfaRequired: "off" });
  });

  it("signs in with a link mailed from /login and goes on to next", async () => {
    const w = await t.open();
    await askForLink(w, "mail@example.com", "/account/security");
    const sent = w.page.getByRole("status");
    expect(await sent.textContent()).toContain("mail@example.com");
    // The heading takes focus, so screen readers start at the news.
    expect(await focusedText(w)).toBe("H1: Check your email");
    await w.screenshot("identity-check-email");

    const link = await t.mailbox.waitForLink("mail@example.com");
    expect(link.startsWith(`${t.app.url}/login/confirm#token=`)).toBe(true);
    await w.page.goto(link);
    expect(w.page.url()).toBe(`${t.app.url}/login/confirm`);
    await w.page.getByRole("button", { name: "Continue" }).click();
    await w.page.waitForURL(`${t.app.url}/account/security`);
    await w.page.getByRole("heading", { name: "Security", exact: true }).waitFor();
    await w.page.getByText("mail@example.com").first().waitFor();

    // The start page now leads to the account pages.
    await w.page.goto("/");
    expect(await w.page.getByTestId("email").textContent()).toBe("mail@example.com");
    await w.page.getByRole("link", { name: "API keys" }).click();
    await w.page.getByRole("heading", { name: "API keys", exact: true }).waitFor();
    expect(w.problems()).toEqual([]);
  });

  it("refuses a link opened in another browser, which still works in the browser that asked for it", async () => {
    const asker = await t.open();
    await askForLink(asker, "two-browsers@example.com");
    const link = await t.mailbox.waitForLink("two-browsers@example.com");

    const other = await t.open(link.slice(t.app.url.length));
    await other.page.getByRole("button", { name: "Continue" }).click();
    const alert = other.page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("another browser");
    await other.page.getByRole("link", { name: "How to get a new link" }).waitFor();
    await other.screenshot("identity-other-browser");
    expect(other.problems()).toEqual([]);

    await asker.page.goto(link);
    await asker.page.getByRole("button", { name: "Continue" }).click();
    await asker.page.waitForURL(`${t.app.url}/`);
    expect(await asker.page.getByTestId("email").textContent()).toBe("two-browsers@example.com");
    expect(asker.problems()).toEqual([]);
  });

  it("says why an account may not sign in: waiting for approval, or not on the allowlist", async () => {
    try {
      await setSignUp({ mode: "approval", mfaRequired: "off" });
      const pending = await t.open();
      await useMailedLink(pending, "newcomer@example.com");
      const alert = pending.page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toContain("waiting for an administrator's approval");
      await pending.page.getByRole("link", { name: "Back to sign in" }).waitFor();
      expect(pending.problems()).toEqual([]);

      // Asked for while sign-up was open, used after it closed.
      await setSignUp({ mode: "open", mfaRequired: "off" });
      const late = await t.open();
      await askForLink(late, "outsider@example.com");
      const link = await t.mailbox.waitForLink("outsider@example.com");
      await setSignUp({ mode: "allowlist", allowlist: ["@allowed.example"], mfaRequired: "off" });
      await late.page.goto(link);
      await late.page.getByRole("button", { name: "Continue" }).click();
      await late.page.getByRole("alert").waitFor();
      expect(await late.page.getByRole("alert").textContent()).toContain("may not create an account");
      await late.page.getByRole("link", { name: "Back to sign in" }).click();
      await late.page.getByRole("heading", { name: "Sign in", exact: true }).waitFor();
      expect(late.problems()).toEqual([]);
    } finally {
      await setSignUp({ mode: "open", mfaRequired: "off" });
    }
  });

  it("shows the rate limit, validation and single sign-on errors on /login", async () => {
    const w = await t.open("/login");
    await w.page.getByRole("button", { name: "Email me a sign-in link" }).click();
    expect(await w.page.getByRole("alert").textContent()).toContain("Enter your email address");
    expect(await w.page.getByLabel("Email", { exact: true }).getAttribute("aria-invalid")).toBe("true");

    // Five links per address in 15 minutes: the sixth is refused.
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${t.app.url}/api/auth/magic-link`, {
        method: "POST",
        headers: t.app.sameOrigin,
        body: JSON.stringify({ email: "eager@example.com" }),
      });
      expect(res.status).toBe(202);
    }
    await w.page.getByLabel("Email", { exact: true }).fill("eager@example.com");
    await w.page.getByRole("button", { name: "Email me a sign-in link" }).click();
    const alert = w.page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Too many sign-in links");
    expect(await w.page.getByRole("heading", { name: "Check your email" }).count()).toBe(0);
    await w.screenshot("identity-rate-limited");

    await w.page.goto("/login?error=account_suspended");
    expect((await w.page.getByTestId("sso-error").textContent())?.trim()).toBe("Your account is suspended.");
    await w.page.goto("/login?error=something_else");
    expect(await w.page.getByTestId("sso-error").textContent()).toContain("single sign-on did not work");
    expect(w.problems()).toEqual([]);
  });

  it("signs in with a single sign-on provider listed on /login, and shows why when it fails", async () => {
    const idp = await startOidcProvider({
      clients: [
        {
          client_id: "clawden",
          client_secret: "idp-secret",
          redirect_uris: [`${t.app.url}/api/auth/sso/test-idp/callback`],
          token_endpoint_auth_method: "client_secret_basic",
        },
      ],
      conformIdTokenClaims: false,
    });
    try {
      const saved = await admin.call("PUT", "/api/admin/sso/test-idp", {
        name: "Test IdP",
        issuer: idp.issuer,
        clientId: "clawden",
        clientSecret: "idp-secret",
        enabled: true,
      });
      expect(saved.status, await saved.clone().text()).toBe(201);
      idp.accounts.set("sso-user", { sub: "sso-user", email: "sso@example.com", email_verified: true });

      const w = await t.open("/login?next=/account/api-keys");
      const button = w.page.getByRole("button", { name: "Sign in with Test IdP" });
      idp.loginAs = "sso-user";
      const started = w.page.waitForRequest((request) =>
        request.url().includes("/api/auth/sso/test-idp/start"),
      );
      await button.click();
      expect(new URL((await started).url()).searchParams.get("next")).toBe("/account/api-keys");
      await w.page.waitForURL(`${t.app.url}/account/api-keys`);
      await w.page.getByRole("heading", { name: "API keys", exact: true }).waitFor();
      await w.page.goto("/");
      expect(await w.page.getByTestId("email").textContent()).toBe("sso@example.com");
      expect(w.problems()).toEqual([]);

      // The person says no at the provider: back on /login with the reason.
      const refused = await t.open("/login");
      idp.loginAs = null;
      await refused.page.getByRole("button", { name: "Sign in with Test IdP" }).click();
      await refused.page.waitForURL(`${t.app.url}/login?error=access_denied`);
      expect((await refused.page.getByTestId("sso-error").textContent())?.trim()).toBe(
        "Single sign-on was cancelled or refused.",
      );
      await refused.screenshot("identity-sso-refused");
      expect(refused.problems()).toEqual([]);
    } finally {
      await admin.call("DELETE", "/api/admin/sso/test-idp");
      await idp.close();
    }
  });

  it("makes a new user set up an authenticator app when an administrator requires it", async () => {
    await setSignUp({ mode: "open", mfaRequired: "everyone" });
    try {
      const w = await t.open();
      await w.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.app.url });
      await useMailedLink(w, "enrol@example.com", "/account/security");
      await w.page.waitForURL(`${t.app.url}/login/mfa/enrol`);
      await w.page.getByRole("heading", { name: "Set up two-step verification" }).waitFor();
      const qr = w.page.getByRole("img", { name: /QR code/ });
      expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
      await expect
        .poll(() => qr.evaluate((img: { naturalWidth: number }) => img.naturalWidth))
        .toBeGreaterThan(0);
      const secret = await secretOnPage(w);
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      await w.screenshot("identity-enrol");

      // A wrong code is refused with the server's message, and the page stays.
      await w.page.getByLabel("Enter the 6-digit code the app shows").fill(wrongCode(secret));
      await w.page.getByRole("button", { name: "Turn on and sign in" }).click();
      await w.page.getByRole("alert").waitFor();
      expect(await w.page.getByRole("alert").textContent()).toContain("not right");

      await w.page.getByLabel("Enter the 6-digit code the app shows").fill(await totp(secret));
      await w.page.getByRole("button", { name: "Turn on and sign in" }).click();
      await w.page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
      const codes = await recoveryCodesOnPage(w);
      expect(codes).toHaveLength(10);
      for (const code of codes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
      await w.page.getByRole("button", { name: "Copy" }).click();
      await w.page.getByText("The codes are on your clipboard.").waitFor();
      expect(await w.page.evaluate<string>(CLIPBOARD_TEXT)).toBe(`${codes.join("\n")}\n`);
      await w.screenshot("identity-recovery-codes");

      await w.page.getByRole("button", { name: "I have saved them" }).click();
      await w.page.waitForURL(`${t.app.url}/account/security`);
      expect(await w.page.getByTestId("mfa-status").textContent()).toBe("On");
      expect(await w.page.getByTestId("recovery-codes-left").textContent()).toContain(
        "10 recovery codes left",
      );
      // Required for everyone: it cannot be turned off here.
      expect(await w.page.getByRole("button", { name: "Turn off" }).count()).toBe(0);
      expect(w.problems()).toEqual([]);
    } finally {
      await setSignUp({ mode: "open", mfaRequired: "off" });
    }
  });

  it("asks for the code of the authenticator app, counting wrong ones", async () => {
    const { secret } = await enrolByApi("challenge@example.com");
    const w = await t.open();
    await useMailedLink(w, "challenge@example.com");
    await w.page.waitForURL(`${t.app.url}/login/mfa`);
    await w.page.getByText("Signing in as challenge@example.com.").waitFor();
    const input = w.page.getByLabel("Code from your authenticator app");
    expect(await input.getAttribute("autocomplete")).toBe("one-time-code");
    expect(await input.getAttribute("inputmode")).toBe("numeric");
    await w.screenshot("identity-challenge");

    await input.fill(wrongCode(secret));
    await w.page.getByRole("button", { name: "Verify" }).click();
    await w.page.getByTestId("attempts-left").waitFor();
    expect(await w.page.getByTestId("attempts-left").textContent()).toBe("4 attempts left.");
    expect(await w.page.getByRole("alert").textContent()).toContain("not right");

    await input.fill(await totp(secret));
    await w.page.getByRole("button", { name: "Verify" }).click();
    await w.page.waitForURL(`${t.app.url}/`);
    expect(await w.page.getByTestId("email").textContent()).toBe("challenge@example.com");

    // The challenge is over: the page says so.
    await w.page.goto("/login/mfa");
    await w.page.getByRole("heading", { name: "Your sign-in expired" }).waitFor();
    await w.page.getByRole("link", { name: "Sign in again" }).waitFor();
    expect(w.problems()).toEqual([]);
  });

  it("ends the challenge after five wrong codes, then shows the lockout", async () => {
    const { secret } = await enrolByApi("guesser@example.com");
    const w = await t.open();
    await useMailedLink(w, "guesser@example.com");
    await w.page.waitForURL(`${t.app.url}/login/mfa`);
    const input = w.page.getByLabel("Code from your authenticator app");
    for (const left of [4, 3, 2, 1]) {
      await input.fill(wrongCode(secret));
      await w.page.getByRole("button", { name: "Verify" }).click();
      await w.page.getByText(left === 1 ? "1 attempt left." : `${left} attempts left.`).waitFor();
      expect(await w.page.getByRole("button", { name: "Verify" }).isEnabled()).toBe(true);
    }
    await input.fill(wrongCode(secret));
    await w.page.getByRole("button", { name: "Verify" }).click();
    await w.page.getByRole("heading", { name: "Your sign-in expired" }).waitFor();
    await w.page.getByText("Too many wrong codes").waitFor();
    await w.page.getByRole("link", { name: "Sign in again" }).click();
    await w.page.getByRole("heading", { name: "Sign in", exact: true }).waitFor();

    // The account's second factor is locked for a while: even a new sign-in cannot try codes.
    await useMailedLink(w, "guesser@example.com");
    await w.page.waitForURL(`${t.app.url}/login/mfa`);
    await w.page.getByLabel("Code from your authenticator app").fill(wrongCode(secret));
    await w.page.getByRole("button", { name: "Verify" }).click();
    const alert = w.page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Try again in 1 minute");
    expect(await w.page.getByTestId("attempts-left").count()).toBe(0);
    expect(w.problems()).toEqual([]);
  });

  it("signs in with a recovery code, which then stops working", async () => {
    const { recoveryCodes } = await enrolByApi("recovery@example.com");
    const w = await t.open();
    await useMailedLink(w, "recovery@example.com");
    await w.page.waitForURL(`${t.app.url}/login/mfa`);
    await w.page.getByRole("button", { name: "Use a recovery code" }).click();
    const input = w.page.getByLabel("Recovery code");
    // Typed in capitals and without the dash, it still counts.
    await input.fill(recoveryCodes[0]!.toUpperCase().replace("-", ""));
    await w.page.getByRole("button", { name: "Verify" }).click();
    await w.page.getByRole("heading", { name: "You are signed in" }).waitFor();
    expect(await w.page.getByTestId("codes-left").textContent()).toContain("You have 9 recovery codes left.");
    await w.screenshot("identity-recovered");
    await w.page.getByRole("button", { name: "Continue" }).click();
    await w.page.waitForURL(`${t.app.url}/`);
    expect(await w.page.getByTestId("email").textContent()).toBe("recovery@example.com");
    expect(w.problems()).toEqual([]);

    const again = await t.open();
    await useMailedLink(again, "recovery@example.com");
    await again.page.waitForURL(`${t.app.url}/login/mfa`);
    await again.page.getByRole("button", { name: "Use a recovery code" }).click();
    await again.page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
    await again.page.getByRole("button", { name: "Verify" }).click();
    await again.page.getByTestId("attempts-left").waitFor();
    expect(again.problems()).toEqual([]);
  });

  it("lists the sessions and signs another one out", async () => {
    const email = "sessions@example.com";
    const mine = await t.open();
    const other = await t.open();
    const third = await t.open();
    await t.signInBrowser(mine, email);
    await t.signInBrowser(other, email);
    await t.signInBrowser(third, email);

    await mine.page.goto("/account/security");
    await mine.page.getByRole("heading", { name: "Where you are signed in" }).waitFor();
    const rows = mine.page.getByTestId("session-row");
    await expect.poll(() => rows.count()).toBe(3);
    const current = mine.page.locator('[data-testid="session-row"][data-current="true"]');
    expect(await current.count()).toBe(1);
    expect(await current.getByText("This device").count()).toBe(1);
    await mine.screenshot("identity-sessions");

    // Sign out one of the others.
    const otherRow = mine.page.locator('[data-testid="session-row"][data-current="false"]').first();
    await otherRow.getByRole("button", { name: /^Sign out / }).click();
    await mine.page.getByText(/^Signed out the session on /).waitFor();
    await expect.poll(() => rows.count()).toBe(2);

    // Exactly one of the two other browsers lost its session; "everywhere else" ends the other.
    const signedOut = async (w: WatchedPage) => {
      const res = await w.page.request.get(`${t.app.url}/api/me`);
      return res.status() === 401;
    };
    expect([await signedOut(other), await signedOut(third)].filter(Boolean)).toHaveLength(1);
    await mine.page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await mine.page.getByText("Signed out 1 other session.").waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await signedOut(other)).toBe(true);
    expect(await signedOut(third)).toBe(true);
    await other.page.goto("/");
    await other.page.getByText("You are not signed in.").waitFor();

    // Signing out this device leaves the page, signed out.
    await mine.page.getByRole("button", { name: "Sign out this device" }).click();
    await mine.page.waitForURL(`${t.app.url}/`);
    await mine.page.getByText("You are not signed in.").waitFor();
    expect(await signedOut(mine)).toBe(true);
    expect(mine.problems()).toEqual([]);
    expect(other.problems()).toEqual([]);
  });

  it("sends anonymous visitors of the account pages to sign in first", async () => {
    const w = await t.open("/account/api-keys");
    await w.page.waitForURL(`${t.app.url}/login?next=%2Faccount%2Fapi-keys`);
    await w.page.getByRole("heading", { name: "Sign in", exact: true }).waitFor();
    await w.page.goto("/account/security");
    await w.page.waitForURL(`${t.app.url}/login?next=%2Faccount%2Fsecurity`);
    expect(w.problems()).toEqual([]);
  });

  it("creates an API key whose secret is shown once and works until it is revoked", async () => {
    const w = await t.open();
    await t.signInBrowser(w, "keys@example.com");
    await w.page.goto("/account/api-keys");
    await w.page.getByText("You have no API keys.").waitFor();

    await w.page.getByLabel("Name", { exact: true }).fill("CI bot");
    await w.page.getByRole("checkbox", { name: /account:read/ }).check();
    await w.page.getByLabel("Expires after").selectOption("30");
    await w.page.getByRole("button", { name: "Create key" }).click();
    const secretBox = w.page.getByTestId("api-key-secret");
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())!.trim();
    expect(secret).toMatch(/^ocpk_/);
    await w.page.getByText("it is shown only this once").waitFor();
    await w.screenshot("identity-api-key-created");

    const row = w.page.getByTestId("api-key-row");
    await expect.poll(() => row.count()).toBe(1);
    const shown = (await row.getByTestId("api-key-prefix").textContent())!;
    expect(shown.endsWith("…")).toBe(true);
    expect(secret.startsWith(shown.slice(0, -1))).toBe(true);
    expect(await row.textContent()).toContain("account:read");
    expect(await row.textContent()).toContain("chat");

    const me = await fetch(`${t.app.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { email: "keys@example.com" },
      apiKey: { name: "CI bot" },
    });

    // Done, or a reload, and the secret is gone for good.
    await w.page.getByRole("button", { name: "Done" }).click();
    expect(await secretBox.count()).toBe(0);
    await w.page.reload();
    await expect.poll(() => row.count()).toBe(1);
    // Only the start of the key is shown (locators see into the shadow roots).
    expect(await w.page.getByText(secret.slice(-12)).count()).toBe(0);

    // Revoke asks first.
    await w.page.getByRole("button", { name: "Revoke CI bot" }).click();
    await w.page.getByRole("button", { name: "Cancel" }).click();
    expect(await row.count()).toBe(1);
    await w.page.getByRole("button", { name: "Revoke CI bot" }).click();
    await w.page.getByRole("button", { name: "Yes, revoke" }).click();
    await w.page.getByText("You have no API keys.").waitFor();
    await w.page.getByText("Revoked the key “CI bot”").waitFor();
    const after = await fetch(`${t.app.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);
    expect(w.problems()).toEqual([]);
  });

  it("sets up an authenticator app on the Security page and re-authenticates with a code when the sign-in is old", async () => {
    const email = "reauth-code@example.com";
    const w = await t.open();
    await t.signInBrowser(w, email);
    await w.page.goto("/account/security");
    expect(await w.page.getByTestId("mfa-status").textContent()).toBe("Off");
    await w.page.getByRole("button", { name: "Set up authenticator app" }).click();
    const secret = await (async () => {
      await w.page.getByTestId("totp-secret").waitFor();
      return secretOnPage(w);
    })();
    await w.page.getByLabel("Enter the 6-digit code the app shows").fill(await totp(secret));
    await w.page.getByRole("button", { name: "Turn on" }).click();
    await w.page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    const codes = await recoveryCodesOnPage(w);
    expect(codes).toHaveLength(10);
    await w.page.getByRole("button", { name: "I have saved them" }).click();
    await expect.poll(() => w.page.getByTestId("mfa-status").textContent()).toBe("On");

    // Eleven minutes later, new recovery codes need a fresh sign-in.
    await ageSessions(email);
    await w.page.getByRole("button", { name: "New recovery codes" }).click();
    const dialog = w.page.getByRole("dialog", { name: "Confirm it's you" });
    await dialog.waitFor();
    await w.screenshot("identity-reauth-dialog");
    await dialog.getByLabel("Code from your authenticator app").fill(wrongCode(secret));
    await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
    await dialog.getByRole("alert").waitFor();
    expect(await dialog.getByRole("alert").textContent()).toContain("not right");
    // A recovery code works as well as a code from the app.
    await dialog.getByLabel("Code from your authenticator app").fill(codes[0]!);
    await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    // The action ran again by itself.
    await w.page.getByText("The recovery codes you had before no longer work.").waitFor();
    const fresh = await recoveryCodesOnPage(w);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[1]);
    await w.page.getByRole("button", { name: "I have saved them" }).click();

    // Cancelling the dialog cancels the action quietly.
    await ageSessions(email);
    await w.page.getByRole("button", { name: "Turn off" }).click();
    await w.page.getByRole("button", { name: "Turn off two-step verification" }).click();
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await w.page.getByTestId("mfa-status").textContent()).toBe("On");

    // With a code from the app, turning off goes through.
    await w.page.getByRole("button", { name: "Turn off" }).click();
    await w.page.getByRole("button", { name: "Turn off two-step verification" }).click();
    await dialog.waitFor();
    await dialog.getByLabel("Code from your authenticator app").fill(await totp(secret));
    await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect.poll(() => w.page.getByTestId("mfa-status").textContent()).toBe("Off");
    await w.page.getByText("Two-step verification is off.").waitFor();
    // The session list still knows this device after the session's id changed.
    await expect
      .poll(() => w.page.locator('[data-testid="session-row"][data-current="true"]').count())
      .toBe(1);
    expect(w.problems()).toEqual([]);
  });

  it("re-authenticates with a mailed link when there is no authenticator app", async () => {
    const email = "reauth-mail@example.com";
    const w = await t.open();
    await t.signInBrowser(w, email);
    await w.page.goto("/account/api-keys");
    await w.page.getByText("You have no API keys.").waitFor();
    await ageSessions(email);

    await w.page.getByLabel("Name", { exact: true }).fill("Late key");
    await w.page.getByRole("button", { name: "Create key" }).click();
    const dialog = w.page.getByRole("dialog", { name: "Confirm it's you" });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Code from your authenticator app").count()).toBe(0);
    await dialog.getByRole("button", { name: "Email me a confirmation link" }).click();
    await dialog.getByText("We emailed a confirmation link").waitFor();

    // Pressing Continue before using the link: the dialog asks again.
    await dialog.getByRole("button", { name: "Continue" }).click();
    await dialog.getByText("not confirmed yet").waitFor();

    // The link, opened in another tab of this browser, re-authenticates this session.
    const link = await t.mailbox.waitForLink(email);
    const tab = await w.context.newPage();
    await tab.goto(link);
    await tab.getByRole("button", { name: "Continue" }).click();
    await tab.waitForURL(`${t.app.url}/account/security`);
    await tab.close();

    await dialog.getByRole("button", { name: "Continue" }).click();
    await dialog.waitFor({ state: "hidden" });
    const secret = (await w.page.getByTestId("api-key-secret").textContent())!.trim();
    expect(secret).toMatch(/^ocpk_/);
    expect(w.problems()).toEqual([]);
  });
});
