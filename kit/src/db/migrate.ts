// Ordered SQL migrations: files `NNNN_name.sql` applied in order at start, each in its own transaction
// together with its row in <schema>.schema_migrations. Each server owns one schema (management-server
// `public`, agent-server `agent_server`) and its migrations run with that schema first on the
// search_path, so unqualified names in them land in it. A migration that fails is rolled back and stops the
// start; a database that holds a migration this build does not know (or one whose file changed since
// it was applied) is refused rather than guessed at. Safe when several servers start at once: each
// step takes a transaction-scoped advisory lock and re-checks what is applied.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { StartupError } from "../server/lifecycle.js";
import type { Logger } from "../server/logger.js";
import type { Database, Queryable } from "./database.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** The advisory lock that serializes migrations of one schema: a number derived from its name. */
function lockKey(schema: string): bigint {
  return createHash("sha256").update(`clawden.migrations.${schema}`).digest().readBigInt64BE(0);
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

export function label(m: { version: number; name: string }): string {
  return `${String(m.version).padStart(4, "0")}_${m.name}`;
}

/** Reads and checks a migrations directory: only NNNN_name.sql files, numbered 1, 2, 3... without gaps. */
export function loadMigrations(dir: string): Migration[] {
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch (error) {
    throw new StartupError(
      `cannot read the migrations in ${dir} (${(error as NodeJS.ErrnoException).code ?? "error"}): is the build complete?`,
    );
  }
  const migrations = files.map((file) => {
    const match = FILE_PATTERN.exec(file);
    if (!match)
      throw new StartupError(`${dir}/${file} is not a migration file name (expected NNNN_name.sql)`);
    const sql = readFileSync(path.join(dir, file), "utf8");
    return { version: Number(match[1]), name: match[2]!, sql, checksum: checksumOf(sql) };
  });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StartupError(
        `migrations in ${dir} must be numbered 0001, 0002, ... without gaps; found ${label(m)}`,
      );
    }
  });
  return migrations;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/** Takes the schema's migration lock and puts the schema first on the search path, for this transaction. */
async function enter(tx: Queryable, schema: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1)", [lockKey(schema).toString()]);
  await tx.query(`SET LOCAL search_path TO ${schema}, public`);
}

async function appliedMigrations(tx: Queryable): Promise<AppliedRow[]> {
  const { rows } = await tx.query<AppliedRow>(
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
  );
  return rows;
}

function checkHistory(applied: AppliedRow[], known: Migration[]): void {
  for (const row of applied) {
    const mine = known.find((m) => m.version === row.version);
    if (!mine) {
      throw new StartupError(
        `the database has migration ${label(row)}, which this build does not know: it was written by a newer ` +
          `Clawden; run that version or restore a backup`,
      );
    }
    if (mine.name !== row.name || mine.checksum !== row.checksum) {
      throw new StartupError(
        `migration ${label(row)} in the database differs from ${label(mine)} in this build ` +
          `(a migration file was changed after it was applied); restore the original file`,
      );
    }
  }
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export interface MigrateOptions {
  /** The schema the migrations belong to and create their objects in (default `public`). */
  schema?: string;
  logger?: Logger;
}

export async function migrate(
  db: Database,
  migrations: Migration[],
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const schema = options.schema ?? "public";
  const logger = options.logger;
  if (!SCHEMA_PATTERN.test(schema)) throw new StartupError(`${JSON.stringify(schema)} is not a schema name`);
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [lockKey(schema).toString()]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await enter(tx, schema);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      duration_ms integer NOT NULL
    )`);
  });
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  const before = await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL search_path TO ${schema}, public`);
    return appliedMigrations(tx);
  });
  checkHistory(before, migrations);
  report.alreadyApplied = before.length;
  for (const migration of migrations) {
    if (before.some((row) => row.version === migration.version)) continue;
    const started = Date.now();
    const appliedNow = await db
      .transaction(async (tx) => {
        await enter(tx, schema);
        const current = await appliedMigrations(tx);
        checkHistory(current, migrations);
        if (current.some((row) => row.version === migration.version)) return false; // another server did it
        await tx.query(migration.sql);
        await tx.query(
          "INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)",
          [migration.version, migration.name, migration.checksum, Date.now() - started],
        );
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof StartupError) throw error;
        const detail = error instanceof Error ? error.message : String(error);
        throw new StartupError(`migration ${label(migration)} failed and was rolled back: ${detail}`);
      });
    if (appliedNow) {
      report.applied.push(label(migration));
      logger?.info({ schema, migration: label(migration), ms: Date.now() - started }, "migration applied");
    }
  }
  return report;
}
