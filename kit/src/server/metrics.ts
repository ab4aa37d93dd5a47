// Prometheus metrics: one registry per app (so tests can build several apps in one process), Node's
// default process metrics, and a request duration histogram labelled by route pattern, never by raw
// path, so the number of series stays bounded.
import type { Request, RequestHandler, Response } from "express";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: "clawden_" });
  const httpDuration = new Histogram({
    name: "clawden_http_request_duration_seconds",
    help: "Time from request to response, by method, route pattern and status code.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpDuration };
}

function routeLabel(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === "string") return `${req.baseUrl}${route.path}`;
  return "unmatched";
}

export function metricsMiddleware(metrics: Metrics): RequestHandler {
  return function recordRequestDuration(req: Request, res: Response, next) {
    const stop = metrics.httpDuration.startTimer();
    res.on("finish", () => {
      stop({ method: req.method, route: routeLabel(req), status: String(res.statusCode) });
    });
    next();
  };
}
