// relay-server: forwards end-to-end encrypted messages between users' containers. This process holds
// the common server frame; the relay protocol is mounted here as it lands.
import { createServiceBasics, runMain, serve } from "@clawden/kit/server";
import { readConfig } from "./config.js";

runMain("relay-server", async () => {
  const config = readConfig();
  const basics = createServiceBasics("relay-server", config.LOG_LEVEL);
  const running = await serve({ basics, config, readiness: {}, mount: () => undefined });
  return { running, logger: basics.logger };
});
