// Root filesystem tars for `docker import`: the way images are made here, since no registry is
// reachable. Entries are host files or directories (copied with their permission bits) and in-memory
// files, directories and symlinks, each with its own mode and owner. The tar is deterministic: entries
// are sorted by path, missing parent directories are added (0755, root), and every entry carries the
// same mtime, so an unchanged recipe gives the same bytes and the same digest.
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pack as tarPack, type Header, type Pack } from "tar-stream";

type EntryHeader = Partial<Header> & Pick<Header, "name">;

interface Owner {
  /** Default 0. */
  uid?: number;
  /** Default 0. */
  gid?: number;
}

export type RootfsEntry =
  | ({ type: "file"; path: string; content: string | Uint8Array; /** Default 0644. */ mode?: number } & Owner)
  | ({ type: "directory"; path: string; /** Default 0755. */ mode?: number } & Owner)
  | ({ type: "symlink"; path: string; target: string } & Owner)
  /**
   * A host file, symlink or directory (copied recursively, symlinks kept as symlinks) placed at
   * `path`. Permission bits come from the host; `mode` overrides them for a single file. The owner is
   * the entry's uid/gid, never the host's.
   */
  | ({ type: "host"; path: string; source: string; mode?: number } & Owner);

export interface RootfsOptions {
  /** Modification time of every entry; default the epoch, for reproducible tars. */
  mtime?: Date;
}

export class RootfsError extends Error {
  override readonly name = "RootfsError";
}

/** One tar entry, decided before any byte is written. */
interface Planned {
  name: string;
  type: "file" | "directory" | "symlink";
  mode: number;
  uid: number;
  gid: number;
  size: number;
  content?: Uint8Array;
  source?: string;
  linkname?: string;
}

/** `/usr/bin/x`, `usr/bin/x/` and `./usr/bin/x` all become `usr/bin/x`; `..` is refused. */
export function normalizeImagePath(p: string): string {
  const parts = p.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.length === 0) throw new RootfsError(`${JSON.stringify(p)} does not name anything below /`);
  if (parts.includes("..")) throw new RootfsError(`${JSON.stringify(p)} climbs out of the root with ..`);
  return parts.join("/");
}

function ownerOf(entry: Owner): { uid: number; gid: number } {
  return { uid: entry.uid ?? 0, gid: entry.gid ?? 0 };
}

async function planHost(
  name: string,
  source: string,
  owner: { uid: number; gid: number },
  modeOverride: number | undefined,
  out: Planned[],
): Promise<void> {
  const stat = await lstat(source).catch((error: NodeJS.ErrnoException) => {
    throw new RootfsError(`cannot read ${source}: ${error.code ?? error.message}`);
  });
  if (stat.isSymbolicLink()) {
    out.push({ name, type: "symlink", mode: 0o777, ...owner, size: 0, linkname: await readlink(source) });
  } else if (stat.isFile()) {
    const mode = modeOverride ?? stat.mode & 0o7777;
    out.push({ name, type: "file", mode, ...owner, size: stat.size, source });
  } else if (stat.isDirectory()) {
    if (modeOverride !== undefined) {
      throw new RootfsError(`mode applies to a single file, and ${source} is a directory`);
    }
    out.push({ name, type: "directory", mode: stat.mode & 0o7777, ...owner, size: 0 });
    for (const child of (await readdir(source)).sort()) {
      await planHost(`${name}/${child}`, path.join(source, child), owner, undefined, out);
    }
  } else {
    throw new RootfsError(`${source} is neither a file, a directory nor a symlink`);
  }
}

async function plan(entries: readonly RootfsEntry[]): Promise<Planned[]> {
  const planned: Planned[] = [];
  for (const entry of entries) {
    const name = normalizeImagePath(entry.path);
    const owner = ownerOf(entry);
    switch (entry.type) {
      case "file": {
        const content = typeof entry.content === "string" ? Buffer.from(entry.content) : entry.content;
        const mode = entry.mode ?? 0o644;
        planned.push({ name, type: "file", mode, ...owner, size: content.byteLength, content });
        break;
      }
      case "directory":
        planned.push({ name, type: "directory", mode: entry.mode ?? 0o755, ...owner, size: 0 });
        break;
      case "symlink":
        planned.push({ name, type: "symlink", mode: 0o777, ...owner, size: 0, linkname: entry.target });
        break;
      case "host":
        await planHost(name, entry.source, owner, entry.mode, planned);
        break;
    }
  }
  const byName = new Map<string, Planned>();
  for (const item of planned) {
    if (byName.has(item.name)) throw new RootfsError(`/${item.name} is given more than once`);
    byName.set(item.name, item);
  }
  for (const item of planned) {
    const parts = item.name.split("/");
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join("/");
      const existing = byName.get(parent);
      if (existing === undefined) {
        byName.set(parent, { name: parent, type: "directory", mode: 0o755, uid: 0, gid: 0, size: 0 });
      } else if (existing.type !== "directory") {
        throw new RootfsError(
          `/${parent} is a ${existing.type} but /${item.name} needs it to be a directory`,
        );
      }
    }
  }
  // By path in byte order, not locale order: the same on every machine; a parent's path is a prefix of
  // its children's, so it sorts before them.
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function addEntry(pack: Pack, header: EntryHeader, content?: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (content === undefined) pack.entry(header, done);
    else pack.entry(header, content, done);
  });
}

async function addHostFile(pack: Pack, header: EntryHeader, source: string): Promise<void> {
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const written = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const sink = pack.entry(header, (error) => (error ? settle?.reject(error) : settle?.resolve()));
  try {
    for await (const chunk of createReadStream(source)) {
      if (!sink.write(chunk as Buffer)) await once(sink, "drain");
    }
    sink.end(undefined);
  } catch (error) {
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  await written;
}

async function writeAll(pack: Pack, entries: Planned[], mtime: Date): Promise<void> {
  for (const item of entries) {
    const header: EntryHeader = {
      name: item.type === "directory" ? `${item.name}/` : item.name,
      type: item.type,
      mode: item.mode,
      uid: item.uid,
      gid: item.gid,
      size: item.size,
      mtime,
      ...(item.linkname === undefined ? {} : { linkname: item.linkname }),
    };
    if (item.source !== undefined) await addHostFile(pack, header, item.source);
    else await addEntry(pack, header, item.type === "file" ? (item.content ?? new Uint8Array()) : undefined);
  }
  pack.finalize();
}

/**
 * A readable tar of the root filesystem. Files are read from the host as the tar is consumed, so a
 * large tree costs little memory. Problems (a missing source, a duplicate path) surface as an error
 * on the stream.
 */
export function packRootfs(entries: readonly RootfsEntry[], options: RootfsOptions = {}): Readable {
  const mtime = options.mtime ?? new Date(0);
  const pack = tarPack();
  plan(entries)
    .then((planned) => writeAll(pack, planned, mtime))
    .catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.from(pack, { objectMode: false });
}

/** sha256 (hex) of the tar packRootfs() produces for these entries. */
export async function rootfsDigest(
  entries: readonly RootfsEntry[],
  options: RootfsOptions = {},
): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of packRootfs(entries, options)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
