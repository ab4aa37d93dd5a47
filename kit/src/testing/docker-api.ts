// A few raw Docker Engine API calls over the unix socket, for test set-up and clean-up only (the
// product's own Docker code lives in agent-server's adapter).
import { request } from "node:http";

export function dockerSocketPath(): string {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith("unix://")) return host.slice("unix://".length);
  return "/var/run/docker.sock";
}

export async function dockerApi<T = unknown>(
  method: string,
  path: string,
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: dockerSocketPath(), method, path, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // plain-text answers (e.g. /_ping) stay text
        }
        resolve({ status: res.statusCode ?? 0, body: body as T });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`docker ${method} ${path}: no answer within 30 s`)));
    req.on("error", reject);
    req.end();
  });
}

export async function dockerAnswers(): Promise<boolean> {
  try {
    return (await dockerApi("GET", "/_ping")).status === 200;
  } catch {
    return false;
  }
}

interface Labelled {
  Id?: string;
  Name?: string;
  Labels?: Record<string, string> | null;
}

export interface RemovedObjects {
  containers: number;
  networks: number;
  volumes: number;
  /** Objects the engine refused to remove, with why. */
  failed: string[];
}

/**
 * Removes the containers, then networks, then volumes that carry every label of `selector` (`key` or
 * `key=value`) and whose labels pass `select`. Gone already (404) counts as removed.
 */
export async function removeLabelledObjects(
  selector: string[],
  select: (labels: Record<string, string>) => boolean = () => true,
): Promise<RemovedObjects> {
  const filter = encodeURIComponent(JSON.stringify({ label: selector }));
  const removed: RemovedObjects = { containers: 0, networks: 0, volumes: 0, failed: [] };
  const remove = async (kind: "containers" | "networks" | "volumes", path: string, name: string) => {
    const { status, body } = await dockerApi("DELETE", path);
    if (status < 300 || status === 404) removed[kind]++;
    else removed.failed.push(`${kind.slice(0, -1)} ${name}: ${status} ${JSON.stringify(body)}`);
  };
  const containers = await dockerApi<Labelled[]>("GET", `/containers/json?all=1&filters=${filter}`);
  for (const c of containers.body ?? []) {
    if (c.Id && select(c.Labels ?? {}))
      await remove("containers", `/containers/${c.Id}?force=1&v=1`, c.Id.slice(0, 12));
  }
  const networks = await dockerApi<Labelled[]>("GET", `/networks?filters=${filter}`);
  for (const n of networks.body ?? []) {
    if (n.Id && select(n.Labels ?? {})) await remove("networks", `/networks/${n.Id}`, n.Name ?? n.Id);
  }
  const volumes = await dockerApi<{ Volumes: Labelled[] | null }>("GET", `/volumes?filters=${filter}`);
  for (const v of volumes.body?.Volumes ?? []) {
    if (v.Name && select(v.Labels ?? {})) {
      await remove("volumes", `/volumes/${encodeURIComponent(v.Name)}?force=1`, v.Name);
    }
  }
  return removed;
}

/** Removes test containers, networks and volumes whose owner matches `isStale(labels)`. */
export function removeTestObjects(
  isStale: (labels: Record<string, string>) => boolean,
): Promise<RemovedObjects> {
  return removeLabelledObjects(["clawden.test-run"], isStale);
}
