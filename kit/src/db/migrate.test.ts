import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checksumOf, loadMigrations } from "./migrate.js";

const dirs: string[] = [];
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "clawden-mig-unit-"));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("loadMigrations", () => {
  it("orders by number and computes checksums", () => {
    const migrations = loadMigrations(dirWith({ "0002_b.sql": "B", "0001_a.sql": "A" }));
    expect(migrations.map((m) => m.name)).toEqual(["a", "b"]);
    expect(migrations[0]!.checksum).toBe(checksumOf("A"));
  });

  it("refuses gaps, duplicates and stray files", () => {
    expect(() => loadMigrations(dirWith({ "0001_a.sql": "", "0003_c.sql": "" }))).toThrow(
      /without gaps; found 0003_c/,
    );
    expect(() => loadMigrations(dirWith({ "0001_a.sql": "", "0001_b.sql": "" }))).toThrow(/without gaps/);
    expect(() => loadMigrations(dirWith({ "0001_a.sql": "", "notes.txt": "" }))).toThrow(
      /not a migration file name/,
    );
  });

  it("gives the same checksum whatever the line endings", () => {
    expect(checksumOf("a\r\nb")).toBe(checksumOf("a\nb"));
  });
});

describe("loadMigrations on a missing directory", () => {
  it("says so in one line", () => {
    expect(() => loadMigrations("/nonexistent/clawden/migrations")).toThrow(
      "cannot read the migrations in /nonexistent/clawden/migrations (ENOENT): is the build complete?",
    );
  });
});
