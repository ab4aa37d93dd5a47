// The port agent-server's lifecycle code programs against: a narrow container engine (images in by
// import, containers run from a spec, waited for, read, stopped, removed) and the plain data it speaks.
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
}

export interface ContainerSummary {
  id: string;
  names: string[];
  image: string;
  /** created, running, paused, restarting, removing, exited or dead. */
  state: string;
  labels: Record<string, string>;
}

export interface ContainerEngine {
  /** Resolves when the engine answers its ping. */
  ping(): Promise<void>;
  version(): Promise<EngineVersion>;
  imageExists(reference: string): Promise<boolean>;
  /**
   * Creates an image from a root filesystem tar (see rootfs.ts), tagged `repository:tag`. An error of
   * the tar stream itself is thrown as it is; everything else is an EngineError.
   */
  importImage(rootfs: Readable, options: ImportImageOptions): Promise<ImportedImage>;
  /** Creates and starts a container; returns its id. If the start fails the container is removed. */
  runContainer(spec: ContainerSpec): Promise<string>;
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
}
