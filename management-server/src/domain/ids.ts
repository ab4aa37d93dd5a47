// Ids as the database writes them: uuids (users, sessions, API keys...).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a uuid (any case; PostgreSQL returns them in lowercase). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
