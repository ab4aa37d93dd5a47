// What the identity features share at run time, built once at start and handed to each route module.
import type { Database } from "@clawden/kit/db";
import type { KeyRing } from "@clawden/kit/crypto";
import type { Logger } from "@clawden/kit/server";
import { agentControl, type AgentControl } from "./agents/agent-control.js";
import { cookiePolicy, type CookiePolicy } from "./auth/cookies.js";
import { loadSecretKeys } from "./auth/secret-keys.js";
import type { SessionLimits } from "./auth/sessions.js";
import type { Config } from "./config.js";
import { createMailer, type Mailer } from "./mail/mailer.js";

export interface Identity {
  db: Database;
  config: Config;
  keys: KeyRing;
  mailer: Mailer;
  cookies: CookiePolicy;
  limits: SessionLimits;
  logger: Logger;
  agents: AgentControl;
}

export function sessionLimits(config: Config): SessionLimits {
  return { idleMs: config.SESSION_IDLE_MINUTES * 60_000, maxAgeMs: config.SESSION_MAX_HOURS * 3_600_000 };
}

export function buildIdentity(config: Config, db: Database, logger: Logger): Identity {
  return {
    db,
    config,
    keys: loadSecretKeys(config, logger),
    mailer: createMailer(config, logger),
    cookies: cookiePolicy(config.PUBLIC_URL),
    limits: sessionLimits(config),
    logger,
    agents: agentControl(config.AGENT_SERVER_URL, config.AGENT_API_TOKEN),
  };
}
