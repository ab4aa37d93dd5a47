import { describe, expect, it } from "vitest";
import { AGENT_STATES, assertTransition, canTransition, IllegalTransition } from "./agent-state.js";

describe("agent state machine", () => {
  it("follows the normal life of an agent", () => {
    const path = ["creating", "starting", "running", "stopping", "stopped", "starting", "running"] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it("allows deleting from every state and recreating a deleted agent", () => {
    for (const state of AGENT_STATES) expect(canTransition(state, "deleted")).toBe(true);
    expect(canTransition("deleted", "creating")).toBe(true);
  });

  it("refuses what makes no sense", () => {
    expect(canTransition("deleted", "running")).toBe(false);
    expect(canTransition("deleted", "stopping")).toBe(false);
    expect(canTransition("stopped", "running")).toBe(false);
    expect(canTransition("creating", "running")).toBe(false);
    expect(() => assertTransition("stopped", "running")).toThrow(IllegalTransition);
    expect(() => assertTransition("stopped", "running")).toThrow(
      "an agent cannot go from stopped to running",
    );
  });

  it("treats staying in a state as allowed", () => {
    for (const state of AGENT_STATES) expect(canTransition(state, state)).toBe(true);
  });
});
