import { describe, expect, it } from "vitest";
import { agentContainerSpec } from "./container-spec.js";

const userId = "0b7f0d3e-8c1a-4b8e-9f57-2f1f3c1d2e4a";

describe("agentContainerSpec", () => {
  const spec = agentContainerSpec({
    instance: "test",
    userId,
    generation: 3,
    image: "clawden/openclaw:2026.9.6-abc",
    limits: { memoryBytes: 1_610_612_736, nanoCpus: 1_000_000_000, pidsLimit: 256 },
  });

  it("hardens the container", () => {
    expect(spec).toMatchObject({
      user: "1000:1000",
      readOnlyRootfs: true,
      capDrop: ["ALL"],
      securityOpt: ["no-new-privileges"],
      init: true,
      tmpfs: { "/tmp": "rw,nosuid,nodev,size=256m" },
      memoryBytes: 1_610_612_736,
      nanoCpus: 1_000_000_000,
      pidsLimit: 256,
    });
  });

  it("gives the user their own network and volume, named and labelled for this instance", () => {
    expect(spec.name).toBe(`clawden-test-agent-${userId}`);
    expect(spec.network).toBe(`clawden-test-net-${userId}`);
    expect(spec.mounts).toEqual([{ volume: `clawden-test-data-${userId}`, target: "/data" }]);
    expect(spec.labels).toEqual({
      "clawden.managed": "agent",
      "clawden.instance": "test",
      "clawden.user": userId,
      "clawden.generation": "3",
      "clawden.image": "clawden/openclaw:2026.9.6-abc",
    });
  });

  it("carries no environment and no command: secrets go through stdin", () => {
    expect(spec.env).toBeUndefined();
    expect(spec.cmd).toBeUndefined();
    expect(spec.stdin).toBe(true);
  });
});
