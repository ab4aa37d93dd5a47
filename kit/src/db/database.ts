// The database as the rest of management-server sees it: `pg` queries and transactions, on real
// PostgreSQL or on the embedded PGlite alike. PGlite is a single session shared by every connection,
// so nothing here may rely on session state: locks are transaction-scoped (pg_advisory_xact_lock),
// no SET outside a transaction (SET LOCAL only), no named prepared statements, no temp tables.
import pg from "pg";
import { StartupError } from "../server/lifecycle.js";

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export interface Database extends Queryable {
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the server answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Timestamps as JavaScript Dates; bigint counts as numbers where they fit.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

export function createDatabase(poolConfig: pg.PoolConfig): Database {
  const pool = new pg.Pool({ connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, ...poolConfig });
  // An idle client that loses its server (restart, network) must not crash the process.
  pool.on("error", () => undefined);
  return {
    query: (text, params) => pool.query(text, params),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        // A client whose rollback failed is in an unknown state: destroy it rather than reuse it.
        client.release(broken);
      }
    },
    async ping() {
      await pool.query("SELECT 1");
    },
    close: () => pool.end(),
  };
}

/**
 * Opens a pool on `url` (named `variable` in errors) and checks that the server answers; a server that
 * does not is a one-line StartupError, with the pool closed.
 */
export async function connectDatabase(
  url: string,
  poolMax: number,
  variable = "DATABASE_URL",
): Promise<Database> {
  const db = createDatabase({ connectionString: url, max: poolMax });
  try {
    await db.ping();
    return db;
  } catch (error) {
    await db.close();
    throw new StartupError(`PostgreSQL at ${variable} does not answer: ${(error as Error).message}`);
  }
}
