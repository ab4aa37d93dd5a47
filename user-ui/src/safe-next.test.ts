// safeNextPath: only same-origin paths survive.
import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next.js";

const origin = "https://clawden.example";

describe("safeNextPath", () => {
  it("keeps same-origin paths", () => {
    expect(safeNextPath("/admin/", origin)).toBe("/admin/");
    expect(safeNextPath("/login?x=1#y", origin)).toBe("/login?x=1#y");
  });

  it("falls back for anything that could leave the origin", () => {
    for (const next of [
      null,
      undefined,
      "",
      "admin",
      "//evil.example",
      "///evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
    ]) {
      expect(safeNextPath(next, origin)).toBe("/");
    }
  });

  it("uses the given fallback", () => {
    expect(safeNextPath("//evil.example", origin, "/admin/")).toBe("/admin/");
  });
});
