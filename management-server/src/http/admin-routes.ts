// Administrators' API. Everything under /api/admin passes requireAdmin first.
import { Router } from "express";
import type { Database } from "@clawden/kit/db";
import { requireAdmin } from "./principal.js";

export interface ServiceEndpoint {
  name: string;
  url: string;
}

export interface ServiceStatus {
  name: string;
  ready: boolean;
  detail: string;
  latencyMs: number;
}

const PROBE_TIMEOUT_MS = 2000;

async function probe(service: ServiceEndpoint): Promise<ServiceStatus> {
  const started = Date.now();
  try {
    const res = await fetch(new URL("/readyz", service.url), {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => ({}))) as { status?: unknown };
    const detail = typeof body.status === "string" ? body.status : `HTTP ${res.status}`;
    return { name: service.name, ready: res.ok, detail, latencyMs: Date.now() - started };
  } catch (error) {
    const detail = error instanceof Error && error.name === "TimeoutError" ? "no answer" : "unreachable";
    return { name: service.name, ready: false, detail, latencyMs: Date.now() - started };
  }
}

export function adminRoutes(db: Database, services: ServiceEndpoint[]): Router {
  const router = Router();
  router.use("/api/admin", requireAdmin);

  /** Readiness of every server of the platform, as this server sees it. */
  router.get("/api/admin/system", async (_req, res) => {
    const started = Date.now();
    const self: ServiceStatus = await db.ping().then(
      () => ({ name: "management-server", ready: true, detail: "ready", latencyMs: Date.now() - started }),
      () => ({
        name: "management-server",
        ready: false,
        detail: "database unreachable",
        latencyMs: Date.now() - started,
      }),
    );
    const others = await Promise.all(services.map(probe));
    res.json({ services: [self, ...others] });
  });

  return router;
}
