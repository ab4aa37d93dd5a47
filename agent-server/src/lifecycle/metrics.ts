// agent-server's own Prometheus metrics: agents by state (read from the store at scrape time), how long
// starts take, failures by kind, refused admissions, and reconciliation.
import type { Database } from "@clawden/kit/db";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { countByState } from "../db/agents.js";
import { AGENT_STATES } from "../domain/agent-state.js";

export interface AgentMetrics {
  startDuration: Histogram;
  failures: Counter<"reason">;
  admissionRefused: Counter<"reason">;
  reconcileDuration: Histogram;
  orphansRemoved: Counter<"kind">;
  oomKills: Counter;
}

export function createAgentMetrics(registry: Registry, db: Database): AgentMetrics {
  new Gauge({
    name: "clawden_agents",
    help: "Agents by state, as recorded in the store.",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const counts = await countByState(db);
      for (const state of AGENT_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  return {
    startDuration: new Histogram({
      name: "clawden_agent_start_duration_seconds",
      help: "From the decision to start an agent to its gateway answering ready.",
      buckets: [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180],
      registers: [registry],
    }),
    failures: new Counter({
      name: "clawden_agent_failures_total",
      help: "Agent failures by kind: start_failed, start_timeout, crashed, oom, unresponsive.",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    admissionRefused: new Counter({
      name: "clawden_agent_admission_refused_total",
      help: "Starts refused by admission control, by reason: queue_full, memory_budget.",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    reconcileDuration: new Histogram({
      name: "clawden_agent_reconcile_duration_seconds",
      help: "Time of one full reconciliation pass.",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    oomKills: new Counter({
      name: "clawden_agent_oom_kills_total",
      help: "Processes the kernel killed for memory inside users' containers (the gateway or any tool).",
      registers: [registry],
    }),
    orphansRemoved: new Counter({
      name: "clawden_agent_orphans_removed_total",
      help: "Containers and networks of this instance that belonged to no agent, removed by the reconciler.",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
  };
}
