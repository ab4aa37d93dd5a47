import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, env, loadConfig, serverConfigShape } from "./config.js";

const schema = z.object({
  ...serverConfigShape(8080),
  PUBLIC_URL: env.url().default("http://127.0.0.1:8080"),
  FEATURE: env.bool(false),
  API_SECRET: z.string().min(32, { error: "must be at least 32 characters" }),
});

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies defaults and coerces types", () => {
    const config = loadConfig(schema, { API_SECRET: "x".repeat(32), FEATURE: "yes", PORT: "9000" });
    expect(config).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 9000,
      LOG_LEVEL: "info",
      FEATURE: true,
      PUBLIC_URL: "http://127.0.0.1:8080",
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig(schema, { API_SECRET: "x".repeat(32), PORT: "" }).PORT).toBe(8080);
  });

  it("names the bad variable, what it expects and what it got, on one line", () => {
    const error = errorOf(() => loadConfig(schema, { API_SECRET: "x".repeat(32), PORT: "abc" }));
    expect(error.message).toBe('invalid configuration: PORT must be a port number (got "abc")');
    expect(error.message).not.toContain("\n");
  });

  it("rejects out-of-range ports", () => {
    const error = errorOf(() => loadConfig(schema, { API_SECRET: "x".repeat(32), PORT: "70000" }));
    expect(error.message).toContain("PORT must be an integer from 0 to 65535");
  });

  it("lists every bad variable and says when a required one is missing", () => {
    const error = errorOf(() => loadConfig(schema, { LOG_LEVEL: "loud", PUBLIC_URL: "not a url" }));
    expect(error.message).toContain(
      "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
    );
    expect(error.message).toContain("PUBLIC_URL must be an absolute URL");
    expect(error.message).toContain("API_SECRET is required but not set");
    expect(error.message.split("\n")).toHaveLength(1);
  });

  it("never echoes the value of a variable that may be secret", () => {
    const error = errorOf(() => loadConfig(schema, { API_SECRET: "hunter2-short" }));
    expect(error.message).toContain("API_SECRET must be at least 32 characters");
    expect(error.message).not.toContain("hunter2");
  });

  it("ignores variables the schema does not name", () => {
    const config = loadConfig(schema, { API_SECRET: "x".repeat(32), UNRELATED: "1" });
    expect(config).not.toHaveProperty("UNRELATED");
  });
});
