// Shared set-up of the identity API tests: a throw-away PostgreSQL database, a real SMTP receiver and
// the real app sending its mail there. Each test starts with open sign-up, no MFA requirement and no
// rate-limit history (the limits have their own tests).
import { createTestDatabase, type TestDatabase } from "@clawden/kit/testing";
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

export function useIdentityApp(): IdentityApp {
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  let mailbox: Mailbox | undefined;
  let app: TestApp | undefined;
  const policy = (changes: Partial<SignUpPolicy> = {}) =>
    putSignUpPolicy(db!, { mode: "open", allowlist: [], mfaRequired: "off", ...changes }, null);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase({ connectionString: database.url, max: 6 });
    await migrate(db, managementMigrations());
    mailbox = await startMailbox();
    app = await startTestApp(db, mailbox.env);
  });
  afterAll(async () => {
    await app?.close();
    await mailbox?.close();
    await db?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await policy();
    await db!.query("DELETE FROM rate_limits");
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
    policy,
  };
}
