// agent-server/image/Dockerfile is not built here (no registry), so this keeps it true to the recipe
// the build uses: the same versions, user, workdir, environment, port, volume and entrypoint.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENTRYPOINT_IN_IMAGE, GATEWAY_PORT, IMAGE_ENV, NODE_IN_IMAGE, STATE_DIR } from "./recipe.js";
import { IMAGE_SOURCE_DIR, readVersions } from "./versions.js";

/** Instructions with their continuation lines joined, comments dropped. */
async function instructions(): Promise<string[]> {
  const text = await readFile(path.join(IMAGE_SOURCE_DIR, "Dockerfile"), "utf8");
  return text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

describe("the conventional Dockerfile", () => {
  it("follows the recipe", async () => {
    const lines = await instructions();
    const versions = await readVersions();
    expect(lines).toContain(`ARG NODE_VERSION=${versions.node}`);
    expect(lines).toContain(`ARG OPENCLAW_VERSION=${versions.openclaw}`);
    expect(lines.filter((l) => l.startsWith("FROM "))).toEqual([
      "FROM node:${NODE_VERSION}-bookworm-slim AS install",
      "FROM node:${NODE_VERSION}-bookworm-slim",
    ]);
    expect(lines).toContain("USER 1000:1000");
    expect(lines).toContain("WORKDIR /home/node");
    expect(lines).toContain(`EXPOSE ${GATEWAY_PORT}`);
    expect(lines).toContain(`VOLUME ["${STATE_DIR}"]`);
    expect(lines).toContain(
      `ENTRYPOINT ${JSON.stringify([NODE_IN_IMAGE, ENTRYPOINT_IN_IMAGE]).replace(",", ", ")}`,
    );
    expect(lines).toContain(`COPY entrypoint.mjs ${ENTRYPOINT_IN_IMAGE}`);

    const env = lines
      .find((l) => l.startsWith("ENV "))!
      .slice(4)
      .trim()
      .split(/\s+/);
    expect(Object.fromEntries(env.map((pair) => pair.split("=", 2) as [string, string]))).toEqual(IMAGE_ENV);
  });
});
