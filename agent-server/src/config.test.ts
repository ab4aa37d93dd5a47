// Unit tests of agent-server's configuration: defaults and where the Docker socket comes from.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError } from "@clawden/kit/server";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config.js";

const base = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
  AGENT_API_TOKEN: "t".repeat(32),
  AGENT_SECRET_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
};

describe("readConfig", () => {
  it("defaults to 127.0.0.1:8081 and /var/run/docker.sock", () => {
    const config = readConfig(base);
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.PORT).toBe(8081);
    expect(config.DOCKER_SOCKET).toBe("/var/run/docker.sock");
  });

  it("takes the socket from a unix:// DOCKER_HOST, and DOCKER_SOCKET over both", () => {
    expect(readConfig({ ...base, DOCKER_HOST: "unix:///run/user/1000/docker.sock" }).DOCKER_SOCKET).toBe(
      "/run/user/1000/docker.sock",
    );
    expect(
      readConfig({ ...base, DOCKER_HOST: "tcp://10.0.0.1:2375", DOCKER_SOCKET: "/srv/docker.sock" })
        .DOCKER_SOCKET,
    ).toBe("/srv/docker.sock");
  });

  it("refuses a TCP DOCKER_HOST and a relative DOCKER_SOCKET with one clear line", () => {
    expect(() => readConfig({ ...base, DOCKER_HOST: "tcp://10.0.0.1:2375" })).toThrow(ConfigError);
    expect(() => readConfig({ ...base, DOCKER_HOST: "tcp://10.0.0.1:2375" })).toThrow(
      /DOCKER_HOST must be unix:\/\//,
    );
    expect(() => readConfig({ ...base, DOCKER_SOCKET: "docker.sock" })).toThrow(
      /DOCKER_SOCKET must be an absolute path/,
    );
  });

  it("reads secrets from *_FILE variables and refuses unreadable files", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "agent-config-"));
    const file = path.join(dir, "token");
    writeFileSync(file, `${"f".repeat(40)}\n`);
    const { AGENT_API_TOKEN: _omit, ...rest } = base;
    expect(readConfig({ ...rest, AGENT_API_TOKEN_FILE: file }).AGENT_API_TOKEN).toBe("f".repeat(40));
    expect(() => readConfig({ ...rest, AGENT_API_TOKEN_FILE: path.join(dir, "missing") })).toThrow(
      /AGENT_API_TOKEN_FILE cannot be read \(ENOENT/,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it("parses operator labels and refuses malformed keys", () => {
    expect(readConfig({ ...base, DOCKER_LABELS: "team=ops,tier=gold" }).DOCKER_LABELS).toEqual({
      team: "ops",
      tier: "gold",
    });
    expect(readConfig(base).DOCKER_LABELS).toEqual({});
    expect(() => readConfig({ ...base, DOCKER_LABELS: "no-equals" })).toThrow(
      /DOCKER_LABELS must be key=value/,
    );
    expect(() => readConfig({ ...base, AGENT_SECRET_KEYS: "k1:abc" })).toThrow(
      /AGENT_SECRET_KEYS key k1 must be 32 bytes/,
    );
  });
});
