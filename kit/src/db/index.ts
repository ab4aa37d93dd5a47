export { connectDatabase, createDatabase, type Database, type Queryable } from "./database.js";
export {
  checksumOf,
  label as migrationLabel,
  loadMigrations,
  migrate,
  type MigrateOptions,
  type Migration,
  type MigrationReport,
} from "./migrate.js";
