// What the image build takes from the host: Debian's static busybox, the shared libraries the Node
// binary and the prebuilt native addons link against (as `ldd` resolves them here), the CA bundle,
// and GNU strip to drop node's debug symbols. Each is checked with a message that says what to install.
import { execFile } from "node:child_process";
import { access, realpath } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The Debian package that provides each host tool the build runs. */
const PACKAGE_OF: Record<string, string> = { ldd: "libc-bin", strip: "binutils" };

export const HOST_BUSYBOX = "/bin/busybox";
export const HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

export class HostInputError extends Error {
  override readonly name = "HostInputError";
}

/** stdout + stderr of a command, whether it succeeded or not (ldd exits 1 for static binaries). */
async function outputOf(file: string, args: string[]): Promise<{ ok: boolean; text: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { maxBuffer: 4 * 1024 * 1024 });
    return { ok: true, text: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (failed.code === "ENOENT") {
      const hint = PACKAGE_OF[file] ? ` (Debian package ${PACKAGE_OF[file]})` : "";
      throw new HostInputError(`${file} is not installed on this host${hint}`);
    }
    return { ok: false, text: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

/** Fails with a message naming the package unless `file` is a statically linked busybox. */
export async function checkStaticBusybox(file = HOST_BUSYBOX): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new HostInputError(
      `${file} is missing: install Debian's busybox-static (apt-get install -y --no-install-recommends busybox-static)`,
    );
  }
  const { text } = await outputOf("ldd", [file]);
  if (!/not a dynamic executable|statically linked/.test(text)) {
    throw new HostInputError(
      `${file} is dynamically linked: install Debian's busybox-static instead of busybox (ldd says ${text.trim()})`,
    );
  }
}

export async function checkCaBundle(file = HOST_CA_BUNDLE): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new HostInputError(`${file} is missing: install Debian's ca-certificates`);
  }
}

export interface LddReport {
  /** soname => resolved path, in ldd's order (without the vDSO and the loader). */
  libraries: { soname: string; path: string }[];
  /** The dynamic loader, e.g. /lib64/ld-linux-x86-64.so.2; null for a static binary. */
  loader: string | null;
  /** Sonames ldd could not find. */
  missing: string[];
}

/** Reads `ldd` output. */
export function parseLdd(output: string): LddReport {
  const report: LddReport = { libraries: [], loader: null, missing: [] };
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (line === "" || /^linux-vdso\.so|^linux-gate\.so/.test(line)) continue;
    const arrow = /^(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$/.exec(line);
    if (arrow) {
      const [, soname, target] = arrow as unknown as [string, string, string];
      if (target === "not found") report.missing.push(soname);
      else if (target.startsWith("/")) report.libraries.push({ soname, path: target });
      continue;
    }
    const loader = /^(\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
    if (loader) report.loader = loader[1]!;
  }
  return report;
}

export async function ldd(binary: string): Promise<LddReport> {
  const { ok, text } = await outputOf("ldd", [binary]);
  if (!ok && !/not a dynamic executable/.test(text)) {
    throw new HostInputError(`ldd ${binary} failed: ${text.trim()}`);
  }
  return parseLdd(text);
}

/** A host file placed in the image at `imagePath` (the path the loader looks it up by). */
export interface LibraryPlacement {
  imagePath: string;
  /** The real file on the host (symlinks resolved). */
  source: string;
}

export interface SharedLibraries {
  placements: LibraryPlacement[];
  /** Binaries whose dependencies this host cannot satisfy (e.g. a musl build of an addon). */
  unresolved: { binary: string; missing: string[] }[];
}

/**
 * The shared libraries and the dynamic loader the binaries need, placed at the paths ldd reports
 * (e.g. /lib/x86_64-linux-gnu/libc.so.6, /lib64/ld-linux-x86-64.so.2) with their real content.
 * `required` binaries must resolve fully; the others (optional addons) are reported when they do not.
 */
export async function sharedLibraries(required: string[], optional: string[]): Promise<SharedLibraries> {
  const byImagePath = new Map<string, string>();
  const unresolved: SharedLibraries["unresolved"] = [];
  for (const binary of [...required, ...optional]) {
    const report = await ldd(binary);
    if (report.missing.length > 0) {
      if (required.includes(binary)) {
        throw new HostInputError(`${binary} needs ${report.missing.join(", ")}, which this host lacks`);
      }
      unresolved.push({ binary, missing: report.missing });
      continue;
    }
    const wanted = [...report.libraries.map((l) => l.path), ...(report.loader ? [report.loader] : [])];
    for (const imagePath of wanted) {
      if (!byImagePath.has(imagePath)) byImagePath.set(imagePath, await realpath(imagePath));
    }
  }
  const placements = [...byImagePath.entries()]
    .map(([imagePath, source]) => ({ imagePath, source }))
    .sort((a, b) => (a.imagePath < b.imagePath ? -1 : a.imagePath > b.imagePath ? 1 : 0));
  return { placements, unresolved };
}

/** The first line of `strip --version`, part of the recipe (another strip may give other bytes). */
export async function stripVersion(): Promise<string> {
  const { ok, text } = await outputOf("strip", ["--version"]);
  if (!ok) throw new HostInputError(`strip --version failed: ${text.trim()}`);
  return text.split("\n", 1)[0]!.trim();
}

/** Writes `source` without its debug sections to `target` (GNU strip --strip-debug). */
export async function stripDebug(source: string, target: string): Promise<void> {
  const { ok, text } = await outputOf("strip", ["--strip-debug", "-o", target, source]);
  if (!ok) throw new HostInputError(`strip --strip-debug ${path.basename(source)} failed: ${text.trim()}`);
}
