// The Docker adapter: ContainerEngine (container-engine.ts) implemented over the engine's unix socket
// with dockerode. Only what the container lifecycle uses: images come in by import of a root
// filesystem tar (there is no registry), containers are created from a spec, started (optionally with
// a payload written to their stdin), waited for, read, exec'd into, inspected, stopped and removed;
// the bridge networks and named volumes they use are created and removed. Every failure is an
// EngineError, except an import whose tar stream itself failed, which throws that stream's error.
import type { Duplex, Readable } from "node:stream";
import Docker from "dockerode";
import { EngineError, isAlreadyRemoved, toEngineError } from "./docker-errors.js";
import { demultiplexLogs, LogFormatError, type ContainerLogs } from "./docker-logs.js";
import type {
  ContainerDetails,
  ContainerEngine,
  ContainerSpec,
  ContainerStats,
  ContainerSummary,
  EngineEvent,
  EngineVersion,
  ExecResult,
  ImageDetails,
  ImportedImage,
  ImportImageOptions,
  NetworkDetails,
  NetworkSummary,
  NetworkSpec,
  StartOptions,
  VolumeSpec,
  VolumeSummary,
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
// Network and volume names: Docker's own rule for volume names, which also suits networks.
const OBJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MOUNT_TARGET = /^\/[^:,\0]*$/;

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
  const mounts = spec.mounts?.map((mount) => ({
    Type: "volume",
    Source: checked(mount.volume, OBJECT_NAME, "volume name", operation),
    Target: checked(mount.target, MOUNT_TARGET, "mount target", operation),
    ReadOnly: mount.readOnly ?? false,
  }));
  const stdin = spec.stdin ?? false;
  return {
    Image: checked(spec.image, IMAGE_REF, "image reference", operation),
    Cmd: spec.cmd,
    Env: env,
    Labels: spec.labels ?? {},
    User: spec.user,
    ...(spec.hostname === undefined
      ? {}
      : { Hostname: checked(spec.hostname, HOSTNAME, "host name", operation) }),
    Tty: false,
    OpenStdin: stdin,
    StdinOnce: stdin,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: {
      Mounts: mounts,
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

/**
 * Writes `payload` to a hijacked attach connection, then half-closes it so the engine sees end of
 * file and closes the container's stdin. Resolves once every byte has been handed to the socket
 * ("finish"), or the engine hung up first. Waiting for the engine to hang up as well is not reliable:
 * dockerd 20.10 sometimes keeps an attach open after stdin ended (seen here: 1 start in ~40 waited
 * out a 30 s timeout). Whether the payload arrived is proven by the gateway becoming ready; the
 * entrypoint exits 64 without it.
 */
async function writeAndClose(connection: Duplex, payload: Buffer, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new EngineError("timeout", "write stdin", "the engine did not take the payload in time"));
    }, timeoutMs);
    const done = () => {
      cleanup();
      resolve();
    };
    const failed = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      clearTimeout(timer);
      connection.off("finish", done);
      connection.off("close", done);
      connection.off("end", done);
      connection.off("error", failed);
    };
    connection.once("finish", done);
    connection.once("close", done);
    // The engine ends its side once stdin is closed (there is no output on this connection).
    connection.once("end", done);
    connection.once("error", failed);
    // Nothing is read on this connection, but reading lets "end" arrive.
    connection.resume();
    connection.end(payload);
  });
}

/** Everything a stream yields until it ends, bounded by `signal`. */
async function readToEnd(stream: Duplex, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const abort = () =>
    stream.destroy(new EngineError("timeout", "read output", "no end within the time allowed"));
  signal.addEventListener("abort", abort, { once: true });
  try {
    for await (const chunk of stream)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  } finally {
    signal.removeEventListener("abort", abort);
  }
  return Buffer.concat(chunks);
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

  async inspectImage(reference: string): Promise<ImageDetails | null> {
    const operation = `inspect image ${reference}`;
    const image = this.docker.getImage(checked(reference, IMAGE_REF, "image reference", operation));
    try {
      const info = await this.call(operation, () => image.inspect());
      return {
        id: info.Id,
        sizeBytes: info.Size,
        labels: info.Config?.Labels ?? {},
        created: info.Created,
      };
    } catch (error) {
      if (error instanceof EngineError && error.code === "not_found") return null;
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

  async createContainer(spec: ContainerSpec): Promise<string> {
    const operation = `create container${spec.name ? ` ${spec.name}` : ""} from ${spec.image}`;
    const query = spec.name ? { name: checked(spec.name, CONTAINER_REF, "container name", operation) } : {};
    const body = createBody(spec, operation);
    // _query/_body keep the spec (with its environment) out of the URL.
    const created = await this.call(operation, () =>
      this.docker.createContainer({
        _query: query,
        _body: body,
        abortSignal: this.signal(),
      } as Docker.ContainerCreateOptions),
    );
    return created.id;
  }

  async startContainer(id: string, options: StartOptions = {}): Promise<void> {
    const operation = `start container ${id}`;
    const container = this.container(id, operation);
    if (options.stdinPayload === undefined) {
      await this.startOnly(container, operation);
      return;
    }
    const payload = Buffer.from(options.stdinPayload);
    const attachOperation = `attach to the stdin of container ${id}`;
    // Without OpenStdin the engine would accept the bytes and drop them.
    const info = await this.call(attachOperation, () => container.inspect({ abortSignal: this.signal() }));
    if (!info.Config.OpenStdin) {
      throw new EngineError(
        "invalid",
        attachOperation,
        "the container was not created with stdin open (spec.stdin)",
      );
    }
    // Attach first: whatever the process reads from stdin then comes from this connection only.
    const stdin = await this.call(
      attachOperation,
      () =>
        container.attach({
          stream: true,
          stdin: true,
          stdout: false,
          stderr: false,
          hijack: true,
          abortSignal: this.signal(),
        }) as Promise<Duplex>,
    );
    try {
      const started = await this.startOnly(container, operation);
      if (!started) throw new EngineError("conflict", attachOperation, "the container was already running");
      await this.call(attachOperation, () => writeAndClose(stdin, payload, this.requestTimeoutMs));
    } finally {
      stdin.destroy();
    }
  }

  /** True if this call started it, false if it was running already (Docker's 304). */
  private async startOnly(container: Docker.Container, operation: string): Promise<boolean> {
    try {
      await this.call(operation, () => container.start({ abortSignal: this.signal() }));
      return true;
    } catch (error) {
      if (error instanceof EngineError && error.status === 304) return false;
      throw error;
    }
  }

  async runContainer(spec: ContainerSpec, options: StartOptions = {}): Promise<string> {
    const id = await this.createContainer(spec);
    try {
      await this.startContainer(id, options);
    } catch (error) {
      await this.removeContainer(id).catch(() => undefined);
      throw error;
    }
    return id;
  }

  async exec(
    id: string,
    cmd: string[],
    options: { user?: string; timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    const operation = `exec in container ${id}`;
    const container = this.container(id, operation);
    if (cmd.length === 0) throw new EngineError("invalid", operation, "the command is empty");
    const signal = AbortSignal.timeout(options.timeoutMs ?? this.requestTimeoutMs);
    const exec = await this.call(operation, () =>
      container.exec({
        Cmd: cmd,
        AttachStdin: false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        ...(options.user === undefined ? {} : { User: options.user }),
        abortSignal: signal,
      }),
    );
    const output = await this.call(operation, async () => {
      const stream = await exec.start({ hijack: true, stdin: false, abortSignal: signal });
      return readToEnd(stream, signal);
    });
    const info = await this.call(operation, () => exec.inspect({ abortSignal: this.signal() }));
    if (info.Running || info.ExitCode === null) {
      throw new EngineError("engine", operation, "the command's output ended but it is still running");
    }
    let logs: ContainerLogs;
    try {
      logs = demultiplexLogs(output);
    } catch (error) {
      if (error instanceof LogFormatError) throw new EngineError("engine", operation, error.message);
      throw error;
    }
    return { exitCode: info.ExitCode, ...logs };
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
      networks: Object.fromEntries(
        Object.entries(info.NetworkSettings.Networks ?? {}).map(([name, n]) => [
          name,
          { ipAddress: n.IPAddress, gateway: n.Gateway },
        ]),
      ),
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

  async createNetwork(spec: NetworkSpec): Promise<NetworkDetails> {
    const operation = `create network ${spec.name}`;
    checked(spec.name, OBJECT_NAME, "network name", operation);
    for (const key of Object.keys(spec.labels ?? {})) checked(key, LABEL_KEY, "label key", operation);
    const created = await this.call(operation, () =>
      this.docker.createNetwork({
        Name: spec.name,
        Driver: "bridge",
        CheckDuplicate: true,
        Internal: spec.internal ?? false,
        Labels: spec.labels ?? {},
        abortSignal: this.signal(),
      }),
    );
    return this.inspectNetwork(created.id);
  }

  async inspectNetwork(idOrName: string): Promise<NetworkDetails> {
    const operation = `inspect network ${idOrName}`;
    const network = this.docker.getNetwork(checked(idOrName, OBJECT_NAME, "network id or name", operation));
    const info = (await this.call(operation, () => network.inspect())) as {
      Id: string;
      Name: string;
      Internal?: boolean;
      Labels?: Record<string, string> | null;
      IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null };
    };
    const ipv4 = (info.IPAM?.Config ?? []).find((c) => c.Subnet !== undefined && !c.Subnet.includes(":"));
    return {
      id: info.Id,
      name: info.Name,
      labels: info.Labels ?? {},
      internal: info.Internal ?? false,
      subnet: ipv4?.Subnet ?? "",
      gateway: ipv4?.Gateway ?? "",
    };
  }

  async removeNetwork(idOrName: string): Promise<void> {
    const operation = `remove network ${idOrName}`;
    const network = this.docker.getNetwork(checked(idOrName, OBJECT_NAME, "network id or name", operation));
    try {
      await this.call(operation, () => network.remove({ abortSignal: this.signal() }));
    } catch (error) {
      if (error instanceof EngineError && error.status === 404) return;
      throw error;
    }
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    const operation = `create volume ${spec.name}`;
    checked(spec.name, OBJECT_NAME, "volume name", operation);
    for (const key of Object.keys(spec.labels ?? {})) checked(key, LABEL_KEY, "label key", operation);
    await this.call(operation, () =>
      this.docker.createVolume({
        Name: spec.name,
        Driver: "local",
        Labels: spec.labels ?? {},
        abortSignal: this.signal(),
      } as Docker.VolumeCreateOptions),
    );
  }

  async removeVolume(name: string): Promise<void> {
    const operation = `remove volume ${name}`;
    const volume = this.docker.getVolume(checked(name, OBJECT_NAME, "volume name", operation));
    try {
      await this.call(operation, () => volume.remove({ abortSignal: this.signal() }));
    } catch (error) {
      if (error instanceof EngineError && error.status === 404) return;
      throw error;
    }
  }

  async updateLimits(
    id: string,
    limits: { memoryBytes: number; nanoCpus: number; pidsLimit: number },
  ): Promise<void> {
    const operation = `update limits of container ${id}`;
    const container = this.container(id, operation);
    await this.call(operation, () =>
      container.update({
        Memory: limits.memoryBytes,
        MemorySwap: limits.memoryBytes,
        NanoCpus: limits.nanoCpus,
        PidsLimit: limits.pidsLimit,
        abortSignal: this.signal(),
      }),
    );
  }

  private labelFilter(labels: Record<string, string>, operation: string): string[] {
    if (Object.keys(labels).length === 0) {
      throw new EngineError("invalid", operation, "at least one label is needed to select objects");
    }
    return Object.entries(labels).map(([k, v]) => `${checked(k, LABEL_KEY, "label key", operation)}=${v}`);
  }

  async listNetworks(labels: Record<string, string>): Promise<NetworkSummary[]> {
    const operation = "list networks";
    const label = this.labelFilter(labels, operation);
    const found = await this.call(operation, () =>
      this.docker.listNetworks({
        filters: { label },
        abortSignal: this.signal(),
      } as Docker.NetworkListOptions),
    );
    return found.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
  }

  async listVolumes(labels: Record<string, string>): Promise<VolumeSummary[]> {
    const operation = "list volumes";
    const label = this.labelFilter(labels, operation);
    const found = await this.call(operation, () =>
      this.docker.listVolumes({ filters: { label }, abortSignal: this.signal() } as {
        filters: { label: string[] };
      }),
    );
    return (found.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
  }

  async stats(id: string): Promise<ContainerStats> {
    const operation = `read stats of container ${id}`;
    const container = this.container(id, operation);
    // one-shot: one sample at once, instead of two a second apart (dockerode's typings lack it).
    const options = { stream: false, "one-shot": true, abortSignal: this.signal() };
    const raw = (await this.call(operation, () =>
      (container.stats as (this: Docker.Container, o: typeof options) => Promise<unknown>).call(
        container,
        options,
      ),
    )) as { memory_stats?: { usage?: number }; pids_stats?: { current?: number } };
    return { memoryBytes: raw.memory_stats?.usage ?? 0, pids: raw.pids_stats?.current ?? 0 };
  }

  async watchEvents(
    labels: Record<string, string>,
    onEvent: (event: EngineEvent) => void,
    onEnd: (error?: Error) => void,
  ): Promise<{ stop(): void }> {
    const operation = "follow events";
    const label = this.labelFilter(labels, operation);
    const stream = (await this.call(operation, () =>
      this.docker.getEvents({ filters: { type: ["container"], label } }),
    )) as NodeJS.ReadableStream & { destroy(): void };
    let buffered = "";
    let ended = false;
    const finish = (error?: Error) => {
      if (ended) return;
      ended = true;
      onEnd(error);
    };
    stream.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      for (let newline = buffered.indexOf("\n"); newline !== -1; newline = buffered.indexOf("\n")) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        const event = line ? parseEngineEvent(line) : null;
        if (event) onEvent(event);
      }
    });
    stream.on("error", (error: Error) => finish(toEngineError(operation, error, this.socketPath)));
    stream.on("end", () => finish());
    return {
      stop: () => {
        ended = true;
        stream.destroy();
      },
    };
  }
}

interface RawEngineEvent {
  Action?: string;
  id?: string;
  time?: number;
  timeNano?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** The attributes Docker adds to a container event that are not the container's labels. */
const EVENT_ATTRIBUTES = new Set(["image", "name", "exitCode", "signal", "execID", "container"]);

/** One line of the engine's event stream, or null when it is not a container event we can read. */
export function parseEngineEvent(line: string): EngineEvent | null {
  let raw: RawEngineEvent;
  try {
    raw = JSON.parse(line) as RawEngineEvent;
  } catch {
    return null;
  }
  const id = raw.Actor?.ID ?? raw.id;
  if (!raw.Action || !id) return null;
  const attributes = raw.Actor?.Attributes ?? {};
  // "exec_start: sh -c ..." and "health_status: healthy" carry details after a colon.
  const action = raw.Action.split(":")[0]!.trim();
  const labels = Object.fromEntries(Object.entries(attributes).filter(([k]) => !EVENT_ATTRIBUTES.has(k)));
  const exitCode = attributes.exitCode === undefined ? undefined : Number(attributes.exitCode);
  const time = raw.timeNano ? new Date(Math.floor(raw.timeNano / 1e6)) : new Date((raw.time ?? 0) * 1000);
  return { action, id, labels, ...(exitCode === undefined ? {} : { exitCode }), time };
}
