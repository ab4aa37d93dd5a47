// Unit tests of the container spec to Docker create-body mapping (no engine needed).
import { describe, expect, it } from "vitest";
import { createBody, EngineError } from "./docker.js";

describe("createBody", () => {
  it("maps every spec field to its Docker name, with no swap beyond the memory limit", () => {
    const body = createBody({
      image: "clawden/openclaw:1",
      cmd: ["node", "app.js"],
      env: { A: "1", TOKEN: "x=y" },
      labels: { "clawden.user": "u1" },
      memoryBytes: 64 * 1024 * 1024,
      nanoCpus: 500_000_000,
      pidsLimit: 64,
      user: "1000:1000",
      readOnlyRootfs: true,
      tmpfs: { "/tmp": "rw,size=1m" },
      capDrop: ["ALL"],
      securityOpt: ["no-new-privileges"],
      init: true,
      network: "none",
    });
    expect(body).toEqual({
      Image: "clawden/openclaw:1",
      Cmd: ["node", "app.js"],
      Env: ["A=1", "TOKEN=x=y"],
      Labels: { "clawden.user": "u1" },
      User: "1000:1000",
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      HostConfig: {
        Memory: 67108864,
        MemorySwap: 67108864,
        NanoCpus: 500_000_000,
        PidsLimit: 64,
        ReadonlyRootfs: true,
        Tmpfs: { "/tmp": "rw,size=1m" },
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
        Init: true,
        NetworkMode: "none",
      },
    });
  });

  it("leaves unset fields out of the JSON so Docker's defaults apply", () => {
    const json = JSON.parse(JSON.stringify(createBody({ image: "busybox:1" }))) as Record<string, unknown>;
    expect(json.HostConfig).toEqual({});
    expect(json).not.toHaveProperty("Cmd");
    expect(json).not.toHaveProperty("User");
  });

  it("refuses an invalid environment name or image reference", () => {
    expect(() => createBody({ image: "x:1", env: { "BAD NAME": "1" } })).toThrow(EngineError);
    expect(() => createBody({ image: "x:1?all=1" })).toThrow(/not a valid image reference/);
  });
});
