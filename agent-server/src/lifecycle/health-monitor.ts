// Watches running agents between commands: a gateway that stops answering /readyz three times in a row
// is declared unresponsive (and restarted with back-off by the service), a container that has hit its
// process limit (a fork bomb, a runaway tool) is reported as an event once, and a container found not
// running is handed to the service as a crash.
import type { Database } from "@clawden/kit/db";
import type { Logger } from "@clawden/kit/server";
import { EngineError, type ContainerEngine } from "../adapters/container-engine.js";
import { listAgents } from "../db/agents.js";
import { agentNames } from "../domain/names.js";
import { gatewayReady } from "../runtime/gateway.js";
import type { AgentService } from "./agent-service.js";

const UNRESPONSIVE_AFTER = 3;

export class HealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private readonly missed = new Map<string, number>();
  private readonly atPidLimit = new Set<string>();

  constructor(
    private readonly deps: {
      db: Database;
      engine: ContainerEngine;
      service: AgentService;
      instance: string;
      logger: Logger;
    },
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.pass ??= this.checkAll()
        .catch((err: unknown) => this.deps.logger.error({ err }, "health pass failed"))
        .finally(() => (this.pass = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  /** One pass over every running agent (exposed for tests). */
  async checkAll(): Promise<void> {
    const running = await listAgents(this.deps.db, { states: ["running"], limit: 10_000 });
    const queue = [...running];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift())
          await this.check(next.userId, next.limits.pidsLimit);
      }),
    );
  }

  private async check(userId: string, pidsLimit: number): Promise<void> {
    const { engine, service, instance } = this.deps;
    const name = agentNames(instance, userId);
    let details;
    try {
      details = await engine.inspectContainer(name.container);
    } catch (error) {
      if (!(error instanceof EngineError && error.code === "not_found")) throw error;
      details = null;
    }
    if (!details?.state.running) {
      await service.converge(userId, { actor: "health-monitor" });
      return;
    }
    const stats = await engine.stats(details.id);
    if (stats.pids >= pidsLimit) {
      if (!this.atPidLimit.has(userId)) {
        this.atPidLimit.add(userId);
        await service.reportCurrent(
          userId,
          `reached its process limit (${stats.pids} of ${pidsLimit}): new processes are refused`,
        );
      }
    } else {
      this.atPidLimit.delete(userId);
    }
    const address = details.networks[name.network]?.ipAddress;
    const ready = address ? await gatewayReady(address, 5000) : false;
    if (ready) {
      this.missed.delete(userId);
      return;
    }
    const missed = (this.missed.get(userId) ?? 0) + 1;
    this.missed.set(userId, missed);
    if (missed >= UNRESPONSIVE_AFTER) {
      this.missed.delete(userId);
      await service.declareUnresponsive(
        userId,
        `the gateway did not answer ${missed} health checks in a row`,
      );
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }
}
