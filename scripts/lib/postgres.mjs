// A private PostgreSQL server for the test suite: Debian's postgresql binaries, its own data directory
// under .test-state/, loopback only, password authentication (scram) with a password kept in a 0600 file.
// Started when not running; left running afterwards so the next `npm test` finds it up.
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { capture, ensureDebPackages, isRoot, run, step } from "./system.mjs";

export const TEST_PG_PORT = Number(process.env.CLAWDEN_TEST_PG_PORT ?? 55432);

function postgresBinDir() {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(base, versions[0], "bin") : null;
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** PostgreSQL refuses to run as root; as root the cluster belongs to the distribution's postgres user. */
function runAsOwner(bin, args) {
  if (!isRoot()) return run(bin, args, { stdio: ["ignore", "ignore", "inherit"] });
  return run("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: ["ignore", "ignore", "inherit"] });
}

function ownerIds() {
  const uid = Number(capture("id", ["-u", "postgres"]));
  const gid = Number(capture("id", ["-g", "postgres"]));
  return { uid, gid };
}

/** Returns a superuser connection URL for the test server, starting (and first creating) it as needed. */
export async function ensureTestPostgres(stateDir) {
  // As root the cluster runs as the postgres user, which may not be able to enter this checkout (a
  // checkout under /root, say), so it lives in that user's own home instead.
  const dataDir = isRoot() ? `/var/lib/postgresql/clawden-test-${TEST_PG_PORT}` : path.join(stateDir, "pg");
  const port = TEST_PG_PORT;
  let bin = postgresBinDir();
  if (!bin) {
    ensureDebPackages(["postgresql"], "PostgreSQL for the tests");
    bin = postgresBinDir();
    if (!bin) throw new Error("postgresql is installed but no pg_ctl was found under /usr/lib/postgresql");
  }
  // The password lives beside the cluster (root-only when the cluster is the postgres user's), so the two
  // never part: a fresh checkout on the same machine finds both.
  const passwordFile = `${dataDir}.password`;
  mkdirSync(stateDir, { recursive: true });
  if (existsSync(path.join(dataDir, "PG_VERSION")) && !existsSync(passwordFile)) {
    step("the test PostgreSQL cluster has lost its password file: recreating it");
    if (await portAnswers(port))
      runAsOwner(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]);
    run("rm", ["-rf", dataDir]);
  }
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    step(`creating the test PostgreSQL cluster in ${dataDir}`);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const password = randomBytes(24).toString("base64url");
    writeFileSync(passwordFile, password, { mode: 0o600 });
    const pwfile = path.join(path.dirname(dataDir), `clawden-test-${port}-initpw`);
    writeFileSync(pwfile, password, { mode: 0o600 });
    if (isRoot()) {
      const { uid, gid } = ownerIds();
      chownSync(dataDir, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    try {
      runAsOwner(path.join(bin, "initdb"), [
        "-D",
        dataDir,
        "-U",
        "clawden",
        "--pwfile",
        pwfile,
        "--auth=scram-sha-256",
        "-E",
        "UTF8",
        "--no-locale",
      ]);
    } finally {
      run("rm", ["-f", pwfile]);
    }
    // Loopback only, socket in the data directory, sized for a test suite that opens a few pools.
    const conf = [
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = '${dataDir}'`,
      "max_connections = 200",
      "fsync = off",
      "synchronous_commit = off",
      "full_page_writes = off",
      "shared_buffers = 128MB",
    ].join("\n");
    writeFileSync(path.join(dataDir, "postgresql.auto.conf"), `${conf}\n`);
    if (isRoot()) {
      const { uid, gid } = ownerIds();
      chownSync(path.join(dataDir, "postgresql.auto.conf"), uid, gid);
    }
  }
  if (!(await portAnswers(port))) {
    step(`starting the test PostgreSQL on 127.0.0.1:${port}`);
    runAsOwner(path.join(bin, "pg_ctl"), [
      "-D",
      dataDir,
      "-l",
      path.join(dataDir, "server.log"),
      "-w",
      "-t",
      "60",
      "start",
    ]);
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  return `postgres://clawden:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}
