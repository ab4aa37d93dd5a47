// agent-server: owns every user's OpenClaw container (lifecycle, hardening, health, reconciliation)
// and is the only process that talks to Docker. It listens first, then resolves the image, reconciles
// what exists with what is wanted, and follows the engine's events.
import { createServiceBasics, runMain, serve } from "@clawden/kit/server";
import { assembleAgentServer } from "./assemble.js";
import { readConfig } from "./config.js";

runMain("agent-server", async () => {
  const config = readConfig();
  const basics = createServiceBasics("agent-server", config.LOG_LEVEL);
  const server = await assembleAgentServer(config, basics);
  const running = await serve({ basics, config, app: server.app, closers: server.closers }).catch(
    async (error: unknown) => {
      for (const closer of server.closers) await closer.close().catch(() => undefined);
      throw error;
    },
  );
  server.begin().catch((err: unknown) => basics.logger.error({ err }, "background start-up failed"));
  return { running, logger: basics.logger };
});
