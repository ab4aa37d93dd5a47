// A real agent-server for integration tests, in this process: its own throw-away database, its own
// instance id (so it never touches another test's or a developer's containers), the real engine and
// the real OpenClaw image, and the stub upstream bound to docker0's address (reachable from every
// user network's containers, never 0.0.0.0). Everything it creates carries the test run's labels too,
// and close() removes every container, network and volume of its instance.
import { randomBytes } from "node:crypto";
import { createServiceBasics, serve, type RunningServer } from "@clawden/kit/server";
import {
  createTestDatabase,
  dockerApi,
  removeLabelledObjects,
  startStubLlm,
  testLabels,
  type StubLlm,
  type TestDatabase,
} from "@clawden/kit/testing";
import { assembleAgentServer, type AgentServer } from "../../src/assemble.js";
import { readConfig, type Config } from "../../src/config.js";
import { instanceSelector } from "../../src/domain/names.js";
import { engine } from "./engine.js";
import { openClawImage } from "./openclaw-image.js";

export interface TestAgentServer {
  url: string;
  config: Config;
  server: AgentServer;
  running: RunningServer;
  stub: StubLlm;
  database: TestDatabase;
  /** Calls the internal API with the token and an actor. */
  api(path: string, init?: { method?: string; body?: unknown; actor?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** docker0's address on the host: the containers of every user network can reach it. */
export async function dockerBridgeGateway(): Promise<string> {
  const { body } = await dockerApi<{ IPAM?: { Config?: { Gateway?: string }[] } }>("GET", "/networks/bridge");
  const gateway = body.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
  if (!gateway) throw new Error("docker0 has no gateway address");
  return gateway;
}

export function newUserId(): string {
  const hex = randomBytes(16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Removes every container, network and volume of an agent-server instance. */
export async function removeInstanceObjects(instance: string): Promise<void> {
  const selector = Object.entries(instanceSelector(instance)).map(([k, v]) => `${k}=${v}`);
  const { failed } = await removeLabelledObjects(selector);
  if (failed.length > 0) throw new Error(`could not remove: ${failed.join("; ")}`);
}

/** `key=value,key=value`, as DOCKER_LABELS takes them. */
export function labelList(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/**
 * The environment of a test agent-server (also used to run its real main as a child process). Its
 * objects carry the test run's labels unless `extra.DOCKER_LABELS` names others (the bench does).
 */
export async function testAgentEnv(
  database: TestDatabase,
  stub: StubLlm,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const image = await openClawImage(engine);
  return {
    PORT: "0",
    LOG_LEVEL: "warn",
    DATABASE_URL: database.url,
    INSTANCE_ID: `t${randomBytes(5).toString("hex")}`,
    AGENT_API_TOKEN: randomBytes(32).toString("base64url"),
    AGENT_SECRET_KEYS: `k1:${randomBytes(32).toString("base64")}`,
    AGENT_IMAGE: image.tag,
    DOCKER_LABELS: extra.DOCKER_LABELS ?? labelList(testLabels()),
    UPSTREAM_BASE_URL: stub.url,
    UPSTREAM_API_KEY: `sk-upstream-${randomBytes(12).toString("hex")}`,
    UPSTREAM_MODEL: "stub-model",
    RESTART_BACKOFF_BASE_MS: "500",
    ...extra,
  };
}

export async function startTestAgentServer(extra: Record<string, string> = {}): Promise<TestAgentServer> {
  const database = await createTestDatabase();
  const stub = await startStubLlm({ host: await dockerBridgeGateway() });
  const config = readConfig(await testAgentEnv(database, stub, extra));
  const basics = createServiceBasics("agent-server", config.LOG_LEVEL);
  const server = await assembleAgentServer(config, basics);
  const running = await serve({ basics, config, app: server.app, closers: server.closers });
  await server.begin();
  const url = running.url;
  return {
    url,
    config,
    server,
    running,
    stub,
    database,
    api(path, init = {}) {
      return fetch(`${url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${config.AGENT_API_TOKEN}`,
          "x-clawden-actor": init.actor ?? "admin:test",
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    },
    async close() {
      await running.shutdown("test end");
      await removeInstanceObjects(config.INSTANCE_ID);
      await stub.close();
      await database.drop();
    },
  };
}
