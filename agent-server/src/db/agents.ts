// The only code that touches agent_server.agents and agent_server.agent_events.
import type { Queryable } from "@clawden/kit/db";
import type { AgentState, DesiredState } from "../domain/agent-state.js";
import type { Limits } from "../domain/limits.js";

export interface AgentRecord {
  userId: string;
  desiredState: DesiredState;
  state: AgentState;
  stateReason: string;
  stateChangedAt: Date;
  generation: number;
  image: string | null;
  containerId: string | null;
  limits: Limits;
  gatewayToken: Buffer | null;
  keepData: boolean;
  failures: number;
  retryAt: Date | null;
  createdAt: Date;
}

interface AgentRow {
  user_id: string;
  desired_state: DesiredState;
  state: AgentState;
  state_reason: string;
  state_changed_at: Date;
  generation: number;
  image: string | null;
  container_id: string | null;
  memory_bytes: number;
  nano_cpus: number;
  pids_limit: number;
  gateway_token: Buffer | null;
  keep_data: boolean;
  failures: number;
  retry_at: Date | null;
  created_at: Date;
}

const COLUMNS = `user_id, desired_state, state, state_reason, state_changed_at, generation, image, container_id,
  memory_bytes, nano_cpus, pids_limit, gateway_token, keep_data, failures, retry_at, created_at`;

function toRecord(row: AgentRow): AgentRecord {
  return {
    userId: row.user_id,
    desiredState: row.desired_state,
    state: row.state,
    stateReason: row.state_reason,
    stateChangedAt: row.state_changed_at,
    generation: row.generation,
    image: row.image,
    containerId: row.container_id,
    limits: { memoryBytes: row.memory_bytes, nanoCpus: row.nano_cpus, pidsLimit: row.pids_limit },
    gatewayToken: row.gateway_token,
    keepData: row.keep_data,
    failures: row.failures,
    retryAt: row.retry_at,
    createdAt: row.created_at,
  };
}

export async function findAgent(
  db: Queryable,
  userId: string,
  forUpdate = false,
): Promise<AgentRecord | null> {
  const { rows } = await db.query<AgentRow>(
    `SELECT ${COLUMNS} FROM agent_server.agents WHERE user_id = $1${forUpdate ? " FOR UPDATE" : ""}`,
    [userId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Creates the row if the user has none; returns the row either way. */
export async function ensureAgentRow(
  db: Queryable,
  userId: string,
  limits: Limits,
  desiredState: DesiredState,
): Promise<AgentRecord> {
  await db.query(
    `INSERT INTO agent_server.agents (user_id, desired_state, state, state_reason, memory_bytes, nano_cpus, pids_limit)
     VALUES ($1, $2, 'stopped', 'new', $3, $4, $5) ON CONFLICT (user_id) DO NOTHING`,
    [userId, desiredState, limits.memoryBytes, limits.nanoCpus, limits.pidsLimit],
  );
  return (await findAgent(db, userId))!;
}

export interface AgentPatch {
  desiredState?: DesiredState;
  state?: AgentState;
  stateReason?: string;
  generation?: number;
  image?: string | null;
  containerId?: string | null;
  limits?: Limits;
  gatewayToken?: Buffer | null;
  keepData?: boolean;
  failures?: number;
  retryAt?: Date | null;
}

/** Writes the given fields (and state_changed_at when the state or its reason changes). */
export async function updateAgent(db: Queryable, userId: string, patch: AgentPatch): Promise<void> {
  const sets: string[] = ["updated_at = now()"];
  const values: unknown[] = [userId];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (patch.desiredState !== undefined) set("desired_state", patch.desiredState);
  if (patch.state !== undefined) {
    set("state", patch.state);
    sets.push("state_changed_at = now()");
  }
  if (patch.stateReason !== undefined) set("state_reason", patch.stateReason);
  if (patch.generation !== undefined) set("generation", patch.generation);
  if (patch.image !== undefined) set("image", patch.image);
  if (patch.containerId !== undefined) set("container_id", patch.containerId);
  if (patch.limits !== undefined) {
    set("memory_bytes", patch.limits.memoryBytes);
    set("nano_cpus", patch.limits.nanoCpus);
    set("pids_limit", patch.limits.pidsLimit);
  }
  if (patch.gatewayToken !== undefined) set("gateway_token", patch.gatewayToken);
  if (patch.keepData !== undefined) set("keep_data", patch.keepData);
  if (patch.failures !== undefined) set("failures", patch.failures);
  if (patch.retryAt !== undefined) set("retry_at", patch.retryAt);
  await db.query(`UPDATE agent_server.agents SET ${sets.join(", ")} WHERE user_id = $1`, values);
}

export interface AgentFilter {
  states?: AgentState[];
  desiredStates?: DesiredState[];
  image?: string;
  /** Page after this user id (ids ascend). */
  after?: string;
  limit: number;
}

export async function listAgents(db: Queryable, filter: AgentFilter): Promise<AgentRecord[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: (n: number) => string, value: unknown) => {
    values.push(value);
    where.push(clause(values.length));
  };
  if (filter.states?.length) add((n) => `state = ANY($${n}::text[])`, filter.states);
  if (filter.desiredStates?.length) add((n) => `desired_state = ANY($${n}::text[])`, filter.desiredStates);
  if (filter.image !== undefined) add((n) => `image = $${n}`, filter.image);
  if (filter.after !== undefined) add((n) => `user_id > $${n}`, filter.after);
  values.push(filter.limit);
  const { rows } = await db.query<AgentRow>(
    `SELECT ${COLUMNS} FROM agent_server.agents ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY user_id LIMIT $${values.length}`,
    values,
  );
  return rows.map(toRecord);
}

export async function countByState(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ state: string; n: number }>(
    "SELECT state, count(*)::int AS n FROM agent_server.agents GROUP BY state",
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Memory limits of agents that hold host memory now, except `exceptUserId`'s. */
export async function committedMemoryBytes(db: Queryable, exceptUserId?: string): Promise<number> {
  const { rows } = await db.query<{ total: number | null }>(
    `SELECT sum(memory_bytes)::bigint AS total FROM agent_server.agents
     WHERE state IN ('creating', 'starting', 'running', 'stopping') AND user_id IS DISTINCT FROM $1`,
    [exceptUserId ?? null],
  );
  return Number(rows[0]?.total ?? 0);
}

export interface AgentEventRecord {
  id: number;
  userId: string;
  at: Date;
  state: AgentState;
  reason: string;
  actor: string;
}

export async function insertEvent(
  db: Queryable,
  event: { userId: string; state: AgentState; reason: string; actor: string },
): Promise<AgentEventRecord> {
  const { rows } = await db.query<{ id: number; at: Date }>(
    "INSERT INTO agent_server.agent_events (user_id, state, reason, actor) VALUES ($1, $2, $3, $4) RETURNING id, at",
    [event.userId, event.state, event.reason, event.actor],
  );
  return { ...event, id: rows[0]!.id, at: rows[0]!.at };
}

export async function recentEvents(
  db: Queryable,
  userId: string,
  limit: number,
): Promise<AgentEventRecord[]> {
  const { rows } = await db.query<{
    id: number;
    user_id: string;
    at: Date;
    state: AgentState;
    reason: string;
    actor: string;
  }>(
    `SELECT id, user_id, at, state, reason, actor FROM agent_server.agent_events
     WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    at: r.at,
    state: r.state,
    reason: r.reason,
    actor: r.actor,
  }));
}
