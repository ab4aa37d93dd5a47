// The two ways to a ready gateway for a new user, each timed from its first request to readiness:
//   ours  agent-server's internal API, POST /internal/v1/agents/:userId/ensure-running {wait:true},
//         until its 200 (agent-server answers once the gateway's /readyz says 200);
//   raw   the same Docker calls with nothing in between: create the user's network, a fresh volume and
//         the container (agent-server's exact hardened spec and create body), attach stdin, start, write
//         the same start payload, then poll the gateway's /readyz at the container's address.
// Both then get one chat completion through the gateway, and both remove what they made.
import { randomBytes } from "node:crypto";
import { keyRing, open, parseKeyList } from "@clawden/kit/crypto";
import { dockerApi } from "@clawden/kit/testing";
import { createBody } from "../../agent-server/src/adapters/docker.js";
import { findAgent } from "../../agent-server/src/db/agents.js";
import type { Limits } from "../../agent-server/src/domain/limits.js";
import { agentLabels, agentNames, type AgentNames } from "../../agent-server/src/domain/names.js";
import { gatewayTokenContext } from "../../agent-server/src/lifecycle/agent-service.js";
import { agentContainerSpec } from "../../agent-server/src/runtime/container-spec.js";
import type { TestAgentServer } from "../../agent-server/test/support/agent-server.js";
import { attachStdin, dockerCall, writeAndClose } from "./docker-raw.js";
import type { StateFollower } from "./events.js";
import { waitGatewayReady } from "./gateway.js";

export type PathName = "ours" | "raw";

/** A started gateway, ready: what the chat needs, and how the start went. */
export interface Started {
  userId: string;
  address: string;
  token: string;
  coldStartMs: number;
  /** Named phases in ms (see bench/README.md); a phase is missing when it could not be timed. */
  phases: Record<string, number>;
}

export interface PathRunner {
  name: PathName;
  /** Starts a gateway for a new user (the caller picks the id, so it can remove what a failed start left). */
  start(userId: string): Promise<Started>;
  /** Removes what start() made; returns how many of its objects were still there afterwards. */
  remove(userId: string): Promise<number>;
}

/** How many of a user's container, network and volume still exist. */
async function remaining(names: AgentNames): Promise<number> {
  const checks = await Promise.all([
    dockerApi("GET", `/containers/${names.container}/json`),
    dockerApi("GET", `/networks/${names.network}`),
    dockerApi("GET", `/volumes/${names.volume}`),
  ]);
  return checks.filter((c) => c.status !== 404).length;
}

export function ourPath(t: TestAgentServer, follower: StateFollower): PathRunner {
  const keys = keyRing(parseKeyList(t.config.AGENT_SECRET_KEYS));
  const names = (userId: string) => agentNames(t.config.INSTANCE_ID, userId);
  return {
    name: "ours",
    async start(userId) {
      const began = performance.now();
      const res = await t.api(`/internal/v1/agents/${userId}/ensure-running`, {
        method: "POST",
        body: { wait: true },
        actor: "admin:bench",
      });
      const answered = performance.now();
      const text = await res.text();
      if (res.status !== 200) throw new Error(`ensure-running answered ${res.status}: ${text.slice(0, 400)}`);
      const [creating, starting, running] = await Promise.all(
        ["creating", "starting", "running"].map((state) => follower.arrival(userId, state)),
      );
      const phases: Record<string, number> = {};
      if (starting !== undefined) phases.prepare = starting - began;
      if (starting !== undefined && running !== undefined) phases.startToReady = running - starting;
      if (running !== undefined) phases.readyToAnswer = answered - running;
      if (creating !== undefined) phases.requestToCreating = creating - began;
      // Not timed: where the gateway is, and its token (sealed in agent-server's database).
      const details = await t.server.engine.inspectContainer(names(userId).container);
      const address = details.networks[names(userId).network]?.ipAddress;
      if (!address) throw new Error("the running container has no address on its network");
      const record = await findAgent(t.server.db, userId);
      if (!record?.gatewayToken) throw new Error("agent-server holds no gateway token for the agent");
      const token = open(
        keys,
        record.gatewayToken,
        gatewayTokenContext(userId, record.generation),
      ).toString();
      return { userId, address, token, coldStartMs: answered - began, phases };
    },
    async remove(userId) {
      const res = await t.api(`/internal/v1/agents/${userId}?keepData=false`, {
        method: "DELETE",
        actor: "admin:bench",
      });
      const text = await res.text();
      // 404: the start failed before agent-server recorded the agent.
      if (res.status !== 200 && res.status !== 404) {
        throw new Error(`delete answered ${res.status}: ${text.slice(0, 400)}`);
      }
      return remaining(names(userId));
    },
  };
}

export interface RawContext {
  /** Names the raw path's objects; no agent-server owns it, so none touches them. */
  instance: string;
  image: string;
  limits: Limits;
  labels: Record<string, string>;
  /** The start payload for a gateway token: agent-server's own (same config, same upstream key). */
  payload: (gatewayToken: string) => string;
  pollMs: number;
  timeoutMs: number;
}

interface RawInspect {
  State: { Running: boolean; ExitCode: number; OOMKilled: boolean };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

export function rawPath(ctx: RawContext): PathRunner {
  return {
    name: "raw",
    async start(userId) {
      const names = agentNames(ctx.instance, userId);
      const labels = agentLabels(ctx.instance, userId, { operator: ctx.labels });
      const spec = agentContainerSpec({
        instance: ctx.instance,
        userId,
        generation: 1,
        image: ctx.image,
        limits: ctx.limits,
        extraLabels: ctx.labels,
      });
      const body = createBody(spec);
      const token = randomBytes(32).toString("base64url");
      const payload = ctx.payload(token);

      const began = performance.now();
      await dockerCall("POST", "/networks/create", {
        Name: names.network,
        Driver: "bridge",
        CheckDuplicate: true,
        Internal: false,
        Labels: labels,
      });
      await dockerCall("POST", "/volumes/create", { Name: names.volume, Driver: "local", Labels: labels });
      const { Id: id } = await dockerCall<{ Id: string }>(
        "POST",
        `/containers/create?name=${encodeURIComponent(names.container)}`,
        body,
      );
      const created = performance.now();
      const stdin = await attachStdin(id);
      try {
        await dockerCall("POST", `/containers/${id}/start`);
      } catch (error) {
        stdin.destroy();
        throw error;
      }
      await writeAndClose(stdin, payload);
      const started = performance.now();
      const info = await dockerCall<RawInspect>("GET", `/containers/${id}/json`);
      const address = info.NetworkSettings.Networks[names.network]?.IPAddress;
      if (!address) throw new Error("the started container has no address on its network");
      await waitGatewayReady(address, {
        pollMs: ctx.pollMs,
        timeoutMs: ctx.timeoutMs,
        stillRunning: async () => {
          const now = await dockerCall<RawInspect>("GET", `/containers/${id}/json`);
          if (now.State.Running) return null;
          return now.State.OOMKilled
            ? "the gateway was killed for memory while starting"
            : `the gateway exited while starting (exit code ${now.State.ExitCode})`;
        },
      });
      const ready = performance.now();
      return {
        userId,
        address,
        token,
        coldStartMs: ready - began,
        phases: { prepare: created - began, startToReady: ready - created, startCalls: started - created },
      };
    },
    async remove(userId) {
      const names = agentNames(ctx.instance, userId);
      await dockerApi("DELETE", `/containers/${names.container}?force=1&v=1`);
      await dockerApi("DELETE", `/networks/${names.network}`);
      await dockerApi("DELETE", `/volumes/${names.volume}?force=1`);
      return remaining(names);
    },
  };
}
