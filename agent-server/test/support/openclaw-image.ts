// The real OpenClaw image for integration tests: built once by ensureOpenClawImage (a cold build
// downloads ~600 MB with npm and takes about a minute; afterwards it is found by its recipe tag in well
// under a second). It is the product image (label clawden.image=openclaw), shared by every test file
// and every run, and never removed by tests. Concurrent test files and processes wait on the build
// lock rather than building twice.
import type { ContainerEngine } from "../../src/adapters/container-engine.js";
import { ensureOpenClawImage, type EnsureImageResult } from "../../src/image/build.js";

let cached: Promise<EnsureImageResult> | undefined;

/** The OpenClaw image's reference (building it first if this recipe has no image yet). */
export function openClawImage(engine: ContainerEngine): Promise<EnsureImageResult> {
  cached ??= ensureOpenClawImage({
    engine,
    onProgress: (line) => process.stderr.write(`[openclaw image] ${line}\n`),
  });
  return cached;
}
