// The lifecycle of users' agents through agent-server's internal API, against the real engine and the
// real OpenClaw image: a hardened container per user (every flag checked on the created container and
// from inside it), the gateway token kept out of every answer and of Docker's view yet working,
// concurrent requests collapsed into one container, stop/start rotating the token and keeping data,
// resize, crash recovery with back-off, replacing an unresponsive gateway, delete with and without
// data, refusals, and the record of every action and state change.
import { open, keyRing, parseKeyList } from "@clawden/kit/crypto";
import { dockerApi } from "@clawden/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAgent } from "../src/db/agents.js";
import { actionsFor } from "../src/db/actions.js";
import { agentNames } from "../src/domain/names.js";
import { gatewayTokenContext } from "../src/lifecycle/agent-service.js";
import { startTestAgentServer, newUserId, type TestAgentServer } from "./support/agent-server.js";
import { engine } from "./support/engine.js";
import { collectEvents, type EventCollector } from "./support/events.js";

const GiB = 1024 ** 3;
let t: TestAgentServer;
let events: EventCollector;
const userA = newUserId();
const userB = newUserId();

beforeAll(async () => {
  t = await startTestAgentServer();
  events = await collectEvents(t.url, t.config.AGENT_API_TOKEN);
});
afterAll(async () => {
  events?.stop();
  await t?.close();
});

interface AgentBody {
  agent: {
    userId: string;
    state: string;
    generation: number;
    reason: string;
    limits: Record<string, number>;
  };
}

async function ensureRunning(userId: string, body: Record<string, unknown> = { wait: true }) {
  const res = await t.api(`/internal/v1/agents/${userId}/ensure-running`, { method: "POST", body });
  return { status: res.status, body: (await res.json()) as AgentBody & { error?: { code: string } } };
}

async function inspectRaw(name: string): Promise<{ status: number; body: any }> {
  return dockerApi("GET", `/containers/${name}/json`);
}

async function gatewayToken(userId: string): Promise<string> {
  const record = (await findAgent(t.server.db, userId))!;
  const ring = keyRing(parseKeyList(t.config.AGENT_SECRET_KEYS));
  return open(ring, record.gatewayToken!, gatewayTokenContext(userId, record.generation)).toString();
}

async function containerAddress(userId: string): Promise<string> {
  const names = agentNames(t.config.INSTANCE_ID, userId);
  const details = await engine.inspectContainer(names.container);
  return details.networks[names.network]!.ipAddress;
}

describe("a user's agent", () => {
  it("starts a hardened container and answers once its gateway is ready", async () => {
    const { status, body } = await ensureRunning(userA);
    expect(status).toBe(200);
    expect(body.agent).toMatchObject({ userId: userA, state: "running", generation: 1 });
    const names = agentNames(t.config.INSTANCE_ID, userA);
    const { body: c } = await inspectRaw(names.container);
    const host = c.HostConfig;
    // Every flag present...
    expect(c.Config.User).toBe("1000:1000");
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.CapDrop).toEqual(["ALL"]);
    expect(host.SecurityOpt).toContain("no-new-privileges");
    expect(host.Init).toBe(true);
    expect(host.Memory).toBe(1536 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(1_000_000_000);
    expect(host.PidsLimit).toBe(256);
    expect(host.Tmpfs).toEqual({ "/tmp": "rw,nosuid,nodev,size=256m" });
    expect(host.NetworkMode).toBe(names.network);
    expect(c.Mounts).toEqual([
      expect.objectContaining({ Type: "volume", Name: names.volume, Destination: "/data", RW: true }),
    ]);
    // ...and every danger absent.
    expect(host.Privileged).toBe(false);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.PidMode).toBe("");
    expect(["", "private"]).toContain(host.IpcMode);
    expect(host.UTSMode).toBe("");
    expect(host.UsernsMode).toBe("");
    expect(host.Binds ?? []).toEqual([]);
    expect(host.Devices ?? []).toEqual([]);
    expect(host.PortBindings ?? {}).toEqual({});
    expect(host.PublishAllPorts).toBe(false);
    expect(JSON.stringify(c)).not.toContain("docker.sock");
    expect(Object.keys(c.NetworkSettings.Networks)).toEqual([names.network]);
    // Seen from inside.
    const id = await engine.exec(c.Id, ["/bin/busybox", "id", "-u"]);
    expect(id.stdout.trim()).toBe("1000");
    const init = await engine.exec(c.Id, ["/bin/busybox", "cat", "/proc/1/cmdline"]);
    const self = await engine.exec(c.Id, [
      "/bin/busybox",
      "grep",
      "-E",
      "^(CapEff|CapBnd|NoNewPrivs)",
      "/proc/self/status",
    ]);
    expect(init.stdout.split("\0")[0]).toBe("/sbin/docker-init");
    expect(self.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(self.stdout).toMatch(/CapBnd:\s+0000000000000000/);
    expect(self.stdout).toMatch(/NoNewPrivs:\s+1/);
    const write = await engine.exec(c.Id, ["/bin/busybox", "touch", "/etc/x"]);
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toMatch(/Read-only file system/);
  });

  it("keeps the gateway token out of every answer and of Docker's view, and the gateway accepts it", async () => {
    const token = await gatewayToken(userA);
    const view = await (await t.api(`/internal/v1/agents/${userA}`)).text();
    expect(view).not.toContain(token);
    const { body: c } = await inspectRaw(agentNames(t.config.INSTANCE_ID, userA).container);
    const inspected = JSON.stringify(c);
    expect(inspected).not.toContain(token);
    expect(inspected).not.toContain(t.config.UPSTREAM_API_KEY);
    const address = await containerAddress(userA);
    const ask = (bearer: string) =>
      fetch(`http://${address}:18789/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "openclaw/default",
          messages: [{ role: "user", content: "hello agent" }],
        }),
      });
    expect((await ask("wrong-token")).status).toBe(401);
    t.stub.clearRequests();
    const reply = await ask(token);
    expect(reply.status).toBe(200);
    const answer = (await reply.json()) as { choices: { message: { content: string } }[] };
    expect(answer.choices[0]!.message.content).toBe("STUB-REPLY: hello agent");
    expect(t.stub.requests.at(-1)!.key).toBe(t.config.UPSTREAM_API_KEY);
  });

  it("collapses concurrent ensure-running requests into one container", async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => ensureRunning(userB)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.agent.generation))).toEqual(new Set([1]));
    const containers = await engine.listContainers({
      "clawden.instance": t.config.INSTANCE_ID,
      "clawden.user": userB,
    });
    expect(containers).toHaveLength(1);
  });

  it("stops (container gone, volume kept) and starts again with a new token", async () => {
    const before = await gatewayToken(userA);
    const stop = await t.api(`/internal/v1/agents/${userA}/stop`, { method: "POST" });
    expect(stop.status).toBe(200);
    expect(((await stop.json()) as AgentBody).agent.state).toBe("stopped");
    const names = agentNames(t.config.INSTANCE_ID, userA);
    expect((await inspectRaw(names.container)).status).toBe(404);
    expect((await dockerApi("GET", `/volumes/${names.volume}`)).status).toBe(200);
    const again = await ensureRunning(userA);
    expect(again.body.agent).toMatchObject({ state: "running", generation: 2 });
    expect(await gatewayToken(userA)).not.toBe(before);
  });

  it("resizes a running container's limits, within the bounds", async () => {
    const res = await t.api(`/internal/v1/agents/${userA}/limits`, {
      method: "PATCH",
      body: { memoryBytes: 2 * GiB, pidsLimit: 300 },
    });
    expect(res.status).toBe(200);
    const { body: c } = await inspectRaw(agentNames(t.config.INSTANCE_ID, userA).container);
    expect(c.HostConfig.Memory).toBe(2 * GiB);
    expect(c.HostConfig.PidsLimit).toBe(300);
    const tooBig = await t.api(`/internal/v1/agents/${userA}/limits`, {
      method: "PATCH",
      body: { memoryBytes: 64 * GiB },
    });
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe("invalid_limits");
  });

  it("restarts a crashed gateway with back-off and says why", async () => {
    const names = agentNames(t.config.INSTANCE_ID, userA);
    const before = (await findAgent(t.server.db, userA))!.generation;
    await dockerApi("POST", `/containers/${names.container}/kill?signal=KILL`);
    const failed = await events.waitFor((e) => e.userId === userA && e.state === "failed");
    expect(failed.reason).toMatch(/^crashed \(exit code 137\); retrying in 1 s$/);
    await events.waitFor((e) => e.userId === userA && e.state === "running" && e.id > failed.id, 120_000);
    const after = (await findAgent(t.server.db, userA))!;
    expect(after).toMatchObject({ state: "running", failures: 0, generation: before + 1 });
  });

  it("replaces a gateway that stops answering its health checks", async () => {
    const names = agentNames(t.config.INSTANCE_ID, userA);
    const before = await engine.inspectContainer(names.container);
    // Frozen by the cgroup freezer: the process exists but answers nothing.
    expect((await dockerApi("POST", `/containers/${before.id}/pause`)).status).toBe(204);
    const health = t.server.health;
    for (let i = 0; i < 3; i++) await health.checkAll();
    const failed = await events.waitFor(
      (e) =>
        e.userId === userA &&
        e.state === "failed" &&
        e.reason.startsWith("the gateway did not answer 3 health checks"),
    );
    await events.waitFor((e) => e.userId === userA && e.state === "running" && e.id > failed.id, 120_000);
    expect((await engine.inspectContainer(names.container)).id).not.toBe(before.id);
  });

  it("refuses what it must: no token, no actor, unknown user, bad input, a deleted agent", async () => {
    const noToken = await fetch(`${t.url}/internal/v1/agents`);
    expect(noToken.status).toBe(401);
    const wrongToken = await fetch(`${t.url}/internal/v1/agents`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrongToken.status).toBe(401);
    const noActor = await fetch(`${t.url}/internal/v1/agents/${userA}/stop`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.config.AGENT_API_TOKEN}` },
    });
    expect(noActor.status).toBe(400);
    expect((await t.api(`/internal/v1/agents/${newUserId()}`)).status).toBe(404);
    expect((await t.api(`/internal/v1/agents/not-a-uuid`)).status).toBe(400);
    const extra = await t.api(`/internal/v1/agents/${userA}/ensure-running`, {
      method: "POST",
      body: { wait: true, x: 1 },
    });
    expect(extra.status).toBe(400);
    const list = await t.api(`/internal/v1/agents?state=dancing`);
    expect(list.status).toBe(400);
  });

  it("deletes with its data or keeping it", async () => {
    const b = agentNames(t.config.INSTANCE_ID, userB);
    const gone = await t.api(`/internal/v1/agents/${userB}?keepData=false`, { method: "DELETE" });
    expect(gone.status).toBe(200);
    expect(((await gone.json()) as AgentBody).agent.state).toBe("deleted");
    expect((await inspectRaw(b.container)).status).toBe(404);
    expect((await dockerApi("GET", `/networks/${b.network}`)).status).toBe(404);
    expect((await dockerApi("GET", `/volumes/${b.volume}`)).status).toBe(404);
    // Deleting again is no error: the same answer, nothing else happens.
    const again = await t.api(`/internal/v1/agents/${userB}?keepData=false`, { method: "DELETE" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as AgentBody).agent.state).toBe("deleted");
    const a = agentNames(t.config.INSTANCE_ID, userA);
    expect((await t.api(`/internal/v1/agents/${userA}?keepData=true`, { method: "DELETE" })).status).toBe(
      200,
    );
    expect((await dockerApi("GET", `/volumes/${a.volume}`)).status).toBe(200);
    const stopDeleted = await t.api(`/internal/v1/agents/${userA}/stop`, { method: "POST" });
    expect(stopDeleted.status).toBe(409);
    const list = (await (await t.api(`/internal/v1/agents?state=deleted`)).json()) as { agents: unknown[] };
    expect(list.agents).toHaveLength(2);
  });

  it("recorded every action with its actor, and every state change as an event", async () => {
    const actions = await actionsFor(t.server.db, userA);
    expect(actions.map((a) => `${a.actor} ${a.action} ${a.outcome}`)).toEqual([
      "admin:test ensure-running ok",
      "admin:test stop ok",
      "admin:test ensure-running ok",
      "admin:test resize ok",
      "admin:test resize refused",
      "admin:test delete ok",
      "admin:test stop refused",
    ]);
    const states = events.events.filter((e) => e.userId === userA).map((e) => e.state);
    expect(states.slice(0, 8)).toEqual([
      "creating",
      "starting",
      "running",
      "stopping",
      "stopped",
      "creating",
      "starting",
      "running",
    ]);
    expect(states.at(-1)).toBe("deleted");
  });
});
