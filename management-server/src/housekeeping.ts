// Periodic clean-up and retries: rows that expired (sessions, sign-in links, second-factor challenges,
// single sign-on round trips, rate-limit windows) so tables do not grow without end, and containers of suspended users that could
// not be stopped when they were suspended (agent-server was unreachable).
import { stopContainer } from "./auth/accounts.js";
import { deleteExpiredMagicLinks } from "./db/magic-links.js";
import { deleteExpiredChallenges } from "./db/mfa.js";
import { deleteExpiredOidcFlows } from "./db/oidc.js";
import { deleteOldRateLimits } from "./db/rate-limits.js";
import { deleteExpiredSessions } from "./db/sessions.js";
import { usersAwaitingAgentStop } from "./db/users.js";
import type { Identity } from "./identity.js";

const INTERVAL_MS = 60_000;
const CLEAN_EVERY = 10;

export interface HousekeepingReport {
  sessions: number;
  links: number;
  challenges: number;
  ssoFlows: number;
  rateLimits: number;
  containersStopped: number;
}

export interface Housekeeping {
  runOnce(options?: { clean?: boolean }): Promise<HousekeepingReport>;
  stop(): Promise<void>;
}

export function startHousekeeping(id: Identity): Housekeeping {
  const { db, logger } = id;
  let running: Promise<unknown> = Promise.resolve();
  let round = 0;
  const runOnce = async ({ clean = true } = {}): Promise<HousekeepingReport> => {
    const report = { sessions: 0, links: 0, challenges: 0, ssoFlows: 0, rateLimits: 0, containersStopped: 0 };
    if (clean) {
      report.sessions = await deleteExpiredSessions(db, id.limits.idleMs);
      report.links = await deleteExpiredMagicLinks(db);
      report.challenges = await deleteExpiredChallenges(db);
      report.ssoFlows = await deleteExpiredOidcFlows(db);
      report.rateLimits = await deleteOldRateLimits(db, 24 * 3_600_000);
    }
    for (const userId of await usersAwaitingAgentStop(db)) {
      if (await stopContainer(id, userId, "system:housekeeping")) report.containersStopped++;
    }
    if (Object.values(report).some((n) => n > 0)) logger.info(report, "housekeeping");
    return report;
  };
  const timer = setInterval(() => {
    const clean = round++ % CLEAN_EVERY === 0;
    running = runOnce({ clean }).catch((err: unknown) =>
      logger.warn({ err }, "housekeeping failed; will retry"),
    );
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
