// The Docker adapter: ContainerEngine (container-engine.ts) implemented over the engine's unix socket
// with dockerode. Only what the container lifecycle uses: images come in by import of a root
// filesystem tar (there is no registry), containers are created and started from a spec, waited for,
// read, inspected, stopped and removed. Every failure is an EngineError, except an import whose tar
// stream itself failed, which throws that stream's error.
import type { Readable } from "node:stream";
import Docker from "dockerode";
import { EngineError, isAlreadyRemoved, toEngineError } from "./docker-errors.js";
import { demultiplexLogs, LogFormatError, type ContainerLogs } from "./docker-logs.js";
import type {
  ContainerDetails,
  ContainerEngine,
  ContainerSpec,
  ContainerSummary,
  EngineVersion,
  ImportedImage,
  ImportImageOptions,
} from "./container-engine.js";

export * from "./container-engine.js";

export interface DockerEngineOptions {
  socketPath: string;
  /** Bound on short calls (ping, inspect, create, remove, ...). Default 30 s. */
  requestTimeoutMs?: number;
}

// Names, ids and references go into request paths unescaped by dockerode, so they are checked here.
const CONTAINER_REF = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_REF = /^[a-z0-9][a-z0-9._/:@-]{0,254}$/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

function checked(value: string, pattern: RegExp, what: string, operation: string): string {
  if (!pattern.test(value)) {
    throw new EngineError("invalid", operation, `${JSON.stringify(value)} is not a valid ${what}`);
  }
  return value;
}

function labelInstruction(key: string, value: string, operation: string): string {
  checked(key, LABEL_KEY, "label key", operation);
  if (/[\r\n]/.test(value)) {
    throw new EngineError("invalid", operation, `label ${key} has a line break in its value`);
  }
  return `LABEL ${JSON.stringify(key)}=${JSON.stringify(value)}`;
}

/** The body of POST /containers/create for a spec. */
export function createBody(spec: ContainerSpec, operation = "create container"): Record<string, unknown> {
  const env = Object.entries(spec.env ?? {}).map(([key, value]) => {
    checked(key, ENV_NAME, "environment variable name", operation);
    return `${key}=${value}`;
  });
  return {
    Image: checked(spec.image, IMAGE_REF, "image reference", operation),
    Cmd: spec.cmd,
    Env: env,
    Labels: spec.labels ?? {},
    User: spec.user,
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: {
      Memory: spec.memoryBytes,
      MemorySwap: spec.memoryBytes,
      NanoCpus: spec.nanoCpus,
      PidsLimit: spec.pidsLimit,
      ReadonlyRootfs: spec.readOnlyRootfs,
      Tmpfs: spec.tmpfs,
      CapDrop: spec.capDrop,
      SecurityOpt: spec.securityOpt,
      Init: spec.init,
      NetworkMode: spec.network,
    },
  };
}

interface ProgressMessage {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Reads a JSON-lines progress answer (import, pull) to its end; errors inside it are thrown. */
async function readProgress(stream: NodeJS.ReadableStream, operation: string): Promise<ProgressMessage[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  const messages: ProgressMessage[] = [];
  for (const line of Buffer.concat(chunks).toString("utf8").split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const message = JSON.parse(line) as ProgressMessage;
    if (message.error !== undefined || message.errorDetail?.message !== undefined) {
      throw new EngineError("engine", operation, message.errorDetail?.message ?? message.error ?? "failed");
    }
    messages.push(message);
  }
  return messages;
}

// dockerode's typings omit the options ping and version accept at run time.
interface SignalledCalls {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
  version(options: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
}

export class DockerEngine implements ContainerEngine {
  private readonly docker: Docker;
  private readonly socketPath: string;
  private readonly requestTimeoutMs: number;

  constructor(options: DockerEngineOptions) {
    this.socketPath = options.socketPath;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.docker = new Docker({ socketPath: options.socketPath });
  }

  private signal(extraMs = 0): AbortSignal {
    return AbortSignal.timeout(this.requestTimeoutMs + extraMs);
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toEngineError(operation, error, this.socketPath);
    }
  }

  private container(id: string, operation: string): Docker.Container {
    return this.docker.getContainer(checked(id, CONTAINER_REF, "container id or name", operation));
  }

  async ping(): Promise<void> {
    const calls = this.docker as unknown as SignalledCalls;
    await this.call("ping", () => calls.ping.call(this.docker, { abortSignal: this.signal() }));
  }

  async version(): Promise<EngineVersion> {
    const calls = this.docker as unknown as SignalledCalls;
    const v = await this.call("version", () =>
      calls.version.call(this.docker, { abortSignal: this.signal() }),
    );
    return {
      version: v.Version,
      apiVersion: v.ApiVersion,
      os: v.Os,
      arch: v.Arch,
      kernelVersion: v.KernelVersion,
    };
  }

  async imageExists(reference: string): Promise<boolean> {
    const operation = `inspect image ${reference}`;
    const image = this.docker.getImage(checked(reference, IMAGE_REF, "image reference", operation));
    try {
      await this.call(operation, () => image.inspect());
      return true;
    } catch (error) {
      if (error instanceof EngineError && error.code === "not_found") return false;
      throw error;
    }
  }

  async importImage(rootfs: Readable, options: ImportImageOptions): Promise<ImportedImage> {
    const reference = `${options.repository}:${options.tag}`;
    const operation = `import image ${reference}`;
    let sourceError: unknown;
    rootfs.once("error", (error) => (sourceError = error));
    try {
      checked(reference, IMAGE_REF, "image reference", operation);
      const changes = [
        ...(options.changes ?? []),
        ...Object.entries(options.labels ?? {}).map(([k, v]) => labelInstruction(k, v, operation)),
      ];
      const answer = await this.call(operation, () =>
        this.docker.importImage(rootfs, { repo: options.repository, tag: options.tag, changes }),
      );
      await this.call(operation, () => readProgress(answer, operation));
      const image = await this.call(operation, () => this.docker.getImage(reference).inspect());
      return { id: image.Id, reference };
    } catch (error) {
      // The engine may have stopped reading: release whatever is still producing the tar.
      rootfs.destroy();
      // A tar that failed to build (a missing source file) is reported as itself, not as the engine's.
      throw sourceError ?? error;
    }
  }

  async runContainer(spec: ContainerSpec): Promise<string> {
    const operation = `create container${spec.name ? ` ${spec.name}` : ""} from ${spec.image}`;
    const query = spec.name ? { name: checked(spec.name, CONTAINER_REF, "container name", operation) } : {};
    const body = createBody(spec, operation);
    // _query/_body keep the spec (with its environment, which may hold secrets) out of the URL.
    const created = await this.call(operation, () =>
      this.docker.createContainer({
        _query: query,
        _body: body,
        abortSignal: this.signal(),
      } as Docker.ContainerCreateOptions),
    );
    try {
      await this.call(`start container ${created.id}`, () => created.start({ abortSignal: this.signal() }));
    } catch (error) {
      await this.removeContainer(created.id).catch(() => undefined);
      throw error;
    }
    return created.id;
  }

  async waitForExit(id: string, options: { timeoutMs?: number } = {}): Promise<number> {
    const operation = `wait for container ${id}`;
    const container = this.container(id, operation);
    const abortSignal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const result = await this.call(
      operation,
      () =>
        container.wait({ condition: "not-running", ...(abortSignal ? { abortSignal } : {}) }) as Promise<{
          StatusCode: number;
          Error?: { Message?: string } | null;
        }>,
    );
    if (result.Error?.Message) throw new EngineError("engine", operation, result.Error.Message);
    return result.StatusCode;
  }

  async stopContainer(id: string, options: { timeoutSeconds?: number } = {}): Promise<void> {
    const operation = `stop container ${id}`;
    const container = this.container(id, operation);
    const t = options.timeoutSeconds ?? 10;
    try {
      await this.call(operation, () => container.stop({ t, abortSignal: this.signal(t * 1000) }));
    } catch (error) {
      // 304: it was not running, which is what was asked for.
      if (error instanceof EngineError && error.status === 304) return;
      throw error;
    }
  }

  async readLogs(id: string, options: { tail?: number } = {}): Promise<ContainerLogs> {
    const operation = `read logs of container ${id}`;
    const container = this.container(id, operation);
    const raw: unknown = await this.call(operation, () =>
      container.logs({
        stdout: true,
        stderr: true,
        follow: false,
        ...(options.tail === undefined ? {} : { tail: options.tail }),
        abortSignal: this.signal(),
      }),
    );
    if (!Buffer.isBuffer(raw)) {
      throw new EngineError(
        "engine",
        operation,
        "the logs are not multiplexed (was the container given a TTY?)",
      );
    }
    try {
      return demultiplexLogs(raw);
    } catch (error) {
      if (error instanceof LogFormatError) throw new EngineError("engine", operation, error.message);
      throw error;
    }
  }

  async inspectContainer(id: string): Promise<ContainerDetails> {
    const operation = `inspect container ${id}`;
    const container = this.container(id, operation);
    const info = await this.call(operation, () => container.inspect({ abortSignal: this.signal() }));
    const host = info.HostConfig;
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ""),
      image: info.Config.Image,
      labels: info.Config.Labels ?? {},
      state: {
        status: info.State.Status,
        running: info.State.Running,
        exitCode: info.State.ExitCode,
        oomKilled: info.State.OOMKilled,
        startedAt: info.State.StartedAt,
        finishedAt: info.State.FinishedAt,
        error: info.State.Error,
      },
      limits: {
        memoryBytes: host.Memory ?? 0,
        nanoCpus: host.NanoCpus ?? 0,
        pidsLimit: host.PidsLimit ?? null,
      },
    };
  }

  async removeContainer(id: string): Promise<void> {
    const operation = `remove container ${id}`;
    const container = this.container(id, operation);
    try {
      await this.call(operation, () =>
        container.remove({ force: true, v: true, abortSignal: this.signal() }),
      );
    } catch (error) {
      if (error instanceof EngineError && isAlreadyRemoved(error)) return;
      throw error;
    }
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerSummary[]> {
    const operation = "list containers";
    if (Object.keys(labels).length === 0) {
      throw new EngineError("invalid", operation, "at least one label is needed to select containers");
    }
    const label = Object.entries(labels).map(
      ([k, v]) => `${checked(k, LABEL_KEY, "label key", operation)}=${v}`,
    );
    const found = await this.call(operation, () =>
      this.docker.listContainers({ all: true, filters: { label }, abortSignal: this.signal() }),
    );
    return found.map((c) => ({
      id: c.Id,
      names: c.Names.map((n) => n.replace(/^\//, "")),
      image: c.Image,
      state: c.State,
      labels: c.Labels,
    }));
  }
}
