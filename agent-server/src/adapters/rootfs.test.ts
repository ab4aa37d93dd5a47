// Unit tests of the root filesystem tar: read back with tar-stream's extract, checking names, types,
// modes, owners, contents, added parents, order, determinism and refused recipes.
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { extract } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packRootfs, rootfsDigest, RootfsError, type RootfsEntry } from "./rootfs.js";

interface ReadEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname: string | null;
  content: string;
}

async function readTar(stream: Readable): Promise<ReadEntry[]> {
  const entries: ReadEntry[] = [];
  const reader = extract();
  const collected = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const h = entry.header;
      entries.push({
        name: h.name,
        type: h.type,
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        mtime: h.mtime.getTime(),
        linkname: h.linkname ?? null,
        content: Buffer.concat(chunks).toString("utf8"),
      });
    }
  })();
  await Promise.all([pipeline(stream, reader as unknown as NodeJS.WritableStream), collected]);
  return entries;
}

let hostDir: string;

beforeAll(async () => {
  hostDir = await mkdtemp(path.join(tmpdir(), "rootfs-test-"));
  await mkdir(path.join(hostDir, "tree", "sub"), { recursive: true });
  await writeFile(path.join(hostDir, "tree", "run.sh"), "#!/bin/sh\necho hi\n");
  await chmod(path.join(hostDir, "tree", "run.sh"), 0o750);
  await writeFile(path.join(hostDir, "tree", "sub", "data.txt"), "data");
  await chmod(path.join(hostDir, "tree", "sub", "data.txt"), 0o640);
  await chmod(path.join(hostDir, "tree", "sub"), 0o711);
  await symlink("run.sh", path.join(hostDir, "tree", "link"));
  await writeFile(path.join(hostDir, "single"), "one file");
  await chmod(path.join(hostDir, "single"), 0o600);
});

afterAll(async () => {
  await rm(hostDir, { recursive: true, force: true });
});

describe("packRootfs", () => {
  it("writes in-memory files, directories and symlinks with their modes and owners", async () => {
    const entries = await readTar(
      packRootfs([
        { type: "file", path: "/etc/passwd", content: "root:x:0:0::/:/bin/sh\n" },
        { type: "file", path: "/app/secret", content: Buffer.from("s3"), mode: 0o400, uid: 1000, gid: 1001 },
        { type: "directory", path: "/data", mode: 0o700, uid: 1000, gid: 1000 },
        { type: "directory", path: "/tmp", mode: 0o1777 },
        { type: "symlink", path: "/bin/sh", target: "busybox" },
      ]),
    );
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get("etc/passwd")).toMatchObject({ type: "file", mode: 0o644, uid: 0, gid: 0 });
    expect(byName.get("etc/passwd")?.content).toBe("root:x:0:0::/:/bin/sh\n");
    expect(byName.get("app/secret")).toMatchObject({ mode: 0o400, uid: 1000, gid: 1001, content: "s3" });
    expect(byName.get("data/")).toMatchObject({ type: "directory", mode: 0o700, uid: 1000, gid: 1000 });
    expect(byName.get("tmp/")).toMatchObject({ type: "directory", mode: 0o1777 });
    expect(byName.get("bin/sh")).toMatchObject({ type: "symlink", linkname: "busybox" });
  });

  it("adds missing parent directories (0755, root) and sorts entries by path so parents come first", async () => {
    const entries = await readTar(
      packRootfs([
        { type: "file", path: "usr/local/bin/tool", content: "x", mode: 0o755 },
        { type: "file", path: "a-b", content: "y" },
        { type: "file", path: "a/c", content: "z" },
      ]),
    );
    expect(entries.map((e) => e.name)).toEqual([
      "a/",
      "a-b",
      "a/c",
      "usr/",
      "usr/local/",
      "usr/local/bin/",
      "usr/local/bin/tool",
    ]);
    for (const dir of entries.filter((e) => e.type === "directory")) {
      expect(dir).toMatchObject({ mode: 0o755, uid: 0, gid: 0 });
    }
    expect(entries.every((e) => e.mtime === 0)).toBe(true);
  });

  it("copies a host directory recursively with host modes, symlinks kept, owner from the entry", async () => {
    const entries = await readTar(
      packRootfs([
        { type: "host", path: "/opt/tree", source: path.join(hostDir, "tree"), uid: 1000, gid: 1000 },
        { type: "host", path: "/opt/single", source: path.join(hostDir, "single"), mode: 0o444 },
      ]),
    );
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect([...byName.keys()]).toEqual([
      "opt/",
      "opt/single",
      "opt/tree/",
      "opt/tree/link",
      "opt/tree/run.sh",
      "opt/tree/sub/",
      "opt/tree/sub/data.txt",
    ]);
    expect(byName.get("opt/single")).toMatchObject({ mode: 0o444, uid: 0, gid: 0, content: "one file" });
    expect(byName.get("opt/tree/run.sh")).toMatchObject({ mode: 0o750, uid: 1000, gid: 1000 });
    expect(byName.get("opt/tree/run.sh")?.content).toBe("#!/bin/sh\necho hi\n");
    expect(byName.get("opt/tree/sub/")).toMatchObject({ type: "directory", mode: 0o711, uid: 1000 });
    expect(byName.get("opt/tree/sub/data.txt")).toMatchObject({ mode: 0o640, content: "data" });
    expect(byName.get("opt/tree/link")).toMatchObject({ type: "symlink", linkname: "run.sh", uid: 1000 });
  });

  it("streams a host file larger than the stream buffers intact", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, "abcdefghij");
    await writeFile(path.join(hostDir, "big"), big);
    const entries = await readTar(
      packRootfs([{ type: "host", path: "big", source: path.join(hostDir, "big") }]),
    );
    expect(entries[0]?.content.length).toBe(big.length);
    expect(entries[0]?.content).toBe(big.toString("utf8"));
  });

  it("gives the same digest for the same recipe and a different one when anything changes", async () => {
    const recipe: RootfsEntry[] = [
      { type: "file", path: "x", content: "1" },
      { type: "host", path: "tree", source: path.join(hostDir, "tree") },
    ];
    const first = await rootfsDigest(recipe);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await rootfsDigest([...recipe].reverse())).toBe(first);
    expect(await rootfsDigest([{ type: "file", path: "x", content: "1", mode: 0o600 }, recipe[1]!])).not.toBe(
      first,
    );
    expect(await rootfsDigest(recipe, { mtime: new Date(1_000_000) })).not.toBe(first);
  });

  it("fails the stream for duplicate paths, .. , a file used as a directory, a missing source", async () => {
    const cases: [RootfsEntry[], RegExp][] = [
      [
        [
          { type: "file", path: "/a", content: "" },
          { type: "file", path: "a", content: "" },
        ],
        /\/a is given more than once/,
      ],
      [[{ type: "file", path: "../etc/x", content: "" }], /climbs out of the root/],
      [
        [
          { type: "file", path: "bin", content: "" },
          { type: "file", path: "bin/sh", content: "" },
        ],
        /\/bin is a file but \/bin\/sh needs it to be a directory/,
      ],
      [[{ type: "host", path: "x", source: path.join(hostDir, "missing") }], /cannot read .*missing: ENOENT/],
      [[{ type: "host", path: "x", source: path.join(hostDir, "tree"), mode: 0o700 }], /single file/],
    ];
    for (const [recipe, message] of cases) {
      const failure = readTar(packRootfs(recipe));
      await expect(failure).rejects.toThrow(message);
      await expect(failure).rejects.toBeInstanceOf(RootfsError);
    }
  });
});
