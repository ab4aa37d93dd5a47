// Listening and stopping. Shutdown stops accepting connections, lets requests in flight finish (up to a
// bound, then cuts what is left), and only then closes pools and other resources, in order.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { ConfigError, EXIT_CONFIG } from "./config.js";
import type { Lifecycle } from "./health.js";
import type { Logger } from "./logger.js";

/** A start-up failure that explains itself in one line (a failed migration, an unreachable engine). */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

export interface Closer {
  name: string;
  close: () => Promise<void>;
}

export interface StartServerOptions {
  app: Express;
  host: string;
  port: number;
  logger: Logger;
  lifecycle: Lifecycle;
  /** How long requests in flight may take to finish once shutdown begins. */
  shutdownTimeoutMs: number;
  /** Closed after the HTTP server, in this order (e.g. WebSocket servers, then database pools). */
  closers?: Closer[];
  /** Called with the http.Server before it listens (to attach WebSocket upgrade handlers). */
  beforeListen?: (server: Server) => void;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Idempotent: every call returns the same promise. */
  shutdown: (reason?: string) => Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { app, logger, lifecycle } = options;
  const server = createServer(app);
  // Slow-loris protection: a client must send its headers within 20 s and its request within 60 s.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  options.beforeListen?.(server);
  server.listen(options.port, options.host);
  try {
    await once(server, "listening");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${options.host}:${options.port}`;
    if (code === "EADDRINUSE")
      throw new StartupError(`cannot listen on ${where}: the port is in use (set PORT)`);
    if (code === "EADDRNOTAVAIL")
      throw new StartupError(`cannot listen on ${where}: no such address here (set HOST)`);
    if (code === "EACCES") throw new StartupError(`cannot listen on ${where}: permission denied`);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}`;
  logger.info({ url }, "listening");

  let shutdownPromise: Promise<void> | undefined;
  async function runShutdown(reason: string): Promise<void> {
    const started = Date.now();
    lifecycle.shuttingDown = true;
    logger.info({ reason }, "shutting down: no new connections; waiting for requests in flight");
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections become idle as their last response ends: close them as they do.
    const idleSweeper = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.shutdownTimeoutMs);
    });
    const outcome = await Promise.race([closed.then(() => "drained" as const), timedOut]);
    clearInterval(idleSweeper);
    clearTimeout(timer);
    if (outcome === "timeout") {
      logger.warn(
        { timeoutMs: options.shutdownTimeoutMs },
        "requests still in flight at the deadline: closing them",
      );
      server.closeAllConnections();
      await closed;
    }
    // Each resource gets a bounded time too: a pool waiting on a query that never ends must not hold
    // the process forever.
    for (const closer of options.closers ?? []) {
      let closeTimer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          closer.close().then(() => "closed" as const),
          new Promise<"timeout">(
            (resolve) => (closeTimer = setTimeout(() => resolve("timeout"), options.shutdownTimeoutMs)),
          ),
        ]);
        if (result === "timeout") logger.warn({ closer: closer.name }, "gave up waiting for it to close");
      } catch (err) {
        logger.error({ err, closer: closer.name }, "error while closing");
      } finally {
        clearTimeout(closeTimer);
      }
    }
    logger.info({ ms: Date.now() - started }, "shutdown complete");
  }

  return {
    server,
    port,
    url,
    shutdown: (reason = "requested") => (shutdownPromise ??= runShutdown(reason)),
  };
}

/**
 * Runs a server's main: a configuration error prints one line and exits 78; any other start-up failure
 * is logged and exits 1. SIGTERM/SIGINT shut down gracefully and exit 0; a second signal exits at once.
 */
export function runMain(
  service: string,
  start: () => Promise<{ running: RunningServer; logger: Logger }>,
): void {
  let stopping = false;
  start().then(
    ({ running, logger }) => {
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          logger.warn({ signal }, "second signal: exiting now");
          process.exit(1);
        }
        stopping = true;
        running.shutdown(signal).then(
          () => process.exit(0),
          (err: unknown) => {
            logger.fatal({ err }, "shutdown failed");
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
      process.on("unhandledRejection", (err) => {
        logger.fatal({ err }, "unhandled promise rejection");
        process.exit(1);
      });
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        process.stderr.write(`${service}: ${err.message}\n`);
        process.exit(EXIT_CONFIG);
      }
      if (err instanceof StartupError) {
        process.stderr.write(`${service}: ${err.message}\n`);
        process.exit(1);
      }
      process.stderr.write(
        `${service}: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}

/** Formats a listening address for people: 0.0.0.0 and :: are shown as 127.0.0.1. */
export function displayUrl(running: RunningServer): string {
  return running.url.replace("0.0.0.0", "127.0.0.1").replace("[::]", "127.0.0.1");
}
