// The two databases management-server runs on, for tests that must hold on both: a throw-away
// database on the real PostgreSQL test server, and an embedded PGlite in a temporary state directory.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase } from "@clawden/kit/testing";
import { createDatabase, type Database } from "@clawden/kit/db";
import { startEmbeddedPostgres } from "../../src/db/embedded.js";

export type DatabaseKind = "postgres" | "pglite";
export const DATABASE_KINDS: DatabaseKind[] = ["postgres", "pglite"];

export interface TestDatabaseHandle {
  kind: DatabaseKind;
  db: Database;
  /** Opens another, independent pool on the same database (to test concurrency between servers). */
  openAnotherPool(): Database;
  /** Empties the database (drops and recreates the public schema). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabaseHandle> {
  const extraPools: Database[] = [];
  let poolConfig: Parameters<typeof createDatabase>[0];
  let cleanup: () => Promise<void>;
  if (kind === "postgres") {
    const created = await createTestDatabase();
    poolConfig = { connectionString: created.url, max: 4 };
    cleanup = created.drop;
  } else {
    const stateDir = await mkdtemp(path.join(tmpdir(), "clawden-pglite-"));
    const embedded = await startEmbeddedPostgres(stateDir);
    poolConfig = { ...embedded.poolConfig, max: 4 };
    cleanup = async () => {
      await embedded.stop();
      await rm(stateDir, { recursive: true, force: true });
    };
  }
  const db = createDatabase(poolConfig);
  return {
    kind,
    db,
    openAnotherPool() {
      const pool = createDatabase(poolConfig);
      extraPools.push(pool);
      return pool;
    },
    async reset() {
      await db.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    },
    async close() {
      for (const pool of extraPools) await pool.close();
      await db.close();
      await cleanup();
    },
  };
}
