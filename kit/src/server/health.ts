// Liveness and readiness. /healthz says the process serves requests. /readyz says its dependencies
// answer (each check bounded by a timeout) and turns 503 as soon as shutdown begins, so a balancer
// drains this instance before it stops.
import { Router } from "express";

export type ReadinessCheck = () => Promise<void>;

export interface Lifecycle {
  shuttingDown: boolean;
}

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return "ok";
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(lifecycle: Lifecycle, checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    if (lifecycle.shuttingDown) {
      res.status(503).json({ status: "shutting_down", checks: {} });
      return;
    }
    const names = Object.keys(checks);
    const outcomes = await Promise.all(names.map((name) => runCheck(checks[name]!)));
    const results = Object.fromEntries(names.map((name, i) => [name, outcomes[i]]));
    const ready = outcomes.every((o) => o === "ok");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not_ready", checks: results });
  });
  return router;
}
