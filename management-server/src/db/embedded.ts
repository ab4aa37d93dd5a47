// The embedded default: PGlite (PostgreSQL compiled to WebAssembly) in this process, its data under the
// state directory, served over the Postgres wire protocol on a unix socket in that (0700) directory, so
// the same `pg` code runs against it and only this user can connect. A lock file keeps a second
// process from opening the same data directory, which PGlite would corrupt.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { StartupError } from "@clawden/kit/server";
import type pg from "pg";

/** The port number only names the socket file (`.s.PGSQL.<port>`), as PostgreSQL's own sockets do. */
const SOCKET_PORT = 5432;

export interface EmbeddedPostgres {
  /** Connection settings for a pool in this process. */
  poolConfig: pg.PoolConfig;
  /** The same as a URL, for other local processes (the admin CLI). */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const lockPathIn = (stateDir: string) => path.join(stateDir, "pglite.lock");

/** How a process on this host connects to the embedded database served from `stateDir`. */
export function embeddedPoolConfig(stateDir: string): pg.PoolConfig {
  return { host: path.join(stateDir, "run"), port: SOCKET_PORT, user: "postgres", database: "postgres" };
}

/** The pid of the live process serving the embedded database in `stateDir`, or null. */
export function embeddedDatabaseHolder(stateDir: string): number | null {
  let holder: number;
  try {
    holder = Number(readFileSync(lockPathIn(stateDir), "utf8"));
  } catch {
    return null;
  }
  return pidAlive(holder) ? holder : null;
}

function acquireLock(lockPath: string, dataDir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockPath, "utf8"));
      if (pidAlive(holder) && holder !== process.pid) {
        throw new StartupError(
          `the embedded database in ${dataDir} is in use by process ${holder}; stop it, or set DATABASE_URL`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new StartupError(`could not lock the embedded database in ${dataDir}`);
}

export async function startEmbeddedPostgres(stateDir: string): Promise<EmbeddedPostgres> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const dataDir = path.join(stateDir, "pglite");
  const socketDir = path.join(stateDir, "run");
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  const lockPath = lockPathIn(stateDir);
  acquireLock(lockPath, dataDir);
  const socketPath = path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  // Left behind by a process that was killed: we hold the lock, so it is stale.
  rmSync(socketPath, { force: true });
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create(dataDir);
    // Many pg clients may connect; the multiplexer runs one transaction at a time across them.
    server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 64 });
    await server.start();
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    rmSync(lockPath, { force: true });
    throw new StartupError(
      `could not open the embedded database in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const started = { db, server };
  return {
    poolConfig: embeddedPoolConfig(stateDir),
    url: `postgres://postgres@${encodeURIComponent(socketDir)}:${SOCKET_PORT}/postgres`,
    dataDir,
    async stop() {
      await started.server.stop();
      await started.db.close();
      rmSync(socketPath, { force: true });
      rmSync(lockPath, { force: true });
    },
  };
}
