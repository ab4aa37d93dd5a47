// management-server's configuration, read from the environment once at start.
import path from "node:path";
import { env, loadConfig, serverConfigShape } from "@clawden/kit/server";
import { z } from "zod";

const packageDir = path.resolve(import.meta.dirname, "..");

export const configSchema = z.object({
  ...serverConfigShape(8080),
  /** The address people use to reach the platform; links in mail and cookies' Secure flag follow it. */
  PUBLIC_URL: env.url().default("http://127.0.0.1:8080"),
  /** PostgreSQL. Unset: an embedded PGlite under STATE_DIR, served on a unix socket there. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: "must be a postgres:// connection URL" })
    .optional(),
  DATABASE_POOL_MAX: env.positiveInt(10),
  /** Where the embedded database and other local state live (created 0700). */
  STATE_DIR: env.path(path.resolve(packageDir, "..", ".clawden", "management")),
  /** Built web apps served by this server (`pnpm build` writes them). */
  USER_UI_DIR: env.path(path.resolve(packageDir, "..", "user-ui", "dist")),
  ADMIN_UI_DIR: env.path(path.resolve(packageDir, "..", "admin-ui", "dist")),
  /** Other servers, for the admin's system overview (their /readyz). */
  AGENT_SERVER_URL: env.url().default("http://127.0.0.1:8081"),
  GROUP_VAULT_URL: env.url().default("http://127.0.0.1:8082"),
  RELAY_SERVER_URL: env.url().default("http://127.0.0.1:8083"),
  /** Express `trust proxy`: the number of reverse proxies in front (so client IPs are right). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  SESSION_IDLE_MINUTES: env.positiveInt(30),
  SESSION_MAX_HOURS: env.positiveInt(24 * 7),
});

export type Config = z.infer<typeof configSchema>;

export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, source);
}
