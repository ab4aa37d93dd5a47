// What the bench creates in Docker carries the bench run's id and process id, so a run removes exactly
// its own containers, networks and volumes, and sweeps those of bench runs whose process is gone
// (never a run still going, and never a test run's or agent-server's own objects).
import { randomBytes } from "node:crypto";
import { dockerApi, processAlive } from "@clawden/kit/testing";

export const BENCH_RUN_LABEL = "clawden.bench-run";
export const BENCH_PID_LABEL = "clawden.bench-pid";

export function newBenchRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

export function benchLabels(runId: string): Record<string, string> {
  return { [BENCH_RUN_LABEL]: runId, [BENCH_PID_LABEL]: String(process.pid) };
}

interface Labelled {
  Id?: string;
  Name?: string;
  Labels?: Record<string, string> | null;
}

export interface Removed {
  containers: number;
  networks: number;
  volumes: number;
  /** Objects the engine refused to remove, with why. */
  failed: string[];
}

export function removedCount(r: Removed): number {
  return r.containers + r.networks + r.volumes;
}

function filter(label: string): string {
  return encodeURIComponent(JSON.stringify({ label: [label] }));
}

/** Removes bench objects (containers first, then networks, then volumes) whose labels match `select`. */
export async function removeBenchObjects(
  select: (labels: Record<string, string>) => boolean,
): Promise<Removed> {
  const removed: Removed = { containers: 0, networks: 0, volumes: 0, failed: [] };
  const gone = (status: number) => status < 300 || status === 404;
  const containers = await dockerApi<Labelled[]>(
    "GET",
    `/containers/json?all=1&filters=${filter(BENCH_RUN_LABEL)}`,
  );
  for (const c of containers.body ?? []) {
    if (!c.Id || !select(c.Labels ?? {})) continue;
    const { status, body } = await dockerApi("DELETE", `/containers/${c.Id}?force=1&v=1`);
    if (gone(status)) removed.containers++;
    else removed.failed.push(`container ${c.Id.slice(0, 12)}: ${status} ${JSON.stringify(body)}`);
  }
  const networks = await dockerApi<Labelled[]>("GET", `/networks?filters=${filter(BENCH_RUN_LABEL)}`);
  for (const n of networks.body ?? []) {
    if (!n.Id || !select(n.Labels ?? {})) continue;
    const { status, body } = await dockerApi("DELETE", `/networks/${n.Id}`);
    if (gone(status)) removed.networks++;
    else removed.failed.push(`network ${n.Name ?? n.Id}: ${status} ${JSON.stringify(body)}`);
  }
  const volumes = await dockerApi<{ Volumes: Labelled[] | null }>(
    "GET",
    `/volumes?filters=${filter(BENCH_RUN_LABEL)}`,
  );
  for (const v of volumes.body?.Volumes ?? []) {
    if (!v.Name || !select(v.Labels ?? {})) continue;
    const { status, body } = await dockerApi("DELETE", `/volumes/${encodeURIComponent(v.Name)}?force=1`);
    if (gone(status)) removed.volumes++;
    else removed.failed.push(`volume ${v.Name}: ${status} ${JSON.stringify(body)}`);
  }
  return removed;
}

/** This run's objects. */
export function removeRunObjects(runId: string): Promise<Removed> {
  return removeBenchObjects((labels) => labels[BENCH_RUN_LABEL] === runId);
}

/** Objects of bench runs whose process has ended. */
export function sweepDeadRuns(): Promise<Removed> {
  return removeBenchObjects((labels) => !processAlive(Number(labels[BENCH_PID_LABEL])));
}
