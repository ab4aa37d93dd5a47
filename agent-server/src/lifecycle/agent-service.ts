// The lifecycle of every user's agent. Commands record what is wanted (desired state, limits) and then
// `converge` moves what exists towards it, one operation at a time per user: ensure running, stop,
// restart, delete, resize, and the reconciler and crash handling all end up in `converge`. Between
// operations an agent is running, stopped, failed or deleted; a creating/starting/stopping row seen
// by `converge` was interrupted (agent-server was killed) and is redone from scratch. Every start
// makes a fresh container (fresh gateway token, current image) on the user's volume, so a container
// is disposable and its name, unique per user, keeps Docker from ever holding two.
import { randomBytes } from "node:crypto";
import { type Database } from "@clawden/kit/db";
import { seal, type KeyRing } from "@clawden/kit/crypto";
import type { Logger } from "@clawden/kit/server";
import { EngineError, type ContainerDetails, type ContainerEngine } from "../adapters/container-engine.js";
import {
  committedMemoryBytes,
  ensureAgentRow,
  findAgent,
  insertEvent,
  updateAgent,
  type AgentPatch,
  type AgentRecord,
} from "../db/agents.js";
import { recordAction } from "../db/actions.js";
import { assertTransition, type AgentState } from "../domain/agent-state.js";
import { givesUp, retryDelayMs, type BackoffPolicy } from "../domain/backoff.js";
import { limitProblems, sameLimits, type LimitBounds, type Limits } from "../domain/limits.js";
import { agentLabels, agentNames, LABELS, USER_ID_PATTERN } from "../domain/names.js";
import { agentContainerSpec } from "../runtime/container-spec.js";
import { gatewayReady } from "../runtime/gateway.js";
import { AdmissionRefused, type Admission, type Ticket } from "./admission.js";
import type { EventBus } from "./event-bus.js";
import { KeyedLock } from "./keyed-lock.js";
import type { AgentMetrics } from "./metrics.js";

export interface AgentServiceDeps {
  db: Database;
  engine: ContainerEngine;
  keys: KeyRing;
  instance: string;
  /** The operator's extra labels for everything created (DOCKER_LABELS). */
  extraLabels: Record<string, string>;
  /** The image new containers are made from. */
  image: () => string;
  /** The document written to a new container's stdin: its config and secrets, for this gateway token. */
  payload: (gatewayToken: string) => string;
  defaults: Limits;
  bounds: LimitBounds;
  admission: Admission;
  backoff: BackoffPolicy;
  startTimeoutMs: number;
  bus: EventBus;
  metrics: AgentMetrics;
  logger: Logger;
}

export interface AgentView {
  userId: string;
  state: AgentState;
  desiredState: AgentRecord["desiredState"];
  reason: string;
  stateChangedAt: string;
  generation: number;
  image: string | null;
  containerId: string | null;
  limits: Limits;
  failures: number;
  retryAt: string | null;
}

export function toView(record: AgentRecord): AgentView {
  return {
    userId: record.userId,
    state: record.state,
    desiredState: record.desiredState,
    reason: record.stateReason,
    stateChangedAt: record.stateChangedAt.toISOString(),
    generation: record.generation,
    image: record.image,
    containerId: record.containerId,
    limits: record.limits,
    failures: record.failures,
    retryAt: record.retryAt?.toISOString() ?? null,
  };
}

/** Commands refused for a reason the caller can act on. */
export class AgentCommandError extends Error {
  override readonly name = "AgentCommandError";
  constructor(
    readonly code: "not_found" | "conflict" | "invalid_limits",
    message: string,
  ) {
    super(message);
  }
}

export interface CommandContext {
  actor: string;
  requestId?: string | undefined;
}

/** What a command that starts something returns at once; `settled` resolves when it is done. */
export interface Accepted {
  view: AgentView;
  settled: Promise<AgentView>;
}

interface ConvergeOptions {
  actor?: string;
  /** Admission already granted by the command that asked. */
  ticket?: Ticket;
  /** Replace a healthy running container too. */
  restart?: boolean;
  /** An explicit request: ignore a pending back-off. */
  explicit?: boolean;
}

class StartFailure extends Error {
  constructor(
    message: string,
    readonly kind: "start_failed" | "start_timeout" | "crashed" | "oom" | "unresponsive",
  ) {
    super(message);
  }
}

const POLL_MS = 250;

export class AgentService {
  private readonly lock = new KeyedLock();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: AgentServiceDeps) {}

  // ---- reading ------------------------------------------------------------------------------------

  async get(userId: string): Promise<AgentView | null> {
    const record = await findAgent(this.deps.db, userId);
    return record ? toView(record) : null;
  }

  private async mustGet(userId: string): Promise<AgentRecord> {
    const record = await findAgent(this.deps.db, userId);
    if (!record) throw new AgentCommandError("not_found", "This user has no agent.");
    return record;
  }

  /** Records a refused command (with why) and rethrows the refusal. */
  private async refused(ctx: CommandContext, userId: string, action: string, error: unknown): Promise<never> {
    if (error instanceof AgentCommandError && error.code !== "not_found") {
      await this.record(ctx, userId, action, "refused", { why: error.message });
    }
    throw error;
  }

  // ---- commands -----------------------------------------------------------------------------------

  /** Wants the agent running (creating it on first use) and starts converging; admission is decided now. */
  async ensureRunning(userId: string, ctx: CommandContext, limits?: Partial<Limits>): Promise<Accepted> {
    const { db } = this.deps;
    let record = await findAgent(db, userId);
    const wanted: Limits = { ...(record?.limits ?? this.deps.defaults), ...limits };
    try {
      this.checkLimits(wanted);
    } catch (error) {
      await this.refused(ctx, userId, "ensure-running", error);
    }
    const needsStart = !(record?.state === "running" && record.desiredState === "running");
    const ticket = needsStart
      ? await this.admit(userId, wanted.memoryBytes, ctx, "ensure-running")
      : undefined;
    try {
      record = await db.transaction(async (tx) => {
        await ensureAgentRow(tx, userId, wanted, "running");
        const patch: AgentPatch = { desiredState: "running", limits: wanted };
        // An explicit request clears a give-up or a pending back-off.
        const current = (await findAgent(tx, userId, true))!;
        if (current.state === "failed") Object.assign(patch, { failures: 0, retryAt: null });
        await updateAgent(tx, userId, patch);
        return (await findAgent(tx, userId))!;
      });
    } catch (error) {
      ticket?.release();
      throw error;
    }
    await this.record(ctx, userId, "ensure-running", "ok", { limits: wanted });
    this.cancelRetry(userId);
    const settled = this.converge(userId, {
      actor: ctx.actor,
      explicit: true,
      ...(ticket ? { ticket } : {}),
    }).then((v) => v!);
    return { view: toView(record), settled };
  }

  async restart(userId: string, ctx: CommandContext): Promise<Accepted> {
    const record = await this.mustGet(userId);
    if (record.state === "deleted") {
      await this.refused(
        ctx,
        userId,
        "restart",
        new AgentCommandError("conflict", "This agent is deleted; ask for it to run instead."),
      );
    }
    const ticket = await this.admit(userId, record.limits.memoryBytes, ctx, "restart");
    await updateAgent(this.deps.db, userId, { desiredState: "running", failures: 0, retryAt: null });
    await this.record(ctx, userId, "restart", "ok");
    this.cancelRetry(userId);
    const settled = this.converge(userId, { actor: ctx.actor, ticket, restart: true, explicit: true }).then(
      (v) => v!,
    );
    return { view: toView(record), settled };
  }

  async stop(userId: string, ctx: CommandContext): Promise<AgentView> {
    const record = await this.mustGet(userId);
    if (record.state === "deleted")
      await this.refused(ctx, userId, "stop", new AgentCommandError("conflict", "This agent is deleted."));
    await updateAgent(this.deps.db, userId, { desiredState: "stopped", retryAt: null });
    await this.record(ctx, userId, "stop", "ok");
    this.cancelRetry(userId);
    return (await this.converge(userId, { actor: ctx.actor }))!;
  }

  async remove(userId: string, ctx: CommandContext, keepData: boolean): Promise<AgentView> {
    await this.mustGet(userId);
    await updateAgent(this.deps.db, userId, { desiredState: "deleted", keepData, retryAt: null });
    await this.record(ctx, userId, "delete", "ok", { keepData });
    this.cancelRetry(userId);
    return (await this.converge(userId, { actor: ctx.actor }))!;
  }

  async resize(userId: string, ctx: CommandContext, change: Partial<Limits>): Promise<AgentView> {
    return this.lock.run(userId, async () => {
      const record = await this.mustGet(userId);
      if (record.state === "deleted") {
        await this.refused(
          ctx,
          userId,
          "resize",
          new AgentCommandError("conflict", "This agent is deleted."),
        );
      }
      const limits = { ...record.limits, ...change };
      try {
        this.checkLimits(limits);
      } catch (error) {
        await this.refused(ctx, userId, "resize", error);
      }
      if (limits.memoryBytes > record.limits.memoryBytes && record.state === "running") {
        // Growing an awake agent commits more of the host's memory: the budget must allow it.
        const grow = limits.memoryBytes - record.limits.memoryBytes;
        const committed = await this.committedExcept(undefined);
        if (committed + grow > this.deps.admission.budgetBytes) {
          await this.record(ctx, userId, "resize", "refused", { limits, why: "memory budget" });
          throw new AdmissionRefused(
            "The host's memory budget does not allow this size now.",
            "memory_budget",
            60,
          );
        }
      }
      await updateAgent(this.deps.db, userId, { limits });
      const live = await this.inspectByName(userId);
      if (live?.state.running) await this.deps.engine.updateLimits(live.id, limits);
      await this.record(ctx, userId, "resize", "ok", { limits });
      return toView((await findAgent(this.deps.db, userId))!);
    });
  }

  // ---- convergence --------------------------------------------------------------------------------

  /** Moves the user's agent towards its desired state; resolves with the resulting view. */
  converge(userId: string, options: ConvergeOptions = {}): Promise<AgentView | null> {
    return this.lock.run(userId, async () => {
      try {
        const record = await findAgent(this.deps.db, userId);
        if (!record || this.stopped) return record ? toView(record) : null;
        const actor = options.actor ?? "system";
        if (record.desiredState === "running") await this.convergeRunning(record, actor, options);
        else if (record.desiredState === "stopped") await this.convergeStopped(record, actor);
        else await this.convergeDeleted(record, actor);
        return toView((await findAgent(this.deps.db, userId))!);
      } finally {
        options.ticket?.release();
      }
    });
  }

  private async convergeRunning(record: AgentRecord, actor: string, options: ConvergeOptions): Promise<void> {
    const live = await this.inspectByName(record.userId);
    if (record.state === "running" && !options.restart) {
      if (live?.state.running) {
        const imageChanged = live.image !== this.deps.image();
        await this.repairDrift(record, live, imageChanged);
        if (!imageChanged) return;
        return this.startFresh(record, live, actor, options, "the image changed");
      }
      // It was running and is not: it crashed, was killed, or vanished.
      const failure = live
        ? gatewayKilledForMemory(live.state)
          ? new StartFailure("killed: out of memory", "oom")
          : new StartFailure(`crashed (exit code ${live.state.exitCode})`, "crashed")
        : new StartFailure("its container disappeared", "crashed");
      return this.fail(record, actor, failure, live);
    }
    if (record.state === "failed" && givesUp(record.failures, this.deps.backoff) && !options.explicit) return;
    if (record.retryAt && record.retryAt.getTime() > Date.now() && !options.explicit) {
      this.scheduleRetry(record.userId, record.retryAt);
      return;
    }
    const why = options.restart
      ? "restart requested"
      : record.state === "failed"
        ? "retrying"
        : "start requested";
    return this.startFresh(record, live, actor, options, why);
  }

  private async convergeStopped(record: AgentRecord, actor: string): Promise<void> {
    const live = await this.inspectByName(record.userId);
    await this.clearContainer(record, live, actor, "stop requested");
    const now = (await findAgent(this.deps.db, record.userId))!;
    if (now.state !== "stopped")
      await this.setState(record.userId, "stopped", "stopped", actor, { containerId: null });
  }

  private async convergeDeleted(record: AgentRecord, actor: string): Promise<void> {
    const { engine } = this.deps;
    const names = agentNames(this.deps.instance, record.userId);
    const live = await this.inspectByName(record.userId);
    if (live) await engine.removeContainer(live.id);
    await engine.removeNetwork(names.network);
    if (!record.keepData) await engine.removeVolume(names.volume);
    if (record.state !== "deleted" || record.containerId !== null) {
      await this.setState(
        record.userId,
        "deleted",
        record.keepData ? "deleted; data kept" : "deleted with its data",
        actor,
        {
          containerId: null,
          gatewayToken: null,
          failures: 0,
          retryAt: null,
        },
      );
    }
  }

  /**
   * Stops and removes whatever container the user has. An agent that was starting, running or
   * stopping is then stopped; one that was creating, failed or deleted keeps its state.
   */
  private async clearContainer(
    record: AgentRecord,
    live: ContainerDetails | null,
    actor: string,
    reason: string,
  ): Promise<void> {
    const { engine } = this.deps;
    if (live) {
      if (live.state.running) {
        if (record.state === "running" || record.state === "starting") {
          await this.setState(record.userId, "stopping", reason, actor);
        }
        await engine.stopContainer(live.id, { timeoutSeconds: 10 });
      }
      await engine.removeContainer(live.id);
    }
    const now = (await findAgent(this.deps.db, record.userId))!;
    if (now.state === "starting" || now.state === "running" || now.state === "stopping") {
      await this.setState(
        record.userId,
        "stopped",
        live ? reason : `${reason} (no container was left)`,
        actor,
        {
          containerId: null,
        },
      );
    }
  }

  private async startFresh(
    record: AgentRecord,
    live: ContainerDetails | null,
    actor: string,
    options: ConvergeOptions,
    reason: string,
  ): Promise<void> {
    const { engine, instance } = this.deps;
    let ticket = options.ticket;
    if (!ticket) {
      try {
        ticket = this.deps.admission.enter(
          record.limits.memoryBytes,
          await this.committedExcept(record.userId),
        );
      } catch (error) {
        if (!(error instanceof AdmissionRefused)) throw error;
        // Not a failure of the agent: try again when there may be room.
        this.deps.metrics.admissionRefused.inc({ reason: error.reason });
        this.scheduleRetry(record.userId, new Date(Date.now() + error.retryAfterSeconds * 1000));
        return;
      }
    }
    await ticket.ready;
    const began = performance.now();
    let containerId: string | null = null;
    try {
      await this.clearContainer(record, live, actor, reason);
      await this.setState(record.userId, "creating", reason, actor);
      const names = agentNames(instance, record.userId);
      const labels = agentLabels(instance, record.userId, { operator: this.deps.extraLabels });
      await this.ensureNetwork(names.network, labels);
      await engine.createVolume({ name: names.volume, labels });
      const generation = record.generation + 1;
      const image = this.deps.image();
      const token = randomBytes(32).toString("base64url");
      await updateAgent(this.deps.db, record.userId, {
        generation,
        image,
        gatewayToken: seal(this.deps.keys, token, gatewayTokenContext(record.userId, generation)),
        containerId: null,
      });
      containerId = await engine.createContainer(
        agentContainerSpec({
          instance,
          userId: record.userId,
          generation,
          image,
          limits: record.limits,
          extraLabels: this.deps.extraLabels,
        }),
      );
      await this.setState(record.userId, "starting", "container created", actor, { containerId });
      await engine.startContainer(containerId, { stdinPayload: this.deps.payload(token) });
      await this.waitReady(containerId, names.network);
      const seconds = (performance.now() - began) / 1000;
      await this.setState(record.userId, "running", "gateway ready", actor, { failures: 0, retryAt: null });
      this.deps.metrics.startDuration.observe(seconds);
      this.deps.admission.observeStart(seconds);
    } catch (error) {
      const failure =
        error instanceof StartFailure
          ? error
          : new StartFailure(error instanceof Error ? error.message : String(error), "start_failed");
      const current = (await findAgent(this.deps.db, record.userId))!;
      const dead = containerId ? await this.inspectById(containerId) : null;
      await this.fail(current, actor, failure, dead);
    } finally {
      ticket.release();
    }
  }

  /** Records a failure: the container goes, the state becomes failed, and a retry is scheduled. */
  private async fail(
    record: AgentRecord,
    actor: string,
    failure: StartFailure,
    container: ContainerDetails | null,
  ): Promise<void> {
    const { engine, logger } = this.deps;
    if (container) {
      const logs = await engine.readLogs(container.id, { tail: 30 }).catch(() => null);
      logger.warn(
        { userId: record.userId, reason: failure.message, logTail: logs?.stderr.slice(-2000) },
        "agent failed",
      );
      await engine.removeContainer(container.id).catch(() => undefined);
    }
    const failures = record.failures + 1;
    const gaveUp = givesUp(failures, this.deps.backoff);
    const delay = retryDelayMs(failures, this.deps.backoff);
    const retryAt = gaveUp ? null : new Date(Date.now() + delay);
    const reason = gaveUp
      ? `${failure.message}; gave up after ${failures} consecutive failures`
      : `${failure.message}; retrying in ${Math.ceil(delay / 1000)} s`;
    await this.setState(record.userId, "failed", reason, actor, { failures, retryAt, containerId: null });
    this.deps.metrics.failures.inc({ reason: failure.kind });
    if (retryAt) this.scheduleRetry(record.userId, retryAt);
  }

  private async waitReady(containerId: string, network: string): Promise<void> {
    const deadline = Date.now() + this.deps.startTimeoutMs;
    for (;;) {
      const details = await this.deps.engine.inspectContainer(containerId);
      if (!details.state.running) {
        throw gatewayKilledForMemory(details.state)
          ? new StartFailure("killed: out of memory while starting", "oom")
          : new StartFailure(
              `the gateway exited while starting (exit code ${details.state.exitCode})`,
              "start_failed",
            );
      }
      const address = details.networks[network]?.ipAddress;
      if (address && (await gatewayReady(address))) return;
      if (Date.now() > deadline) {
        throw new StartFailure(
          `the gateway was not ready within ${Math.round(this.deps.startTimeoutMs / 1000)} s`,
          "start_timeout",
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async repairDrift(
    record: AgentRecord,
    live: ContainerDetails,
    imageChanged: boolean,
  ): Promise<void> {
    const { engine, logger } = this.deps;
    if (record.containerId !== live.id) {
      // A container we made but did not get to record (agent-server stopped in between): adopt it.
      await updateAgent(this.deps.db, record.userId, { containerId: live.id });
      logger.info({ userId: record.userId, containerId: live.id }, "adopted a running container");
    }
    const actual: Limits = {
      memoryBytes: live.limits.memoryBytes,
      nanoCpus: live.limits.nanoCpus,
      pidsLimit: live.limits.pidsLimit ?? 0,
    };
    if (!imageChanged && !sameLimits(actual, record.limits)) {
      await engine.updateLimits(live.id, record.limits);
      await this.event(record.userId, record.state, "limits repaired to the recorded plan", "reconciler");
    }
  }

  /**
   * Removes a container or network of this instance if, checked under the user's lock, no agent wants
   * it (no row, or a deleted agent). Returns whether it was removed.
   */
  removeIfOrphan(userId: string, kind: "container" | "network", idOrName: string): Promise<boolean> {
    const remove = async () => {
      if (kind === "container") await this.deps.engine.removeContainer(idOrName);
      else await this.deps.engine.removeNetwork(idOrName);
      this.deps.logger.info({ userId, kind, idOrName }, "removed an orphan");
      return true;
    };
    if (!USER_ID_PATTERN.test(userId)) return remove();
    return this.lock.run(userId, async () => {
      const record = await findAgent(this.deps.db, userId);
      if (record && record.desiredState !== "deleted") return false;
      return remove();
    });
  }

  // ---- engine events ------------------------------------------------------------------------------

  /** Reacts to the engine's events for this instance's containers. */
  handleEngineEvent(action: string, labels: Record<string, string>): void {
    const userId = labels[LABELS.user];
    if (!userId || this.stopped) return;
    if (action === "die") {
      void this.converge(userId).catch((err: unknown) => {
        // Shutting down: the database may already be closed; the next start reconciles anyway.
        if (this.stopped) return;
        this.deps.logger.error({ err, userId }, "handling a container's exit failed");
      });
    } else if (action === "oom") {
      // The kernel killed a process for memory; if it was the gateway, a `die` follows.
      void this.reportCurrent(userId, "out of memory: the kernel killed a process in the container");
      this.deps.metrics.oomKills.inc();
    }
  }

  /**
   * The health monitor's verdict that a running gateway stopped answering: treated as a crash (the
   * container goes, the agent fails and restarts with back-off).
   */
  declareUnresponsive(userId: string, reason: string): Promise<void> {
    return this.lock.run(userId, async () => {
      const record = await findAgent(this.deps.db, userId);
      if (!record || record.state !== "running" || record.desiredState !== "running") return;
      const live = await this.inspectByName(userId);
      await this.fail(record, "health-monitor", new StartFailure(reason, "unresponsive"), live);
    });
  }

  /** Reports something about an agent as an event, without changing its state. */
  async reportCurrent(userId: string, reason: string): Promise<void> {
    const record = await findAgent(this.deps.db, userId);
    if (record) await this.event(userId, record.state, reason, "system");
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private checkLimits(limits: Limits): void {
    const problems = limitProblems(limits, this.deps.bounds);
    if (problems.length > 0)
      throw new AgentCommandError("invalid_limits", `Invalid limits: ${problems.join("; ")}.`);
  }

  private committedExcept(userId: string | undefined): Promise<number> {
    return committedMemoryBytes(this.deps.db, userId);
  }

  private async admit(
    userId: string,
    memoryBytes: number,
    ctx: CommandContext,
    action: string,
  ): Promise<Ticket> {
    try {
      return this.deps.admission.enter(memoryBytes, await this.committedExcept(userId));
    } catch (error) {
      if (error instanceof AdmissionRefused) {
        this.deps.metrics.admissionRefused.inc({ reason: error.reason });
        await this.record(ctx, userId, action, "refused", { why: error.reason });
      }
      throw error;
    }
  }

  private async ensureNetwork(name: string, labels: Record<string, string>): Promise<void> {
    const { engine } = this.deps;
    try {
      await engine.inspectNetwork(name);
    } catch (error) {
      if (!(error instanceof EngineError && error.code === "not_found")) throw error;
      try {
        await engine.createNetwork({ name, labels });
      } catch (createError) {
        // Made by a concurrent operation between our look and our create: fine.
        if (!(createError instanceof EngineError && createError.code === "conflict")) throw createError;
      }
    }
  }

  private async inspectByName(userId: string): Promise<ContainerDetails | null> {
    return this.inspectById(agentNames(this.deps.instance, userId).container);
  }

  private async inspectById(idOrName: string): Promise<ContainerDetails | null> {
    try {
      return await this.deps.engine.inspectContainer(idOrName);
    } catch (error) {
      if (error instanceof EngineError && error.code === "not_found") return null;
      throw error;
    }
  }

  private async setState(
    userId: string,
    to: AgentState,
    reason: string,
    actor: string,
    patch: AgentPatch = {},
  ): Promise<void> {
    const event = await this.deps.db.transaction(async (tx) => {
      const row = await findAgent(tx, userId, true);
      if (!row) throw new AgentCommandError("not_found", "This user has no agent.");
      assertTransition(row.state, to);
      await updateAgent(tx, userId, { ...patch, state: to, stateReason: reason });
      return insertEvent(tx, { userId, state: to, reason, actor });
    });
    this.deps.bus.publish({ ...event, at: event.at.toISOString() });
  }

  private async event(userId: string, state: AgentState, reason: string, actor: string): Promise<void> {
    const event = await insertEvent(this.deps.db, { userId, state, reason, actor });
    this.deps.bus.publish({ ...event, at: event.at.toISOString() });
  }

  private async record(
    ctx: CommandContext,
    userId: string,
    action: string,
    outcome: "ok" | "refused" | "failed",
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    await recordAction(this.deps.db, {
      actor: ctx.actor,
      userId,
      action,
      outcome,
      detail,
      requestId: ctx.requestId,
    });
  }

  private scheduleRetry(userId: string, at: Date): void {
    if (this.stopped) return;
    this.cancelRetry(userId);
    const timer = setTimeout(
      () => {
        this.retryTimers.delete(userId);
        void this.converge(userId).catch((err: unknown) =>
          this.deps.logger.error({ err, userId }, "retrying an agent failed"),
        );
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    timer.unref();
    this.retryTimers.set(userId, timer);
  }

  private cancelRetry(userId: string): void {
    const timer = this.retryTimers.get(userId);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(userId);
  }

  /** Stops scheduling; operations under way finish. */
  close(): void {
    this.stopped = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
  }
}

/**
 * Whether a stopped container's gateway was killed for memory. Docker's OOMKilled says only that the
 * kernel killed some process of the container for memory at some point in its life (a tool the agent
 * ran, long before: that one was reported by its `oom` event then); the gateway itself died of it only
 * if it was killed by SIGKILL, which Docker's init passes on as exit code 128 + 9.
 */
export function gatewayKilledForMemory(state: { oomKilled: boolean; exitCode: number }): boolean {
  return state.oomKilled && state.exitCode === 137;
}

/** Associated data sealing a gateway token to one user and one container generation. */
export function gatewayTokenContext(userId: string, generation: number): string {
  return `gateway-token:${userId}:${generation}`;
}
