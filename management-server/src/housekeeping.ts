// Periodic clean-up of rows that expired (sessions, sign-in links), so tables do not grow without end.
import type { Logger } from "@clawden/kit/server";
import type { Config } from "./config.js";
import type { Database } from "@clawden/kit/db";
import { deleteExpiredMagicLinks } from "./db/magic-links.js";
import { deleteExpiredSessions } from "./db/sessions.js";

const INTERVAL_MS = 10 * 60_000;

export interface Housekeeping {
  runOnce(): Promise<{ sessions: number; links: number }>;
  stop(): Promise<void>;
}

export function startHousekeeping(db: Database, config: Config, logger: Logger): Housekeeping {
  let running: Promise<unknown> = Promise.resolve();
  const runOnce = async () => {
    const sessions = await deleteExpiredSessions(db, config.SESSION_IDLE_MINUTES * 60_000);
    const links = await deleteExpiredMagicLinks(db);
    if (sessions + links > 0) logger.info({ sessions, links }, "removed expired sessions and sign-in links");
    return { sessions, links };
  };
  const timer = setInterval(() => {
    running = runOnce().catch((err: unknown) => logger.warn({ err }, "housekeeping failed; will retry"));
  }, INTERVAL_MS);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
