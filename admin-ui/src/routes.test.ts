// admin-ui's pages by path.
import { describe, expect, it } from "vitest";
import { routeFor } from "./routes.js";

describe("routeFor", () => {
  it("knows every page", () => {
    expect(routeFor("/")).toEqual({ page: "system" });
    expect(routeFor("/users")).toEqual({ page: "users" });
    expect(routeFor("/audit")).toEqual({ page: "audit" });
    expect(routeFor("/settings")).toEqual({ page: "settings" });
    expect(routeFor("/users/3f1c0c1e-0000-4000-8000-000000000001")).toEqual({
      page: "user",
      id: "3f1c0c1e-0000-4000-8000-000000000001",
    });
  });

  it("decodes the user id, and sends anything else to not-found", () => {
    expect(routeFor("/users/a%20b")).toEqual({ page: "user", id: "a b" });
    for (const path of ["/users/%E0%A4%A", "/users/a/b", "/nope", "/users/", "/settings/x"]) {
      expect(routeFor(path)).toEqual({ page: "not-found" });
    }
  });
});
