// Typed configuration from environment variables, validated once at start. A bad value stops the
// process with one line that names every bad variable and says what was expected.
import { readFileSync } from "node:fs";
import { z } from "zod";

/** Exit code for a configuration error (EX_CONFIG from sysexits.h), as systemd and supervisors expect. */
export const EXIT_CONFIG = 78;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSPHRASE|KEY|DATABASE_URL)/i;

function describeReceived(name: string, value: string | undefined): string {
  if (value === undefined) return "it is not set";
  if (SECRET_NAME.test(name)) return "got a value that is not shown because it may be secret";
  const text = value;
  return `got ${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)}`;
}

/**
 * Parses `env` with a schema whose keys are variable names. Throws ConfigError with a single line such
 * as `invalid configuration: PORT must be an integer from 0 to 65535 (got "abc")`.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  // Empty strings count as unset, so `PORT=` in a unit file falls back to the default.
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join(".") || "(environment)";
    if (input[name] === undefined && issue.code === "invalid_type") return `${name} is required but not set`;
    return `${name} ${issue.message} (${describeReceived(name, input[name])})`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
}

/** Reusable variable types with messages written for operators. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ error: "must be a port number" })
      .int({ error: "must be an integer from 0 to 65535" })
      .min(0, { error: "must be an integer from 0 to 65535" })
      .max(65535, { error: "must be an integer from 0 to 65535" })
      .default(fallback),
  host: (fallback: string) =>
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]+$/, { error: "must be a host name or IP address" })
      .default(fallback),
  positiveInt: (fallback: number) =>
    z.coerce
      .number({ error: "must be a whole number" })
      .int({ error: "must be a whole number" })
      .positive({ error: "must be greater than 0" })
      .default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
      .transform((v) => v === "true" || v === "1" || v === "yes")
      .default(fallback),
  url: () => z.url({ error: "must be an absolute URL such as http://127.0.0.1:8080" }),
  logLevel: () =>
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "must be one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
  path: (fallback: string) => z.string().min(1, { error: "must be a path" }).default(fallback),
};

/** The variables every server reads, with its own default port. */
export function serverConfigShape(defaultPort: number) {
  return {
    HOST: env.host("127.0.0.1"),
    PORT: env.port(defaultPort),
    LOG_LEVEL: env.logLevel(),
    SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),
    /** When set, /metrics requires it as a bearer token. */
    METRICS_TOKEN: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  };
}

/**
 * Secrets may be given as files: for each name, when NAME is unset and NAME_FILE is set, NAME becomes
 * that file's content (trailing newline removed). A file that cannot be read is a ConfigError.
 */
export function withFileVariables(source: NodeJS.ProcessEnv, names: string[]): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...source };
  for (const name of names) {
    const file = source[`${name}_FILE`];
    if ((source[name] === undefined || source[name] === "") && file) {
      try {
        result[name] = readFileSync(file, "utf8").replace(/\r?\n$/, "");
      } catch (error) {
        throw new ConfigError(
          `invalid configuration: ${name}_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}: ${file})`,
        );
      }
    }
  }
  return result;
}
