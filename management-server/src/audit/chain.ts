// The hash chain of the audit log, pure: how an event row is serialized for hashing, and its hash.
// Each row's hash is SHA-256(previous row's hash ‖ canonical bytes of the row), starting from 32 zero
// bytes, so changing, removing or reordering a row breaks every link from there on.
//
// The canonical form must come out the same when the row is written and when it is read back from
// PostgreSQL, so: a JSON array of the fields in a fixed order (led by a format version), `at` as an ISO
// string in milliseconds (we store it truncated to milliseconds), and `details` with the keys of every
// object sorted (jsonb keeps its own key order, not ours).
import { createHash } from "node:crypto";

/** The chain's first `prev_hash`. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** The first field of the canonical form: a future format must use another number. */
export const CANONICAL_VERSION = 1;

/** JSON as jsonb stores it: what `JSON.parse` gives back. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The hashed content of a row of audit_events (everything but prev_hash and hash). */
export interface AuditRow {
  seq: number;
  at: Date;
  actorId: string | null;
  actorTenant: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  targetTenant: string | null;
  ip: string | null;
  details: { [key: string]: JsonValue };
}

/** The same content as PostgreSQL returns the columns of audit_events. */
export interface AuditColumns {
  seq: number | string;
  at: Date;
  actor_id: string | null;
  actor_tenant: string | null;
  action: string;
  outcome: string;
  target_type: string | null;
  target_id: string | null;
  target_tenant: string | null;
  ip: string | null;
  details: { [key: string]: JsonValue };
}

/** A stored row's hashed content, as it was hashed when written. */
export function auditRowOf(columns: AuditColumns): AuditRow {
  return {
    seq: Number(columns.seq),
    at: columns.at,
    actorId: columns.actor_id,
    actorTenant: columns.actor_tenant,
    action: columns.action,
    outcome: columns.outcome,
    targetType: columns.target_type,
    targetId: columns.target_id,
    targetTenant: columns.target_tenant,
    ip: columns.ip,
    details: columns.details,
  };
}

/** JSON text of `value` with the keys of every object sorted (by UTF-16 code units), no spaces. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value) as string | undefined;
    // Only values JSON cannot hold (undefined, functions) give undefined; jsonb never returns those.
    if (text === undefined) throw new TypeError(`not a JSON value: ${String(value)}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(",")}}`;
}

/** The bytes of a row that its hash covers. */
export function canonicalEvent(row: AuditRow): Buffer {
  if (!Number.isSafeInteger(row.seq) || row.seq < 1) throw new RangeError(`invalid seq ${row.seq}`);
  if (Number.isNaN(row.at.getTime())) throw new RangeError("invalid event time");
  const fields: JsonValue[] = [
    CANONICAL_VERSION,
    row.seq,
    row.at.toISOString(),
    row.actorId,
    row.actorTenant,
    row.action,
    row.outcome,
    row.targetType,
    row.targetId,
    row.targetTenant,
    row.ip,
    row.details,
  ];
  return Buffer.from(canonicalJson(fields), "utf8");
}

/** SHA-256(prevHash ‖ canonical bytes of `row`). */
export function hashEvent(prevHash: Buffer, row: AuditRow): Buffer {
  if (prevHash.length !== 32) throw new RangeError(`prevHash must be 32 bytes, got ${prevHash.length}`);
  return createHash("sha256").update(prevHash).update(canonicalEvent(row)).digest();
}
