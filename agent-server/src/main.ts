// agent-server: owns every user's OpenClaw container (lifecycle, hardening, health, reconciliation)
// and is the only process that talks to Docker. It listens first, then resolves the image, reconciles
// what exists with what is wanted, and follows the engine's events.
import { createServiceBasics, runMain, serve } from "@clawden/kit/server";
import { assembleAgentServer } from "./assemble.js";
import { readConfig } from "./config.js";

runMain("agent-server", async () => {
  const config = readConfig();
  const basics = createServiceBasics("agent-server", config.LOG_LEVEL);
  if (!["127.0.0.1", "::1", "localhost"].includes(config.HOST)) {
    // Containers reach every host address bound on 0.0.0.0 or a bridge gateway (RUNTIME.md §6).
    basics.logger.warn(
      { host: config.HOST },
      "the internal API listens beyond loopback: users' containers may reach it; keep HOST=127.0.0.1 or firewall the port",
    );
  }
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
