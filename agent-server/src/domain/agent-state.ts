// The lifecycle of one user's agent as an explicit state machine. Every state change goes through
// `assertTransition`, so an impossible change (a deleted agent "stopping", a stopped one "running"
// without starting) is refused instead of written.
export const AGENT_STATES = [
  "creating",
  "starting",
  "running",
  "stopping",
  "stopped",
  "failed",
  "deleted",
] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** What the platform wants for the user; the reconciler moves the actual state towards it. */
export const DESIRED_STATES = ["running", "stopped", "deleted"] as const;
export type DesiredState = (typeof DESIRED_STATES)[number];

const TRANSITIONS: Record<AgentState, readonly AgentState[]> = {
  creating: ["starting", "failed", "stopped", "deleted"],
  starting: ["running", "failed", "stopping", "stopped", "deleted"],
  running: ["stopping", "stopped", "failed", "starting", "deleted"],
  stopping: ["stopped", "failed", "deleted"],
  stopped: ["creating", "starting", "deleted"],
  failed: ["creating", "starting", "stopping", "stopped", "deleted"],
  deleted: ["creating"],
};

export class IllegalTransition extends Error {
  override readonly name = "IllegalTransition";
  constructor(
    readonly from: AgentState,
    readonly to: AgentState,
  ) {
    super(`an agent cannot go from ${from} to ${to}`);
  }
}

/** Staying in the same state is allowed (a new reason); anything else must be in the table. */
export function canTransition(from: AgentState, to: AgentState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function assertTransition(from: AgentState, to: AgentState): void {
  if (!canTransition(from, to)) throw new IllegalTransition(from, to);
}

/** States in which the container holds (or is about to hold) its memory limit on the host. */
export function holdsMemory(state: AgentState): boolean {
  return state === "creating" || state === "starting" || state === "running" || state === "stopping";
}
