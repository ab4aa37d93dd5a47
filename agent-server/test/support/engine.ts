// The real Docker engine, as agent-server's adapter, for tests.
import { DEFAULT_DOCKER_SOCKET } from "../../src/config.js";
import { DockerEngine } from "../../src/adapters/docker.js";

/** The engine's socket as agent-server would find it (DOCKER_HOST=unix://... or the default). */
export const socketPath = process.env.DOCKER_HOST?.startsWith("unix://")
  ? process.env.DOCKER_HOST.slice("unix://".length)
  : DEFAULT_DOCKER_SOCKET;

export const engine = new DockerEngine({ socketPath });
