// Reconciliation: what exists in Docker (this instance's labelled containers and networks) against
// what the store wants. Runs at start and periodically, and whenever the engine's event stream had to
// be re-followed. Containers and networks of this instance that belong to no agent (or to a deleted
// one) are removed; every agent is converged (adopting a running container, repairing drifted limits or
// image, redoing an interrupted start); duplicates cannot arise (one container name per user) but are
// removed if found. Volumes without an agent are reported, never removed: they hold users' data.
import type { Database } from "@clawden/kit/db";
import type { Logger } from "@clawden/kit/server";
import type { ContainerEngine } from "../adapters/container-engine.js";
import { listAgents, type AgentRecord } from "../db/agents.js";
import { agentNames, instanceSelector, LABELS } from "../domain/names.js";
import type { AgentService } from "./agent-service.js";
import type { AgentMetrics } from "./metrics.js";

export interface ReconcileReport {
  agents: number;
  containers: number;
  orphanContainers: number;
  orphanNetworks: number;
  duplicateContainers: number;
  orphanVolumes: string[];
  ms: number;
}

export interface ReconcilerDeps {
  db: Database;
  engine: ContainerEngine;
  service: AgentService;
  instance: string;
  metrics: AgentMetrics;
  logger: Logger;
}

async function allAgents(db: Database): Promise<AgentRecord[]> {
  const all: AgentRecord[] = [];
  for (let after: string | undefined; ;) {
    const page = await listAgents(db, { limit: 500, ...(after ? { after } : {}) });
    all.push(...page);
    if (page.length < 500) return all;
    after = page.at(-1)!.userId;
  }
}

export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcileReport> | undefined;

  constructor(private readonly deps: ReconcilerDeps) {}

  /** One pass; concurrent calls share the pass under way. */
  reconcile(reason: string): Promise<ReconcileReport> {
    this.running ??= this.pass(reason).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(reason: string): Promise<ReconcileReport> {
    const { db, engine, service, instance, logger, metrics } = this.deps;
    const started = performance.now();
    // Docker first, then the store: a row always exists before its container, so every container
    // listed here has its row in the snapshot below unless it truly belongs to no one.
    const containers = await engine.listContainers(instanceSelector(instance));
    const networks = await engine.listNetworks(instanceSelector(instance));
    const agents = await allAgents(db);
    const byUser = new Map(agents.map((a) => [a.userId, a]));
    let orphanContainers = 0;
    let duplicateContainers = 0;
    for (const container of containers) {
      const userId = container.labels[LABELS.user] ?? "";
      const agent = byUser.get(userId);
      if (!agent || agent.desiredState === "deleted") {
        // Re-checked under the user's lock: a command may have revived the agent since the snapshot.
        if (await service.removeIfOrphan(userId, "container", container.id)) {
          orphanContainers++;
          metrics.orphansRemoved.inc({ kind: "container" });
        }
      } else if (!container.names.includes(agentNames(instance, userId).container)) {
        // Ours and the user's, but not under the one name a user's container may have.
        await engine.removeContainer(container.id);
        duplicateContainers++;
        metrics.orphansRemoved.inc({ kind: "duplicate" });
      }
    }
    let orphanNetworks = 0;
    for (const network of networks) {
      const userId = network.labels[LABELS.user] ?? "";
      const agent = byUser.get(userId);
      if (!agent || agent.desiredState === "deleted") {
        const removed = await service
          .removeIfOrphan(userId, "network", network.name)
          .catch((err: unknown) => {
            logger.warn({ err, network: network.name }, "could not remove an orphan network");
            return false;
          });
        if (removed) {
          orphanNetworks++;
          metrics.orphansRemoved.inc({ kind: "network" });
        }
      }
    }
    const orphanVolumes = (await engine.listVolumes(instanceSelector(instance)))
      .filter((v) => !byUser.has(v.labels[LABELS.user] ?? ""))
      .map((v) => v.name);
    if (orphanVolumes.length > 0) {
      logger.warn(
        { volumes: orphanVolumes },
        "volumes of this instance belong to no agent; kept (they hold user data)",
      );
    }
    // Converge every agent, a few at a time (each converge is serialized per user by the service).
    const queue = [...agents];
    const workers = Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        await service
          .converge(next.userId, { actor: "reconciler" })
          .catch((err: unknown) => logger.error({ err, userId: next.userId }, "reconciling an agent failed"));
      }
    });
    await Promise.all(workers);
    const ms = Math.round(performance.now() - started);
    metrics.reconcileDuration.observe(ms / 1000);
    const report = {
      agents: agents.length,
      containers: containers.length,
      orphanContainers,
      orphanNetworks,
      duplicateContainers,
      orphanVolumes,
      ms,
    };
    logger.info({ reason, ...report, orphanVolumes: orphanVolumes.length }, "reconciled");
    return report;
  }

  /** Reconciles every `intervalMs` until stopped. */
  startPeriodic(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.reconcile("periodic").catch((err: unknown) =>
        this.deps.logger.error({ err }, "periodic reconciliation failed"),
      );
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
