// Shared set-up of the browser tests: a throw-away PostgreSQL database, the real management-server
// serving the built web apps and mailing to a real SMTP receiver, and Chromium. Pages opened here are closed after each test.
import { freePort, launchBrowser, openPage, type WatchedPage } from "@clawden/kit/testing";
import type { Database } from "@clawden/kit/db";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { Role, User } from "../../src/db/users.js";
import type { TestApp } from "./app.js";
import { startMailedApp, type MailedApp } from "./identity-app.js";
import type { Mailbox } from "./mailbox.js";

export interface BrowserApp {
  readonly app: TestApp;
  readonly db: Database;
  /** The SMTP receiver the app sends its mail to. */
  readonly mailbox: Mailbox;
  /** A page in a fresh browser context (no cookies), at `path` of the app if given. */
  open(path?: string): Promise<WatchedPage>;
  /** Gives the page's browser a session of `email` (created with `role` if new). */
  signInBrowser(page: WatchedPage, email: string, role?: Role): Promise<User>;
}

export function useBrowserApp(): BrowserApp {
  let started: MailedApp | undefined;
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    // The other servers are not running: their readiness probes find closed ports at once.
    const closed = async () => `http://127.0.0.1:${await freePort()}`;
    const env = {
      AGENT_SERVER_URL: await closed(),
      GROUP_VAULT_URL: await closed(),
      RELAY_SERVER_URL: await closed(),
    };
    [started, browser] = await Promise.all([startMailedApp(env, 4), launchBrowser()]);
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await started?.close();
  });
  const app = () => started!.app;

  return {
    get app() {
      return app();
    },
    get db() {
      return started!.db;
    },
    get mailbox() {
      return started!.mailbox;
    },
    async open(path) {
      const watched = await openPage(browser!, app().url);
      pages.push(watched);
      if (path !== undefined) await watched.page.goto(path);
      return watched;
    },
    async signInBrowser(page, email, role = "user") {
      const { cookie, user } = await app().signIn(email, role);
      const at = cookie.indexOf("=");
      await page.context.addCookies([
        { name: cookie.slice(0, at), value: cookie.slice(at + 1), url: app().url },
      ]);
      return user;
    },
  };
}
