// `npm test`: every check and every test, against real services. Installs what is missing (pnpm,
// dependencies, Docker engine, PostgreSQL, Chromium, busybox-static for the tiny test image, oathtool
// for the TOTP cross-check), starts the Docker engine and a private PostgreSQL when they are not running, builds what changed, runs the
// static checks (typecheck, lint, format) and then the unit, integration and browser tests in one
// vitest run. The last line it prints is the total: `N passed, N failed[, N skipped]`.
// Extra arguments go to vitest (e.g. `npm test -- --project unit management-server`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { buildPackages } from "./lib/build.mjs";
import { ensureTestPostgres } from "./lib/postgres.mjs";
import {
  ensureDebPackages,
  ensureDocker,
  ensureNode,
  ensurePnpm,
  IMAGE_BUILD_PACKAGES,
  installDependencies,
  root,
  step,
} from "./lib/system.mjs";

const stateDir = path.join(root, ".test-state");
const vitestArgs = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function summary() {
  const parts = [`${totals.passed} passed`, `${totals.failed} failed`];
  if (totals.skipped > 0) parts.push(`${totals.skipped} skipped`);
  return parts.join(", ");
}

function finish() {
  if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join("; ")}\n`);
  process.stdout.write(`${summary()}\n`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

function staticCheck(name, bin, args) {
  step(name);
  const result = spawnSync(bin, args, { cwd: root, stdio: "inherit" });
  if (result.status === 0) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
}

async function main() {
  const began = Date.now();
  ensureNode();
  mkdirSync(stateDir, { recursive: true });
  const wanted = [...IMAGE_BUILD_PACKAGES];
  if (!existsSync("/usr/bin/chromium")) wanted.push("chromium");
  // An independent TOTP implementation our codes are checked against.
  wanted.push("oathtool");
  ensureDebPackages(
    wanted,
    "the OpenClaw image, the tiny test image, the browser tests and the TOTP cross-check",
  );
  const pnpm = ensurePnpm();
  installDependencies(pnpm);
  await ensureDocker(stateDir);
  const databaseUrl = await ensureTestPostgres(stateDir);
  buildPackages();
  // The OpenClaw image the agent tests share: built once, then found by its recipe tag.
  const image = spawnSync(
    process.execPath,
    [path.join(root, "agent-server", "dist", "image", "build-main.js")],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (image.status !== 0) throw new Error("building the OpenClaw image failed");
  step(`set-up done in ${((Date.now() - began) / 1000).toFixed(1)} s`);

  // Static checks count as one test each, so a type or lint error fails the run like a failing test.
  if (vitestArgs.length === 0) {
    const bin = (name) => path.join(root, "node_modules", ".bin", name);
    staticCheck("typecheck", pnpm, [
      "-r",
      "--workspace-concurrency=2",
      "--reporter-hide-prefix",
      "run",
      "typecheck",
    ]);
    staticCheck("lint", bin("eslint"), ["--max-warnings=0", "."]);
    staticCheck("format", bin("prettier"), ["--check", "--log-level=warn", "."]);
  }

  const results = path.join(stateDir, "vitest-results.json");
  rmSync(results, { force: true });
  step("vitest: unit, integration and browser tests");
  const run = spawnSync(
    path.join(root, "node_modules", ".bin", "vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${results}`, ...vitestArgs],
    { cwd: root, stdio: "inherit", env: { ...process.env, TEST_DATABASE_URL: databaseUrl } },
  );
  if (!existsSync(results)) {
    totals.failed++;
    failures.push(`vitest ended (code ${run.status}) without results`);
    return;
  }
  const report = JSON.parse(readFileSync(results, "utf8"));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A test file that fails to load, or a failing set-up/teardown, has no failed test but is a failure.
  const brokenSuites = report.testResults.filter(
    (r) => r.status === "failed" && r.assertionResults.every((a) => a.status !== "failed"),
  );
  for (const suite of brokenSuites) {
    totals.failed++;
    failures.push(`${path.relative(root, suite.name)}: ${suite.message?.split("\n")[0] ?? "failed to run"}`);
  }
  if (run.status !== 0 && totals.failed === 0) {
    totals.failed++;
    failures.push(`vitest exited with code ${run.status}`);
  }
}

main()
  .catch((error) => {
    totals.failed++;
    failures.push(`set-up: ${error instanceof Error ? error.message : String(error)}`);
  })
  .finally(finish);
