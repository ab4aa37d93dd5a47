// group-vault: threshold unlock of team secrets. A secret shared by a team opens only when N of its M
// members approve, and the vault holds no key material at rest. This process holds the common server
// frame; the unlock protocol is mounted here as it lands.
import { createServiceBasics, runMain, serve } from "@clawden/kit/server";
import { readConfig } from "./config.js";

runMain("group-vault", async () => {
  const config = readConfig();
  const basics = createServiceBasics("group-vault", config.LOG_LEVEL);
  const running = await serve({ basics, config, readiness: {}, mount: () => undefined });
  return { running, logger: basics.logger };
});
