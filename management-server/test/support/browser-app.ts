// Shared set-up of the browser tests: a throw-away PostgreSQL database, the real management-server
// serving the built web apps, and Chromium. Pages opened here are closed after each test.
import {
  createTestDatabase,
  freePort,
  launchBrowser,
  openPage,
  type TestDatabase,
  type WatchedPage,
} from "@clawden/kit/testing";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createDatabase, type Database } from "@clawden/kit/db";
import { migrate } from "@clawden/kit/db";
import { managementMigrations } from "../../src/db/migrations.js";
import type { Role, User } from "../../src/db/users.js";
import { startTestApp, type TestApp } from "./app.js";
import { startMailbox, type Mailbox } from "./mailbox.js";

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
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  let app: TestApp | undefined;
  let mailbox: Mailbox | undefined;
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    let created: TestDatabase;
    [created, browser, mailbox] = await Promise.all([createTestDatabase(), launchBrowser(), startMailbox()]);
    database = created;
    db = createDatabase({ connectionString: created.url, max: 4 });
    await migrate(db, managementMigrations());
    // The other servers are not running: their readiness probes find closed ports at once.
    const closed = async () => `http://127.0.0.1:${await freePort()}`;
    app = await startTestApp(db, {
      ...mailbox.env,
      AGENT_SERVER_URL: await closed(),
      GROUP_VAULT_URL: await closed(),
      RELAY_SERVER_URL: await closed(),
    });
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await mailbox?.close();
    await db?.close();
    await database?.drop();
  });

  return {
    get app() {
      return app!;
    },
    get db() {
      return db!;
    },
    get mailbox() {
      return mailbox!;
    },
    async open(path) {
      const watched = await openPage(browser!, app!.url);
      pages.push(watched);
      if (path !== undefined) await watched.page.goto(path);
      return watched;
    },
    async signInBrowser(page, email, role = "user") {
      const { cookie, user } = await app!.signIn(email, role);
      const at = cookie.indexOf("=");
      await page.context.addCookies([
        { name: cookie.slice(0, at), value: cookie.slice(at + 1), url: app!.url },
      ]);
      return user;
    },
  };
}
