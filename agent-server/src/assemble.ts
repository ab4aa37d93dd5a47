// Puts agent-server together from its configuration: database and schema, Docker engine, image,
// admission, the agent service, reconciler, event watcher and health monitor, and the app. main.ts
// listens and starts the background work; tests use the same assembly in process.
import { connectDatabase, type Database } from "@clawden/kit/db";
import { keyRing, parseKeyList } from "@clawden/kit/crypto";
import type { Closer, ServiceBasics } from "@clawden/kit/server";
import type { Express } from "express";
import type { ContainerEngine } from "./adapters/container-engine.js";
import { DockerEngine } from "./adapters/docker.js";
import { createAgentApp } from "./app.js";
import type { Config } from "./config.js";
import { migrateAgentSchema } from "./db/schema.js";
import { ensureOpenClawImage } from "./image/build.js";
import { Admission } from "./lifecycle/admission.js";
import { AgentService } from "./lifecycle/agent-service.js";
import { EngineWatcher } from "./lifecycle/engine-watcher.js";
import { EventBus } from "./lifecycle/event-bus.js";
import { HealthMonitor } from "./lifecycle/health-monitor.js";
import { ImageSource } from "./lifecycle/image-source.js";
import { createAgentMetrics } from "./lifecycle/metrics.js";
import { Reconciler } from "./lifecycle/reconciler.js";
import { buildOpenClawConfig, startPayload } from "./runtime/openclaw-config.js";

export interface AgentServer {
  app: Express;
  db: Database;
  engine: ContainerEngine;
  service: AgentService;
  reconciler: Reconciler;
  health: HealthMonitor;
  images: ImageSource;
  bus: EventBus;
  /** Resolves the image, reconciles, then follows engine events and runs the periodic work. */
  begin(): Promise<void>;
  /** In order, after the HTTP server has stopped. */
  closers: Closer[];
}

export async function assembleAgentServer(config: Config, basics: ServiceBasics): Promise<AgentServer> {
  const { logger } = basics;
  const engine = new DockerEngine({ socketPath: config.DOCKER_SOCKET, requestTimeoutMs: 30_000 });
  try {
    const version = await engine.version();
    logger.info({ socket: config.DOCKER_SOCKET, engine: version }, "docker engine answers");
  } catch (err) {
    logger.warn(
      { socket: config.DOCKER_SOCKET, reason: err instanceof Error ? err.message : String(err) },
      "docker engine does not answer: starting anyway; /readyz reports not ready until it does",
    );
  }
  const db = await connectDatabase(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  try {
    await migrateAgentSchema(db, logger);
  } catch (error) {
    await db.close();
    throw error;
  }
  const images = new ImageSource(async () => {
    if (config.AGENT_IMAGE) {
      if (!(await engine.imageExists(config.AGENT_IMAGE)))
        throw new Error(`AGENT_IMAGE ${config.AGENT_IMAGE} does not exist`);
      return config.AGENT_IMAGE;
    }
    const result = await ensureOpenClawImage({
      engine,
      onProgress: (line) => logger.info({ image: line }, "image build"),
    });
    return result.tag;
  }, logger);
  const openclawConfig = buildOpenClawConfig({
    upstream: { baseUrl: config.UPSTREAM_BASE_URL, model: config.UPSTREAM_MODEL },
  });
  const bus = new EventBus();
  const metrics = createAgentMetrics(basics.metrics.registry, db);
  const admission = new Admission({
    maxConcurrent: config.MAX_CONCURRENT_STARTS,
    maxQueued: config.START_QUEUE_MAX,
    memoryBudgetBytes: config.MEMORY_BUDGET_BYTES,
    typicalStartSeconds: 15,
  });
  const defaults = {
    memoryBytes: config.DEFAULT_MEMORY_BYTES,
    nanoCpus: config.DEFAULT_NANO_CPUS,
    pidsLimit: config.DEFAULT_PIDS_LIMIT,
  };
  const service = new AgentService({
    db,
    engine,
    keys: keyRing(parseKeyList(config.AGENT_SECRET_KEYS)),
    instance: config.INSTANCE_ID,
    extraLabels: config.DOCKER_LABELS,
    image: () => images.current(),
    payload: (gatewayToken) =>
      startPayload(openclawConfig, { gatewayToken, llmApiKey: config.UPSTREAM_API_KEY }),
    defaults,
    bounds: {
      min: { memoryBytes: 768 * 1024 * 1024, nanoCpus: 250_000_000, pidsLimit: 64 },
      max: {
        memoryBytes: config.MAX_MEMORY_BYTES,
        nanoCpus: config.MAX_NANO_CPUS,
        pidsLimit: config.MAX_PIDS_LIMIT,
      },
    },
    admission,
    backoff: { baseMs: config.RESTART_BACKOFF_BASE_MS, maxMs: 5 * 60_000, maxFailures: config.MAX_RESTARTS },
    startTimeoutMs: config.START_TIMEOUT_MS,
    bus,
    metrics,
    logger,
  });
  const reconciler = new Reconciler({ db, engine, service, instance: config.INSTANCE_ID, metrics, logger });
  const watcher = new EngineWatcher({ engine, instance: config.INSTANCE_ID, service, reconciler, logger });
  const health = new HealthMonitor({ db, engine, service, instance: config.INSTANCE_ID, logger });
  let imageRetry: NodeJS.Timeout | undefined;
  const app = createAgentApp({
    basics,
    config,
    db,
    service,
    bus,
    readiness: { database: () => db.ping(), docker: () => engine.ping(), image: () => images.check() },
  });
  return {
    app,
    db,
    engine,
    service,
    reconciler,
    health,
    images,
    bus,
    async begin() {
      // Nothing here may stop the periodic work from starting: an engine that is down now is retried.
      const imageReady = () =>
        images.resolve().then(
          () => true,
          () => false,
        );
      if (!(await imageReady())) {
        imageRetry = setInterval(() => {
          void imageReady().then((ok) => ok && clearInterval(imageRetry));
        }, 30_000);
        imageRetry.unref();
      }
      await watcher.start();
      await reconciler
        .reconcile("start")
        .catch((err: unknown) => logger.error({ err }, "reconciliation at start failed"));
      reconciler.startPeriodic(config.RECONCILE_INTERVAL_MS);
      health.start(config.HEALTH_INTERVAL_MS);
    },
    closers: [
      { name: "event streams", close: async () => bus.close() },
      { name: "image retry", close: async () => clearInterval(imageRetry) },
      { name: "engine events", close: async () => watcher.stop() },
      { name: "reconciler", close: () => reconciler.stop() },
      { name: "health monitor", close: () => health.stop() },
      { name: "agent service", close: async () => service.close() },
      { name: "database pool", close: () => db.close() },
    ],
  };
}
