// Unit tests of the error mapping: errors shaped as docker-modem and node:net raise them become
// EngineErrors with a code and Docker's own reason; removal's "already gone" rule.
import { describe, expect, it } from "vitest";
import { dockerReason, EngineError, isAlreadyRemoved, toEngineError } from "./docker-errors.js";

const SOCKET = "/var/run/docker.sock";

function modemError(statusCode: number, message: string, json: unknown = { message }): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json });
}

describe("toEngineError", () => {
  it("maps HTTP statuses to codes and keeps Docker's message", () => {
    const notFound = toEngineError(
      "inspect container abc",
      modemError(404, "No such container: abc"),
      SOCKET,
    );
    expect(notFound).toBeInstanceOf(EngineError);
    expect(notFound.code).toBe("not_found");
    expect(notFound.status).toBe(404);
    expect(notFound.message).toBe("docker inspect container abc: No such container: abc");
    expect(toEngineError("x", modemError(409, "name in use"), SOCKET).code).toBe("conflict");
    expect(toEngineError("x", modemError(400, "bad"), SOCKET).code).toBe("invalid");
    expect(toEngineError("x", modemError(500, "boom"), SOCKET).code).toBe("engine");
  });

  it("reads the reason from the message when the body was not JSON", () => {
    const error = modemError(500, "ignored", null);
    error.message = "(HTTP code 500) server error - driver failed ";
    expect(dockerReason(error)).toBe("driver failed");
  });

  it("names socket problems as unavailable, with the socket path", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const mapped = toEngineError("ping", refused, SOCKET);
    expect(mapped.code).toBe("unavailable");
    expect(mapped.message).toContain(SOCKET);
    const missing = Object.assign(new Error("connect ENOENT"), { code: "ENOENT" });
    expect(toEngineError("ping", missing, SOCKET).reason).toMatch(/no Docker socket/);
  });

  it("maps aborted calls to timeout and passes EngineErrors through", () => {
    const aborted = Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
    expect(toEngineError("ping", aborted, SOCKET).code).toBe("timeout");
    const original = new EngineError("conflict", "op", "why", 409);
    expect(toEngineError("other", original, SOCKET)).toBe(original);
  });
});

describe("isAlreadyRemoved", () => {
  it("is true for 404 and for a removal already in progress, false for other conflicts", () => {
    expect(isAlreadyRemoved(new EngineError("not_found", "op", "No such container: x", 404))).toBe(true);
    const inProgress = "removal of container 3f2a is already in progress";
    expect(isAlreadyRemoved(new EngineError("conflict", "op", inProgress, 409))).toBe(true);
    const running =
      "You cannot remove a running container 3f2a. Stop the container before attempting removal";
    expect(isAlreadyRemoved(new EngineError("conflict", "op", running, 409))).toBe(false);
    expect(isAlreadyRemoved(new EngineError("engine", "op", "boom", 500))).toBe(false);
  });
});
