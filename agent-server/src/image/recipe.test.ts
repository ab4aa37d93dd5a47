// Unit tests of the image recipe: the layout and changes, and a hash that moves with every input and
// with nothing else. Host inputs are small temporary files here.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RootfsEntry } from "../adapters/rootfs.js";
import {
  ENTRYPOINT_IN_IMAGE,
  IMAGE_ENV,
  imageChanges,
  imageLabels,
  imageTag,
  recipeHash,
  rootfsEntries,
  type RecipeInputs,
} from "./recipe.js";

let dir: string;
let inputs: RecipeInputs;

async function hostFile(name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "clawden-recipe-"));
  inputs = {
    versions: { openclaw: "2026.9.6", node: "26.10.0" },
    trees: {
      node: { dir: "/cache/node", binary: "/cache/node/bin/node", bytes: 1, integrity: "sha512-node" },
      openclaw: {
        dir: "/cache/openclaw",
        nodeModules: "/cache/openclaw/node_modules",
        addons: ["a/b.node"],
        treeDigest: "tree-1",
        packages: 1,
        files: 1,
        bytes: 1,
      },
    },
    libraries: [
      { imagePath: "/lib/x86_64-linux-gnu/libc.so.6", source: await hostFile("libc", "libc v1") },
      { imagePath: "/lib64/ld-linux-x86-64.so.2", source: await hostFile("ld", "loader v1") },
    ],
    busybox: await hostFile("busybox", "busybox v1"),
    caBundle: await hostFile("ca", "certs v1"),
    entrypoint: await hostFile("entrypoint.mjs", "// entrypoint v1"),
    stripVersion: "GNU strip (GNU Binutils for Debian) 2.40",
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function byPath(entries: RootfsEntry[], p: string): RootfsEntry | undefined {
  return entries.find((e) => e.path === p);
}

describe("the image layout", () => {
  it("has busybox, the libraries, node, the app, the entrypoint, the user node and an empty /data of theirs", () => {
    const entries = rootfsEntries(inputs, "/cache/node.stripped");
    expect(byPath(entries, "/bin/busybox")).toMatchObject({
      type: "host",
      source: inputs.busybox,
      mode: 0o755,
    });
    expect(byPath(entries, "/bin/sh")).toEqual({ type: "symlink", path: "/bin/sh", target: "busybox" });
    expect(byPath(entries, "/usr/bin/env")).toMatchObject({ type: "symlink", target: "/bin/busybox" });
    expect(byPath(entries, "/lib64/ld-linux-x86-64.so.2")).toMatchObject({
      type: "host",
      source: inputs.libraries[1]!.source,
    });
    expect(byPath(entries, "/usr/local/bin/node")).toMatchObject({
      source: "/cache/node.stripped",
      mode: 0o755,
    });
    expect(byPath(entries, "/app/node_modules")).toMatchObject({
      type: "host",
      source: "/cache/openclaw/node_modules",
    });
    expect(byPath(entries, ENTRYPOINT_IN_IMAGE)).toMatchObject({ source: inputs.entrypoint, mode: 0o644 });
    expect(byPath(entries, "/etc/passwd")).toMatchObject({
      content: expect.stringContaining("node:x:1000:1000:node:/home/node:/bin/sh"),
    });
    expect(byPath(entries, "/etc/group")).toMatchObject({ content: expect.stringContaining("node:x:1000:") });
    expect(byPath(entries, "/etc/nsswitch.conf")).toMatchObject({
      content: expect.stringContaining("passwd: files"),
    });
    expect(byPath(entries, "/etc/ssl/certs/ca-certificates.crt")).toMatchObject({ source: inputs.caBundle });
    expect(byPath(entries, "/data")).toEqual({
      type: "directory",
      path: "/data",
      mode: 0o700,
      uid: 1000,
      gid: 1000,
    });
    expect(byPath(entries, "/home/node")).toMatchObject({ uid: 1000, gid: 1000 });
    expect(byPath(entries, "/tmp")).toMatchObject({ mode: 0o1777 });
  });

  it("runs as 1000:1000 with the documented environment, port, volume and entrypoint, and no secret", () => {
    const changes = imageChanges();
    expect(changes).toEqual(
      expect.arrayContaining([
        "USER 1000:1000",
        "WORKDIR /home/node",
        "ENV OPENCLAW_STATE_DIR=/data",
        "ENV OPENCLAW_CONFIG_PATH=/data/openclaw.json",
        "ENV XDG_CACHE_HOME=/data/cache",
        "ENV OPENCLAW_NO_RESPAWN=1",
        "ENV OPENCLAW_CLAWHUB_URL=http://127.0.0.1:9",
        "EXPOSE 18789",
        'VOLUME ["/data"]',
        'ENTRYPOINT ["/usr/local/bin/node","/app/clawden-entrypoint.mjs"]',
      ]),
    );
    expect(Object.keys(IMAGE_ENV).filter((k) => /TOKEN|KEY|SECRET|PASSWORD/.test(k))).toEqual([]);
    // Set by the entrypoint instead (see recipe.ts): in the image it would make OpenClaw re-spawn.
    expect(IMAGE_ENV).not.toHaveProperty("NODE_COMPILE_CACHE");
  });

  it("is tagged <openclaw version>-<12 hex of the hash> and labelled with the hash and the versions", () => {
    const hash = "ab".repeat(32);
    expect(imageTag(inputs.versions, hash)).toBe("2026.9.6-abababababab");
    expect(imageLabels(inputs.versions, hash)).toEqual({
      "clawden.image": "openclaw",
      "clawden.image-recipe": hash,
      "clawden.openclaw-version": "2026.9.6",
      "clawden.node-version": "26.10.0",
    });
  });
});

describe("the recipe hash", () => {
  it("is stable for unchanged inputs and moves with each input", async () => {
    const base = await recipeHash(inputs);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(await recipeHash({ ...inputs })).toBe(base);

    const variants: [string, () => Promise<RecipeInputs>][] = [
      [
        "openclaw version",
        async () => ({ ...inputs, versions: { ...inputs.versions, openclaw: "2026.9.7" } }),
      ],
      ["node version", async () => ({ ...inputs, versions: { ...inputs.versions, node: "26.11.0" } })],
      [
        "node package",
        async () => ({
          ...inputs,
          trees: { ...inputs.trees, node: { ...inputs.trees.node, integrity: "sha512-other" } },
        }),
      ],
      [
        "npm tree",
        async () => ({
          ...inputs,
          trees: { ...inputs.trees, openclaw: { ...inputs.trees.openclaw, treeDigest: "tree-2" } },
        }),
      ],
      ["strip", async () => ({ ...inputs, stripVersion: "GNU strip 2.41" })],
      ["busybox", async () => ({ ...inputs, busybox: await hostFile("busybox2", "busybox v2") })],
      ["CA bundle", async () => ({ ...inputs, caBundle: await hostFile("ca2", "certs v2") })],
      [
        "entrypoint",
        async () => ({ ...inputs, entrypoint: await hostFile("entrypoint2.mjs", "// entrypoint v2") }),
      ],
      [
        "a library",
        async () => ({
          ...inputs,
          libraries: [
            { ...inputs.libraries[0]!, source: await hostFile("libc2", "libc v2") },
            inputs.libraries[1]!,
          ],
        }),
      ],
      ["the library set", async () => ({ ...inputs, libraries: inputs.libraries.slice(0, 1) })],
    ];
    const seen = new Set([base]);
    for (const [what, variant] of variants) {
      const hash = await recipeHash(await variant());
      expect(seen.has(hash), what).toBe(false);
      seen.add(hash);
    }
  });

  it("does not depend on where the host files are, only on what they hold", async () => {
    const moved = { ...inputs, busybox: await hostFile("busybox-elsewhere", "busybox v1") };
    expect(await recipeHash(moved)).toBe(await recipeHash(inputs));
  });
});
