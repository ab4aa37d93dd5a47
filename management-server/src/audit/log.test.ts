// recordAudit against a stand-in transaction: what it locks, reads and writes, and how it makes an
// event storable. (Against real databases: test/audit.int.test.ts.)
import type { Queryable } from "@clawden/kit/db";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, type AuditRow } from "./chain.js";
import type { AuditEvent } from "./events.js";
import { AUDIT_FIELD_LIMITS, recordAudit } from "./log.js";

interface Call {
  text: string;
  params: unknown[];
}

function fakeTx(last?: { seq: number; hash: Buffer }) {
  const calls: Call[] = [];
  const tx: Queryable = {
    query: (text: string, params: unknown[] = []) => {
      calls.push({ text, params });
      const rows = text.startsWith("SELECT seq, hash") && last ? [last] : [];
      return Promise.resolve({ rows, rowCount: rows.length, command: "", oid: 0, fields: [] }) as never;
    },
  };
  return { tx, calls };
}

/** The row an INSERT wrote, as the chain sees it. */
function written(call: Call): { row: AuditRow; prevHash: Buffer; hash: Buffer } {
  const p = call.params;
  return {
    row: {
      seq: p[0] as number,
      at: p[1] as Date,
      actorId: p[2] as string | null,
      actorTenant: p[3] as string | null,
      action: p[4] as string,
      outcome: p[5] as string,
      targetType: p[6] as string | null,
      targetId: p[7] as string | null,
      targetTenant: p[8] as string | null,
      ip: p[9] as string | null,
      details: JSON.parse(p[10] as string) as AuditRow["details"],
    },
    prevHash: p[11] as Buffer,
    hash: p[12] as Buffer,
  };
}

const event: AuditEvent = { action: "auth.login", outcome: "success", actorId: null };

describe("recordAudit", () => {
  it("takes the lock, then reads the last row, then inserts the first event after genesis", async () => {
    const { tx, calls } = fakeTx();
    await recordAudit(tx, { ...event, details: { b: 1, a: 2 } });
    expect(calls.map((c) => c.text.split(/\s+/).slice(0, 2).join(" "))).toEqual([
      "SELECT pg_advisory_xact_lock($1)",
      "SELECT seq,",
      "INSERT INTO",
    ]);
    const { row, prevHash, hash } = written(calls[2]!);
    expect(row.seq).toBe(1);
    expect(prevHash.equals(GENESIS_HASH)).toBe(true);
    expect(hash.equals(hashEvent(GENESIS_HASH, row))).toBe(true);
    expect(Date.now() - row.at.getTime()).toBeLessThan(5000);
  });

  it("follows the last row: seq + 1 and its hash as prev_hash", async () => {
    const lastHash = Buffer.alloc(32, 7);
    const { tx, calls } = fakeTx({ seq: 41, hash: lastHash });
    await recordAudit(tx, event);
    const { row, prevHash, hash } = written(calls[2]!);
    expect(row.seq).toBe(42);
    expect(prevHash.equals(lastHash)).toBe(true);
    expect(hash.equals(hashEvent(lastHash, row))).toBe(true);
  });

  it("stores what PostgreSQL gives back unchanged: no NUL, no lone surrogate, lowercase uuid", async () => {
    const { tx, calls } = fakeTx();
    await recordAudit(tx, {
      ...event,
      actorId: "0B9E3A52-6C1F-4A43-9D0E-3F3C1C2B8A11",
      targetId: "a\u0000b",
      details: {
        "k\u0000": "x\ud800y",
        when: new Date("2025-01-02T03:04:05.678Z"),
        big: 12n,
        gone: undefined,
      },
    });
    const { row } = written(calls[2]!);
    expect(row.actorId).toBe("0b9e3a52-6c1f-4a43-9d0e-3f3c1c2b8a11");
    expect(row.targetId).toBe("ab");
    expect(row.details).toEqual({ k: "x\uFFFDy", when: "2025-01-02T03:04:05.678Z", big: "12" });
  });

  it("cuts long fields and replaces oversized details by a note", async () => {
    const { tx, calls } = fakeTx();
    await recordAudit(tx, {
      ...event,
      ip: "1".repeat(100),
      targetId: "t".repeat(500),
      details: { list: Array.from({ length: 20 }, () => "d".repeat(1500)) },
    });
    const { row } = written(calls[2]!);
    expect(row.ip).toHaveLength(AUDIT_FIELD_LIMITS.ip);
    expect(row.targetId).toHaveLength(AUDIT_FIELD_LIMITS.id);
    expect(Object.keys(row.details)).toEqual(["detailsOmitted"]);
  });

  it("keeps a cut that falls inside a surrogate pair well-formed", async () => {
    const { tx, calls } = fakeTx();
    await recordAudit(tx, { ...event, ip: `${"x".repeat(63)}😀` });
    expect(written(calls[2]!).row.ip).toBe(`${"x".repeat(63)}\uFFFD`);
  });

  it("refuses an actor that is not a user id, before touching the database", async () => {
    const { tx, calls } = fakeTx();
    await expect(recordAudit(tx, { ...event, actorId: "admin" })).rejects.toThrow(/uuid/);
    expect(calls).toHaveLength(0);
  });

  it("refuses a Database in place of a transaction", async () => {
    const { tx, calls } = fakeTx();
    const db = { ...tx, transaction: () => Promise.resolve() } as unknown as Queryable;
    await expect(recordAudit(db, event)).rejects.toThrow(/recordAuditAlone/);
    expect(calls).toHaveLength(0);
  });
});
