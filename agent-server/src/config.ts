// agent-server's configuration: the common server variables plus where the Docker engine's socket is.
// DOCKER_SOCKET wins; otherwise a unix:// DOCKER_HOST is honoured (as the docker CLI does); otherwise
// /var/run/docker.sock. Only a unix socket is accepted: the engine is never reached over TCP.
import { ConfigError, loadConfig, serverConfigShape } from "@clawden/kit/server";
import { z } from "zod";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

const absolutePath = z
  .string()
  .regex(/^\/[^\0]*$/, { error: "must be an absolute path such as /var/run/docker.sock" });

export const configSchema = z.object({
  ...serverConfigShape(8081),
  DOCKER_SOCKET: absolutePath.optional(),
  DOCKER_HOST: z.string().optional(),
});

export type Config = Omit<z.infer<typeof configSchema>, "DOCKER_SOCKET" | "DOCKER_HOST"> & {
  /** Path of the Docker engine's unix socket. */
  DOCKER_SOCKET: string;
};

function socketFromDockerHost(host: string): string {
  const socket = host.startsWith("unix://") ? host.slice("unix://".length) : "";
  if (!absolutePath.safeParse(socket).success) {
    const shown = JSON.stringify(host.length > 80 ? `${host.slice(0, 77)}...` : host);
    throw new ConfigError(
      `invalid configuration: DOCKER_HOST must be unix:///path/to/docker.sock, agent-server speaks to ` +
        `the engine over its unix socket only; or set DOCKER_SOCKET (got ${shown})`,
    );
  }
  return socket;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { DOCKER_SOCKET, DOCKER_HOST, ...rest } = loadConfig(configSchema, env);
  const socket =
    DOCKER_SOCKET ?? (DOCKER_HOST === undefined ? DEFAULT_DOCKER_SOCKET : socketFromDockerHost(DOCKER_HOST));
  return { ...rest, DOCKER_SOCKET: socket };
}
