// Shared set-up of the identity API tests: a throw-away PostgreSQL database, a real SMTP receiver and
// the real app sending its mail there. Each test starts with open sign-up, no MFA requirement and no
// rate-limit history (the limits have their own tests).
import { createTestDatabase } from "@clawden/kit/testing";
import { createDatabase, migrate, type Database } from "@clawden/kit/db";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { managementMigrations } from "../../src/db/migrations.js";
import { putSignUpPolicy } from "../../src/db/settings.js";
import type { SignUpPolicy } from "../../src/domain/sign-up.js";
import { startTestApp, type TestApp } from "./app.js";
import { startMailbox, type Mailbox } from "./mailbox.js";

export interface IdentityApp {
  readonly app: TestApp;
  readonly db: Database;
  readonly mailbox: Mailbox;
  /** Sets the sign-up policy (open, no MFA requirement, unless said otherwise). */
  policy(changes?: Partial<SignUpPolicy>): Promise<void>;
}

/** A throw-away database with the migrations applied, an SMTP receiver, and the app mailing to it. */
export interface MailedApp {
  app: TestApp;
  db: Database;
  mailbox: Mailbox;
  close(): Promise<void>;
}

export async function startMailedApp(env: Record<string, string> = {}, poolMax = 6): Promise<MailedApp> {
  const [database, mailbox] = await Promise.all([createTestDatabase(), startMailbox()]);
  const db = createDatabase({ connectionString: database.url, max: poolMax });
  await migrate(db, managementMigrations());
  const app = await startTestApp(db, { ...mailbox.env, ...env });
  return {
    app,
    db,
    mailbox,
    async close() {
      await app.close();
      await mailbox.close();
      await db.close();
      await database.drop();
    },
  };
}

export function useIdentityApp(): IdentityApp {
  let started: MailedApp | undefined;
  const policy = (changes: Partial<SignUpPolicy> = {}) =>
    putSignUpPolicy(started!.db, { mode: "open", allowlist: [], mfaRequired: "off", ...changes }, null);

  beforeAll(async () => {
    started = await startMailedApp();
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(async () => {
    await policy();
    await started!.db.query("DELETE FROM rate_limits");
  });

  return {
    get app() {
      return started!.app;
    },
    get db() {
      return started!.db;
    },
    get mailbox() {
      return started!.mailbox;
    },
    policy,
  };
}
