import { describe, expect, it } from "vitest";
import { gatewayKilledForMemory } from "./agent-service.js";

describe("gatewayKilledForMemory", () => {
  it("is true only when the container was marked OOMKilled and its gateway died of SIGKILL", () => {
    expect(gatewayKilledForMemory({ oomKilled: true, exitCode: 137 })).toBe(true);
    // An earlier OOM kill of another process (Docker keeps the mark until the container exits).
    expect(gatewayKilledForMemory({ oomKilled: true, exitCode: 0 })).toBe(false);
    expect(gatewayKilledForMemory({ oomKilled: true, exitCode: 1 })).toBe(false);
    // Killed, but not for memory.
    expect(gatewayKilledForMemory({ oomKilled: false, exitCode: 137 })).toBe(false);
  });
});
