import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path.js";

describe("safeNextPath", () => {
  it("keeps same-origin paths", () => {
    expect(safeNextPath("/admin/")).toBe("/admin/");
    expect(safeNextPath("/account/security?tab=keys#x")).toBe("/account/security?tab=keys#x");
  });

  it("refuses anything that could leave the origin", () => {
    for (const bad of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "evil",
      "/a\nb",
      "/" + "x".repeat(600),
    ])
      expect(safeNextPath(bad)).toBe("/");
    expect(safeNextPath(null, "/admin/")).toBe("/admin/");
  });
});
