// Builds agent-server's app from its parts without listening, so tests run the real app in process.
import type { Express } from "express";
import type { Database } from "@clawden/kit/db";
import {
  createServiceApp,
  type ListenConfig,
  type ReadinessCheck,
  type ServiceBasics,
} from "@clawden/kit/server";
import { agentRoutes } from "./http/routes.js";
import type { AgentService } from "./lifecycle/agent-service.js";
import type { EventBus } from "./lifecycle/event-bus.js";

export interface AgentAppDeps {
  basics: ServiceBasics;
  config: ListenConfig & { AGENT_API_TOKEN: string };
  db: Database;
  service: AgentService;
  bus: EventBus;
  readiness: Record<string, ReadinessCheck>;
}

export function createAgentApp(deps: AgentAppDeps): Express {
  return createServiceApp(deps.basics, deps.config, {
    readiness: deps.readiness,
    mount: (app) => {
      app.use(
        agentRoutes({
          db: deps.db,
          service: deps.service,
          bus: deps.bus,
          apiToken: deps.config.AGENT_API_TOKEN,
        }),
      );
    },
  });
}
