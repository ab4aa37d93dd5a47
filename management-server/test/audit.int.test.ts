// The hash-chained audit log on both databases management-server runs on: concurrent writers make one
// gap-free chain, events live and die with their transaction, and every kind of tampering is found and
// located; the admin API's filters, pages and exports; and `clawden-admin audit-verify` as a process.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { migrate, createDatabase, type Database } from "@clawden/kit/db";
import { createHttpApp, createServiceBasics } from "@clawden/kit/server";
import { createTestDatabase, repoRoot } from "@clawden/kit/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, type AuditRow } from "../src/audit/chain.js";
import type { AuditEvent } from "../src/audit/events.js";
import { recordAudit, recordAuditAlone, verifyAuditChain } from "../src/audit/log.js";
import { exportAudit, type PublicAuditEvent } from "../src/audit/query.js";
import { managementMigrations } from "../src/db/migrations.js";
import { ensureUser, type User } from "../src/db/users.js";
import { auditRoutes } from "../src/http/audit-routes.js";
import type { Principal } from "../src/http/principal.js";
import { startTestApp } from "./support/app.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabaseHandle } from "./support/databases.js";

/** Waits until the clock has moved past `moment` (event times are whole milliseconds). */
async function clockPast(moment: Date): Promise<void> {
  while (Date.now() <= moment.getTime()) await new Promise((resolve) => setImmediate(resolve));
}

function event(action: AuditEvent["action"], extra: Partial<AuditEvent> = {}): AuditEvent {
  return { action, outcome: "success", actorId: null, ...extra };
}

async function recordMany(db: Database, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await recordAuditAlone(db, event("auth.login", { details: { n: i, nested: { z: 1, a: [i, "x"] } } }));
  }
}

/** A small app with only the audit routes, acting as the user named by the x-test-user header. */
async function startAuditApp(db: Database, users: Record<string, User>) {
  const basics = createServiceBasics("audit-test", "silent");
  const app = createHttpApp({ ...basics, readiness: {} }, (app) => {
    app.use((req, _res, next) => {
      const user = users[req.get("x-test-user") ?? ""];
      if (user) {
        req.principal = {
          kind: "session",
          user,
          session: { id: "test", token: "test", authenticatedAt: new Date() },
        } satisfies Principal;
      }
      next();
    });
    app.use(auditRoutes(db));
  });
  const server: Server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: (pathAndQuery: string, as: string | null = "admin") =>
      fetch(`${url}${pathAndQuery}`, { headers: as ? { "x-test-user": as } : {} }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** RFC 4180: quoted cells may hold commas, CRLF and doubled quotes; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  if (cell !== "" || row.length > 0) throw new Error("the CSV does not end with CRLF");
  return rows;
}

describe.each(DATABASE_KINDS)("the audit log on %s", (kind) => {
  let handle: TestDatabaseHandle;
  let db: Database;

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    db = handle.db;
    await migrate(db, managementMigrations());
  });
  afterAll(async () => {
    await handle.close();
  });

  describe("writing and verifying", () => {
    beforeEach(async () => {
      await db.query("DELETE FROM audit_events");
    });

    it("is intact and empty at first", async () => {
      expect(await verifyAuditChain(db)).toEqual({ ok: true, events: 0 });
    });

    it("makes one gap-free valid chain from 50 concurrent transactions on two pools", async () => {
      const other = handle.openAnotherPool();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 === 0 ? db : other).transaction(async (tx) => {
            await tx.query("SELECT 1");
            await recordAudit(tx, event("user.approved", { details: { i } }));
          }),
        ),
      );
      const { rows } = await db.query<{ seq: number; details: { i: number } }>(
        "SELECT seq, details FROM audit_events ORDER BY seq",
      );
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(rows.map((r) => r.details.i).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i),
      );
      const result = await verifyAuditChain(db, { batchSize: 7 });
      expect(result).toMatchObject({ ok: true, events: 50 });
      const { rows: last } = await db.query<{ hash: Buffer }>("SELECT hash FROM audit_events WHERE seq = 50");
      expect(result.ok && result.head).toBe(last[0]!.hash.toString("hex"));
    });

    it("keeps the chain gap-free when concurrent transactions roll back after recording", async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          db.transaction(async (tx) => {
            await recordAudit(tx, event("user.suspended", { details: { i } }));
            if (i % 3 === 0) throw new Error("changed my mind");
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(10);
      const { rows } = await db.query<{ seq: number; details: { i: number } }>(
        "SELECT seq, details FROM audit_events ORDER BY seq",
      );
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(rows.every((r) => r.details.i % 3 !== 0)).toBe(true);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 20 });
    });

    it("commits an event with its change and rolls both back together", async () => {
      const change = (tx: { query: Database["query"] }, value: string) =>
        tx.query(
          "INSERT INTO settings (key, value) VALUES ('audit-test', $1) ON CONFLICT (key) DO UPDATE SET value = $1",
          [JSON.stringify(value)],
        );
      await expect(
        db.transaction(async (tx) => {
          await change(tx, "rolled back");
          await recordAudit(tx, event("settings.sign_up_changed"));
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect((await db.query("SELECT * FROM audit_events")).rows).toHaveLength(0);
      expect((await db.query("SELECT * FROM settings WHERE key = 'audit-test'")).rows).toHaveLength(0);

      // An event that cannot be recorded takes its change down with it.
      await expect(
        db.transaction(async (tx) => {
          await change(tx, "not audited");
          await recordAudit(tx, event("settings.sign_up_changed", { actorId: "not-a-user-id" }));
        }),
      ).rejects.toThrow(/uuid/);
      expect((await db.query("SELECT * FROM settings WHERE key = 'audit-test'")).rows).toHaveLength(0);

      await db.transaction(async (tx) => {
        await change(tx, "committed");
        await recordAudit(tx, event("settings.sign_up_changed"));
      });
      expect((await db.query("SELECT * FROM settings WHERE key = 'audit-test'")).rows).toHaveLength(1);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 1 });
      await db.query("DELETE FROM settings WHERE key = 'audit-test'");
    });

    it("stores what it hashed: times in milliseconds, awkward details and text read back the same", async () => {
      await recordAuditAlone(
        db,
        event("auth.login", {
          actorId: "0B9E3A52-6C1F-4A43-9D0E-3F3C1C2B8A11",
          ip: "2001:db8::1",
          targetId: "nul\u0000here",
          details: {
            zeta: 1e21,
            alpha: [0.1 + 0.2, -0, 5e-324, { b: "é\u2028😀", a: "\ud800" }],
            ["__proto__"]: { polluted: true },
            empty: {},
            when: new Date("2025-01-01T00:00:00.123Z"),
          },
        }),
      );
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 1 });
      const { rows } = await db.query<{ us: number; actor_id: string; target_id: string; details: object }>(
        "SELECT extract(microseconds FROM at)::int % 1000 AS us, actor_id, target_id, details FROM audit_events",
      );
      expect(rows[0]!.us).toBe(0);
      expect(Object.keys(rows[0]!.details)).toContain("__proto__");
      expect(rows[0]!.actor_id).toBe("0b9e3a52-6c1f-4a43-9d0e-3f3c1c2b8a11");
      expect(rows[0]!.target_id).toBe("nulhere");
    });

    it("finds a changed action, outcome or details at the changed event", async () => {
      for (const change of [
        "action = 'auth.logout'",
        "outcome = 'failure'",
        `details = jsonb_set(details, '{n}', '99')`,
        "ip = '198.51.100.1'",
        "at = at + interval '1 millisecond'",
      ]) {
        await db.query("DELETE FROM audit_events");
        await recordMany(db, 8);
        await db.query(`UPDATE audit_events SET ${change} WHERE seq = 4`);
        const result = await verifyAuditChain(db, { batchSize: 3 });
        expect(result, change).toEqual({
          ok: false,
          events: 3,
          brokenAt: 4,
          reason: "event #4 was changed after it was written: its content does not match its hash",
        });
      }
    });

    it("is not fooled by jsonb's key order: rewriting details in another order keeps it intact", async () => {
      await recordAuditAlone(db, event("auth.login", { details: { b: 1, a: { y: 2, x: 1 } } }));
      await db.query(`UPDATE audit_events SET details = '{"a": {"x": 1, "y": 2}, "b": 1}'::jsonb`);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 1 });
    });

    it("finds a changed event whose hash was recomputed, at the next event", async () => {
      await recordMany(db, 6);
      const { rows } = await db.query<AuditRow & { prev_hash: Buffer }>(
        `SELECT seq, at, actor_id AS "actorId", actor_tenant AS "actorTenant", action, outcome,
                target_type AS "targetType", target_id AS "targetId", target_tenant AS "targetTenant", ip,
                details, prev_hash
         FROM audit_events WHERE seq = 3`,
      );
      const forged = { ...rows[0]!, outcome: "failure" };
      await db.query("UPDATE audit_events SET outcome = 'failure', hash = $1 WHERE seq = 3", [
        hashEvent(forged.prev_hash, forged),
      ]);
      expect(await verifyAuditChain(db)).toEqual({
        ok: false,
        events: 3,
        brokenAt: 4,
        reason:
          "event #4 does not follow event #3: its previous hash is not that event's hash " +
          "(events were replaced or reordered)",
      });
    });

    it("finds a deleted event in the middle, at the start, and a run of them", async () => {
      await recordMany(db, 10);
      await db.query("DELETE FROM audit_events WHERE seq = 5");
      expect(await verifyAuditChain(db, { batchSize: 4 })).toEqual({
        ok: false,
        events: 4,
        brokenAt: 6,
        reason: "event #5 is missing between #4 and #6 (deleted)",
      });
      await db.query("DELETE FROM audit_events WHERE seq IN (6, 7)");
      expect(await verifyAuditChain(db)).toMatchObject({
        brokenAt: 8,
        reason: "events #5 to #7 are missing between #4 and #8 (deleted)",
      });
      await db.query("DELETE FROM audit_events WHERE seq = 1");
      expect(await verifyAuditChain(db)).toEqual({
        ok: false,
        events: 0,
        brokenAt: 2,
        reason: "event #1 is missing: the log starts at #2 (events were deleted)",
      });
    });

    it("finds two events whose contents were swapped, at the first of them", async () => {
      await recordMany(db, 8);
      await db.query(
        `UPDATE audit_events a SET at = b.at, actor_id = b.actor_id, action = b.action, outcome = b.outcome,
           details = b.details, prev_hash = b.prev_hash, hash = b.hash
         FROM audit_events b WHERE (a.seq, b.seq) IN ((3, 6), (6, 3))`,
      );
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, events: 2, brokenAt: 3 });

      // Only the details swapped (hashes left in place): the content no longer matches.
      await db.query("DELETE FROM audit_events");
      await recordMany(db, 8);
      await db.query(
        `UPDATE audit_events a SET details = b.details FROM audit_events b WHERE (a.seq, b.seq) IN ((5, 2), (2, 5))`,
      );
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, events: 1, brokenAt: 2 });
    });

    it("finds a replaced first event and an event slipped in with a number it never gives", async () => {
      await recordMany(db, 3);
      await db.query("UPDATE audit_events SET prev_hash = $1 WHERE seq = 1", [Buffer.alloc(32, 1)]);
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        brokenAt: 1,
        reason:
          "event #1 does not start the chain: its previous hash is not the genesis value (it was replaced)",
      });
      await db.query("UPDATE audit_events SET prev_hash = $1 WHERE seq = 1", [GENESIS_HASH]);
      await db.query(
        `INSERT INTO audit_events (seq, at, action, outcome, prev_hash, hash)
         VALUES (0, now(), 'auth.login', 'success', $1, $1)`,
        [GENESIS_HASH],
      );
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, events: 0, brokenAt: 0 });
    });

    it("shows a removed newest event only as a different head (to compare with a copy kept elsewhere)", async () => {
      await recordMany(db, 5);
      const before = await verifyAuditChain(db);
      await db.query("DELETE FROM audit_events WHERE seq = 5");
      const after = await verifyAuditChain(db);
      expect(after).toMatchObject({ ok: true, events: 4 });
      expect(after.ok && before.ok && after.head !== before.head).toBe(true);
    });
  });

  describe("reading through the admin API", () => {
    let ada: User;
    let bob: User;
    let api: Awaited<ReturnType<typeof startAuditApp>>;
    let t1: Date;
    let t2: Date;

    beforeAll(async () => {
      await db.query("DELETE FROM audit_events");
      ada = { ...(await ensureUser(db, "ada@example.com", "admin")).user, role: "admin" };
      bob = (await ensureUser(db, "bob@example.com", "user")).user;
      api = await startAuditApp(db, { admin: ada, user: bob });
      const as = (user: User | null) => ({ actorId: user?.id ?? null });
      await recordAuditAlone(db, event("auth.login", as(ada)));
      await recordAuditAlone(db, event("auth.login", { ...as(bob), outcome: "failure" }));
      await recordAuditAlone(db, event("auth.link_requested", { ...as(null), ip: "203.0.113.5" }));
      const { rows: first } = await db.query<{ at: Date }>("SELECT max(at) AS at FROM audit_events");
      await clockPast(first[0]!.at);
      t1 = new Date();
      await clockPast(t1);
      await recordAuditAlone(
        db,
        event("user.suspended", {
          ...as(ada),
          targetType: "user",
          targetId: bob.id,
          details: { why: "spam" },
        }),
      );
      await recordAuditAlone(db, event("api_key.created", as(ada)));
      await recordAuditAlone(db, event("api_key.revoked", as(bob)));
      const { rows: second } = await db.query<{ at: Date }>("SELECT max(at) AS at FROM audit_events");
      await clockPast(second[0]!.at);
      t2 = new Date();
      await clockPast(t2);
      await recordAuditAlone(db, event("auth.logout", as(bob)));
      await recordAuditAlone(db, event("mfa.enrolled", as(ada)));
    });
    afterAll(async () => {
      await api.close();
    });

    async function page(query: string) {
      const res = await api.get(`/api/admin/audit${query}`);
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as { events: PublicAuditEvent[]; nextBefore: number | null };
    }
    const actions = (events: PublicAuditEvent[]) => events.map((e) => e.action);

    it("answers anonymous callers 401 and non-admins 404, on both routes", async () => {
      for (const route of ["/api/admin/audit", "/api/admin/audit/export?format=csv"]) {
        expect((await api.get(route, null)).status).toBe(401);
        const denied = await api.get(route, "user");
        expect(denied.status).toBe(404);
        expect(((await denied.json()) as { error: { code: string } }).error.code).toBe("not_found");
      }
    });

    it("lists events newest first with the API's fields", async () => {
      const { events, nextBefore } = await page("");
      expect(nextBefore).toBeNull();
      expect(events.map((e) => e.seq)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
      expect(events[3]).toEqual({
        seq: 5,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        actorId: ada.id,
        actorEmail: "ada@example.com",
        actorTenant: null,
        action: "api_key.created",
        outcome: "success",
        targetType: null,
        targetId: null,
        targetTenant: null,
        ip: null,
        details: {},
      });
      expect(events[5]).toMatchObject({ actorId: null, actorEmail: null, ip: "203.0.113.5" });
    });

    it("filters by actor, as a user id or an email", async () => {
      const byId = await page(`?actor=${ada.id}`);
      expect(actions(byId.events)).toEqual([
        "mfa.enrolled",
        "api_key.created",
        "user.suspended",
        "auth.login",
      ]);
      expect(await page(`?actor=${ada.id.toUpperCase()}`)).toEqual(byId);
      expect(await page("?actor=%20Ada%40Example.com%20")).toEqual(byId);
      expect((await page("?actor=nobody%40example.com")).events).toEqual([]);
    });

    it("filters by action, exactly or by a prefix ending with .*", async () => {
      expect((await page("?action=auth.login")).events.map((e) => e.seq)).toEqual([2, 1]);
      expect(actions((await page("?action=auth.*")).events)).toEqual([
        "auth.logout",
        "auth.link_requested",
        "auth.login",
        "auth.login",
      ]);
      // An underscore is a letter, not a wildcard.
      expect(actions((await page("?action=api_key.*")).events)).toEqual([
        "api_key.revoked",
        "api_key.created",
      ]);
      expect((await page("?action=auth")).events).toEqual([]);
      expect((await page("?action=auth.login&actor=bob%40example.com")).events).toMatchObject([
        { outcome: "failure" },
      ]);
    });

    it("filters by time: from inclusive, to exclusive", async () => {
      const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
      expect(actions((await page(q({ from: t1.toISOString(), to: t2.toISOString() }))).events)).toEqual([
        "api_key.revoked",
        "api_key.created",
        "user.suspended",
      ]);
      expect((await page(q({ from: t2.toISOString() }))).events.map((e) => e.seq)).toEqual([8, 7]);
      expect((await page(q({ to: t1.toISOString() }))).events.map((e) => e.seq)).toEqual([3, 2, 1]);
      // Any time zone, and plain dates (midnight UTC).
      const plusTwo = new Date(t2.getTime() + 2 * 3600_000).toISOString().replace("Z", "+02:00");
      expect((await page(q({ from: plusTwo }))).events.map((e) => e.seq)).toEqual([8, 7]);
      expect((await page(q({ to: "2000-01-01" }))).events).toEqual([]);
    });

    it("pages with before and limit, and treats empty parameters as absent", async () => {
      const first = await page("?limit=3&actor=&action=&from=&to=&before=");
      expect(first.events.map((e) => e.seq)).toEqual([8, 7, 6]);
      expect(first.nextBefore).toBe(6);
      const second = await page(`?limit=3&before=${first.nextBefore}`);
      expect(second.events.map((e) => e.seq)).toEqual([5, 4, 3]);
      const third = await page(`?limit=3&before=${second.nextBefore}`);
      expect(third.events.map((e) => e.seq)).toEqual([2, 1]);
      expect(third.nextBefore).toBeNull();
      // A page that ends exactly at the last event says there is nothing more.
      expect((await page("?limit=8")).nextBefore).toBeNull();
      expect((await page("?limit=2&action=api_key.*")).nextBefore).toBeNull();
    });

    it("refuses bad parameters with 400 naming them", async () => {
      for (const query of [
        "limit=0",
        "limit=501",
        "limit=ten",
        "before=0",
        "before=1.5",
        "actor=not-an-email",
        "action=auth.%25",
        "action=*",
        "from=yesterday",
        "to=2025-01-31T10:00:00",
        "limit=1&limit=2",
      ]) {
        const res = await api.get(`/api/admin/audit?${query}`);
        expect(res.status, query).toBe(400);
        const body = (await res.json()) as {
          error: { code: string; details: { problems: { path: string }[] } };
        };
        expect(body.error.code).toBe("invalid_request");
        expect(query.startsWith(body.error.details.problems[0]!.path), query).toBe(true);
      }
      expect((await api.get("/api/admin/audit/export?format=xml")).status).toBe(400);
    });

    it("exports JSON lines, oldest first, filtered, as a dated attachment", async () => {
      const res = await api.get("/api/admin/audit/export?format=jsonl&action=auth.*");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
      expect(res.headers.get("content-disposition")).toMatch(
        /^attachment; filename="clawden-audit-\d{4}-\d{2}-\d{2}\.jsonl"$/,
      );
      expect(res.headers.get("cache-control")).toBe("no-store");
      const text = await res.text();
      expect(text.endsWith("\n")).toBe(true);
      const lines = text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as PublicAuditEvent);
      const newestFirst = (await page("?action=auth.*")).events;
      expect(lines).toEqual(newestFirst.reverse());
      // Without a format: JSON lines; nothing matching: an empty file.
      const empty = await api.get("/api/admin/audit/export?actor=nobody%40example.com");
      expect(empty.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
      expect(await empty.text()).toBe("");
    });

    it("exports CSV that parses back to the events, with formulas defused", async () => {
      const nasty = {
        targetType: '=HYPERLINK("http://evil.example","click")',
        targetId: 'a,b\r\nc "quoted"',
        targetTenant: "+1+2",
        ip: "@SUM(A1)",
        details: { note: "-2+3", list: ["=x", 'y"z'] },
      };
      await recordAuditAlone(db, event("user.reactivated", { actorId: ada.id, ...nasty }));
      try {
        const res = await api.get("/api/admin/audit/export?format=csv");
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
        expect(res.headers.get("content-disposition")).toMatch(
          /^attachment; filename="clawden-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
        );
        const [header, ...rows] = parseCsv(await res.text());
        expect(header).toEqual([
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
        ]);
        const json = (await page("")).events.reverse();
        expect(rows).toHaveLength(json.length);
        rows.forEach((row, i) => {
          const e = json[i]!;
          const cells = Object.fromEntries(header!.map((name, j) => [name, row[j]]));
          expect(cells.seq).toBe(String(e.seq));
          expect(cells.at).toBe(e.at);
          expect(cells.actorId).toBe(e.actorId ?? "");
          expect(cells.actorEmail).toBe(e.actorEmail ?? "");
          expect(cells.action).toBe(e.action);
          expect(JSON.parse(cells.details!)).toEqual(e.details);
        });
        const last = Object.fromEntries(header!.map((name, j) => [name, rows.at(-1)![j]]));
        expect(last).toMatchObject({
          action: "user.reactivated",
          targetType: `'${nasty.targetType}`,
          targetId: nasty.targetId,
          targetTenant: "'+1+2",
          ip: "'@SUM(A1)",
        });
        expect(JSON.parse(last.details!)).toEqual(nasty.details);
        expect(rows.every((row) => row.every((cell) => !/^[=+\-@]/.test(cell)))).toBe(true);
      } finally {
        await db.query("DELETE FROM audit_events WHERE action = 'user.reactivated'");
      }
    });

    it("exports in batches, and only the log as it was when the export began", async () => {
      const seen: number[][] = [];
      let added = false;
      for await (const batch of exportAudit(db, {}, 3)) {
        seen.push(batch.map((e) => e.seq));
        if (!added) {
          await recordAuditAlone(db, event("auth.logout", { actorId: bob.id }));
          added = true;
        }
      }
      expect(seen).toEqual([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8],
      ]);
      const filtered: number[][] = [];
      for await (const batch of exportAudit(db, { actor: bob.id }, 2)) filtered.push(batch.map((e) => e.seq));
      expect(filtered).toEqual([
        [2, 6],
        [7, 9],
      ]);
      await db.query("DELETE FROM audit_events WHERE seq = 9");
    });
  });
});

describe("the audit API in the real app", () => {
  it("shows an administrator's own sign-in, and only to administrators", async () => {
    const database = await createTestDatabase();
    const db = createDatabase({ connectionString: database.url, max: 4 });
    try {
      await migrate(db, managementMigrations());
      const app = await startTestApp(db);
      try {
        const admin = await app.signIn("audit-admin@example.com", "admin");
        const user = await app.signIn("audit-user@example.com", "user");
        const res = await fetch(`${app.url}/api/admin/audit?actor=audit-admin%40example.com`, {
          headers: { cookie: admin.cookie },
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { events: PublicAuditEvent[]; nextBefore: number | null };
        expect(body.events.length).toBeGreaterThan(0);
        expect(body.events.every((e) => e.actorId === admin.user.id)).toBe(true);
        expect(body.events.map((e) => e.action)).toContain("auth.login");
        const csv = await fetch(`${app.url}/api/admin/audit/export?format=csv`, {
          headers: { cookie: admin.cookie },
        });
        expect(csv.status).toBe(200);
        expect(await csv.text()).toContain("audit-user@example.com");
        const denied = await fetch(`${app.url}/api/admin/audit`, { headers: { cookie: user.cookie } });
        expect(denied.status).toBe(404);
        expect((await fetch(`${app.url}/api/admin/audit`)).status).toBe(401);
        expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
      } finally {
        await app.close();
      }
    } finally {
      await db.close();
      await database.drop();
    }
  });
});

describe("clawden-admin audit-verify", () => {
  const CLI = path.resolve(import.meta.dirname, "../src/cli.ts");
  let url: string;
  let drop: () => Promise<void>;
  let db: Database;
  let stateDir: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    url = database.url;
    drop = database.drop;
    db = createDatabase({ connectionString: url, max: 2 });
    await migrate(db, managementMigrations());
    stateDir = await mkdtemp(path.join(tmpdir(), "clawden-audit-cli-"));
  });
  afterAll(async () => {
    await db.close();
    await drop();
    await rm(stateDir, { recursive: true, force: true });
  });

  /** Runs the CLI as an operator does (TypeScript through tsx, as the other process tests do). */
  async function auditVerify(): Promise<{ code: number | null; output: string[] }> {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", CLI, "audit-verify"], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", DATABASE_URL: url, STATE_DIR: stateDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => output.push(line));
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const [code] = (await once(child, "close")) as [number | null];
    clearTimeout(timer);
    return { code, output };
  }

  it("reports an intact log with exit code 0, and a broken one with the event and exit code 1", async () => {
    expect(await auditVerify()).toEqual({ code: 0, output: ["audit log intact: 0 events"] });

    await recordMany(db, 5);
    const intact = await auditVerify();
    expect(intact.code).toBe(0);
    expect(intact.output[0]).toBe("audit log intact: 5 events");
    expect(intact.output[1]).toMatch(/^head hash: [0-9a-f]{64}$/);

    await db.query("UPDATE audit_events SET action = 'auth.logout' WHERE seq = 3");
    expect(await auditVerify()).toEqual({
      code: 1,
      output: [
        "audit log broken at event #3: event #3 was changed after it was written: its content does not match its hash",
      ],
    });

    await db.query("DELETE FROM audit_events WHERE seq = 3");
    expect(await auditVerify()).toEqual({
      code: 1,
      output: ["audit log broken at event #4: event #3 is missing between #2 and #4 (deleted)"],
    });
  });
});
