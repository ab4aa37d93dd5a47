// Reconciliation against the real engine and image, with agent-server's real main as a child process:
// it is killed with SIGKILL while ten users' agents are starting, at a different moment in each of
// three trials, and restarted; every time, all ten end up running with exactly one container each,
// nothing orphaned and nothing duplicated. Then the periodic reconciler, on its own, removes a
// container and a network of this instance that belong to no agent (keeping an orphan volume, which
// holds data), puts back limits that were changed behind its back, and replaces a container whose image
// is no longer the one to run.
import {
  createTestDatabase,
  dockerApi,
  startMain,
  startStubLlm,
  type ChildServer,
  type StubLlm,
  type TestDatabase,
} from "@clawden/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentLabels, agentNames, instanceSelector, LABELS } from "../src/domain/names.js";
import {
  dockerBridgeGateway,
  newUserId,
  removeInstanceObjects,
  testAgentEnv,
} from "./support/agent-server.js";
import { engine } from "./support/engine.js";
import { tinyImage } from "./support/tiny-image.js";

const ENTRY = "agent-server/src/main.ts";
const USERS = 10;
// Kill moments chosen to land in different phases: while the first starts are being created, while
// some gateways boot and others wait in the queue, and once the first are running.
const KILL_AFTER_MS = [1500, 8000, 20_000];

let database: TestDatabase;
let stub: StubLlm;
let env: Record<string, string>;
let server: ChildServer | undefined;
const users = Array.from({ length: USERS }, () => newUserId());

beforeAll(async () => {
  database = await createTestDatabase();
  stub = await startStubLlm({ host: await dockerBridgeGateway() });
  env = await testAgentEnv(database, stub, {
    LOG_LEVEL: "info",
    MAX_CONCURRENT_STARTS: "3",
    DEFAULT_MEMORY_BYTES: String(1024 ** 3),
    RECONCILE_INTERVAL_MS: "2000",
  });
});
afterAll(async () => {
  await server?.stop("SIGKILL");
  await removeInstanceObjects(env.INSTANCE_ID!);
  await stub.close();
  await database.drop();
});

function api(path: string, method = "GET", body?: unknown) {
  return fetch(`${server!.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${env.AGENT_API_TOKEN}`,
      "x-clawden-actor": "system:reconcile-test",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function states(): Promise<string[]> {
  const res = await api("/internal/v1/agents?limit=500");
  const { agents } = (await res.json()) as { agents: { userId: string; state: string }[] };
  return users.map((u) => agents.find((a) => a.userId === u)?.state ?? "absent");
}

async function instanceObjects() {
  const containers = await engine.listContainers(instanceSelector(env.INSTANCE_ID!));
  const networks = await engine.listNetworks(instanceSelector(env.INSTANCE_ID!));
  return { containers, networks };
}

describe("reconciliation", () => {
  for (const [trial, killAfter] of KILL_AFTER_MS.entries()) {
    it(`trial ${trial + 1}: kill -9 ${killAfter} ms into ten starts, restart: ten running, no orphans, no duplicates`, async () => {
      server = await startMain(ENTRY, env);
      if (trial > 0) {
        // From the previous trial all ten run: stop them, so this trial starts them again.
        await Promise.all(users.map((u) => api(`/internal/v1/agents/${u}/stop`, "POST")));
      }
      const answers = await Promise.all(
        users.map((u) => api(`/internal/v1/agents/${u}/ensure-running`, "POST", { wait: false })),
      );
      expect(answers.map((a) => a.status)).toEqual(users.map(() => 202));
      await new Promise((r) => setTimeout(r, killAfter));
      expect(await server.stop("SIGKILL")).toBe("SIGKILL");

      server = await startMain(ENTRY, env);
      await expect.poll(states, { timeout: 540_000, interval: 1000 }).toEqual(users.map(() => "running"));
      const { containers, networks } = await instanceObjects();
      const perUser = users.map((u) => containers.filter((c) => c.labels[LABELS.user] === u));
      expect(perUser.map((list) => list.length)).toEqual(users.map(() => 1));
      expect(perUser.map((list) => list[0]!.state)).toEqual(users.map(() => "running"));
      expect(perUser.map((list) => list[0]!.names)).toEqual(
        users.map((u) => [agentNames(env.INSTANCE_ID!, u).container]),
      );
      expect(containers).toHaveLength(USERS);
      expect(networks.map((n) => n.name).sort()).toEqual(
        users.map((u) => agentNames(env.INSTANCE_ID!, u).network).sort(),
      );
      if (trial < KILL_AFTER_MS.length - 1) {
        expect(await server.stop("SIGTERM")).toBe(0);
        server = undefined;
      }
    }, 600_000);
  }

  it("removes a container and a network of this instance that belong to no agent, keeping an orphan volume", async () => {
    const stranger = newUserId();
    const labels = agentLabels(env.INSTANCE_ID!, stranger);
    const names = agentNames(env.INSTANCE_ID!, stranger);
    await engine.createNetwork({ name: names.network, labels });
    await engine.createVolume({ name: names.volume, labels });
    const image = await tinyImage(engine);
    const orphan = await engine.runContainer({
      image,
      name: names.container,
      cmd: ["/bin/busybox", "sleep", "600"],
      labels,
      network: names.network,
    });
    await expect
      .poll(async () => (await dockerApi("GET", `/containers/${orphan}/json`)).status, { timeout: 30_000 })
      .toBe(404);
    await expect
      .poll(async () => (await dockerApi("GET", `/networks/${names.network}`)).status, { timeout: 30_000 })
      .toBe(404);
    expect((await dockerApi("GET", `/volumes/${names.volume}`)).status).toBe(200);
    await expect
      .poll(() =>
        server!.output.some(
          (l) => l.includes("volumes of this instance belong to no agent") && l.includes(names.volume),
        ),
      )
      .toBe(true);
    await engine.removeVolume(names.volume);
  });

  it("puts back limits changed behind its back", async () => {
    const name = agentNames(env.INSTANCE_ID!, users[0]!).container;
    const details = await engine.inspectContainer(name);
    await engine.updateLimits(details.id, {
      memoryBytes: 1536 * 1024 ** 2,
      nanoCpus: 500_000_000,
      pidsLimit: 999,
    });
    await expect
      .poll(async () => (await engine.inspectContainer(name)).limits, { timeout: 30_000 })
      .toEqual({ memoryBytes: 1024 ** 3, nanoCpus: 1_000_000_000, pidsLimit: 256 });
    const { containers } = await instanceObjects();
    expect(containers.find((c) => c.names.includes(name))!.id).toBe(details.id);
  });

  it("replaces a running container whose image is no longer the one to run", async () => {
    // Keep one agent; the others are not needed for this.
    for (const u of users.slice(1))
      expect((await api(`/internal/v1/agents/${u}?keepData=false`, "DELETE")).status).toBe(200);
    const [keep] = users;
    const name = agentNames(env.INSTANCE_ID!, keep!).container;
    const before = await engine.inspectContainer(name);
    // Another reference to the same image: for agent-server a different image to run.
    const [repo, tag] = env.AGENT_IMAGE!.split(":");
    const newer = `${repo}:drift-${env.INSTANCE_ID}`;
    expect(
      (
        await dockerApi(
          "POST",
          `/images/${encodeURIComponent(`${repo}:${tag}`)}/tag?repo=${encodeURIComponent(repo!)}&tag=drift-${env.INSTANCE_ID}`,
        )
      ).status,
    ).toBe(201);
    try {
      expect(await server!.stop("SIGTERM")).toBe(0);
      server = await startMain(ENTRY, { ...env, AGENT_IMAGE: newer });
      await expect
        .poll(
          async () => {
            const now = await engine.inspectContainer(name).catch(() => null);
            return now?.state.running && now.id !== before.id ? now.image : null;
          },
          { timeout: 240_000, interval: 1000 },
        )
        .toBe(newer);
      await expect
        .poll(states, { timeout: 240_000, interval: 1000 })
        .toEqual(["running", ...users.slice(1).map(() => "deleted")]);
    } finally {
      await dockerApi("DELETE", `/images/${encodeURIComponent(newer)}?noprune=1`);
    }
  }, 300_000);

  it("cleans up without leaving an object behind", async () => {
    for (const u of users)
      expect((await api(`/internal/v1/agents/${u}?keepData=false`, "DELETE")).status).toBe(200);
    const { containers, networks } = await instanceObjects();
    expect(containers).toEqual([]);
    expect(networks).toEqual([]);
    const volumes = await engine.listVolumes(instanceSelector(env.INSTANCE_ID!));
    expect(volumes).toEqual([]);
  });
});
