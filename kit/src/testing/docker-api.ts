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

function labelFilter(label: string): string {
  return encodeURIComponent(JSON.stringify({ label: [label] }));
}

interface Labelled {
  Id?: string;
  Name?: string;
  Labels?: Record<string, string> | null;
}

/** Removes test containers, networks and volumes whose owner matches `isStale(labels)`. */
export async function removeTestObjects(
  isStale: (labels: Record<string, string>) => boolean,
): Promise<number> {
  let removed = 0;
  const containers = await dockerApi<Labelled[]>(
    "GET",
    `/containers/json?all=1&filters=${labelFilter("clawden.test-run")}`,
  );
  for (const c of containers.body ?? []) {
    if (c.Id && isStale(c.Labels ?? {})) {
      await dockerApi("DELETE", `/containers/${c.Id}?force=1&v=1`);
      removed++;
    }
  }
  const networks = await dockerApi<Labelled[]>("GET", `/networks?filters=${labelFilter("clawden.test-run")}`);
  for (const n of networks.body ?? []) {
    if (n.Id && isStale(n.Labels ?? {})) {
      await dockerApi("DELETE", `/networks/${n.Id}`);
      removed++;
    }
  }
  const volumes = await dockerApi<{ Volumes: Labelled[] | null }>(
    "GET",
    `/volumes?filters=${labelFilter("clawden.test-run")}`,
  );
  for (const v of volumes.body?.Volumes ?? []) {
    if (v.Name && isStale(v.Labels ?? {})) {
      await dockerApi("DELETE", `/volumes/${encodeURIComponent(v.Name)}?force=1`);
      removed++;
    }
  }
  return removed;
}
