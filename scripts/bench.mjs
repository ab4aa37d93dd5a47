// `npm run bench`: the same set-up as the tests (dependencies, Docker engine, the test PostgreSQL, the
// OpenClaw image), then the benchmarks in bench/run.ts. Arguments go to the benchmark (`-- --runs 5`).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildPackages } from "./lib/build.mjs";
import { ensureTestPostgres } from "./lib/postgres.mjs";
import {
  ensureDebPackages,
  ensureDocker,
  ensureNode,
  ensurePnpm,
  fail,
  IMAGE_BUILD_PACKAGES,
  installDependencies,
  root,
} from "./lib/system.mjs";

async function main() {
  ensureNode();
  ensureDebPackages(IMAGE_BUILD_PACKAGES, "building the OpenClaw image");
  installDependencies(ensurePnpm());
  const stateDir = path.join(root, ".test-state");
  await ensureDocker(stateDir);
  const databaseUrl = await ensureTestPostgres(stateDir);
  buildPackages(["kit", "agent-server"]);
  const env = { ...process.env, TEST_DATABASE_URL: databaseUrl };
  const image = spawnSync(
    process.execPath,
    [path.join(root, "agent-server", "dist", "image", "build-main.js")],
    {
      stdio: "inherit",
      env,
    },
  );
  if (image.status !== 0) fail("building the OpenClaw image failed");
  const bench = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", path.join(root, "bench", "run.ts"), ...process.argv.slice(2)],
    { cwd: root, stdio: "inherit", env },
  );
  process.exit(bench.status ?? 1);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
