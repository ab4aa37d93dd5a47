// agent-server's internal API, called by management-server only: every route needs the internal bearer
// token and names the acting principal (X-Clawden-Actor), which is recorded with each action.
import { Router, type Request, type Response } from "express";
import { HttpError, parseInput, safeEqual } from "@clawden/kit/server";
import { z } from "zod";
import type { Database } from "@clawden/kit/db";
import { listAgents, recentEvents } from "../db/agents.js";
import { AGENT_STATES, DESIRED_STATES } from "../domain/agent-state.js";
import { partialLimitsSchema } from "../domain/limits.js";
import { USER_ID_PATTERN } from "../domain/names.js";
import { AdmissionRefused } from "../lifecycle/admission.js";
import {
  AgentCommandError,
  toView,
  type AgentService,
  type AgentView,
  type CommandContext,
} from "../lifecycle/agent-service.js";
import type { AgentStateEvent, EventBus } from "../lifecycle/event-bus.js";

const ACTOR = /^(user|admin|operator|system):[A-Za-z0-9._@:+-]{1,120}$/;

export const agentErrors = {
  unauthenticated: () =>
    new HttpError(401, "unauthenticated", "The internal API token is missing or wrong.", {
      headers: { "WWW-Authenticate": 'Bearer realm="clawden-internal"' },
    }),
  actorMissing: () =>
    new HttpError(400, "actor_required", "Name the acting principal in X-Clawden-Actor (e.g. user:<id>)."),
  notFound: () => new HttpError(404, "agent_not_found", "This user has no agent."),
  conflict: (message: string) => new HttpError(409, "agent_conflict", message),
  invalidLimits: (message: string) => new HttpError(400, "invalid_limits", message),
  busy: (error: AdmissionRefused) =>
    new HttpError(
      429,
      error.reason === "memory_budget" ? "memory_budget" : "start_queue_full",
      error.message,
      {
        retryAfter: error.retryAfterSeconds,
      },
    ),
  startFailed: (view: AgentView) =>
    new HttpError(503, "agent_failed", `The assistant could not start: ${view.reason}`, {
      details: { agent: view },
    }),
  timeout: () =>
    new HttpError(504, "agent_start_timeout", "The assistant is still starting; follow its events."),
};

function fromCommandError(error: unknown): never {
  if (error instanceof AgentCommandError) {
    if (error.code === "not_found") throw agentErrors.notFound();
    if (error.code === "conflict") throw agentErrors.conflict(error.message);
    throw agentErrors.invalidLimits(error.message);
  }
  if (error instanceof AdmissionRefused) throw agentErrors.busy(error);
  throw error;
}

const userParams = z.object({
  userId: z.string().regex(USER_ID_PATTERN, { error: "must be a user id (UUID)" }),
});

const startBody = z
  .object({
    limits: partialLimitsSchema.optional(),
    /** Answer only when the agent is running (or failed), waiting up to timeoutMs. */
    wait: z.boolean().default(false),
    timeoutMs: z.number().int().min(1000).max(600_000).default(180_000),
  })
  .strict();

const listQuery = z
  .object({
    state: z.string().optional(),
    desired: z.string().optional(),
    image: z.string().max(300).optional(),
    after: z.string().regex(USER_ID_PATTERN).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

function csvOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T))
      throw new HttpError(400, "invalid_request", `${name} must be among ${allowed.join(", ")}.`);
  }
  return items as T[];
}

export function requireInternalToken(token: string) {
  return function checkInternalToken(req: Request, _res: Response, next: () => void): void {
    const header = req.headers.authorization ?? "";
    if (!header.startsWith("Bearer ") || !safeEqual(header.slice(7), token))
      throw agentErrors.unauthenticated();
    next();
  };
}

function context(req: Request): CommandContext {
  const actor = req.get("x-clawden-actor");
  if (!actor || !ACTOR.test(actor)) throw agentErrors.actorMissing();
  return { actor, requestId: typeof req.id === "string" ? req.id : undefined };
}

async function answerStart(
  res: Response,
  accepted: { view: AgentView; settled: Promise<AgentView> },
  wait: boolean,
  timeoutMs: number,
) {
  if (!wait) {
    // Errors of the background start are recorded as the agent's state; nothing to answer here.
    accepted.settled.catch(() => undefined);
    res.status(accepted.view.state === "running" ? 200 : 202).json({ agent: accepted.view });
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    accepted.settled,
    new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome === "timeout") throw agentErrors.timeout();
  if (outcome.state !== "running") throw agentErrors.startFailed(outcome);
  res.json({ agent: outcome });
}

export function agentRoutes(deps: {
  db: Database;
  service: AgentService;
  bus: EventBus;
  apiToken: string;
}): Router {
  const { db, service, bus } = deps;
  const router = Router();
  router.use("/internal", requireInternalToken(deps.apiToken));

  router.get("/internal/v1/agents", async (req, res) => {
    const query = parseInput(listQuery, req.query, "query");
    const states = csvOf(query.state, AGENT_STATES, "state");
    const desired = csvOf(query.desired, DESIRED_STATES, "desired");
    const agents = await listAgents(db, {
      limit: query.limit,
      ...(states ? { states } : {}),
      ...(desired ? { desiredStates: desired } : {}),
      ...(query.image ? { image: query.image } : {}),
      ...(query.after ? { after: query.after } : {}),
    });
    const next = agents.length === query.limit ? agents.at(-1)!.userId : null;
    res.json({ agents: agents.map(toView), next });
  });

  router.get("/internal/v1/agents/:userId", async (req, res) => {
    const { userId } = parseInput(userParams, req.params, "path");
    const agent = await service.get(userId);
    if (!agent) throw agentErrors.notFound();
    const events = await recentEvents(db, userId, 20);
    res.json({ agent, events: events.map((e) => ({ ...e, at: e.at.toISOString() })) });
  });

  router.post("/internal/v1/agents/:userId/ensure-running", async (req, res) => {
    const { userId } = parseInput(userParams, req.params, "path");
    const body = parseInput(startBody, req.body ?? {});
    const ctx = context(req);
    const accepted = await service.ensureRunning(userId, ctx, body.limits).catch(fromCommandError);
    await answerStart(res, accepted, body.wait, body.timeoutMs);
  });

  router.post("/internal/v1/agents/:userId/restart", async (req, res) => {
    const { userId } = parseInput(userParams, req.params, "path");
    const body = parseInput(startBody.omit({ limits: true }), req.body ?? {});
    const accepted = await service.restart(userId, context(req)).catch(fromCommandError);
    await answerStart(res, accepted, body.wait, body.timeoutMs);
  });

  router.post("/internal/v1/agents/:userId/stop", async (req, res) => {
    const { userId } = parseInput(userParams, req.params, "path");
    const agent = await service.stop(userId, context(req)).catch(fromCommandError);
    res.json({ agent });
  });

  router.delete("/internal/v1/agents/:userId", async (req, res) => {
    const { userId } = parseInput(userParams, req.params, "path");
    const { keepData } = parseInput(
      z.object({ keepData: z.enum(["true", "false"]).default("true") }).strict(),
      req.query,
      "query",
    );
    const agent = await service.remove(userId, context(req), keepData === "true").catch(fromCommandError);
    res.json({ agent });
  });

  router.patch("/internal/v1/agents/:userId/limits", async (req, res) => {
    const { userId } = parseInput(userParams, req.params, "path");
    const change = parseInput(partialLimitsSchema, req.body ?? {});
    const agent = await service.resize(userId, context(req), change).catch(fromCommandError);
    res.json({ agent });
  });

  /** Server-sent events: every state change (optionally of one user), with a keep-alive comment. */
  router.get("/internal/v1/events", (req, res) => {
    const { userId } = parseInput(
      z.object({ userId: z.string().regex(USER_ID_PATTERN).optional() }).strict(),
      req.query,
      "query",
    );
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.write(": connected\n\n");
    const send = (event: AgentStateEvent) => {
      if (userId && event.userId !== userId) return;
      res.write(`id: ${event.id}\nevent: state\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const unsubscribe = bus.subscribe(send);
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    // At shutdown the stream ends, so the server does not wait for it.
    const stopOnClose = bus.onClose(() => res.end());
    req.on("close", () => {
      clearInterval(keepAlive);
      unsubscribe();
      stopOnClose();
    });
  });

  return router;
}
