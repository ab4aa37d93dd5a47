// agent-server's schema and migrations. Every query names its tables with the schema (agent_server.x):
// on the embedded database all servers share one session, so no search_path may be relied on.
import path from "node:path";
import { loadMigrations, migrate, type Database, type MigrationReport } from "@clawden/kit/db";
import type { Logger } from "@clawden/kit/server";

export const SCHEMA = "agent_server";
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "migrations");

export function migrateAgentSchema(db: Database, logger?: Logger): Promise<MigrationReport> {
  return migrate(db, loadMigrations(MIGRATIONS_DIR), { schema: SCHEMA, ...(logger ? { logger } : {}) });
}
