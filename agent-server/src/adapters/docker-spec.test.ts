// Unit tests of the create body for volume mounts and an open stdin (no engine needed).
import { describe, expect, it } from "vitest";
import { createBody, EngineError } from "./docker.js";

describe("createBody: mounts and stdin", () => {
  it("mounts named volumes and keeps stdin open for one writer when asked", () => {
    const body = createBody({
      image: "clawden/openclaw:1",
      mounts: [
        { volume: "clawden-u1-data", target: "/data" },
        { volume: "shared.ro", target: "/opt/ro", readOnly: true },
      ],
      stdin: true,
    });
    expect(body).toMatchObject({
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: false,
      Tty: false,
      HostConfig: {
        Mounts: [
          { Type: "volume", Source: "clawden-u1-data", Target: "/data", ReadOnly: false },
          { Type: "volume", Source: "shared.ro", Target: "/opt/ro", ReadOnly: true },
        ],
      },
    });
  });

  it("keeps stdin closed and mounts nothing by default", () => {
    const body = JSON.parse(JSON.stringify(createBody({ image: "x:1" }))) as Record<string, any>;
    expect(body.OpenStdin).toBe(false);
    expect(body.StdinOnce).toBe(false);
    expect(body.HostConfig).not.toHaveProperty("Mounts");
  });

  it("refuses a volume name or mount target Docker would read as something else", () => {
    for (const mount of [
      { volume: "/host/path", target: "/data" },
      { volume: "../x", target: "/data" },
      { volume: "v", target: "data" },
      { volume: "v", target: "/data:rw" },
    ]) {
      expect(() => createBody({ image: "x:1", mounts: [mount] }), JSON.stringify(mount)).toThrow(EngineError);
    }
  });
});
