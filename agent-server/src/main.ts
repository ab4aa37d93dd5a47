// agent-server: owns every user's OpenClaw container (lifecycle, hardening, health, reconciliation)
// and is the only process that talks to Docker. This is its server frame: readiness follows the
// engine's ping; the lifecycle routes are mounted here as they land. An engine that does not answer at
// start is logged and reported by /readyz, not fatal, so the process comes up and recovers with it.
import { createServiceBasics, runMain, serve } from "@clawden/kit/server";
import { DockerEngine } from "./adapters/docker.js";
import { readConfig } from "./config.js";

runMain("agent-server", async () => {
  const config = readConfig();
  const basics = createServiceBasics("agent-server", config.LOG_LEVEL);
  const engine = new DockerEngine({ socketPath: config.DOCKER_SOCKET, requestTimeoutMs: 5_000 });
  try {
    const version = await engine.version();
    basics.logger.info({ socket: config.DOCKER_SOCKET, engine: version }, "docker engine answers");
  } catch (err) {
    basics.logger.warn(
      { socket: config.DOCKER_SOCKET, reason: err instanceof Error ? err.message : String(err) },
      "docker engine does not answer: starting anyway; /readyz reports not ready until it does",
    );
  }
  const running = await serve({
    basics,
    config,
    readiness: { docker: () => engine.ping() },
    mount: () => undefined,
  });
  return { running, logger: basics.logger };
});
