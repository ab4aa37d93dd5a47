// Unit tests of what the build reads from the host: ldd's report, and the libraries of a real binary.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCacheDir } from "./npm-trees.js";
import { parseLdd, sharedLibraries } from "./host.js";

describe("parseLdd", () => {
  it("reads libraries, the loader and what is missing, skipping the vDSO", () => {
    const output = [
      "\tlinux-vdso.so.1 (0x00007ffd0a1f2000)",
      "\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007fd133800000)",
      "\tlibc.musl-x86_64.so.1 => not found",
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fd13361e000)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007fd133d3c000)",
      "",
    ].join("\n");
    expect(parseLdd(output)).toEqual({
      libraries: [
        { soname: "libstdc++.so.6", path: "/lib/x86_64-linux-gnu/libstdc++.so.6" },
        { soname: "libc.so.6", path: "/lib/x86_64-linux-gnu/libc.so.6" },
      ],
      loader: "/lib64/ld-linux-x86-64.so.2",
      missing: ["libc.musl-x86_64.so.1"],
    });
  });

  it("reads a static binary as needing nothing", () => {
    expect(parseLdd("\tnot a dynamic executable\n")).toEqual({ libraries: [], loader: null, missing: [] });
  });
});

describe("sharedLibraries", () => {
  it("places this node's libraries and loader at the paths ldd reports, with their real files", async () => {
    const { placements, unresolved } = await sharedLibraries([process.execPath], []);
    expect(unresolved).toEqual([]);
    const libc = placements.find((p) => path.basename(p.imagePath) === "libc.so.6");
    expect(libc?.source).toMatch(/libc\.so\.6$/);
    expect(placements.some((p) => /ld-linux/.test(p.imagePath))).toBe(true);
    expect(placements.map((p) => p.imagePath)).toEqual([...placements.map((p) => p.imagePath)].sort());
  });
});

describe("defaultCacheDir", () => {
  it("is CLAWDEN_IMAGE_CACHE_DIR, else under XDG_CACHE_HOME, else ~/.cache", () => {
    expect(defaultCacheDir({ CLAWDEN_IMAGE_CACHE_DIR: "/srv/cache" })).toBe("/srv/cache");
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x" })).toBe("/x/clawden/image-build");
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/clawden\/image-build$/);
  });
});
