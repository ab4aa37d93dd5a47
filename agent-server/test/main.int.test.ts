// agent-server's main run as an operator runs it: it logs the engine's version and is ready when the
// engine answers; with no engine it still starts, warns, and /readyz says not ready.
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_DOCKER_SOCKET } from "../src/config.js";
import { runMainToExit, startMain, type ChildServer } from "@clawden/kit/testing";

const ENTRY = "agent-server/src/main.ts";
const socket = process.env.DOCKER_HOST?.startsWith("unix://")
  ? process.env.DOCKER_HOST.slice("unix://".length)
  : DEFAULT_DOCKER_SOCKET;

let server: ChildServer | undefined;

afterEach(async () => {
  if (server) expect(await server.stop()).toBe(0);
  server = undefined;
});

function logRecords(output: string[]): { level?: string; msg?: string; [key: string]: unknown }[] {
  return output.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as { msg?: string });
}

describe("agent-server main", () => {
  it("logs the engine version at start and is ready while the engine answers", async () => {
    server = await startMain(ENTRY, { PORT: "0", DOCKER_SOCKET: socket });
    const started = logRecords(server.output).find((r) => r.msg === "docker engine answers");
    expect(started?.engine).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+/) as unknown });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { docker: "ok" } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("starts without an engine, warns, and reports not ready", async () => {
    const missing = "/nonexistent/clawden-test/docker.sock";
    server = await startMain(ENTRY, { PORT: "0", DOCKER_SOCKET: missing });
    const warning = logRecords(server.output).find((r) => r.level === "warn");
    expect(warning?.msg).toMatch(/docker engine does not answer/);
    expect(warning?.socket).toBe(missing);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: { docker: string } };
    expect(body.status).toBe("not_ready");
    expect(body.checks.docker).toMatch(/^failed: docker ping: no Docker socket at this path/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("refuses a TCP DOCKER_HOST with exit code 78 and one line", async () => {
    const result = await runMainToExit(ENTRY, { PORT: "0", DOCKER_HOST: "tcp://127.0.0.1:2375" });
    expect(result.code).toBe(78);
    expect(result.output).toEqual([
      expect.stringMatching(/^agent-server: invalid configuration: DOCKER_HOST must be unix:\/\//) as unknown,
    ]);
  });
});
