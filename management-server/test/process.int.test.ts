// management-server as an operator runs it (its real main in a child process): configuration errors,
// the embedded database across restarts, refusing an unknown schema, and graceful shutdown on SIGTERM
// with a request in flight — held in flight for real by a lock the test takes in PostgreSQL.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, runMainToExit, startMain, type TestDatabase } from "@clawden/kit/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@clawden/kit/db";
import { managementMigrations } from "../src/db/migrations.js";
import { createDatabase } from "@clawden/kit/db";

const MAIN = path.resolve(import.meta.dirname, "../src/main.ts");

function jsonLines(output: string[]): Record<string, unknown>[] {
  return output.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("management-server process", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("stops at start with one line naming each bad variable, and exit code 78", async () => {
    const result = await runMainToExit(MAIN, {
      PORT: "http",
      PUBLIC_URL: "not-a-url",
      DATABASE_URL: "mysql://x",
    });
    expect(result.code).toBe(78);
    expect(result.output).toHaveLength(1);
    const [line] = result.output;
    expect(line).toMatch(/^management-server: invalid configuration: /);
    expect(line).toContain('PORT must be a port number (got "http")');
    expect(line).toContain("PUBLIC_URL must be an absolute URL");
    expect(line).toContain("DATABASE_URL must be a postgres:// connection URL");
    expect(line).not.toContain("mysql://x");
  });

  it("runs on the embedded database, keeps its data across restarts, and refuses a second process", async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), "clawden-ms-state-"));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
    const env = { PORT: "0", STATE_DIR: stateDir };
    const first = await startMain(MAIN, env);
    const ready = await fetch(`${first.url}/readyz`);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok" } });
    const migrations = managementMigrations();
    const firstStart = jsonLines(first.output).find((l) => l.msg === "database ready")!;
    expect(firstStart.applied).toHaveLength(migrations.length);

    const second = await runMainToExit(MAIN, env);
    expect(second.code).toBe(1);
    expect(second.output.join("\n")).toMatch(/the embedded database in .* is in use by process \d+/);

    expect(await first.stop()).toBe(0);
    const again = await startMain(MAIN, env);
    const secondStart = jsonLines(again.output).find((l) => l.msg === "database ready")!;
    expect(secondStart).toMatchObject({ applied: [], alreadyApplied: migrations.length, embedded: true });
    expect(await again.stop()).toBe(0);
  });

  describe("on PostgreSQL", () => {
    let database: TestDatabase;
    let locker: pg.Client;
    beforeAll(async () => {
      database = await createTestDatabase();
      locker = new pg.Client({ connectionString: database.url });
      await locker.connect();
    });
    afterAll(async () => {
      await locker.end();
      await database.drop();
    });

    it("refuses to start on a database with a migration it does not know", async () => {
      const other = await createTestDatabase();
      cleanups.push(other.drop);
      const db = createDatabase({ connectionString: other.url, max: 1 });
      await migrate(db, managementMigrations());
      await db.query(
        "INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (999, 'newer', 'x', 0)",
      );
      await db.close();
      const result = await runMainToExit(MAIN, { PORT: "0", DATABASE_URL: other.url });
      expect(result.code).toBe(1);
      expect(result.output.at(-1)).toMatch(/^management-server: the database has migration 0999_newer/);
    });

    /**
     * Starts a server and sends it a sign-in request that is held in flight for real: the test holds an
     * exclusive lock on magic_links, so the server's DELETE waits until the test commits.
     */
    async function serverWithRequestInFlight(shutdownTimeoutMs: number) {
      const server = await startMain(MAIN, {
        PORT: "0",
        DATABASE_URL: database.url,
        SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
      });
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE magic_links IN ACCESS EXCLUSIVE MODE");
      const inFlight = fetch(`${server.url}/api/auth/magic-link/consume`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: "A".repeat(43) }),
      });
      for (;;) {
        const { rows } = await locker.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      return { server, inFlight };
    }

    it("on SIGTERM stops accepting, finishes the request in flight, then exits 0", async () => {
      const { server, inFlight } = await serverWithRequestInFlight(20_000);
      const exited = server.stop("SIGTERM");
      // New connections are refused while the old request is still waiting on the lock.
      await expect
        .poll(() =>
          fetch(`${server.url}/healthz`).then(
            () => "accepted",
            () => "refused",
          ),
        )
        .toBe("refused");
      await locker.query("COMMIT");
      const res = await inFlight;
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("link_invalid");
      expect(await exited).toBe(0);
      const log = jsonLines(server.output);
      expect(log.some((l) => l.msg === "shutdown complete")).toBe(true);
    });

    it("bounds shutdown: a request that never finishes is cut at the deadline", async () => {
      const { server, inFlight } = await serverWithRequestInFlight(500);
      const outcome = inFlight.then(
        (r) => r.status,
        () => "cut",
      );
      const began = Date.now();
      expect(await server.stop("SIGTERM")).toBe(0);
      expect(Date.now() - began).toBeLessThan(5000);
      expect(await outcome).toBe("cut");
      await locker.query("COMMIT");
    });
  });
});
