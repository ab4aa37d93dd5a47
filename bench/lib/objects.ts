// What the bench creates in Docker carries the bench run's id and process id, so a run removes exactly
// its own containers, networks and volumes, and sweeps those of bench runs whose process is gone
// (never a run still going, and never a test run's or agent-server's own objects).
import { randomBytes } from "node:crypto";
import { processAlive, removeLabelledObjects, type RemovedObjects } from "@clawden/kit/testing";

export const BENCH_RUN_LABEL = "clawden.bench-run";
export const BENCH_PID_LABEL = "clawden.bench-pid";

export function newBenchRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

export function benchLabels(runId: string): Record<string, string> {
  return { [BENCH_RUN_LABEL]: runId, [BENCH_PID_LABEL]: String(process.pid) };
}

export type Removed = RemovedObjects;

export function removedCount(r: Removed): number {
  return r.containers + r.networks + r.volumes;
}

/** Removes bench objects (containers first, then networks, then volumes) whose labels match `select`. */
export function removeBenchObjects(select: (labels: Record<string, string>) => boolean): Promise<Removed> {
  return removeLabelledObjects([BENCH_RUN_LABEL], select);
}

/** This run's objects. */
export function removeRunObjects(runId: string): Promise<Removed> {
  return removeBenchObjects((labels) => labels[BENCH_RUN_LABEL] === runId);
}

/** Objects of bench runs whose process has ended. */
export function sweepDeadRuns(): Promise<Removed> {
  return removeBenchObjects((labels) => !processAlive(Number(labels[BENCH_PID_LABEL])));
}
