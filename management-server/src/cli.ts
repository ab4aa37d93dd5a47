// clawden-admin: the operator's command line. It reads the same configuration as the server and
// reaches the same database: DATABASE_URL, or the embedded one (through the running server's socket
// when the server is up, or by opening it directly when it is not).
import { parseArgs } from "node:util";
import { ConfigError, createLogger, EXIT_CONFIG, StartupError } from "@clawden/kit/server";
import { verifyAuditChain } from "./audit/log.js";
import { ensureAdminWithLink } from "./auth/first-admin.js";
import { issueMagicLink } from "./auth/magic-links.js";
import { readConfig, type Config } from "./config.js";
import { createDatabase, type Database } from "@clawden/kit/db";
import { embeddedDatabaseHolder, embeddedPoolConfig } from "./db/embedded.js";
import { openDatabase } from "./db/open.js";
import { findUserByEmail } from "./db/users.js";
import { emailSchema } from "./domain/email.js";

const USAGE = `usage: clawden-admin <command> [arguments]

commands:
  create-admin <email>   create an administrator (or promote an existing user) and print a
                         one-time sign-in link (valid 60 minutes)
  login-link <email>     print a one-time sign-in link for an existing, active user
  migrate                apply pending database migrations and exit
  audit-verify           check the audit log's hash chain from its first event to its last;
                         exit code 0 when intact, 1 when broken (naming the first broken event)

The configuration comes from the same environment variables as management-server
(DATABASE_URL, STATE_DIR, PUBLIC_URL).`;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  if (!config.DATABASE_URL && embeddedDatabaseHolder(config.STATE_DIR) !== null) {
    // A running server holds the embedded database: go through its socket.
    const db = createDatabase({ ...embeddedPoolConfig(config.STATE_DIR), max: 1 });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }
  const opened = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    stateDir: config.STATE_DIR,
    poolMax: 2,
    logger: createLogger({ name: "clawden-admin", level: "warn" }),
  });
  try {
    return await fn(opened.db);
  } finally {
    for (const closer of opened.closers) await closer.close();
  }
}

function parseEmail(value: string | undefined): string {
  const parsed = emailSchema.safeParse(value ?? "");
  if (!parsed.success) throw new UsageError(`expected an email address, got ${JSON.stringify(value ?? "")}`);
  return parsed.data;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    print(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = readConfig();
  switch (command) {
    case "create-admin": {
      const email = parseEmail(rest[0]);
      const result = await withDatabase(config, (db) => ensureAdminWithLink(db, config.PUBLIC_URL, email));
      const what = result.created
        ? "created"
        : result.promoted
          ? "promoted to administrator"
          : "already an administrator";
      print(`${email}: ${what}`);
      print(`one-time sign-in link (valid until ${result.link.expiresAt.toISOString()}):`);
      print(`  ${result.link.url}`);
      return 0;
    }
    case "login-link": {
      const email = parseEmail(rest[0]);
      const link = await withDatabase(config, async (db) => {
        const user = await findUserByEmail(db, email);
        if (!user) throw new UsageError(`no user with the email ${email}`);
        if (user.state !== "active") throw new UsageError(`${email} is ${user.state}, not active`);
        return issueMagicLink(db, config.PUBLIC_URL, {
          userId: user.id,
          purpose: "operator",
          next: user.role === "admin" ? "/admin/" : "/",
        });
      });
      print(`one-time sign-in link for ${email} (valid until ${link.expiresAt.toISOString()}):`);
      print(`  ${link.url}`);
      return 0;
    }
    case "migrate": {
      await withDatabase(config, () => Promise.resolve());
      print("the database schema is up to date");
      return 0;
    }
    case "audit-verify": {
      const result = await withDatabase(config, (db) => verifyAuditChain(db));
      if (!result.ok) {
        print(`audit log broken at event #${result.brokenAt}: ${result.reason}`);
        return 1;
      }
      print(`audit log intact: ${result.events} events`);
      if (result.head) print(`head hash: ${result.head}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`clawden-admin: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    if (error instanceof UsageError || error instanceof StartupError) {
      process.stderr.write(`clawden-admin: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `clawden-admin: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
