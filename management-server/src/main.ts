// management-server: identity, sessions, the platform's API, and the web apps.
import { createServiceBasics, runMain, serve } from "@clawden/kit/server";
import { createApp } from "./app.js";
import { readConfig } from "./config.js";
import { openDatabase } from "./db/open.js";
import { startHousekeeping } from "./housekeeping.js";
import { buildIdentity } from "./identity.js";

runMain("management-server", async () => {
  const config = readConfig();
  const basics = createServiceBasics("management-server", config.LOG_LEVEL);
  const opened = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    stateDir: config.STATE_DIR,
    poolMax: config.DATABASE_POOL_MAX,
    logger: basics.logger,
  });
  basics.logger.info(
    {
      embedded: opened.embedded,
      applied: opened.migrations.applied,
      alreadyApplied: opened.migrations.alreadyApplied,
    },
    "database ready",
  );
  const identity = buildIdentity(config, opened.db, basics.logger);
  if (!identity.mailer.delivers)
    basics.logger.warn("SMTP_HOST is not set: no mail is sent; sign-in links are written to this log");
  const housekeeping = startHousekeeping(identity);
  const app = createApp({ ...basics, config, db: opened.db, identity });
  const running = await serve({
    basics,
    config,
    app,
    closers: [
      { name: "housekeeping", close: () => housekeeping.stop() },
      { name: "outgoing mail", close: () => identity.mailer.drain() },
      ...opened.closers,
    ],
  }).catch(async (error: unknown) => {
    for (const closer of opened.closers) await closer.close().catch(() => undefined);
    throw error;
  });
  return { running, logger: basics.logger };
});
