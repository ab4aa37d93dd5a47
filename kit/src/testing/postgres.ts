// Throw-away databases on the test PostgreSQL server (TEST_DATABASE_URL, started by `npm test`).
// Names carry the run's process id so leftovers of dead runs can be told apart and dropped.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { processAlive, testRunPid } from "./run.js";

const PREFIX = "clawden_t_";

export function testDatabaseServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      "TEST_DATABASE_URL is not set: run the suite with `npm test`, which starts a test PostgreSQL server, " +
        "or point TEST_DATABASE_URL at a superuser connection of a server you own",
    );
  }
  return url;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/** Creates an empty database for one test file; drop() removes it (connections are terminated first). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${PREFIX}${testRunPid()}_${randomBytes(4).toString("hex")}`;
  await onServer((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: withDatabase(testDatabaseServerUrl(), name),
    drop: () =>
      onServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Drops databases left behind by test runs whose process has ended. */
export async function dropStaleTestDatabases(): Promise<number> {
  return onServer(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${PREFIX}%`],
    );
    let dropped = 0;
    for (const { datname } of rows) {
      const pid = Number(datname.slice(PREFIX.length).split("_")[0]);
      if (!processAlive(pid)) {
        await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
        dropped++;
      }
    }
    return dropped;
  });
}

export async function postgresAnswers(): Promise<string | null> {
  try {
    await onServer((c) => c.query("SELECT 1"));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
