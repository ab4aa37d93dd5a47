// Unit tests of agent-server's configuration: defaults and where the Docker socket comes from.
import { ConfigError } from "@clawden/kit/server";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config.js";

describe("readConfig", () => {
  it("defaults to 127.0.0.1:8081 and /var/run/docker.sock", () => {
    const config = readConfig({});
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.PORT).toBe(8081);
    expect(config.DOCKER_SOCKET).toBe("/var/run/docker.sock");
  });

  it("takes the socket from a unix:// DOCKER_HOST, and DOCKER_SOCKET over both", () => {
    expect(readConfig({ DOCKER_HOST: "unix:///run/user/1000/docker.sock" }).DOCKER_SOCKET).toBe(
      "/run/user/1000/docker.sock",
    );
    expect(
      readConfig({ DOCKER_HOST: "tcp://10.0.0.1:2375", DOCKER_SOCKET: "/srv/docker.sock" }).DOCKER_SOCKET,
    ).toBe("/srv/docker.sock");
  });

  it("refuses a TCP DOCKER_HOST and a relative DOCKER_SOCKET with one clear line", () => {
    expect(() => readConfig({ DOCKER_HOST: "tcp://10.0.0.1:2375" })).toThrow(ConfigError);
    expect(() => readConfig({ DOCKER_HOST: "tcp://10.0.0.1:2375" })).toThrow(/DOCKER_HOST must be unix:\/\//);
    expect(() => readConfig({ DOCKER_SOCKET: "docker.sock" })).toThrow(
      /DOCKER_SOCKET must be an absolute path/,
    );
  });
});
