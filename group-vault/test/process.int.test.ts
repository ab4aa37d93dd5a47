// group-vault as an operator runs it: a bad configuration stops it with one clear line; started, it
// answers health, readiness and metrics; SIGTERM stops it cleanly.
import path from "node:path";
import { runMainToExit, startMain } from "@clawden/kit/testing";
import { describe, expect, it } from "vitest";

const MAIN = path.resolve(import.meta.dirname, "../src/main.ts");

describe("group-vault process", () => {
  it("stops with exit code 78 and one line naming the bad variable", async () => {
    const result = await runMainToExit(MAIN, { PORT: "99999", LOG_LEVEL: "chatty" });
    expect(result.code).toBe(78);
    expect(result.output).toEqual([
      'group-vault: invalid configuration: PORT must be an integer from 0 to 65535 (got "99999"); ' +
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "chatty")',
    ]);
  });

  it("serves health, readiness and metrics, and exits 0 on SIGTERM", async () => {
    const server = await startMain(MAIN, { PORT: "0" });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('clawden_process_resident_memory_bytes{service="group-vault"}');
    expect(await server.stop("SIGTERM")).toBe(0);
    expect(server.output.some((l) => l.includes('"msg":"shutdown complete"'))).toBe(true);
  });
});
