// Writing and verifying the audit log. An event is written in the transaction of the change it
// records, so one never exists without the other. Writers are serialized by a transaction-scoped
// advisory lock (the only kind PGlite allows), so seq has no gaps and each row's prev_hash is the hash
// of the row before it.
import { createHash } from "node:crypto";
import type { Database, Queryable } from "@clawden/kit/db";
import { isUuid } from "../domain/ids.js";
import {
  auditRowOf,
  GENESIS_HASH,
  hashEvent,
  type AuditColumns,
  type AuditRow,
  type JsonValue,
} from "./chain.js";
import type { AuditEvent } from "./events.js";

/** The advisory lock that serializes writers of audit_events. */
const AUDIT_LOCK_KEY = createHash("sha256")
  .update("clawden.audit_events")
  .digest()
  .readBigInt64BE(0)
  .toString();

/** Longest stored value of each text field, in UTF-16 code units. */
export const AUDIT_FIELD_LIMITS = {
  action: 100,
  outcome: 16,
  tenant: 200,
  targetType: 64,
  id: 200,
  ip: 64,
  /** Each string inside details. */
  detailString: 2000,
  /** The whole of details as JSON; larger details are replaced by a note saying so. */
  detailsJson: 16_384,
} as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string PostgreSQL stores as it is (no NUL, which text and jsonb refuse; no lone surrogate, which
 * would come back as U+FFFD and so hash differently), cut to `max` code units.
 */
function storable(value: string, max: number): string {
  return value.replaceAll("\u0000", "").slice(0, max).replace(LONE_SURROGATE, "\uFFFD");
}

function optionalText(value: string | null | undefined, max: number): string | null {
  return value === null || value === undefined ? null : storable(value, max);
}

function cleanJson(value: JsonValue): JsonValue {
  if (typeof value === "string") return storable(value, AUDIT_FIELD_LIMITS.detailString);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(cleanJson);
  // fromEntries defines own properties, so even a key named __proto__ stays a plain key.
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      storable(key, AUDIT_FIELD_LIMITS.detailString),
      cleanJson(inner),
    ]),
  );
}

/** details as jsonb will give them back: JSON values only (bigints as strings), storable strings. */
function storableDetails(details: Record<string, unknown> | undefined): { [key: string]: JsonValue } {
  const text = JSON.stringify(details ?? {}, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  const cleaned = cleanJson(JSON.parse(text) as JsonValue);
  if (cleaned === null || typeof cleaned !== "object" || Array.isArray(cleaned)) return {};
  const size = JSON.stringify(cleaned).length;
  if (size > AUDIT_FIELD_LIMITS.detailsJson) return { detailsOmitted: `too large (${size} characters)` };
  return cleaned;
}

function actorIdOf(value: string | null): string | null {
  if (value === null) return null;
  // The column is a uuid, read back in lowercase: hash it the way it will be read.
  if (!isUuid(value))
    throw new TypeError(`audit actorId must be a user id (uuid), got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/** The event's hashed content, minus seq and time (assigned under the lock). */
function contentOf(event: AuditEvent): Omit<AuditRow, "seq" | "at"> {
  return {
    actorId: actorIdOf(event.actorId),
    actorTenant: optionalText(event.actorTenant, AUDIT_FIELD_LIMITS.tenant),
    action: storable(event.action, AUDIT_FIELD_LIMITS.action),
    outcome: event.outcome,
    targetType: optionalText(event.targetType, AUDIT_FIELD_LIMITS.targetType),
    targetId: optionalText(event.targetId, AUDIT_FIELD_LIMITS.id),
    targetTenant: optionalText(event.targetTenant, AUDIT_FIELD_LIMITS.tenant),
    ip: optionalText(event.ip, AUDIT_FIELD_LIMITS.ip),
    details: storableDetails(event.details),
  };
}

/**
 * Appends `event` to the audit log inside the caller's transaction `tx` (rolled back with it). Holds
 * the log's lock until that transaction ends, so call it late in the transaction, and in READ
 * COMMITTED (the default): a transaction with an older snapshot would fail on a duplicate seq.
 */
export async function recordAudit(tx: Queryable, event: AuditEvent): Promise<void> {
  if ("transaction" in tx && typeof tx.transaction === "function") {
    // A Database would run each statement in its own transaction, and the lock would not hold.
    throw new TypeError("recordAudit needs the transaction of the change; use recordAuditAlone otherwise");
  }
  const content = contentOf(event);
  await tx.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_LOCK_KEY]);
  const { rows } = await tx.query<{ seq: number | string; hash: Buffer }>(
    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
  );
  const last = rows[0];
  const prevHash = last ? last.hash : GENESIS_HASH;
  // A Date is already in whole milliseconds, as the canonical form wants.
  const row: AuditRow = { ...content, seq: last ? Number(last.seq) + 1 : 1, at: new Date() };
  const hash = hashEvent(prevHash, row);
  await tx.query(
    `INSERT INTO audit_events (seq, at, actor_id, actor_tenant, action, outcome, target_type, target_id,
       target_tenant, ip, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)`,
    [
      row.seq,
      row.at,
      row.actorId,
      row.actorTenant,
      row.action,
      row.outcome,
      row.targetType,
      row.targetId,
      row.targetTenant,
      row.ip,
      JSON.stringify(row.details),
      prevHash,
      hash,
    ],
  );
}

/** Records an event that goes with no change (a failed sign-in...), in a transaction of its own. */
export async function recordAuditAlone(db: Database, event: AuditEvent): Promise<void> {
  await db.transaction((tx) => recordAudit(tx, event));
}

export type AuditVerification =
  | { ok: true; events: number; head?: string }
  | { ok: false; events: number; brokenAt: number; reason: string };

interface StoredRow extends AuditColumns {
  prev_hash: Buffer;
  hash: Buffer;
}

function missing(from: number, to: number): string {
  return from === to ? `event #${from} is missing` : `events #${from} to #${to} are missing`;
}

/** Why the row `seq` breaks the chain after `prevSeq` (0: none yet), or null when it holds. */
function checkLink(stored: StoredRow, seq: number, prevSeq: number, prevHash: Buffer): string | null {
  if (seq < 1) return `event #${seq} has a number the log never gives (it was inserted by other means)`;
  if (seq !== prevSeq + 1) {
    return prevSeq === 0
      ? `${missing(1, seq - 1)}: the log starts at #${seq} (events were deleted)`
      : `${missing(prevSeq + 1, seq - 1)} between #${prevSeq} and #${seq} (deleted)`;
  }
  if (!stored.prev_hash.equals(prevHash)) {
    return prevSeq === 0
      ? "event #1 does not start the chain: its previous hash is not the genesis value (it was replaced)"
      : `event #${seq} does not follow event #${prevSeq}: its previous hash is not that event's hash ` +
          "(events were replaced or reordered)";
  }
  let expected: Buffer;
  try {
    expected = hashEvent(prevHash, auditRowOf(stored));
  } catch {
    return `event #${seq} cannot be read as an event (its content was changed)`;
  }
  if (!stored.hash.equals(expected)) {
    return `event #${seq} was changed after it was written: its content does not match its hash`;
  }
  return null;
}

/**
 * Walks the whole log in seq order and recomputes every hash. Reports the first event that breaks the
 * chain: changed content, a previous hash that is not the hash of the event before, or a gap in seq.
 * (Removing the newest events leaves a shorter valid chain: compare `head` with a copy kept elsewhere.)
 */
export async function verifyAuditChain(
  db: Queryable,
  options: { batchSize?: number } = {},
): Promise<AuditVerification> {
  const batchSize = Math.min(Math.max(Math.trunc(options.batchSize ?? 1000), 1), 10_000);
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  let events = 0;
  let after: number | null = null;
  for (;;) {
    // The first batch has no lower bound, so rows numbered 0 or below are seen too.
    const { rows }: { rows: StoredRow[] } = await db.query<StoredRow>(
      `SELECT seq, at, actor_id, actor_tenant, action, outcome, target_type, target_id, target_tenant, ip,
              details, prev_hash, hash
       FROM audit_events WHERE $1::bigint IS NULL OR seq > $1::bigint ORDER BY seq LIMIT $2`,
      [after, batchSize],
    );
    for (const stored of rows) {
      const seq = Number(stored.seq);
      const reason = checkLink(stored, seq, prevSeq, prevHash);
      if (reason !== null) return { ok: false, events, brokenAt: seq, reason };
      prevSeq = seq;
      prevHash = stored.hash;
      events += 1;
    }
    if (rows.length < batchSize) break;
    after = prevSeq;
  }
  return events === 0 ? { ok: true, events } : { ok: true, events, head: prevHash.toString("hex") };
}
