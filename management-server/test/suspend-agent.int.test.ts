// Suspending a user stops their container: management-server calls the real agent-server, which
// stops the real OpenClaw container. When agent-server cannot be reached at that moment, the stop is
// remembered and housekeeping retries it until it succeeds.
import { createTestDatabase, freePort, type TestDatabase } from "@clawden/kit/testing";
import { createDatabase, migrate, type Database } from "@clawden/kit/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engine } from "../../agent-server/test/support/engine.js";
import { startTestAgentServer, type TestAgentServer } from "../../agent-server/test/support/agent-server.js";
import { managementMigrations } from "../src/db/migrations.js";
import { ensureUser } from "../src/db/users.js";
import { startHousekeeping } from "../src/housekeeping.js";
import { startTestApp, type TestApp } from "./support/app.js";

let database: TestDatabase;
let db: Database;
let agents: TestAgentServer;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase({ connectionString: database.url, max: 4 });
  await migrate(db, managementMigrations());
  agents = await startTestAgentServer();
  app = await startTestApp(db, {
    AGENT_SERVER_URL: agents.url,
    AGENT_API_TOKEN: agents.config.AGENT_API_TOKEN,
  });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await agents?.close();
  await db?.close();
  await database?.drop();
});

async function runningContainers(userId: string) {
  const all = await engine.listContainers({
    "clawden.instance": agents.config.INSTANCE_ID,
    "clawden.user": userId,
  });
  return all.filter((c) => c.state === "running");
}

describe("suspension and the user's container", () => {
  it("stops the suspended user's running container", { timeout: 180_000 }, async () => {
    const { user } = await ensureUser(db, "runner@example.com", "user");
    const started = await agents.api(`/internal/v1/agents/${user.id}/ensure-running`, {
      method: "POST",
      body: { wait: true },
    });
    expect(started.status).toBe(200);
    expect(await runningContainers(user.id)).toHaveLength(1);

    const admin = await app.signIn("suspender@example.com", "admin");
    const res = await fetch(`${app.url}/api/admin/users/${user.id}/suspend`, {
      method: "POST",
      headers: admin.headers,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { state: "suspended" }, containerStopped: true });
    expect(await runningContainers(user.id)).toHaveLength(0);
    const agent = (await (await agents.api(`/internal/v1/agents/${user.id}`)).json()) as {
      agent: { state: string; desiredState: string };
      events: { actor: string; state: string }[];
    };
    expect(agent.agent).toMatchObject({ state: "stopped", desiredState: "stopped" });
    // agent-server records who asked for the stop.
    expect(agent.events.some((e) => e.actor === `admin:${admin.user.id}`)).toBe(true);
    const pending = await db.query<{ p: boolean }>(
      "SELECT agent_stop_pending AS p FROM users WHERE id = $1",
      [user.id],
    );
    expect(pending.rows[0]!.p).toBe(false);
  });

  it(
    "retries a stop that agent-server could not take at the time of the suspension",
    { timeout: 180_000 },
    async () => {
      const { user } = await ensureUser(db, "later@example.com", "user");
      await agents.api(`/internal/v1/agents/${user.id}/ensure-running`, {
        method: "POST",
        body: { wait: true },
      });
      // This app instance points at a closed port: agent-server is "down" when the admin suspends.
      const cut = await startTestApp(db, {
        AGENT_SERVER_URL: `http://127.0.0.1:${await freePort()}`,
        AGENT_API_TOKEN: agents.config.AGENT_API_TOKEN,
      });
      try {
        const admin = await cut.signIn("suspender2@example.com", "admin");
        const res = await fetch(`${cut.url}/api/admin/users/${user.id}/suspend`, {
          method: "POST",
          headers: admin.headers,
        });
        expect(await res.json()).toMatchObject({ user: { state: "suspended" }, containerStopped: false });
      } finally {
        await cut.close();
      }
      expect(await runningContainers(user.id)).toHaveLength(1);
      // Housekeeping of a server that reaches agent-server finishes the job.
      const housekeeping = startHousekeeping(app.identity);
      try {
        const report = await housekeeping.runOnce({ clean: false });
        expect(report.containersStopped).toBeGreaterThanOrEqual(1);
      } finally {
        await housekeeping.stop();
      }
      expect(await runningContainers(user.id)).toHaveLength(0);
    },
  );
});
