// management-server's configuration, read from the environment once at start.
import path from "node:path";
import { keyRing, parseKeyList } from "@clawden/kit/crypto";
import { ConfigError, env, loadConfig, serverConfigShape, withFileVariables } from "@clawden/kit/server";
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
  /**
   * Keys that seal secrets at rest (TOTP seeds, SSO client secrets): `id:base64-of-32-bytes`, comma
   * separated, newest first (it seals; all open). Unset: a key file is made under STATE_DIR.
   */
  SECRET_KEYS: z.string().min(1).optional(),
  /** Mail (sign-in links). Unset SMTP_HOST: no mail is sent and links are written to the log. */
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** true: TLS from the first byte (port 465). false: STARTTLS when the server offers it. */
  SMTP_SECURE: env.bool(false),
  /** Refuse to send unless the connection is encrypted (STARTTLS required). */
  SMTP_REQUIRE_TLS: env.bool(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  /** Write sign-in links to the log even when mail is configured (never in production). */
  LOG_SIGN_IN_LINKS: env.bool(false),
  /** Bearer token for agent-server's internal API (to stop a suspended user's container). */
  AGENT_API_TOKEN: z.string().min(16).optional(),
});

export type Config = z.infer<typeof configSchema>;

/** Variables that may also be given as a file (`NAME_FILE`), so secrets stay out of the environment. */
export const SECRET_VARIABLES = [
  "SECRET_KEYS",
  "SMTP_PASSWORD",
  "AGENT_API_TOKEN",
  "DATABASE_URL",
  "METRICS_TOKEN",
];

export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const config = loadConfig(configSchema, withFileVariables(source, SECRET_VARIABLES));
  if (config.SECRET_KEYS !== undefined) {
    try {
      keyRing(parseKeyList(config.SECRET_KEYS));
    } catch (error) {
      throw new ConfigError(`invalid configuration: SECRET_KEYS ${(error as Error).message}`);
    }
  }
  return config;
}
