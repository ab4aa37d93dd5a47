// System set-up shared by `npm start` and `npm test`: everything a fresh Debian/Ubuntu machine with only
// Node and npm lacks. Plain Node ESM with no dependencies, because it runs before `pnpm install`.
// Every step checks first and acts only when something is missing, so a second run costs milliseconds.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..", "..");

/** What building the OpenClaw image needs from the distribution (see agent-server/README.md). */
export const IMAGE_BUILD_PACKAGES = ["busybox-static", "binutils", "ca-certificates"];

export function step(message) {
  process.stdout.write(`» ${message}\n`);
}

export function fail(message) {
  process.stderr.write(`✖ ${message}\n`);
  process.exit(1);
}

/** Runs a command to completion with inherited output; throws with the command line on failure. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", ...options });
  if (result.error) throw new Error(`${cmd} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${result.status}`);
  return result;
}

/** Runs a command and returns trimmed stdout, or null when it cannot run or fails. */
export function capture(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}

export function which(binary) {
  return capture("sh", ["-c", `command -v ${binary}`]);
}

export function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Prefix for commands that need root: nothing as root, `sudo -n` otherwise (fails clearly without it). */
function asRoot(cmd, args) {
  if (isRoot()) return [cmd, args];
  if (!which("sudo")) {
    throw new Error(`'${cmd} ${args.join(" ")}' needs root and sudo is not installed; run it as root once`);
  }
  return ["sudo", ["-n", cmd, ...args]];
}

function dpkgInstalled(pkg) {
  const status = capture("dpkg-query", ["-W", "-f=${Status}", pkg]);
  return status !== null && status.includes("install ok installed");
}

/** Installs Debian packages that are not installed yet (apt-get, without recommended extras). */
export function ensureDebPackages(packages, why) {
  const missing = packages.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  if (!which("apt-get")) {
    throw new Error(`${why} needs the packages ${missing.join(", ")}, and apt-get is not available here`);
  }
  step(`installing ${missing.join(", ")} from the distribution (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const aptLists = existsSync("/var/lib/apt/lists") ? readdirSync("/var/lib/apt/lists") : [];
  if (!aptLists.some((f) => /_Packages(\.\w+)?$/.test(f))) {
    const [c, a] = asRoot("apt-get", ["update", "-qq"]);
    run(c, a, { env });
  }
  const [cmd, args] = asRoot("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing]);
  try {
    run(cmd, args, { env });
  } catch {
    // Package lists may be stale on a machine that has not updated in a while: refresh once, retry.
    const [c, a] = asRoot("apt-get", ["update", "-qq"]);
    run(c, a, { env });
    run(cmd, args, { env });
  }
}

/** Checks Node's version against package.json's engines field. */
export function ensureNode() {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const wanted = pkg.engines.node.replace(/^>=/, "").split(".").map(Number);
  const have = process.versions.node.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if (have[i] > wanted[i]) return;
    if (have[i] < wanted[i])
      fail(`Node ${pkg.engines.node} is required; this is Node ${process.versions.node}`);
  }
}

/** Installs the pnpm version pinned in package.json's packageManager into .tools/, once. */
export function ensurePnpm() {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const version = pkg.packageManager.replace(/^pnpm@/, "");
  const toolsDir = path.join(root, ".tools");
  const bin = path.join(toolsDir, "node_modules", ".bin", "pnpm");
  if (existsSync(bin) && capture(bin, ["--version"]) === version) return bin;
  step(`installing pnpm ${version} into .tools/`);
  mkdirSync(toolsDir, { recursive: true });
  run("npm", [
    "install",
    "--prefix",
    toolsDir,
    "--no-save",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    `pnpm@${version}`,
  ]);
  return bin;
}

/** `pnpm install`, skipped when nothing that decides the installed tree changed since the last one. */
export function installDependencies(pnpm) {
  const marker = path.join(root, "node_modules", ".pnpm", "lock.yaml");
  const lock = path.join(root, "pnpm-lock.yaml");
  if (existsSync(marker) && existsSync(lock) && readFileSync(marker, "utf8") === readFileSync(lock, "utf8")) {
    const manifests = capture("git", [
      "-C",
      root,
      "status",
      "--porcelain",
      "--",
      "package.json",
      "*/package.json",
    ]);
    if (manifests === "") return;
  }
  step("installing dependencies (pnpm install)");
  const args = ["install", "--reporter=append-only"];
  if (process.env.CI) args.push("--frozen-lockfile");
  run(pnpm, args, { cwd: root });
}

/** Asks the engine's socket for GET /_ping: "answers", "denied" (no permission on the socket) or "down". */
function probeDocker(socketPath = dockerSocket()) {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: "/_ping", timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? "answers" : "down");
    });
    req.on("error", (error) => resolve(error.code === "EACCES" ? "denied" : "down"));
    req.on("timeout", () => {
      req.destroy();
      resolve("down");
    });
    req.end();
  });
}

export function dockerSocket() {
  const host = process.env.DOCKER_HOST;
  if (host && host.startsWith("unix://")) return host.slice("unix://".length);
  return "/var/run/docker.sock";
}

/**
 * Makes sure a Docker engine answers: installs Debian's docker.io when there is no engine, then starts
 * it through systemd where systemd runs, else as a background dockerd logging to stateDir.
 */
export async function ensureDocker(stateDir) {
  const denied = () =>
    new Error(
      `the Docker engine's socket (${dockerSocket()}) refuses this user: add the user to the 'docker' group`,
    );
  const first = await probeDocker();
  if (first === "answers") return;
  // An engine runs but we may not use it: starting a second one would not help.
  if (first === "denied") throw denied();
  if (process.env.DOCKER_HOST && !process.env.DOCKER_HOST.startsWith("unix://")) {
    throw new Error(`DOCKER_HOST=${process.env.DOCKER_HOST} does not answer`);
  }
  if (!which("dockerd")) ensureDebPackages(["docker.io"], "the Docker engine");
  if ((await probeDocker()) === "answers") return;
  const systemd = existsSync("/run/systemd/system");
  if (systemd) {
    step("starting the Docker engine (systemctl start docker)");
    const [cmd, args] = asRoot("systemctl", ["start", "docker"]);
    run(cmd, args);
  } else {
    mkdirSync(stateDir, { recursive: true });
    const log = path.join(stateDir, "dockerd.log");
    step(`starting the Docker engine (dockerd, log in ${path.relative(root, log)})`);
    const out = openSync(log, "a");
    const [cmd, args] = asRoot("dockerd", []);
    const child = spawn(cmd, args, { detached: true, stdio: ["ignore", out, out] });
    child.unref();
  }
  // A freshly installed engine's socket belongs to root:docker: "denied" ends the wait at once.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const state = await probeDocker();
    if (state === "answers") return;
    if (state === "denied") throw denied();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the Docker engine did not come up within 60 s");
}
