// `npm start`: the whole platform on this machine with the embedded database. Installs what is missing
// (pnpm, dependencies, a Docker engine), builds what changed, starts every server, waits until each is
// ready, prints the URLs and a one-time sign-in link for the first administrator, and stops everything
// on Ctrl-C. Logs: readable on the console, full JSON in .clawden/logs/<server>.log.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { buildPackages } from "./lib/build.mjs";
import { formatLogLine } from "./lib/log-format.mjs";
import { ensureSecrets } from "./lib/secrets.mjs";
import {
  ensureDebPackages,
  ensureDocker,
  ensureNode,
  ensurePnpm,
  fail,
  IMAGE_BUILD_PACKAGES,
  installDependencies,
  root,
  run,
} from "./lib/system.mjs";

const started = Date.now();
const stateDir = path.resolve(process.env.CLAWDEN_STATE_DIR ?? path.join(root, ".clawden"));
const basePort = Number(process.env.CLAWDEN_BASE_PORT ?? 8080);
const adminEmail = process.env.CLAWDEN_ADMIN_EMAIL ?? "admin@clawden.local";
const host = "127.0.0.1";

const servers = [
  { name: "management-server", port: basePort },
  { name: "agent-server", port: basePort + 1 },
  { name: "group-vault", port: basePort + 2 },
  { name: "relay-server", port: basePort + 3 },
].map((s) => ({ ...s, url: `http://${host}:${s.port}` }));
const urlOf = (name) => servers.find((s) => s.name === name).url;
const publicUrl = process.env.PUBLIC_URL ?? urlOf("management-server");

const managementStateDir = path.join(stateDir, "management");
// Without DATABASE_URL, agent-server keeps its schema in management-server's embedded database,
// reached through its unix socket.
const databaseUrl =
  process.env.DATABASE_URL ??
  `postgres://postgres@${encodeURIComponent(path.join(managementStateDir, "run"))}:5432/postgres`;

function envFor(server, secrets) {
  const common = { ...process.env, HOST: host, PORT: String(server.port), NODE_ENV: "production" };
  if (server.name === "management-server") {
    return {
      ...common,
      PUBLIC_URL: publicUrl,
      STATE_DIR: managementStateDir,
      AGENT_SERVER_URL: urlOf("agent-server"),
      GROUP_VAULT_URL: urlOf("group-vault"),
      RELAY_SERVER_URL: urlOf("relay-server"),
      AGENT_API_TOKEN_FILE: secrets["agent-api-token"],
      SECRET_KEYS_FILE: secrets["management-secret-keys"],
    };
  }
  if (server.name === "agent-server") {
    return {
      ...common,
      DATABASE_URL: databaseUrl,
      AGENT_API_TOKEN_FILE: secrets["agent-api-token"],
      AGENT_SECRET_KEYS_FILE: secrets["agent-secret-keys"],
    };
  }
  return common;
}

async function waitReady(server, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${server.name} exited with code ${child.exitCode} while starting`);
    try {
      const res = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${server.name} was not ready within ${timeoutMs / 1000} s (see .clawden/logs/${server.name}.log)`,
  );
}

async function main() {
  ensureNode();
  const pnpm = ensurePnpm();
  installDependencies(pnpm);
  ensureDebPackages(IMAGE_BUILD_PACKAGES, "building the OpenClaw image");
  await ensureDocker(stateDir);
  buildPackages();
  mkdirSync(path.join(stateDir, "logs"), { recursive: true, mode: 0o700 });
  // The users' OpenClaw image: built once (about a minute, downloads cached), then found by its tag.
  run(process.execPath, [path.join(root, "agent-server", "dist", "image", "build-main.js")], { cwd: root });

  const children = [];
  let stopping = false;
  const stopAll = (code) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("\n» stopping every server\n");
    for (const { child } of children) if (child.exitCode === null) child.kill("SIGTERM");
    Promise.all(
      children.map(({ child }) =>
        child.exitCode === null ? new Promise((r) => child.once("exit", r)) : null,
      ),
    ).then(() => process.exit(code));
  };
  process.on("SIGINT", () => stopAll(0));
  process.on("SIGTERM", () => stopAll(0));
  process.on("SIGHUP", () => stopAll(0));
  // Should this script die some other way, take the servers with it.
  process.on("exit", () => {
    for (const { child } of children) if (child.exitCode === null) child.kill("SIGTERM");
  });

  const secrets = ensureSecrets(stateDir);
  const launch = (server) => {
    const entry = path.join(root, server.name, "dist", "main.js");
    // Own process group: Ctrl-C reaches only this script, which then stops each server exactly once.
    const child = spawn(process.execPath, [entry], {
      detached: true,
      cwd: root,
      env: envFor(server, secrets),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const logFile = createWriteStream(path.join(stateDir, "logs", `${server.name}.log`), {
      flags: "a",
      mode: 0o600,
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        logFile.write(`${line}\n`);
        const shown = formatLogLine(server.name, line);
        if (shown) process.stdout.write(`${shown}\n`);
      });
    }
    child.on("exit", (code, signal) => {
      if (!stopping) {
        process.stderr.write(`✖ ${server.name} stopped unexpectedly (${signal ?? `exit code ${code}`})\n`);
        stopAll(1);
      }
    });
    children.push({ server, child });
    return waitReady(server, child);
  };
  try {
    // management-server first: without DATABASE_URL it serves the database agent-server uses.
    await launch(servers[0]);
    await Promise.all(servers.slice(1).map(launch));
  } catch (error) {
    process.stderr.write(`✖ ${error.message}\n`);
    stopAll(1);
    return;
  }

  // The first administrator: created (or found) and given a fresh one-time link, printed here only.
  const cli = spawnSync(
    process.execPath,
    [path.join(root, "management-server", "dist", "cli.js"), "create-admin", adminEmail],
    {
      cwd: root,
      env: envFor(servers[0], secrets),
      encoding: "utf8",
    },
  );
  if (cli.status !== 0) {
    process.stderr.write(cli.stderr);
    stopAll(1);
    return;
  }
  const link = cli.stdout.match(/https?:\/\/\S+/)?.[0];
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = [
    "",
    `Clawden is running (ready in ${seconds} s). Press Ctrl-C to stop.`,
    "",
    `  User app          ${publicUrl}/`,
    `  Admin app         ${publicUrl}/admin/`,
    ...servers.map((s) => `  ${s.name.padEnd(17)} ${s.url}   (/healthz /readyz /metrics)`),
    `  Database          embedded PGlite in ${path.relative(root, path.join(stateDir, "management"))}${process.env.DATABASE_URL ? " (DATABASE_URL is set: using it instead)" : ""}`,
    `  Logs              ${path.relative(root, path.join(stateDir, "logs"))}/`,
    "",
    `  Sign in as the first administrator (${adminEmail}) with this one-time link, valid 60 minutes:`,
    `  ${link}`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
