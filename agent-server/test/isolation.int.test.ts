// Isolation and resource limits, proven from inside real users' containers (the real engine, the real
// OpenClaw image, agent-server as it runs): two users' agents A and B on one agent-server; from inside
// A, with the container's own node, probes try B's gateway, agent-server's API, PostgreSQL and a
// loopback-only host service at every address of the host, look for the Docker socket and the host's
// files, run a fork bomb and a memory hog. Each refusal sits beside a control that the same probe
// succeeds where it should (A's own gateway; the stub upstream, bound to docker0's address as the
// operator's allowed path out), so a failure to connect means isolation, not a broken probe. Last, a
// gateway that stops for another reason after a process was OOM-killed is not reported as out of memory.
import { execFile } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { connect, createServer, type AddressInfo, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentNames } from "../src/domain/names.js";
import { gatewayReady } from "../src/runtime/gateway.js";
import {
  dockerBridgeGateway,
  newUserId,
  startTestAgentServer,
  type TestAgentServer,
} from "./support/agent-server.js";
import { engine } from "./support/engine.js";
import { collectEvents, type EventCollector } from "./support/events.js";

const MiB = 1024 * 1024;
const GATEWAY_PORT = 18789;
const NODE = "/usr/local/bin/node";
const log = (line: string) => process.stderr.write(`[isolation] ${line}\n`);

let t: TestAgentServer;
let events: EventCollector;
/** A service on the host bound to 127.0.0.1 only, standing for "the host's other ports". */
let sentinel: Server;
const userA = newUserId();
const userB = newUserId();

interface Agent {
  userId: string;
  id: string;
  ip: string;
  /** The host's address on the agent's own network. */
  gateway: string;
}

async function agent(userId: string): Promise<Agent> {
  const names = agentNames(t.config.INSTANCE_ID, userId);
  const details = await engine.inspectContainer(names.container);
  expect(details.state.running).toBe(true);
  const net = details.networks[names.network]!;
  return { userId, id: details.id, ip: net.ipAddress, gateway: net.gateway };
}

async function ensureRunning(userId: string): Promise<void> {
  const res = await t.api(`/internal/v1/agents/${userId}/ensure-running`, {
    method: "POST",
    body: { wait: true },
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Runs a node script inside the container (as its user, 1000), with JSON arguments. */
async function nodeIn(container: string, script: string, arg: unknown = null, timeoutMs = 30_000) {
  return engine.exec(container, [NODE, "-e", script, JSON.stringify(arg)], { timeoutMs });
}

// ---- the probe, run inside a container ------------------------------------------------------------

interface Target {
  host: string;
  port: number;
  what: string;
  /** Also send `GET <path>` once connected, and report the HTTP status. */
  http?: string;
}
interface ProbeResult extends Target {
  /** "connected", or why not: "timeout", "ECONNREFUSED", "EHOSTUNREACH", ... */
  outcome: string;
  status?: number;
  ms: number;
}

// Plain TCP connects (and an optional HTTP GET) in parallel, each given `timeoutMs`.
const PROBE = String.raw`
const net = require("node:net");
const { targets, timeoutMs } = JSON.parse(process.argv[1]);
function probe(target) {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: target.host, port: target.port });
    let settled = false;
    const done = (outcome, extra = {}) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...target, outcome, ...extra, ms: Date.now() - started });
    };
    const timer = setTimeout(() => done(socket.connecting ? "timeout" : "connected"), timeoutMs);
    socket.once("error", (e) => done(e.code || String(e)));
    socket.once("connect", () => {
      if (!target.http) return done("connected");
      let head = "";
      socket.on("data", (chunk) => {
        head += chunk.toString("latin1");
        const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
        if (m) done("connected", { status: Number(m[1]) });
      });
      socket.on("end", () => done("connected"));
      socket.write("GET " + target.http + " HTTP/1.1\r\nHost: " + target.host + "\r\nConnection: close\r\n\r\n");
    });
  });
}
Promise.all(targets.map(probe)).then((r) => console.log(JSON.stringify(r)));
`;

async function probeFrom(container: string, targets: Target[], timeoutMs = 4000): Promise<ProbeResult[]> {
  const result = await nodeIn(container, PROBE, { targets, timeoutMs }, timeoutMs + 30_000);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ProbeResult[];
}

const show = (r: ProbeResult) =>
  `${r.what} ${r.host}:${r.port} -> ${r.outcome}${r.status ? ` HTTP ${r.status}` : ""} (${r.ms} ms)`;

/** Every IPv4 address of the host (docker0, every bridge's gateway, eth0, loopback). */
function hostAddresses(): string[] {
  const all = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === "IPv4")
    .map((a) => a.address);
  return [...new Set(all)];
}

// ---- set-up --------------------------------------------------------------------------------------

beforeAll(async () => {
  // The health monitor is driven by the test (checkAll) so its verdicts land at known moments.
  t = await startTestAgentServer({ HEALTH_INTERVAL_MS: "3600000" });
  events = await collectEvents(t.url, t.config.AGENT_API_TOKEN);
  sentinel = createServer((socket) => {
    socket.on("error", () => undefined); // a prober that hangs up at once is fine
    socket.end("sentinel\n");
  });
  sentinel.listen(0, "127.0.0.1");
  await once(sentinel, "listening");
  const began = performance.now();
  await Promise.all([ensureRunning(userA), ensureRunning(userB)]);
  log(`A and B running in ${((performance.now() - began) / 1000).toFixed(1)} s`);
});

afterAll(async () => {
  events?.stop();
  sentinel?.close();
  await t?.close();
});

// ---- the tests -----------------------------------------------------------------------------------

describe("from inside a user's container", () => {
  it("cannot reach another user's gateway, while its own answers", async () => {
    const a = await agent(userA);
    const b = await agent(userB);
    expect(a.ip).not.toBe(b.ip);
    const [fromA, fromB] = await Promise.all([
      probeFrom(a.id, [
        { what: "A's own gateway (control)", host: a.ip, port: GATEWAY_PORT, http: "/readyz" },
        { what: "B's gateway", host: b.ip, port: GATEWAY_PORT, http: "/readyz" },
      ]),
      probeFrom(b.id, [
        { what: "B's own gateway (control)", host: b.ip, port: GATEWAY_PORT, http: "/readyz" },
        { what: "A's gateway", host: a.ip, port: GATEWAY_PORT, http: "/readyz" },
      ]),
    ]);
    for (const r of fromA) log(`A: ${show(r)}`);
    for (const r of fromB) log(`B: ${show(r)}`);
    expect(fromA[0]).toMatchObject({ outcome: "connected", status: 200 });
    expect(fromB[0]).toMatchObject({ outcome: "connected", status: 200 });
    expect(fromA[1]!.outcome).not.toBe("connected");
    expect(fromB[1]!.outcome).not.toBe("connected");
    // B's gateway is up all along: agent-server (the host) reaches it.
    expect(await gatewayReady(b.ip)).toBe(true);
  });

  it("cannot reach agent-server's API, PostgreSQL or any loopback-only host service, at any host address; the allowed upstream is reachable", async () => {
    const a = await agent(userA);
    const b = await agent(userB);
    const docker0 = await dockerBridgeGateway();
    const api = new URL(t.url);
    const pg = new URL(t.database.url);
    // The servers under test really listen on the host's loopback only (that is what keeps them private).
    expect(api.hostname).toBe("127.0.0.1");
    expect(["127.0.0.1", "localhost"]).toContain(pg.hostname);
    const services = [
      { what: "agent-server API", port: Number(api.port), http: "/healthz" },
      { what: "PostgreSQL", port: Number(pg.port) },
      { what: "loopback-only host service", port: (sentinel.address() as AddressInfo).port },
    ];
    // Where a container can look for the host: its own network's gateway, docker0, every other address
    // of the host (eth0, other users' bridges), and 127.0.0.1 (which inside is the container's own).
    const addresses = [...new Set([a.gateway, docker0, b.gateway, ...hostAddresses()])];
    expect(addresses).toEqual(expect.arrayContaining([a.gateway, docker0, "127.0.0.1"]));
    const stubUrl = new URL(t.stub.url);
    expect(stubUrl.hostname).toBe(docker0);
    t.stub.clearRequests();
    const targets: Target[] = [
      {
        what: "stub upstream at docker0 (control)",
        host: stubUrl.hostname,
        port: Number(stubUrl.port),
        http: "/v1/models",
      },
      ...addresses.flatMap((host) => services.map((s) => ({ ...s, host }))),
    ];
    // The host itself reaches each service on its loopback (so each port is really in use).
    for (const s of services) {
      const socket = connect({ host: "127.0.0.1", port: s.port });
      socket.on("error", () => undefined);
      await once(socket, "connect");
      socket.destroy();
    }
    const results = await probeFrom(a.id, targets);
    for (const r of results) log(`A: ${show(r)}`);
    const [control, ...denied] = results;
    // The allowed path out works from the same probe, and the stub saw the container's request.
    expect(control).toMatchObject({ outcome: "connected", status: 200 });
    expect(t.stub.requests.some((r) => r.path === "/v1/models")).toBe(true);
    expect(denied).toHaveLength(addresses.length * services.length);
    for (const r of denied) expect(r.outcome, show(r)).not.toBe("connected");
  });

  it("has no Docker socket and sees none of the host's files or processes", async () => {
    const a = await agent(userA);
    const script = String.raw`
const fs = require("node:fs");
const exists = (p) => { try { fs.lstatSync(p); return true; } catch { return false; } };
const sockets = [];
const walk = (dir) => {
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) {
    const p = (dir === "/" ? "" : dir) + "/" + e.name;
    if (p === "/proc" || p === "/sys") continue;
    if (e.isSocket()) sockets.push(p);
    else if (e.isDirectory()) walk(p);
  }
};
walk("/");
const pids = fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n));
const comms = pids.map((p) => { try { return fs.readFileSync("/proc/" + p + "/comm", "utf8").trim(); } catch { return "?"; } });
console.log(JSON.stringify({
  present: JSON.parse(process.argv[1]).filter(exists),
  sockets,
  mountinfo: fs.readFileSync("/proc/self/mountinfo", "utf8"),
  comms,
  pid1: fs.readFileSync("/proc/1/cmdline", "utf8").split("\0").filter(Boolean),
}));
`;
    const paths = [
      "/var/run/docker.sock",
      "/run/docker.sock",
      "/var/run/docker",
      "/run/containerd",
      "/var/run/containerd",
      "/var/lib/docker",
      "/etc/docker",
      "/work",
      "/home/node/.docker",
    ];
    // The host has what the container must not see.
    expect((await readFile("/proc/self/mountinfo", "utf8")).length).toBeGreaterThan(0);
    const result = await nodeIn(a.id, script, paths, 60_000);
    expect(result.exitCode, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout) as {
      present: string[];
      sockets: string[];
      mountinfo: string;
      comms: string[];
      pid1: string[];
    };
    log(
      `A: present of ${paths.join(" ")}: [${seen.present.join(" ")}]; socket files: [${seen.sockets.join(" ")}]`,
    );
    log(`A: processes: ${seen.comms.join(" ")}; pid 1: ${seen.pid1.join(" ")}`);
    expect(seen.present).toEqual([]);
    expect(seen.sockets).toEqual([]);
    // Its own PID namespace: Docker's init is PID 1, and no host process (dockerd, postgres, ...) shows.
    expect(seen.pid1[0]).toMatch(/docker-init$/);
    expect(seen.comms.length).toBeLessThan(20);
    for (const host of ["dockerd", "containerd", "postgres", "systemd", "sshd"])
      expect(seen.comms).not.toContain(host);
    // Mounts: the root is the image's overlay; every mount of a host file system is one of Docker's
    // files for this container (resolv.conf, hostname, hosts) or the user's own volume; nothing else of
    // the host (its root above all) is mounted.
    const volume = agentNames(t.config.INSTANCE_ID, userA).volume;
    const mounts = seen.mountinfo
      .trim()
      .split("\n")
      .map((line) => {
        const [left, right] = line.split(" - ");
        const f = left!.split(" ");
        const [fstype, source] = right!.split(" ");
        return { root: f[3]!, point: f[4]!, options: f[5]!, fstype: fstype!, source: source! };
      });
    expect(mounts.find((m) => m.point === "/")).toMatchObject({ fstype: "overlay", root: "/" });
    const fromHostDisks = mounts.filter((m) => m.source.startsWith("/dev/"));
    for (const m of fromHostDisks) log(`A: host file system mount ${m.root} at ${m.point}`);
    expect(fromHostDisks.map((m) => m.point).sort()).toEqual([
      "/data",
      "/etc/hostname",
      "/etc/hosts",
      "/etc/resolv.conf",
      "/sbin/docker-init",
    ]);
    for (const m of fromHostDisks) {
      if (m.point === "/data") expect(m.root).toBe(`/var/lib/docker/volumes/${volume}/_data`);
      // Docker's init (tini), the one host binary Docker puts in (read-only).
      else if (m.point === "/sbin/docker-init") expect(m.options.split(",")).toContain("ro");
      else expect(m.root).toBe(`/var/lib/docker/containers/${a.id}${m.point.slice(4)}`);
    }
  });
});

// A fork bomb run with the container's node: it spawns children (`sleep`) as fast as it can, and keeps
// retrying once the kernel refuses, until it is told to stop (a TCP connection to STOP_PORT on the
// container's address; no new process is needed to stop it) or its deadline passes. Its children
// sleep only until that deadline, so nothing is left over even if it were killed.
const STOP_PORT = 7777;
const FORK_BOMB = String.raw`
const { spawn } = require("node:child_process");
const net = require("node:net");
const { port, seconds } = JSON.parse(process.argv[1]);
const deadline = Date.now() + seconds * 1000;
const children = new Set();
let spawned = 0, refused = 0, errors = {};
let stopping = false;
function stop(why) {
  if (stopping) return;
  stopping = true;
  const alive = children.size;
  for (const c of children) c.kill("SIGKILL");
  console.log(JSON.stringify({ why, spawned, refused, errors, alive }));
  process.exit(0);
}
net.createServer((s) => { s.end("stopping\n"); stop("asked"); }).listen(port, "0.0.0.0");
setTimeout(() => stop("deadline"), seconds * 1000);
function next() {
  if (stopping) return;
  if (Date.now() > deadline) return stop("deadline");
  const left = String(Math.max(1, Math.ceil((deadline - Date.now()) / 1000)));
  let child;
  try {
    child = spawn("/bin/sleep", [left], { stdio: "ignore" });
  } catch (e) {
    refused++; errors[e.code] = (errors[e.code] || 0) + 1;
    return setTimeout(next, 2);
  }
  child.once("spawn", () => { spawned++; children.add(child); setImmediate(next); });
  child.once("error", (e) => { refused++; errors[e.code] = (errors[e.code] || 0) + 1; setTimeout(next, 2); });
  child.once("exit", () => children.delete(child));
}
for (let i = 0; i < 4; i++) next();
`;

// A memory hog: allocates (and touches) 32 MiB at a time, printing its running total, until killed.
const MEMORY_HOG = String.raw`
const held = [];
let mib = 0;
for (;;) {
  held.push(Buffer.alloc(32 * 1024 * 1024, 1));
  mib += 32;
  console.log(mib);
}
`;

/** How many processes the host runs (the kernel's count in /proc/loadavg). */
async function hostProcesses(): Promise<number> {
  const loadavg = await readFile("/proc/loadavg", "utf8");
  return Number(loadavg.split(" ")[3]!.split("/")[1]);
}

async function hostCanSpawn(): Promise<number> {
  const began = performance.now();
  await promisify(execFile)("true", [], { timeout: 10_000 });
  return performance.now() - began;
}

/** The container of A in which the kernel killed a process (the hog) while the gateway lived on. */
let oomSurvivor: string | null = null;

async function stopBomb(ip: string): Promise<void> {
  const socket = connect({ host: ip, port: STOP_PORT });
  await once(socket, "connect");
  socket.destroy();
}

describe("resource limits, held from inside", () => {
  it("a fork bomb stops at the process limit; the other user, the host and the gateway carry on, and it is reported", async () => {
    const a = await agent(userA);
    const b = await agent(userB);
    const limit = (await engine.inspectContainer(a.id)).limits.pidsLimit!;
    expect(limit).toBe(t.config.DEFAULT_PIDS_LIMIT);
    const before = { a: (await engine.stats(a.id)).pids, b: (await engine.stats(b.id)).pids };
    const hostBefore = await hostProcesses();
    log(`pids before: A ${before.a}, B ${before.b} (limit ${limit}); host processes ${hostBefore}`);

    const began = performance.now();
    const bomb = nodeIn(a.id, FORK_BOMB, { port: STOP_PORT, seconds: 90 }, 120_000);
    bomb.catch(() => undefined); // awaited below; never left unhandled if the test fails first
    // Every sample: A within its limit, B ready with its own processes only, the host spawning.
    let maxA = 0;
    let maxHost = 0;
    const samples: string[] = [];
    let bReadyFrom = 0;
    let bReadyUntil = 0;
    const sample = async () => {
      const [sa, sb, bReady, spawnMs, host] = await Promise.all([
        engine.stats(a.id),
        engine.stats(b.id),
        gatewayReady(b.ip, 5000),
        hostCanSpawn(),
        hostProcesses(),
      ]);
      const at = (performance.now() - began) / 1000;
      maxA = Math.max(maxA, sa.pids);
      maxHost = Math.max(maxHost, host);
      samples.push(
        `${at.toFixed(1)}s A=${sa.pids} B=${sb.pids} Bready=${bReady} spawn=${spawnMs.toFixed(0)}ms`,
      );
      expect(sa.pids).toBeLessThanOrEqual(limit);
      expect(sb.pids).toBeLessThan(before.b + 10);
      expect(bReady, `B not ready at ${at.toFixed(1)} s`).toBe(true);
      if (!bReadyFrom) bReadyFrom = at;
      bReadyUntil = at;
      return sa.pids;
    };
    let reachedAfter: number;
    let heldFor: number;
    let aReadyDuring: boolean;
    try {
      // The bomb reaches the limit (every sample on the way is checked too)...
      const deadline = Date.now() + 60_000;
      while ((await sample()) < limit) {
        if (Date.now() > deadline)
          throw new Error(`A never reached its ${limit} pids: ${samples.join("; ")}`);
        await delay(200); // pacing between samples
      }
      reachedAfter = (performance.now() - began) / 1000;
      // ...agent-server reports it (once, however often it looks)...
      await t.server.health.checkAll();
      await t.server.health.checkAll();
      const reported = await events.waitFor(
        (e) => e.userId === userA && e.reason.startsWith("reached its process limit"),
        10_000,
      );
      expect(reported.reason).toBe(
        `reached its process limit (${limit} of ${limit}): new processes are refused`,
      );
      expect(reported.state).toBe("running");
      // ...and the pressure holds for a while: B, the host and the limit are checked again and again.
      for (let i = 0; i < 8; i++) {
        await sample();
        await delay(500); // pacing between samples, not a wait for a condition
      }
      aReadyDuring = await gatewayReady(a.ip, 5000);
      heldFor = (performance.now() - began) / 1000 - reachedAfter;
      expect(
        events.events.filter((e) => e.userId === userA && e.reason.startsWith("reached its process limit")),
      ).toHaveLength(1);
    } finally {
      await stopBomb(a.ip).catch(() => undefined); // its summary below says whether it was asked
    }
    const outcome = await bomb;
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    const summary = JSON.parse(outcome.stdout.trim().split("\n").at(-1)!) as {
      why: string;
      spawned: number;
      refused: number;
      errors: Record<string, number>;
      alive: number;
    };
    expect(summary.why).toBe("asked");
    expect(summary.refused).toBeGreaterThan(0);
    expect(Object.keys(summary.errors)).toEqual(["EAGAIN"]);
    // Afterwards: A's processes are back to its own few, its gateway answers (or recovers), and the
    // monitor sees it under the limit again.
    await expect
      .poll(async () => (await engine.stats(a.id)).pids, { timeout: 30_000 })
      .toBeLessThan(before.a + 10);
    await expect.poll(() => gatewayReady(a.ip, 5000), { timeout: 60_000 }).toBe(true);
    const aAfter = await agent(userA);
    expect(aAfter.id).toBe(a.id);
    await t.server.health.checkAll();
    expect(await gatewayReady(b.ip)).toBe(true);

    for (const s of samples) log(`bomb: ${s}`);
    log(
      `bomb: limit ${limit} reached after ${reachedAfter.toFixed(1)} s, held ${heldFor.toFixed(1)} s; ` +
        `max A pids ${maxA}; children spawned ${summary.spawned}, alive at stop ${summary.alive}, ` +
        `spawns refused ${summary.refused} (${JSON.stringify(summary.errors)}); A's gateway ready during ` +
        `the bomb: ${aReadyDuring}; B ready in every sample from ${bReadyFrom.toFixed(1)} s to ` +
        `${bReadyUntil.toFixed(1)} s; host processes ${hostBefore} before, at most ${maxHost} during`,
    );
  });

  it("a memory hog is killed by the container's memory limit, the other user is untouched, and it is reported", async () => {
    const a = await agent(userA);
    const b = await agent(userB);
    const limit = (await engine.inspectContainer(a.id)).limits.memoryBytes;
    const bBefore = (await engine.stats(b.id)).memoryBytes;
    const aBefore = (await engine.stats(a.id)).memoryBytes;
    log(
      `memory before: A ${(aBefore / MiB).toFixed(0)} MiB, B ${(bBefore / MiB).toFixed(0)} MiB ` +
        `(limit ${limit / MiB} MiB)`,
    );
    const since = events.events.at(-1)?.id ?? 0;
    const began = performance.now();
    // If the kernel kills the gateway instead, the container goes and the exec fails.
    const hog = await nodeIn(a.id, MEMORY_HOG, null, 120_000).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
    const seconds = (performance.now() - began) / 1000;
    // Docker reports the OOM; agent-server turns it into an event.
    const oom = await events.waitFor(
      (e) =>
        e.userId === userA &&
        e.id > since &&
        e.reason === "out of memory: the kernel killed a process in the container",
      30_000,
    );
    const now = await engine.inspectContainer(a.id).catch(() => null);
    let victim: string;
    if (!(hog instanceof Error) && now?.state.running) {
      // The kernel killed the hog (SIGKILL: 128 + 9) and left the gateway alone.
      victim = "the hog";
      const printed = hog.stdout.trim().split("\n");
      const held = Number(printed.at(-1));
      expect(hog.exitCode).toBe(137);
      expect(held * MiB).toBeLessThan(limit);
      log(`hog: killed after ${seconds.toFixed(1)} s holding ${held} MiB (A's limit ${limit / MiB} MiB)`);
      await expect.poll(() => gatewayReady(a.ip, 5000), { timeout: 30_000 }).toBe(true);
      oomSurvivor = a.id;
    } else {
      // The kernel chose the gateway: the agent fails and is restarted with back-off.
      victim = "the gateway";
      log(
        `hog: the gateway was killed after ${seconds.toFixed(1)} s: ${hog instanceof Error ? hog.message : `exit code ${hog.exitCode}`}`,
      );
      const failed = await events.waitFor(
        (e) => e.userId === userA && e.id > since && e.state === "failed",
        30_000,
      );
      expect(failed.reason).toMatch(/out of memory/);
      await events.waitFor((e) => e.userId === userA && e.id > failed.id && e.state === "running", 120_000);
      const restarted = await agent(userA);
      expect(await gatewayReady(restarted.ip)).toBe(true);
    }
    // B: the same container, ready, its memory where it was.
    const bAfter = await agent(userB);
    expect(bAfter.id).toBe(b.id);
    expect(await gatewayReady(b.ip)).toBe(true);
    const bMemory = (await engine.stats(b.id)).memoryBytes;
    expect(Math.abs(bMemory - bBefore)).toBeLessThan(64 * MiB);
    log(
      `hog: OOM event "${oom.reason}" (A ${oom.state}); victim ${victim}; ` +
        `B memory ${(bBefore / MiB).toFixed(0)} -> ${(bMemory / MiB).toFixed(0)} MiB`,
    );
  });

  it("after a process was killed for memory, a later exit of the gateway is reported as what it was", async () => {
    // Docker marks a container OOMKilled when it exits if the kernel killed any of its processes for
    // memory at any time: here the hog, long before. The gateway now stops for another reason (the
    // agent inside terminates it), which must not be reported as the gateway running out of memory.
    if (oomSurvivor === null) {
      // The kernel chose the gateway over the hog before: give the new container its own OOM kill.
      const a = await agent(userA);
      const hog = await nodeIn(a.id, MEMORY_HOG, null, 120_000);
      expect(hog.exitCode).toBe(137);
      oomSurvivor = a.id;
    }
    const a = await agent(userA);
    expect(a.id).toBe(oomSurvivor);
    const since = events.events.at(-1)?.id ?? 0;
    const kill = await nodeIn(
      a.id,
      String.raw`
const fs = require("node:fs");
const pid = fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))
  .find((p) => { try { return fs.readFileSync("/proc/" + p + "/comm", "utf8").trim() === "openclaw-gatewa"; } catch { return false; } });
process.kill(Number(pid), "SIGTERM");
console.log(pid);
`,
    );
    expect(kill.exitCode, kill.stderr).toBe(0);
    const failed = await events.waitFor(
      (e) => e.userId === userA && e.id > since && e.state === "failed",
      60_000,
    );
    log(`gateway terminated from inside (pid ${kill.stdout.trim()}): "${failed.reason}"`);
    expect(failed.reason).toMatch(/^crashed \(exit code 0\)/);
    expect(failed.reason).not.toMatch(/memory/);
    await events.waitFor((e) => e.userId === userA && e.id > failed.id && e.state === "running", 120_000);
    expect(await gatewayReady((await agent(userA)).ip)).toBe(true);
  });
});
