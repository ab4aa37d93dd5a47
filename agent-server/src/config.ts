// agent-server's configuration: the common server variables; where the Docker engine's socket is
// (DOCKER_SOCKET wins; otherwise a unix:// DOCKER_HOST, as the docker CLI does; otherwise
// /var/run/docker.sock; the engine is never reached over TCP); its database; the secrets it holds;
// the limits and admission rules for users' containers; and the model upstream containers use.
// Secrets may also be given as files (AGENT_API_TOKEN_FILE, AGENT_SECRET_KEYS_FILE, UPSTREAM_API_KEY_FILE).
import { totalmem } from "node:os";
import { ConfigError, env, loadConfig, serverConfigShape, withFileVariables } from "@clawden/kit/server";
import { keyRing, parseKeyList } from "@clawden/kit/crypto";
import { z } from "zod";
import { INSTANCE_PATTERN } from "./domain/names.js";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

const absolutePath = z
  .string()
  .regex(/^\/[^\0]*$/, { error: "must be an absolute path such as /var/run/docker.sock" });

const MiB = 1024 * 1024;
const bytes = (fallback: number) =>
  z.coerce.number({ error: "must be a number of bytes" }).int().positive().default(fallback);

export const configSchema = z.object({
  ...serverConfigShape(8081),
  DOCKER_SOCKET: absolutePath.optional(),
  DOCKER_HOST: z.string().optional(),
  /** agent-server's own schema (agent_server) lives in this database. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, { error: "must be a postgres:// connection URL" }),
  DATABASE_POOL_MAX: env.positiveInt(5),
  /** Names this installation's containers, networks and volumes, so two installations on one engine never touch each other's. */
  INSTANCE_ID: z
    .string()
    .regex(INSTANCE_PATTERN, { error: "must be 1-24 of a-z, 0-9 and -, starting with a letter or digit" })
    .default("default"),
  /** Extra labels for every container, network and volume this server creates: `key=value,key=value`. */
  DOCKER_LABELS: z
    .string()
    .regex(/^([A-Za-z0-9][A-Za-z0-9._/-]*=[^,=]*)(,[A-Za-z0-9][A-Za-z0-9._/-]*=[^,=]*)*$/, {
      error: "must be key=value pairs separated by commas",
    })
    .optional()
    .transform((text) =>
      Object.fromEntries((text ? text.split(",") : []).map((pair) => pair.split("=") as [string, string])),
    ),
  /** The bearer token management-server presents on the internal API. */
  AGENT_API_TOKEN: z.string().min(32, { error: "must be at least 32 characters" }),
  /** Keys sealing gateway tokens at rest: `id:base64-of-32-bytes`, newest first, comma-separated. */
  AGENT_SECRET_KEYS: z.string().min(1),
  /** The OpenClaw image to run; unset: the one the image recipe builds (built at start if missing). */
  AGENT_IMAGE: z.string().min(1).optional(),
  /** OpenAI-compatible upstream the gateways call, as reached from inside a container. */
  UPSTREAM_BASE_URL: env.url().default("http://127.0.0.1:9/v1"),
  UPSTREAM_API_KEY: z.string().default("no-key"),
  UPSTREAM_MODEL: z.string().min(1).default("default"),
  /** Limits of a new user's container, and the bounds a resize must stay within. */
  DEFAULT_MEMORY_BYTES: bytes(1536 * MiB),
  DEFAULT_NANO_CPUS: z.coerce.number().int().positive().default(1_000_000_000),
  DEFAULT_PIDS_LIMIT: z.coerce.number().int().positive().default(256),
  MAX_MEMORY_BYTES: bytes(4096 * MiB),
  MAX_NANO_CPUS: z.coerce.number().int().positive().default(2_000_000_000),
  MAX_PIDS_LIMIT: z.coerce.number().int().positive().default(1024),
  /** Memory the awake containers may hold together (default: 75% of this host's memory). */
  MEMORY_BUDGET_BYTES: bytes(Math.floor(totalmem() * 0.75)),
  MAX_CONCURRENT_STARTS: env.positiveInt(2),
  START_QUEUE_MAX: env.positiveInt(100),
  /** How long a gateway may take to become ready. */
  START_TIMEOUT_MS: env.positiveInt(180_000),
  RECONCILE_INTERVAL_MS: env.positiveInt(30_000),
  /** How often running gateways are checked (readiness, process limit). */
  HEALTH_INTERVAL_MS: env.positiveInt(15_000),
  /** Consecutive failed starts or crashes after which automatic restarts stop. */
  MAX_RESTARTS: env.positiveInt(5),
  RESTART_BACKOFF_BASE_MS: env.positiveInt(1000),
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

export const SECRET_VARIABLES = ["AGENT_API_TOKEN", "AGENT_SECRET_KEYS", "UPSTREAM_API_KEY"];

export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const { DOCKER_SOCKET, DOCKER_HOST, ...rest } = loadConfig(
    configSchema,
    withFileVariables(source, SECRET_VARIABLES),
  );
  const socket =
    DOCKER_SOCKET ?? (DOCKER_HOST === undefined ? DEFAULT_DOCKER_SOCKET : socketFromDockerHost(DOCKER_HOST));
  try {
    keyRing(parseKeyList(rest.AGENT_SECRET_KEYS));
  } catch (error) {
    throw new ConfigError(`invalid configuration: AGENT_SECRET_KEYS ${(error as Error).message}`);
  }
  return { ...rest, DOCKER_SOCKET: socket };
}
