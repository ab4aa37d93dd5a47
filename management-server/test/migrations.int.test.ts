// Migrations on both databases management-server runs on: applied in order and recorded, idempotent,
// a failed one rolled back completely, and a history this build does not recognise refused.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { StartupError } from "@clawden/kit/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checksumOf, loadMigrations, migrate } from "@clawden/kit/db";
import { managementMigrations } from "../src/db/migrations.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabaseHandle } from "./support/databases.js";

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "clawden-migrations-"));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

async function tableExists(handle: TestDatabaseHandle, table: string): Promise<boolean> {
  const { rows } = await handle.db.query<{ exists: boolean }>(
    "SELECT to_regclass($1) IS NOT NULL AS exists",
    [`public.${table}`],
  );
  return rows[0]!.exists;
}

describe.each(DATABASE_KINDS)("migrations on %s", (kind) => {
  let handle: TestDatabaseHandle;
  const dirs: string[] = [];
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await handle.reset();
  });
  const tempDir = async (files: Record<string, string>) => {
    const dir = await migrationsDir(files);
    dirs.push(dir);
    return dir;
  };

  it("applies the product's migrations in order, records them, and does nothing the second time", async () => {
    const migrations = managementMigrations();
    const first = await migrate(handle.db, migrations);
    expect(first.applied).toEqual(migrations.map((m) => `${String(m.version).padStart(4, "0")}_${m.name}`));
    const { rows } = await handle.db.query<{ version: number; checksum: string }>(
      "SELECT version, checksum FROM schema_migrations ORDER BY version",
    );
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, checksum: checksumOf(m.sql) })));
    for (const table of ["users", "sessions", "magic_links"])
      expect(await tableExists(handle, table)).toBe(true);
    const second = await migrate(handle.db, migrations);
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.length });
  });

  it("rolls a failing migration back completely and names it; fixed, it applies", async () => {
    const dir = await tempDir({
      "0001_one.sql": "CREATE TABLE one (id int);",
      "0002_two.sql": "CREATE TABLE two (id int); INSERT INTO one VALUES (1); SELECT no_such_function();",
    });
    const error = await migrate(handle.db, loadMigrations(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(
      /^migration 0002_two failed and was rolled back: .*no_such_function/,
    );
    expect(await tableExists(handle, "one")).toBe(true);
    expect(await tableExists(handle, "two")).toBe(false);
    expect((await handle.db.query("SELECT * FROM one")).rowCount).toBe(0);
    const { rows } = await handle.db.query<{ version: number }>("SELECT version FROM schema_migrations");
    expect(rows.map((r) => r.version)).toEqual([1]);

    await writeFile(path.join(dir, "0002_two.sql"), "CREATE TABLE two (id int); INSERT INTO one VALUES (1);");
    const fixed = await migrate(handle.db, loadMigrations(dir));
    expect(fixed.applied).toEqual(["0002_two"]);
    expect((await handle.db.query("SELECT * FROM one")).rowCount).toBe(1);
  });

  it("refuses a database holding a migration this build does not know", async () => {
    const dir = await tempDir({ "0001_one.sql": "CREATE TABLE one (id int);" });
    await migrate(handle.db, loadMigrations(dir));
    await handle.db.query(
      "INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (2, 'from_the_future', 'x', 0)",
    );
    await expect(migrate(handle.db, loadMigrations(dir))).rejects.toThrow(
      /the database has migration 0002_from_the_future, which this build does not know/,
    );
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const dir = await tempDir({ "0001_one.sql": "CREATE TABLE one (id int);" });
    await migrate(handle.db, loadMigrations(dir));
    await writeFile(path.join(dir, "0001_one.sql"), "CREATE TABLE one (id bigint);");
    await expect(migrate(handle.db, loadMigrations(dir))).rejects.toThrow(/a migration file was changed/);
  });

  it("keeps another server's schema apart: its objects and its history live in that schema", async () => {
    const dir = await tempDir({ "0001_one.sql": "CREATE TABLE one (id int);" });
    const report = await migrate(handle.db, loadMigrations(dir), { schema: "other_server" });
    expect(report.applied).toEqual(["0001_one"]);
    expect(await tableExists(handle, "one")).toBe(false);
    const { rows } = await handle.db.query<{ t: string | null; m: string | null }>(
      "SELECT to_regclass('other_server.one')::text AS t, to_regclass('other_server.schema_migrations')::text AS m",
    );
    expect(rows[0]).toEqual({ t: "other_server.one", m: "other_server.schema_migrations" });
    // The public schema's own history is untouched by it.
    const product = await migrate(handle.db, managementMigrations());
    expect(product.alreadyApplied).toBe(0);
    await handle.db.query("DROP SCHEMA other_server CASCADE");
  });

  it("applies each migration exactly once when two servers start at the same time", async () => {
    const dir = await tempDir({
      "0001_one.sql": "CREATE TABLE one (id int);",
      "0002_two.sql": "CREATE TABLE two (id int);",
      "0003_three.sql": "CREATE TABLE three (id int);",
    });
    const migrations = loadMigrations(dir);
    const other = handle.openAnotherPool();
    const [a, b] = await Promise.all([migrate(handle.db, migrations), migrate(other, migrations)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(["0001_one", "0002_two", "0003_three"]);
    const { rows } = await handle.db.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations");
    expect(rows[0]!.n).toBe(3);
  });
});
