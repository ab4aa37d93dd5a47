// The common app frame through real HTTP on loopback: error shapes, body rules, request ids, health,
// readiness and metrics.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpApp } from "./app.js";
import { HttpError } from "./errors.js";
import { startServer, type RunningServer } from "./lifecycle.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { parseInput } from "./validate.js";

const logLines: Record<string, unknown>[] = [];
const logger = createLogger({
  name: "app-test",
  destination: new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  }),
});
const lifecycle = { shuttingDown: false };
let databaseUp = true;
let running: RunningServer;

beforeAll(async () => {
  const app = createHttpApp(
    {
      logger,
      metrics: createMetrics("app-test"),
      lifecycle,
      readiness: {
        database: async () => {
          if (!databaseUp) throw new Error("connection refused");
        },
      },
      jsonLimit: "1kb",
      metricsToken: "metrics-token-0123456789",
    },
    (a) => {
      a.post("/echo", (req, res) => {
        const body = parseInput(z.object({ name: z.string().min(1) }).strict(), req.body);
        res.json(body);
      });
      a.get("/teapot", () => {
        throw new HttpError(418, "teapot", "I am a teapot.", { retryAfter: 7, details: { spout: "short" } });
      });
      a.get("/crash", () => {
        throw new Error("database password is hunter2");
      });
    },
  );
  running = await startServer({
    app,
    host: "127.0.0.1",
    port: 0,
    logger,
    lifecycle,
    shutdownTimeoutMs: 1000,
  });
});

afterAll(() => running.shutdown());

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${running.url}${path}`, init);
  const text = await res.text();
  const isJson = res.headers.get("content-type")?.startsWith("application/json") ?? false;
  return { res, status: res.status, body: isJson ? (JSON.parse(text) as Record<string, any>) : null, text };
}

const json = (body: string) => ({ method: "POST", headers: { "content-type": "application/json" }, body });

describe("createHttpApp", () => {
  it("validates bodies and names the bad field", async () => {
    expect((await call("/echo", json('{"name":"ada"}'))).body).toEqual({ name: "ada" });
    const bad = await call("/echo", json('{"name":""}'));
    expect(bad.status).toBe(400);
    expect(bad.body!.error.code).toBe("invalid_request");
    expect(bad.body!.error.details.problems[0].path).toBe("name");
    const extra = await call("/echo", json('{"name":"a","__proto__":{"admin":true}}'));
    expect(extra.status).toBe(400);
  });

  it("answers malformed JSON with 400, oversized bodies with 413 and other media types with 415", async () => {
    expect((await call("/echo", json("{nope"))).body!.error.code).toBe("invalid_json");
    const big = await call("/echo", json(JSON.stringify({ name: "x".repeat(5000) })));
    expect(big.status).toBe(413);
    expect(big.body!.error.code).toBe("payload_too_large");
    const form = await call("/echo", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=ada",
    });
    expect(form.status).toBe(415);
  });

  it("carries code, details, Retry-After and the request id in errors", async () => {
    const r = await call("/teapot", { headers: { "x-request-id": "trace-0123456789" } });
    expect(r.status).toBe(418);
    expect(r.res.headers.get("retry-after")).toBe("7");
    expect(r.res.headers.get("x-request-id")).toBe("trace-0123456789");
    expect(r.body).toEqual({
      error: {
        code: "teapot",
        message: "I am a teapot.",
        requestId: "trace-0123456789",
        details: { spout: "short" },
      },
    });
  });

  it("replaces an unacceptable incoming request id with a fresh one", async () => {
    const r = await call("/teapot", { headers: { "x-request-id": "bad id with spaces" } });
    expect(r.res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("hides unexpected errors from the caller but logs them with the request id", async () => {
    const r = await call("/crash");
    expect(r.status).toBe(500);
    expect(r.body!.error.code).toBe("internal");
    expect(r.text).not.toContain("hunter2");
    const logged = logLines.find((l) => l.requestId === r.body!.error.requestId && l.level === "error");
    expect(logged).toBeDefined();
  });

  it("answers unknown routes with a JSON 404", async () => {
    const r = await call("/nowhere");
    expect(r.status).toBe(404);
    expect(r.body!.error.code).toBe("not_found");
  });

  it("reports liveness, readiness by dependency, and not-ready during shutdown", async () => {
    expect((await call("/healthz")).body).toEqual({ status: "ok" });
    expect((await call("/readyz")).body).toEqual({ status: "ready", checks: { database: "ok" } });
    databaseUp = false;
    const down = await call("/readyz");
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: "not_ready", checks: { database: "failed: connection refused" } });
    databaseUp = true;
    lifecycle.shuttingDown = true;
    const draining = await call("/readyz");
    expect(draining.status).toBe(503);
    expect(draining.res.headers.get("connection")).toBe("close");
    lifecycle.shuttingDown = false;
  });

  it("serves Prometheus metrics only with the metrics token, labelled by route pattern", async () => {
    expect((await call("/metrics")).status).toBe(401);
    expect((await call("/metrics", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const r = await call("/metrics", { headers: { authorization: "Bearer metrics-token-0123456789" } });
    expect(r.status).toBe(200);
    expect(r.text).toContain('route="/teapot",status="418"');
    expect(r.text).toContain('route="unmatched",status="404"');
    expect(r.text).toContain("clawden_process_cpu_seconds_total");
  });

  it("sends security headers", async () => {
    const r = await call("/healthz");
    expect(r.res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.res.headers.get("x-powered-by")).toBeNull();
  });
});
