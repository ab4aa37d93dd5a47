// The tiny image integration tests run: Debian's static busybox and a few applet links, imported as
// a root filesystem. It is tagged by the digest of its recipe, so it is imported once and shared by
// every test and every run (label clawden.test-shared=1) until the recipe changes.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { access } from "node:fs/promises";
import { promisify } from "node:util";
import type { ContainerEngine } from "../../src/adapters/container-engine.js";
import { packRootfs, rootfsDigest, type RootfsEntry } from "../../src/adapters/rootfs.js";
import { TEST_SHARED_LABEL } from "@clawden/kit/testing";

export const BUSYBOX = "/bin/busybox";
export const TINY_IMAGE_REPOSITORY = "clawden-test/busybox";

const APPLETS = ["sh", "cat", "echo", "grep", "id", "ls", "seq", "sleep", "touch", "tr", "true"];

const CHANGES = ['CMD ["/bin/sh"]', "WORKDIR /", "ENV TINY_IMAGE=clawden-test"];
const LABELS = { [TEST_SHARED_LABEL]: "1" };

/** Fails with a clear message unless the host has a statically linked busybox. */
async function checkStaticBusybox(): Promise<void> {
  try {
    await access(BUSYBOX);
  } catch {
    throw new Error(`${BUSYBOX} is missing: apt-get install -y --no-install-recommends busybox-static`);
  }
  // ldd exits non-zero for a static binary; its words are what matter.
  const report = await promisify(execFile)("ldd", [BUSYBOX]).then(
    ({ stdout, stderr }) => stdout + stderr,
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`,
  );
  if (!/not a dynamic executable|statically linked/.test(report)) {
    throw new Error(`${BUSYBOX} is dynamically linked (install busybox-static): ldd says ${report.trim()}`);
  }
}

function recipe(): RootfsEntry[] {
  return [
    { type: "host", path: "/bin/busybox", source: BUSYBOX, mode: 0o755 },
    ...APPLETS.map((applet): RootfsEntry => ({ type: "symlink", path: `/bin/${applet}`, target: "busybox" })),
    { type: "directory", path: "/tmp", mode: 0o1777 },
    { type: "directory", path: "/proc" },
    { type: "directory", path: "/sys" },
    { type: "directory", path: "/dev" },
    {
      type: "file",
      path: "/etc/passwd",
      content: "root:x:0:0:root:/:/bin/sh\nnode:x:1000:1000::/tmp:/bin/sh\n",
    },
    { type: "file", path: "/etc/group", content: "root:x:0:\nnode:x:1000:\n" },
  ];
}

let cached: Promise<string> | undefined;

/** The tiny image's reference, importing it first if this recipe has not been imported yet. */
export function tinyImage(engine: ContainerEngine): Promise<string> {
  cached ??= (async () => {
    await checkStaticBusybox();
    const entries = recipe();
    const digest = createHash("sha256")
      .update(await rootfsDigest(entries))
      .update(JSON.stringify({ CHANGES, LABELS }))
      .digest("hex");
    const tag = digest.slice(0, 20);
    const reference = `${TINY_IMAGE_REPOSITORY}:${tag}`;
    if (!(await engine.imageExists(reference))) {
      await engine.importImage(packRootfs(entries), {
        repository: TINY_IMAGE_REPOSITORY,
        tag,
        changes: CHANGES,
        labels: LABELS,
      });
    }
    return reference;
  })();
  return cached;
}
