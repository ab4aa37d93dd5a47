// Repeated failures: an agent whose container cannot come up is retried with back-off and, after
// MAX_RESTARTS consecutive failures, stays failed with the reason until someone asks again; asking
// again starts the count afresh. The image here is the tiny busybox test image, which has no gateway,
// so every start fails quickly and for real.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserId, startTestAgentServer, type TestAgentServer } from "./support/agent-server.js";
import { engine } from "./support/engine.js";
import { collectEvents, type EventCollector } from "./support/events.js";
import { tinyImage } from "./support/tiny-image.js";

let t: TestAgentServer;
let events: EventCollector;

beforeAll(async () => {
  t = await startTestAgentServer({
    AGENT_IMAGE: await tinyImage(engine),
    MAX_RESTARTS: "3",
    RESTART_BACKOFF_BASE_MS: "200",
  });
  events = await collectEvents(t.url, t.config.AGENT_API_TOKEN);
});
afterAll(async () => {
  events.stop();
  await t.close();
});

describe("an agent that cannot start", () => {
  it("fails with the reason, retries with back-off, then gives up until asked again", async () => {
    const userId = newUserId();
    const res = await t.api(`/internal/v1/agents/${userId}/ensure-running`, {
      method: "POST",
      body: { wait: true },
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("agent_failed");
    expect(body.error.message).toMatch(/^The assistant could not start: .+; retrying in 1 s$/);
    const gaveUp = await events.waitFor(
      (e) => e.userId === userId && /gave up after 3 consecutive failures$/.test(e.reason),
    );
    const failures = events.events.filter((e) => e.userId === userId && e.state === "failed");
    expect(failures).toHaveLength(3);
    expect(failures.map((e) => e.reason.replace(/^.*; /, ""))).toEqual([
      "retrying in 1 s",
      "retrying in 1 s",
      "gave up after 3 consecutive failures",
    ]);
    const view = (await (await t.api(`/internal/v1/agents/${userId}`)).json()) as {
      agent: { state: string; failures: number; retryAt: string | null };
    };
    expect(view.agent).toMatchObject({ state: "failed", failures: 3, retryAt: null });
    // No container is left behind by the failed attempts.
    expect(
      await engine.listContainers({ "clawden.instance": t.config.INSTANCE_ID, "clawden.user": userId }),
    ).toEqual([]);

    // Asking again is an explicit request: the count starts afresh.
    const again = await t.api(`/internal/v1/agents/${userId}/ensure-running`, {
      method: "POST",
      body: { wait: true },
    });
    expect(again.status).toBe(503);
    const after = events.events.filter(
      (e) => e.userId === userId && e.state === "failed" && e.id > gaveUp.id,
    );
    expect(after[0]!.reason).toMatch(/retrying in 1 s$/);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    const sample = (name: string, label: string) =>
      Number(
        metrics
          .split("\n")
          .find((l) => l.startsWith(`${name}{`) && l.includes(label))
          ?.split(" ")
          .at(-1) ?? "NaN",
      );
    expect(sample("clawden_agent_failures_total", 'reason="start_failed"')).toBeGreaterThanOrEqual(4);
    expect(sample("clawden_agents", 'state="failed"')).toBe(1);
  });
});
