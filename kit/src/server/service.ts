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

export interface ServeOptions {
  basics: ServiceBasics;
  config: ListenConfig;
  readiness: Record<string, ReadinessCheck>;
  mount: (app: Express) => void;
  closers?: Closer[];
  app?: Partial<Pick<HttpAppOptions, "jsonLimit" | "trustProxy" | "helmet">>;
  beforeListen?: StartServerOptions["beforeListen"];
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { basics, config } = options;
  const app = createHttpApp(
    {
      ...basics,
      ...options.app,
      readiness: options.readiness,
      metricsToken: config.METRICS_TOKEN,
    },
    options.mount,
  );
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
