// The port agent-server's lifecycle code programs against: a narrow container engine (images in by
// import, containers created from a spec, started with an optional stdin payload, waited for, read,
// exec'd into, stopped, removed; the networks and volumes they use) and the plain data it speaks.
// docker.ts implements it over the Docker engine.
import type { Readable } from "node:stream";
import type { ContainerLogs } from "./docker-logs.js";

export { EngineError, type EngineErrorCode } from "./docker-errors.js";
export type { ContainerLogs } from "./docker-logs.js";

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
  kernelVersion: string;
}

export interface ImportImageOptions {
  repository: string;
  tag: string;
  /**
   * Dockerfile instructions applied to the image, e.g. `USER 1000:1000`, `ENV A=b`, `CMD ["node"]`,
   * `WORKDIR /app` (Docker accepts CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR).
   */
  changes?: string[];
  /** Image labels; added as LABEL instructions after `changes`. */
  labels?: Record<string, string>;
}

export interface ImportedImage {
  id: string;
  reference: string;
}

/** What a container is made from. Limits and hardening are passed through to Docker as given. */
export interface ContainerSpec {
  image: string;
  name?: string;
  /** Replaces the image's CMD. */
  cmd?: string[];
  env?: Record<string, string>;
  labels?: Record<string, string>;
  /** Memory limit; swap on top of it is not allowed (MemorySwap is set to the same value). */
  memoryBytes?: number;
  /** CPU quota in billionths of a CPU (1.5 CPUs = 1_500_000_000). */
  nanoCpus?: number;
  pidsLimit?: number;
  /** `uid:gid` or a user name known to the image. */
  user?: string;
  /** The container's host name (Docker's default is a fresh one per container: its id). */
  hostname?: string;
  readOnlyRootfs?: boolean;
  /** Mount point to tmpfs options, e.g. `{ "/tmp": "rw,nosuid,nodev,size=64m" }`. */
  tmpfs?: Record<string, string>;
  /** Capabilities to drop, e.g. `["ALL"]`. */
  capDrop?: string[];
  /** e.g. `["no-new-privileges"]`. */
  securityOpt?: string[];
  /** Run Docker's init (tini) as PID 1 so signals reach the process and zombies are reaped. */
  init?: boolean;
  /** Network to join (a network name, or `none`); Docker's default bridge when unset. */
  network?: string;
  /** Named volumes to mount. */
  mounts?: VolumeMount[];
  /**
   * Keep the container's stdin open for one writer (Docker's OpenStdin + StdinOnce): its process reads
   * what startContainer's `stdinPayload` writes, then end of file. Nothing written this way shows in
   * the container's configuration (unlike `env` and `cmd`). Default false: stdin is /dev/null.
   */
  stdin?: boolean;
}

export interface VolumeMount {
  /** A named volume (created by createVolume, or by Docker on first use). */
  volume: string;
  /** Absolute path inside the container. */
  target: string;
  readOnly?: boolean;
}

export interface StartOptions {
  /**
   * Bytes for the container's stdin (the container must be created with `stdin: true`): the adapter
   * attaches to stdin before the start, starts, writes them, and closes stdin. Never logged.
   */
  stdinPayload?: string | Uint8Array;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ImageDetails {
  id: string;
  /** Bytes, as Docker counts the image (its layers, uncompressed). */
  sizeBytes: number;
  labels: Record<string, string>;
  created: string;
}

export interface NetworkSpec {
  name: string;
  labels?: Record<string, string>;
  /** No route out of the network (Docker's `--internal`). Default false. */
  internal?: boolean;
}

export interface NetworkDetails {
  id: string;
  name: string;
  labels: Record<string, string>;
  internal: boolean;
  /** First IPv4 subnet, e.g. `172.18.0.0/16`; "" when Docker assigned none. */
  subnet: string;
  /** The host's address on the network (the bridge's gateway), e.g. `172.18.0.1`; "" when none. */
  gateway: string;
}

export interface VolumeSpec {
  name: string;
  labels?: Record<string, string>;
}

export interface ContainerDetails {
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  image: string;
  labels: Record<string, string>;
  state: {
    status: string;
    running: boolean;
    exitCode: number;
    oomKilled: boolean;
    startedAt: string;
    finishedAt: string;
    error: string;
  };
  limits: { memoryBytes: number; nanoCpus: number; pidsLimit: number | null };
  /** Per network joined: the container's IPv4 address on it and the network's gateway ("" if none). */
  networks: Record<string, { ipAddress: string; gateway: string }>;
}

export interface ContainerSummary {
  id: string;
  names: string[];
  image: string;
  /** created, running, paused, restarting, removing, exited or dead. */
  state: string;
  labels: Record<string, string>;
}

export interface NetworkSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface VolumeSummary {
  name: string;
  labels: Record<string, string>;
}

/** One event of the engine's event stream about a container. */
export interface EngineEvent {
  /** Docker's action: create, start, die, oom, kill, stop, destroy, ... */
  action: string;
  id: string;
  /** The container's labels. */
  labels: Record<string, string>;
  /** For `die`: the exit code. */
  exitCode?: number;
  time: Date;
}

/** A container's resource use now. */
export interface ContainerStats {
  memoryBytes: number;
  pids: number;
}

export interface ContainerEngine {
  /** Resolves when the engine answers its ping. */
  ping(): Promise<void>;
  version(): Promise<EngineVersion>;
  imageExists(reference: string): Promise<boolean>;
  /** The image's id, size and labels; null when there is no such image. */
  inspectImage(reference: string): Promise<ImageDetails | null>;
  /**
   * Creates an image from a root filesystem tar (see rootfs.ts), tagged `repository:tag`. An error of
   * the tar stream itself is thrown as it is; everything else is an EngineError.
   */
  importImage(rootfs: Readable, options: ImportImageOptions): Promise<ImportedImage>;
  /** Creates a container without starting it; returns its id. */
  createContainer(spec: ContainerSpec): Promise<string>;
  /**
   * Starts a created or stopped container; with `stdinPayload`, feeds it to stdin (see StartOptions).
   * Starting a running container is not an error (and writes nothing).
   */
  startContainer(id: string, options?: StartOptions): Promise<void>;
  /** Creates and starts a container; returns its id. If the start fails the container is removed. */
  runContainer(spec: ContainerSpec, options?: StartOptions): Promise<string>;
  /**
   * Runs a command in a running container (no TTY, no stdin) and resolves with its exit code and
   * output once it ends. `user` defaults to the container's.
   */
  exec(id: string, cmd: string[], options?: { user?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** Resolves with the exit code once the (started) container is no longer running. */
  waitForExit(id: string, options?: { timeoutMs?: number }): Promise<number>;
  /** SIGTERM, then SIGKILL after `timeoutSeconds` (default 10). A stopped container is not an error. */
  stopContainer(id: string, options?: { timeoutSeconds?: number }): Promise<void>;
  /** Logs so far, stdout and stderr apart; `tail` keeps the last lines of the two together. */
  readLogs(id: string, options?: { tail?: number }): Promise<ContainerLogs>;
  inspectContainer(id: string): Promise<ContainerDetails>;
  /** Force-removes the container and its anonymous volumes; gone or already going counts as done. */
  removeContainer(id: string): Promise<void>;
  /** Containers in any state that carry every one of `labels` (at least one is required). */
  listContainers(labels: Record<string, string>): Promise<ContainerSummary[]>;
  /** Creates a bridge network. */
  createNetwork(spec: NetworkSpec): Promise<NetworkDetails>;
  inspectNetwork(idOrName: string): Promise<NetworkDetails>;
  /** Removes a network; gone counts as done. Fails (conflict) while containers are attached. */
  removeNetwork(idOrName: string): Promise<void>;
  /** Creates a named local volume (an existing one of the same name is returned as is by Docker). */
  createVolume(spec: VolumeSpec): Promise<void>;
  /** Removes a volume; gone counts as done. Fails (conflict) while a container uses it. */
  removeVolume(name: string): Promise<void>;
  /** Changes the limits of a container, running or not (memory without swap on top). */
  updateLimits(
    id: string,
    limits: { memoryBytes: number; nanoCpus: number; pidsLimit: number },
  ): Promise<void>;
  /** Networks that carry every one of `labels` (at least one is required). */
  listNetworks(labels: Record<string, string>): Promise<NetworkSummary[]>;
  /** Volumes that carry every one of `labels` (at least one is required). */
  listVolumes(labels: Record<string, string>): Promise<VolumeSummary[]>;
  /** Memory in use and the number of processes of a running container, sampled once. */
  stats(id: string): Promise<ContainerStats>;
  /**
   * Follows the engine's container events for containers carrying every one of `labels`. `onEnd` is
   * called once if the stream ends or fails (the caller decides whether to follow again); stop() ends
   * it without calling onEnd.
   */
  watchEvents(
    labels: Record<string, string>,
    onEvent: (event: EngineEvent) => void,
    onEnd: (error?: Error) => void,
  ): Promise<{ stop(): void }>;
}
