// The behaviour every Clawden server shares as a process, as one reusable suite: a bad configuration
// stops it with exit code 78 and one line naming each bad variable; started, it answers health,
// readiness and metrics; SIGTERM stops it cleanly with exit code 0.
import { describe, expect, it } from "vitest";
import { runMainToExit, startMain } from "./child-server.js";

export function describeServerProcess(
  service: string,
  mainPath: string,
  env: Record<string, string> = {},
): void {
  describe(`${service} process`, () => {
    it("stops with exit code 78 and one line naming each bad variable", async () => {
      const result = await runMainToExit(mainPath, { ...env, PORT: "99999", LOG_LEVEL: "chatty" });
      expect(result.code).toBe(78);
      expect(result.output).toEqual([
        `${service}: invalid configuration: PORT must be an integer from 0 to 65535 (got "99999"); ` +
          'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "chatty")',
      ]);
    });

    it("serves health, readiness and metrics, and exits 0 on SIGTERM", async () => {
      const server = await startMain(mainPath, { ...env, PORT: "0" });
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain(`clawden_process_resident_memory_bytes{service="${service}"}`);
      expect(await server.stop("SIGTERM")).toBe(0);
      expect(server.output.some((l) => l.includes('"msg":"shutdown complete"'))).toBe(true);
    });
  });
}
