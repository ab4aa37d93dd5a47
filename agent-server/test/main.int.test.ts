// agent-server's main run as an operator runs it: configuration errors stop it with one line; with its
// database, engine and image it is ready; without an engine it still starts, warns, and /readyz says
// not ready; an unreachable database stops it with one line; SIGTERM stops it cleanly.
import {
  createTestDatabase,
  runMainToExit,
  startMain,
  startStubLlm,
  type ChildServer,
  type StubLlm,
  type TestDatabase,
} from "@clawden/kit/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testAgentEnv } from "./support/agent-server.js";

const ENTRY = "agent-server/src/main.ts";

let server: ChildServer | undefined;
let database: TestDatabase;
let stub: StubLlm;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  stub = await startStubLlm();
  // Info level: the tests read the "listening" and "reconciled" lines.
  env = await testAgentEnv(database, stub, { LOG_LEVEL: "info" });
});
afterAll(async () => {
  await stub.close();
  await database.drop();
});
afterEach(async () => {
  if (server) expect(await server.stop()).toBe(0);
  server = undefined;
});

function logRecords(output: string[]): { level?: string; msg?: string; [key: string]: unknown }[] {
  return output.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as { msg?: string });
}

describe("agent-server main", () => {
  it("logs the engine version, migrates its schema, and is ready with database, engine and image", async () => {
    server = await startMain(ENTRY, env);
    const started = logRecords(server.output).find((r) => r.msg === "docker engine answers");
    expect(started?.engine).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+/) as unknown });
    await expect
      .poll(async () => (await fetch(`${server!.url}/readyz`)).json(), { timeout: 30_000 })
      .toEqual({ status: "ready", checks: { database: "ok", docker: "ok", image: "ok" } });
    await expect.poll(() => logRecords(server!.output).some((r) => r.msg === "reconciled")).toBe(true);
  });

  it("starts without an engine, warns, and reports not ready", async () => {
    const missing = "/nonexistent/clawden-test/docker.sock";
    server = await startMain(ENTRY, { ...env, DOCKER_SOCKET: missing });
    const warning = logRecords(server.output).find((r) => r.msg?.startsWith("docker engine does not answer"));
    expect(warning?.socket).toBe(missing);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: { docker: string } };
    expect(body.status).toBe("not_ready");
    expect(body.checks.docker).toMatch(/^failed: docker ping: no Docker socket at this path/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("stops with one line and exit code 1 when its database does not answer", async () => {
    const result = await runMainToExit(ENTRY, {
      ...env,
      DATABASE_URL: "postgres://nobody:x@127.0.0.1:1/none",
    });
    expect(result.code).toBe(1);
    expect(result.output.at(-1)).toMatch(/^agent-server: PostgreSQL at DATABASE_URL does not answer/);
  });

  it("names every missing or bad variable on one line, with exit code 78, never echoing secrets", async () => {
    const result = await runMainToExit(ENTRY, { PORT: "0", AGENT_SECRET_KEYS: "k1:c2hvcnQ=" });
    expect(result.code).toBe(78);
    expect(result.output).toHaveLength(1);
    expect(result.output[0]).toMatch(/DATABASE_URL is required but not set/);
    expect(result.output[0]).toMatch(/AGENT_API_TOKEN is required but not set/);
    const badKey = await runMainToExit(ENTRY, { ...env, AGENT_SECRET_KEYS: "k1:c2hvcnQ=" });
    expect(badKey.code).toBe(78);
    expect(badKey.output).toEqual([
      "agent-server: invalid configuration: AGENT_SECRET_KEYS key k1 must be 32 bytes, not 5",
    ]);
  });

  it("refuses a TCP DOCKER_HOST with exit code 78 and one line", async () => {
    const result = await runMainToExit(ENTRY, { ...env, DOCKER_HOST: "tcp://127.0.0.1:2375" });
    expect(result.code).toBe(78);
    expect(result.output).toEqual([
      expect.stringMatching(/^agent-server: invalid configuration: DOCKER_HOST must be unix:\/\//) as unknown,
    ]);
  });
});
