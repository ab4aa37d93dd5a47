// Admission control through the internal API with real starts: a start that would exceed the host's
// memory budget is refused at once with 429 and Retry-After; with one start at a time and a queue of
// one, a third concurrent request is refused, and the queued start is served after the first, in order.
import { afterAll, describe, expect, it } from "vitest";
import { actionsFor } from "../src/db/actions.js";
import { newUserId, startTestAgentServer, type TestAgentServer } from "./support/agent-server.js";
import { collectEvents } from "./support/events.js";

const servers: TestAgentServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe("admission control", () => {
  it("refuses a start beyond the host's memory budget with 429 and Retry-After, and records it", async () => {
    const t = await startTestAgentServer({ MEMORY_BUDGET_BYTES: String(1024 ** 3) });
    servers.push(t);
    const userId = newUserId();
    const res = await t.api(`/internal/v1/agents/${userId}/ensure-running`, {
      method: "POST",
      body: { wait: true },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(30);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("memory_budget");
    expect(await actionsFor(t.server.db, userId)).toEqual([
      { actor: "admin:test", action: "ensure-running", outcome: "refused", detail: { why: "memory_budget" } },
    ]);
    expect((await t.api(`/internal/v1/agents/${userId}`)).status).toBe(404);
  });

  it("queues starts beyond the concurrency cap in order and refuses past the queue", async () => {
    const t = await startTestAgentServer({ MAX_CONCURRENT_STARTS: "1", START_QUEUE_MAX: "1" });
    servers.push(t);
    const events = await collectEvents(t.url, t.config.AGENT_API_TOKEN);
    const [first, second, third] = [newUserId(), newUserId(), newUserId()];
    const ask = (userId: string) =>
      t.api(`/internal/v1/agents/${userId}/ensure-running`, { method: "POST", body: { wait: false } });
    expect((await ask(first)).status).toBe(202);
    expect((await ask(second)).status).toBe(202);
    const refused = await ask(third);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("start_queue_full");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const firstRunning = await events.waitFor((e) => e.userId === first && e.state === "running", 180_000);
    const secondCreating = await events.waitFor(
      (e) => e.userId === second && e.state === "creating",
      180_000,
    );
    await events.waitFor((e) => e.userId === second && e.state === "running", 180_000);
    // The second start began only after the first was done.
    expect(secondCreating.id).toBeGreaterThan(firstRunning.id);
    events.stop();
  });
});
