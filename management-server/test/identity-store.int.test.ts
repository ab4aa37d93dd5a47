// The identity queries on both databases: the same SQL must behave the same on PostgreSQL and PGlite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeMagicLink, deleteExpiredMagicLinks, insertMagicLink } from "../src/db/magic-links.js";
import { migrate } from "@clawden/kit/db";
import { managementMigrations } from "../src/db/migrations.js";
import { deleteExpiredSessions, insertSession, touchSession } from "../src/db/sessions.js";
import { countAdmins, ensureUser, findUserByEmail, setUserRole } from "../src/db/users.js";
import { hashSecret, newSecretToken } from "../src/domain/secrets.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabaseHandle } from "./support/databases.js";

describe.each(DATABASE_KINDS)("identity queries on %s", (kind) => {
  let handle: TestDatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await migrate(handle.db, managementMigrations());
  });
  afterAll(() => handle.close());

  it("creates a user once per email and keeps the first role", async () => {
    const a = await ensureUser(handle.db, "ada@example.com", "user");
    const b = await ensureUser(handle.db, "ada@example.com", "admin");
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.user).toEqual(a.user);
    expect(b.user.role).toBe("user");
    expect(a.user.state).toBe("active");
  });

  it("refuses emails that are not normalized", async () => {
    await expect(ensureUser(handle.db, "Grace@Example.com", "user")).rejects.toThrow(
      /users_email_normalized/,
    );
    await expect(ensureUser(handle.db, "no-at-sign", "user")).rejects.toThrow(/users_email_normalized/);
  });

  it("counts active admins", async () => {
    const before = await countAdmins(handle.db);
    const { user } = await ensureUser(handle.db, "root@example.com", "user");
    await setUserRole(handle.db, user.id, "admin");
    expect(await countAdmins(handle.db)).toBe(before + 1);
    expect((await findUserByEmail(handle.db, "root@example.com"))!.role).toBe("admin");
  });

  it("touches a live session and refuses unknown, expired and idle ones", async () => {
    const { user } = await ensureUser(handle.db, "sessions@example.com", "user");
    const live = hashSecret(newSecretToken());
    await insertSession(handle.db, {
      idHash: live,
      userId: user.id,
      maxAgeMs: 60_000,
      ip: "127.0.0.1",
      userAgent: "t",
      method: "link",
    });
    expect((await touchSession(handle.db, live, 60_000, { ip: undefined }))!.userId).toBe(user.id);
    expect(await touchSession(handle.db, hashSecret(newSecretToken()), 60_000, { ip: undefined })).toBeNull();

    const expired = hashSecret(newSecretToken());
    await insertSession(handle.db, {
      idHash: expired,
      userId: user.id,
      maxAgeMs: -1000,
      ip: undefined,
      userAgent: undefined,
      method: "link",
    });
    expect(await touchSession(handle.db, expired, 60_000, { ip: undefined })).toBeNull();

    // Idle limit of 0 ms: the session was last seen before now, so it is idle and is deleted.
    const idle = hashSecret(newSecretToken());
    await insertSession(handle.db, {
      idHash: idle,
      userId: user.id,
      maxAgeMs: 60_000,
      ip: undefined,
      userAgent: undefined,
      method: "link",
    });
    expect(await touchSession(handle.db, idle, 0, { ip: undefined })).toBeNull();
    expect(await touchSession(handle.db, idle, 60_000, { ip: undefined })).toBeNull();
  });

  it("removes expired sessions in bulk", async () => {
    const { user } = await ensureUser(handle.db, "bulk@example.com", "user");
    await insertSession(handle.db, {
      idHash: hashSecret(newSecretToken()),
      userId: user.id,
      maxAgeMs: -1,
      ip: undefined,
      userAgent: undefined,
      method: "link",
    });
    expect(await deleteExpiredSessions(handle.db, 60_000)).toBeGreaterThanOrEqual(1);
  });

  it("consumes a link exactly once, even when many try at the same moment", async () => {
    const { user } = await ensureUser(handle.db, "links@example.com", "user");
    const tokenHash = hashSecret(newSecretToken());
    await insertMagicLink(handle.db, {
      tokenHash,
      userId: user.id,
      purpose: "login",
      ttlMs: 60_000,
      email: null,
      browserHash: null,
      nextPath: null,
    });
    const pools = [handle.db, handle.openAnotherPool(), handle.openAnotherPool()];
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => consumeMagicLink(pools[i % pools.length]!, tokenHash, null)),
    );
    expect(attempts.filter((a) => a.status === "ok")).toHaveLength(1);
    expect(attempts.filter((a) => a.status === "unknown")).toHaveLength(11);
  });

  it("tells an expired link from an unknown one and removes it either way", async () => {
    const { user } = await ensureUser(handle.db, "expired-link@example.com", "user");
    const tokenHash = hashSecret(newSecretToken());
    await insertMagicLink(handle.db, {
      tokenHash,
      userId: user.id,
      purpose: "login",
      ttlMs: -1,
      email: null,
      browserHash: null,
      nextPath: null,
    });
    expect(await consumeMagicLink(handle.db, tokenHash, null)).toEqual({ status: "expired" });
    expect(await consumeMagicLink(handle.db, tokenHash, null)).toEqual({ status: "unknown" });
    await insertMagicLink(handle.db, {
      tokenHash: hashSecret(newSecretToken()),
      userId: user.id,
      purpose: "login",
      ttlMs: -1,
      email: null,
      browserHash: null,
      nextPath: null,
    });
    expect(await deleteExpiredMagicLinks(handle.db)).toBeGreaterThanOrEqual(1);
  });
});
