// Opens the database management-server runs on: DATABASE_URL when set, the embedded PGlite otherwise;
// then brings its schema up to date before anything else may use it.
import type { Closer, Logger } from "@clawden/kit/server";
import {
  connectDatabase,
  createDatabase,
  migrate,
  type Database,
  type MigrationReport,
} from "@clawden/kit/db";
import { startEmbeddedPostgres } from "./embedded.js";
import { managementMigrations } from "./migrations.js";

export interface OpenedDatabase {
  db: Database;
  /** A URL other local processes (the admin CLI) can use to reach the same database. */
  url: string;
  embedded: boolean;
  migrations: MigrationReport;
  /** Close the pool first, then the embedded server (when there is one). */
  closers: Closer[];
}

export interface OpenDatabaseOptions {
  databaseUrl: string | undefined;
  stateDir: string;
  poolMax: number;
  logger: Logger;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { logger } = options;
  const migrations = managementMigrations();
  if (options.databaseUrl) {
    const db = await connectDatabase(options.databaseUrl, options.poolMax);
    const report = await migrate(db, migrations, { logger }).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
    return {
      db,
      url: options.databaseUrl,
      embedded: false,
      migrations: report,
      closers: [{ name: "database pool", close: () => db.close() }],
    };
  }
  const embedded = await startEmbeddedPostgres(options.stateDir);
  logger.info({ dataDir: embedded.dataDir }, "embedded PostgreSQL (PGlite) started");
  const db = createDatabase({ ...embedded.poolConfig, max: Math.min(options.poolMax, 8) });
  const report = await migrate(db, migrations, { logger }).catch(async (error: unknown) => {
    await db.close();
    await embedded.stop();
    throw error;
  });
  return {
    db,
    url: embedded.url,
    embedded: true,
    migrations: report,
    closers: [
      { name: "database pool", close: () => db.close() },
      { name: "embedded PostgreSQL", close: () => embedded.stop() },
    ],
  };
}
