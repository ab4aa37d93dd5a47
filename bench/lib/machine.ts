// The facts a figure depends on, printed with the table and kept in the report: the host (cores,
// memory, load), the engine (version, cgroups, storage), the image, and the code's commit.
import { execFileSync } from "node:child_process";
import os from "node:os";
import { dockerApi } from "@clawden/kit/testing";
import type { ContainerEngine } from "../../agent-server/src/adapters/container-engine.js";

export interface MachineFacts {
  host: {
    cores: number;
    cpuModel: string;
    memoryBytes: number;
    kernel: string;
    node: string;
    loadAverageAtStart: number[];
  };
  docker: {
    version: string;
    apiVersion: string;
    os: string;
    cgroupVersion: string;
    cgroupDriver: string;
    storageDriver: string;
    cpus: number;
    memoryBytes: number;
  };
  image: {
    tag: string;
    id: string;
    sizeBytes: number;
    openclawVersion: string;
    nodeVersion: string;
  };
  git: { commit: string; dirty: boolean } | null;
}

interface DockerInfo {
  ServerVersion?: string;
  OperatingSystem?: string;
  CgroupVersion?: string;
  CgroupDriver?: string;
  Driver?: string;
  NCPU?: number;
  MemTotal?: number;
}

function gitState(): MachineFacts["git"] {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" });
    return { commit, dirty: status.trim() !== "" };
  } catch {
    return null;
  }
}

export async function machineFacts(engine: ContainerEngine, imageTag: string): Promise<MachineFacts> {
  const cpus = os.cpus();
  const [{ body: info }, version, image] = await Promise.all([
    dockerApi<DockerInfo>("GET", "/info"),
    engine.version(),
    engine.inspectImage(imageTag),
  ]);
  if (!image) throw new Error(`the image ${imageTag} does not exist`);
  return {
    host: {
      cores: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? "unknown",
      memoryBytes: os.totalmem(),
      kernel: os.release(),
      node: process.version,
      loadAverageAtStart: os.loadavg(),
    },
    docker: {
      version: version.version,
      apiVersion: version.apiVersion,
      os: info.OperatingSystem ?? "unknown",
      cgroupVersion: info.CgroupVersion ?? "unknown",
      cgroupDriver: info.CgroupDriver ?? "unknown",
      storageDriver: info.Driver ?? "unknown",
      cpus: info.NCPU ?? 0,
      memoryBytes: info.MemTotal ?? 0,
    },
    image: {
      tag: imageTag,
      id: image.id,
      sizeBytes: image.sizeBytes,
      openclawVersion: image.labels["clawden.openclaw-version"] ?? "unknown",
      nodeVersion: image.labels["clawden.node-version"] ?? "unknown",
    },
    git: gitState(),
  };
}
