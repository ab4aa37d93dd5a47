// Builds the packages (tsc for servers and the kit, vite for the web apps), each only when its inputs
// changed since its last build: the hash of its inputs is kept in dist/.inputs-hash. Used by
// `npm start`, `npm test` and the e2e tests' global set-up, so a second run costs a few milliseconds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const shared = ["tsconfig.base.json", "tsconfig.build.base.json", "pnpm-lock.yaml"];
const tscInputs = (dir) => [`${dir}/src`, `${dir}/package.json`, `${dir}/tsconfig.build.json`];
// What tsc compiles of the kit (its browser-only src/ui is bundled by Vite into the apps instead).
const kitServerInputs = [
  "kit/src/server",
  "kit/src/db",
  "kit/src/testing",
  "kit/package.json",
  "kit/tsconfig.build.json",
];

/** In dependency order. */
export const PACKAGES = [
  { name: "kit", kind: "tsc", inputs: [...kitServerInputs, ...shared] },
  ...["management-server", "agent-server", "relay-server", "group-vault"].map((name) => ({
    name,
    kind: "tsc",
    inputs: [...tscInputs(name), ...kitServerInputs, ...shared],
    // Files tsc does not emit but the server reads at run time.
    assets: ["management-server", "agent-server"].includes(name)
      ? [["src/db/migrations", "dist/db/migrations"]]
      : [],
  })),
  ...["user-ui", "admin-ui"].map((name) => ({
    name,
    kind: "vite",
    inputs: [
      `${name}/src`,
      `${name}/index.html`,
      `${name}/vite.config.ts`,
      `${name}/package.json`,
      `${name}/public`,
      // The web apps bundle @clawden/kit/ui from its sources.
      "kit/src/ui",
      "kit/package.json",
      "pnpm-lock.yaml",
    ],
  })),
];

function listFiles(target, out) {
  if (!existsSync(target)) return;
  const stat = statSync(target);
  if (stat.isFile()) {
    out.push(target);
    return;
  }
  for (const entry of readdirSync(target).sort()) {
    if (entry === "node_modules" || entry === "dist") continue;
    listFiles(path.join(target, entry), out);
  }
}

export function inputsHash(inputs) {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(BUILD_ENV));
  const files = [];
  for (const input of inputs) listFiles(path.join(root, input), files);
  for (const file of files) {
    hash.update(path.relative(root, file));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/**
 * What every build is made for: production. A build started from the tests (NODE_ENV=test) would
 * otherwise bundle development builds of libraries (Lit's dev mode), and the cache would hand that
 * bundle to `npm start` later.
 */
const BUILD_ENV = { NODE_ENV: "production" };

function runTool(cwd, bin, args) {
  const result = spawnSync(path.join(cwd, "node_modules", ".bin", bin), args, {
    cwd,
    stdio: "inherit",
    env: { ...process.env, ...BUILD_ENV },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (exit code ${result.status})`);
}

function copyDir(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = path.join(from, entry);
    if (statSync(source).isDirectory()) copyDir(source, path.join(to, entry));
    else writeFileSync(path.join(to, entry), readFileSync(source));
  }
}

/** Builds one package if its inputs changed; returns true when it built. */
export function buildPackage(pkg, log = (m) => process.stdout.write(`» ${m}\n`)) {
  const dir = path.join(root, pkg.name);
  const stamp = path.join(dir, "dist", ".inputs-hash");
  const hash = inputsHash(pkg.inputs);
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return false;
  log(`building ${pkg.name}`);
  if (pkg.kind === "tsc") {
    runTool(root, "tsc", ["-p", path.join(pkg.name, "tsconfig.build.json")]);
    for (const [from, to] of pkg.assets ?? []) copyDir(path.join(dir, from), path.join(dir, to));
  } else {
    runTool(dir, "vite", ["build", "--logLevel", "warn"]);
  }
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, hash);
  return true;
}

/** Builds every package whose name is in `names` (all by default), in dependency order. */
export function buildPackages(names = PACKAGES.map((p) => p.name), log) {
  const built = [];
  for (const pkg of PACKAGES) {
    if (names.includes(pkg.name) && buildPackage(pkg, log)) built.push(pkg.name);
  }
  return built;
}
