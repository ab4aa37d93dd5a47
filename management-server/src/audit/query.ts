// Reading the audit log: filtered pages, newest first, for the viewer; and the whole of a filtered log,
// oldest first in batches, for export as JSON lines or CSV.
import type { Queryable } from "@clawden/kit/db";
import { isUuid } from "../domain/ids.js";
import { auditRowOf, type AuditColumns, type AuditRow } from "./chain.js";

export interface AuditFilter {
  /** A user id (uuid), or the email of a user (lowercase). */
  actor?: string | undefined;
  /** An exact action, or a prefix when it ends with `.*` (`auth.*`). */
  action?: string | undefined;
  /** Events at or after this time. */
  from?: Date | undefined;
  /** Events before this time (exclusive). */
  to?: Date | undefined;
  /** Events with a seq below this one. */
  before?: number | undefined;
}

export interface AuditPageQuery extends AuditFilter {
  /** 1 to 500; default 50. */
  limit?: number | undefined;
}

export interface AuditRecord extends AuditRow {
  /** The actor's current email (null for the system, or a user since deleted). */
  actorEmail: string | null;
}

export const AUDIT_PAGE_MAX = 500;
export const AUDIT_PAGE_DEFAULT = 50;

interface RecordRow extends AuditColumns {
  actor_email: string | null;
}

const SELECT = `SELECT e.seq, e.at, e.actor_id, u.email AS actor_email, e.actor_tenant, e.action, e.outcome,
       e.target_type, e.target_id, e.target_tenant, e.ip, e.details
  FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id`;

function toRecord(row: RecordRow): AuditRecord {
  return { ...auditRowOf(row), actorEmail: row.actor_email };
}

/** The WHERE clause of `filter` (plus `extra` conditions), its values appended to `params`. */
function whereOf(filter: AuditFilter, params: unknown[], extra: string[] = []): string {
  const conditions: string[] = [];
  const add = (value: unknown, condition: (placeholder: string) => string) => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.actor !== undefined) {
    if (isUuid(filter.actor)) add(filter.actor.toLowerCase(), (p) => `e.actor_id = ${p}::uuid`);
    else add(filter.actor.trim().toLowerCase(), (p) => `u.email = ${p}`);
  }
  if (filter.action !== undefined) {
    if (filter.action.endsWith(".*")) add(filter.action.slice(0, -1), (p) => `starts_with(e.action, ${p})`);
    else add(filter.action, (p) => `e.action = ${p}`);
  }
  if (filter.from !== undefined) add(filter.from, (p) => `e.at >= ${p}`);
  if (filter.to !== undefined) add(filter.to, (p) => `e.at < ${p}`);
  if (filter.before !== undefined) add(filter.before, (p) => `e.seq < ${p}`);
  conditions.push(...extra);
  return conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
}

/**
 * One page of matching events, newest first. `nextBefore` is the `before` of the next (older) page, or
 * null when this page is the last.
 */
export async function queryAudit(
  db: Queryable,
  query: AuditPageQuery,
): Promise<{ events: AuditRecord[]; nextBefore: number | null }> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? AUDIT_PAGE_DEFAULT), 1), AUDIT_PAGE_MAX);
  const params: unknown[] = [];
  const where = whereOf(query, params);
  params.push(limit + 1);
  const { rows } = await db.query<RecordRow>(
    `${SELECT} ${where} ORDER BY e.seq DESC LIMIT $${params.length}`,
    params,
  );
  const events = rows.slice(0, limit).map(toRecord);
  const more = rows.length > limit;
  return { events, nextBefore: more ? events.at(-1)!.seq : null };
}

/**
 * Every matching event, oldest first, in batches of `batchSize` (keyset pages on seq): the log as it
 * was when the export began, without holding it in memory.
 */
export async function* exportAudit(
  db: Queryable,
  filter: AuditFilter,
  batchSize = 500,
): AsyncGenerator<AuditRecord[], void, undefined> {
  const { rows: head } = await db.query<{ seq: number | string | null }>(
    "SELECT max(seq) AS seq FROM audit_events",
  );
  if (head[0]?.seq === null || head[0]?.seq === undefined) return;
  const last = Number(head[0].seq);
  let after: number | null = null;
  for (;;) {
    const params: unknown[] = [last];
    const extra = ["e.seq <= $1"];
    if (after !== null) {
      params.push(after);
      extra.push(`e.seq > $${params.length}`);
    }
    const where = whereOf(filter, params, extra);
    params.push(batchSize);
    const { rows } = await db.query<RecordRow>(
      `${SELECT} ${where} ORDER BY e.seq LIMIT $${params.length}`,
      params,
    );
    if (rows.length === 0) return;
    const batch = rows.map(toRecord);
    yield batch;
    if (rows.length < batchSize) return;
    after = batch.at(-1)!.seq;
  }
}

/** An event as the API shows it (JSON, camelCase, times as ISO strings). */
export type PublicAuditEvent = Omit<AuditRecord, "at"> & { at: string };

export function publicAuditEvent(record: AuditRecord): PublicAuditEvent {
  return { ...record, at: record.at.toISOString() };
}

/** The columns of a CSV export, in order (the header line). */
export const AUDIT_CSV_COLUMNS = [
  "seq",
  "at",
  "actorId",
  "actorEmail",
  "actorTenant",
  "action",
  "outcome",
  "targetType",
  "targetId",
  "targetTenant",
  "ip",
  "details",
] as const satisfies readonly (keyof PublicAuditEvent)[];

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled. A text
 * starting with = + - @ (or tab, CR) is prefixed with ' so spreadsheets do not run it as a formula.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(",")}\r\n`;
}

export function csvLine(event: PublicAuditEvent): string {
  const cells = AUDIT_CSV_COLUMNS.map((column) =>
    column === "details" ? csvCell(JSON.stringify(event.details)) : csvCell(event[column]),
  );
  return `${cells.join(",")}\r\n`;
}

export function jsonLine(event: PublicAuditEvent): string {
  return `${JSON.stringify(event)}\n`;
}
