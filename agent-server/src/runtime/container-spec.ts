// The container every user's agent runs in, hardened: non-root, every capability dropped,
// no-new-privileges, read-only root with a small tmpfs for scratch, Docker's init as PID 1, memory
// (without swap), CPU and process limits, its own bridge network, and its state volume at /data.
// Never privileged, never the host's network, PID or IPC namespace, never the Docker socket, no
// published ports: agent-server reaches the gateway at the container's address on its network.
// Secrets are not here: they go through stdin at start (see the image's entrypoint).
import type { ContainerSpec } from "../adapters/container-engine.js";
import type { Limits } from "../domain/limits.js";
import { agentLabels, agentNames } from "../domain/names.js";

export const GATEWAY_PORT = 18789;
export const STATE_MOUNT = "/data";
export const RUN_AS = "1000:1000";
export const SCRATCH_TMPFS = "rw,nosuid,nodev,size=256m";
/**
 * The same host name in every container of a user: OpenClaw records its owner lease in the state
 * volume with the host name and pid, and can only tell that a previous owner is dead (and reclaim the
 * lease at once, instead of refusing to start for 5 minutes after a crash) when the host name matches.
 */
export const GATEWAY_HOSTNAME = "openclaw";

export interface AgentSpecInput {
  instance: string;
  userId: string;
  generation: number;
  image: string;
  limits: Limits;
  /** The operator's extra labels (DOCKER_LABELS). */
  extraLabels?: Record<string, string>;
}

export function agentContainerSpec(input: AgentSpecInput): ContainerSpec {
  const names = agentNames(input.instance, input.userId);
  return {
    name: names.container,
    image: input.image,
    labels: agentLabels(input.instance, input.userId, {
      generation: input.generation,
      image: input.image,
      ...(input.extraLabels ? { operator: input.extraLabels } : {}),
    }),
    user: RUN_AS,
    hostname: GATEWAY_HOSTNAME,
    readOnlyRootfs: true,
    tmpfs: { "/tmp": SCRATCH_TMPFS },
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges"],
    init: true,
    memoryBytes: input.limits.memoryBytes,
    nanoCpus: input.limits.nanoCpus,
    pidsLimit: input.limits.pidsLimit,
    network: names.network,
    mounts: [{ volume: names.volume, target: STATE_MOUNT }],
    stdin: true,
  };
}
