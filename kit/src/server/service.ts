// The common start of a server: logger, metrics, app and listener from one description, so each
// server's main.ts is only what is particular to it.
import type { Express } from "express";
import { createHttpApp, type HttpAppOptions } from "./app.js";
import type { Lifecycle, ReadinessCheck } from "./health.js";
import { startServer, type Closer, type RunningServer, type StartServerOptions } from "./lifecycle.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";

export interface ServiceBasics {
  logger: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
}

export function createServiceBasics(name: string, logLevel: string): ServiceBasics {
  return {
    logger: createLogger({ name, level: logLevel }),
    metrics: createMetrics(name),
    lifecycle: { shuttingDown: false },
  };
}

export interface ListenConfig {
  HOST: string;
  PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
  METRICS_TOKEN?: string | undefined;
}

interface ServeCommon {
  basics: ServiceBasics;
  config: ListenConfig;
  closers?: Closer[];
  beforeListen?: StartServerOptions["beforeListen"];
}

export interface ServiceAppOptions {
  readiness: Record<string, ReadinessCheck>;
  mount: (app: Express) => void;
  app?: Partial<Pick<HttpAppOptions, "jsonLimit" | "trustProxy" | "helmet">>;
}

/** Either an app built with createServiceApp() (when the server builds it in its own createApp), or the parts. */
export type ServeOptions = ServeCommon & ({ app: Express } | ServiceAppOptions);

/** The kit's app with this service's logger, metrics and lifecycle, and its feature routes mounted. */
export function createServiceApp(
  basics: ServiceBasics,
  config: ListenConfig,
  options: ServiceAppOptions,
): Express {
  return createHttpApp(
    { ...basics, ...options.app, readiness: options.readiness, metricsToken: config.METRICS_TOKEN },
    options.mount,
  );
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { basics, config } = options;
  const app = "mount" in options ? createServiceApp(basics, config, options) : options.app;
  return startServer({
    app,
    host: config.HOST,
    port: config.PORT,
    logger: basics.logger,
    lifecycle: basics.lifecycle,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closers: options.closers ?? [],
    ...(options.beforeListen ? { beforeListen: options.beforeListen } : {}),
  });
}
