// Follows the engine's events for this instance's containers (a container died, the kernel killed a
// process for memory) and hands them to the agent service. If the stream breaks (dockerd restarted),
// it follows again with back-off and asks for a reconciliation, since events may have been missed.
import type { Logger } from "@clawden/kit/server";
import type { ContainerEngine } from "../adapters/container-engine.js";
import { instanceSelector } from "../domain/names.js";
import type { AgentService } from "./agent-service.js";
import type { Reconciler } from "./reconciler.js";

export class EngineWatcher {
  private stopped = false;
  private handle: { stop(): void } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;

  constructor(
    private readonly deps: {
      engine: ContainerEngine;
      instance: string;
      service: AgentService;
      reconciler: Reconciler;
      logger: Logger;
    },
  ) {}

  async start(): Promise<void> {
    await this.follow();
  }

  private async follow(): Promise<void> {
    if (this.stopped) return;
    const { engine, instance, service, reconciler, logger } = this.deps;
    try {
      this.handle = await engine.watchEvents(
        instanceSelector(instance),
        (event) => service.handleEngineEvent(event.action, event.labels),
        (error) => {
          if (this.stopped) return;
          logger.warn({ err: error }, "the engine's event stream ended; following it again");
          this.again();
        },
      );
      if (this.attempt > 0) {
        // Events may have been missed while the stream was down.
        void reconciler
          .reconcile("event stream resumed")
          .catch((err: unknown) =>
            logger.error({ err }, "reconciliation after the event stream resumed failed"),
          );
      }
      this.attempt = 0;
    } catch (error) {
      logger.warn({ err: error }, "cannot follow the engine's events yet");
      this.again();
    }
  }

  private again(): void {
    this.attempt++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.attempt, 6));
    this.retryTimer = setTimeout(() => void this.follow(), delay);
    this.retryTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.handle?.stop();
  }
}
