// Graceful shutdown against a real listening server on loopback: requests in flight finish, new
// connections are refused, resources close after the server in order, and a request that outlives
// the deadline is cut so shutdown stays bounded.
import { request } from "node:http";
import { Writable } from "node:stream";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { startServer, type RunningServer } from "./lifecycle.js";

const silent = createLogger({ name: "test", level: "silent" });

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function slowApp(onRequest: () => void, holdMs: () => Promise<void>) {
  const app = express();
  app.get("/slow", async (_req, res) => {
    onRequest();
    await holdMs();
    res.send("finished");
  });
  return app;
}

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.shutdown("test end");
  running = undefined;
});

describe("startServer / shutdown", () => {
  it("lets a request in flight finish, refuses new connections, then runs closers in order", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const requestStarted = new Promise<void>((r) => (started = r));
    const closed: string[] = [];
    const lifecycle = { shuttingDown: false };
    running = await startServer({
      app: slowApp(started, () => held),
      host: "127.0.0.1",
      port: 0,
      logger: silent,
      lifecycle,
      shutdownTimeoutMs: 5000,
      closers: [
        { name: "first", close: async () => void closed.push("first") },
        { name: "second", close: async () => void closed.push("second") },
      ],
    });
    const inFlight = get(`${running.url}/slow`);
    await requestStarted;
    const shutdown = running.shutdown("test");
    expect(lifecycle.shuttingDown).toBe(true);
    await expect(get(`${running.url}/slow`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(closed).toEqual([]);
    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: "finished" });
    await shutdown;
    expect(closed).toEqual(["first", "second"]);
  });

  it("cuts requests still running at the deadline", async () => {
    let started!: () => void;
    const requestStarted = new Promise<void>((r) => (started = r));
    running = await startServer({
      app: slowApp(started, () => new Promise(() => undefined)),
      host: "127.0.0.1",
      port: 0,
      logger: silent,
      lifecycle: { shuttingDown: false },
      shutdownTimeoutMs: 200,
    });
    const inFlight = get(`${running.url}/slow`);
    await requestStarted;
    const began = Date.now();
    await running.shutdown("test");
    expect(Date.now() - began).toBeLessThan(2000);
    await expect(inFlight).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("is idempotent and logs that it is listening", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      name: "test",
      destination: new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(chunk.toString());
          cb();
        },
      }),
    });
    running = await startServer({
      app: express(),
      host: "127.0.0.1",
      port: 0,
      logger,
      lifecycle: { shuttingDown: false },
      shutdownTimeoutMs: 1000,
    });
    const listening = lines
      .map((l) => JSON.parse(l) as { msg: string; url?: string })
      .find((l) => l.msg === "listening");
    expect(listening?.url).toBe(running.url);
    const a = running.shutdown("one");
    const b = running.shutdown("two");
    expect(a).toBe(b);
    await a;
  });
});

describe("startServer errors", () => {
  it("says in one line that the port is in use", async () => {
    const first = await startServer({
      app: express(),
      host: "127.0.0.1",
      port: 0,
      logger: silent,
      lifecycle: { shuttingDown: false },
      shutdownTimeoutMs: 1000,
    });
    try {
      await expect(
        startServer({
          app: express(),
          host: "127.0.0.1",
          port: first.port,
          logger: silent,
          lifecycle: { shuttingDown: false },
          shutdownTimeoutMs: 1000,
        }),
      ).rejects.toThrow(`cannot listen on 127.0.0.1:${first.port}: the port is in use (set PORT)`);
    } finally {
      await first.shutdown();
    }
  });
});
