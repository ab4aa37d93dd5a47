// The record of every action asked of agent-server, with who asked and how it ended; it is what the
// platform's audit log will receive from this server.
import type { Queryable } from "@clawden/kit/db";

export interface ActionRecord {
  actor: string;
  userId: string;
  action: string;
  outcome: "ok" | "refused" | "failed";
  detail?: Record<string, unknown>;
  requestId?: string | undefined;
}

export async function recordAction(db: Queryable, action: ActionRecord): Promise<void> {
  await db.query(
    `INSERT INTO agent_server.agent_actions (actor, user_id, action, outcome, detail, request_id)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      action.actor,
      action.userId,
      action.action,
      action.outcome,
      JSON.stringify(action.detail ?? {}),
      action.requestId ?? null,
    ],
  );
}

export async function actionsFor(
  db: Queryable,
  userId: string,
): Promise<{ actor: string; action: string; outcome: string; detail: Record<string, unknown> }[]> {
  const { rows } = await db.query<{
    actor: string;
    action: string;
    outcome: string;
    detail: Record<string, unknown>;
  }>("SELECT actor, action, outcome, detail FROM agent_server.agent_actions WHERE user_id = $1 ORDER BY id", [
    userId,
  ]);
  return rows;
}
