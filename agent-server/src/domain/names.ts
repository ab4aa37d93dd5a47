// How agent-server names and labels what it creates in Docker. Names are deterministic per instance and
// user, so Docker itself refuses a second container for a user (409), whatever crashed in between.
// Labels say whose each object is; the reconciler trusts only objects carrying this instance's label.
export const LABELS = {
  managed: "clawden.managed",
  instance: "clawden.instance",
  user: "clawden.user",
  generation: "clawden.generation",
  image: "clawden.image",
} as const;

export const INSTANCE_PATTERN = /^[a-z0-9][a-z0-9-]{0,23}$/;
export const USER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface AgentNames {
  container: string;
  network: string;
  volume: string;
}

export function agentNames(instance: string, userId: string): AgentNames {
  return {
    container: `clawden-${instance}-agent-${userId}`,
    network: `clawden-${instance}-net-${userId}`,
    volume: `clawden-${instance}-data-${userId}`,
  };
}

export function agentLabels(
  instance: string,
  userId: string,
  extra: { generation?: number; image?: string; operator?: Record<string, string> } = {},
): Record<string, string> {
  const labels: Record<string, string> = {
    // The operator's own labels first: ours are never overridden.
    ...extra.operator,
    [LABELS.managed]: "agent",
    [LABELS.instance]: instance,
    [LABELS.user]: userId,
  };
  if (extra.generation !== undefined) labels[LABELS.generation] = String(extra.generation);
  if (extra.image !== undefined) labels[LABELS.image] = extra.image;
  return labels;
}

/** The labels that select every object of this instance. */
export function instanceSelector(instance: string): Record<string, string> {
  return { [LABELS.managed]: "agent", [LABELS.instance]: instance };
}
