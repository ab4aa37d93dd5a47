// management-server's own migrations (the `public` schema).
import path from "node:path";
import { loadMigrations, type Migration } from "@clawden/kit/db";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "migrations");

export function managementMigrations(): Migration[] {
  return loadMigrations(MIGRATIONS_DIR);
}
