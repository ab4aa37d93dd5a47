// The OpenClaw image end to end against the real engine: the image is built (or found by its recipe
// tag), one container of it runs with the production hardening on its own labelled bridge network and
// labelled volume, gets its config and secrets through stdin only, and serves a real gateway that talks
// to the stub upstream (bound to the network's gateway address, which the container can reach). The
// secrets are then looked for everywhere Docker or the volume could show them.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NetworkDetails } from "../src/adapters/docker.js";
import { engine } from "./support/engine.js";
import { ensureOpenClawImage, type EnsureImageResult } from "../src/image/build.js";
import {
  LABEL_IMAGE,
  LABEL_NODE_VERSION,
  LABEL_OPENCLAW_VERSION,
  LABEL_RECIPE,
} from "../src/image/recipe.js";
import { readVersions } from "../src/image/versions.js";
import { buildOpenClawConfig, startPayload } from "../src/runtime/openclaw-config.js";
import { dockerApi, startStubLlm, testLabels, type StubLlm } from "@clawden/kit/testing";
import { openClawImage } from "./support/openclaw-image.js";

const suffix = randomBytes(4).toString("hex");
const networkName = `clawden-test-openclaw-${suffix}`;
const volumeName = `clawden-test-openclaw-${suffix}`;
const MODEL = "clawden-stub/chat-1";
const GIB = 1024 * 1024 * 1024;

const secrets = {
  gatewayToken: `gw-${randomBytes(24).toString("hex")}`,
  llmApiKey: `sk-test-${randomBytes(16).toString("hex")}`,
};
const created: string[] = [];
let image: EnsureImageResult;
let stub: StubLlm;
let network: NetworkDetails;
let containerId = "";
let gatewayUrl = "";

/** Prints a measured figure (kept in the test output for the README's numbers). */
function measured(what: string, value: string): void {
  process.stdout.write(`[measured] ${what}: ${value}\n`);
}

function hardenedSpec(extra: { name?: string } = {}) {
  return {
    image: image.tag,
    ...extra,
    labels: testLabels(),
    user: "1000:1000",
    readOnlyRootfs: true,
    tmpfs: { "/tmp": "rw,nosuid,nodev,size=256m" },
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges"],
    init: true,
    memoryBytes: 1.5 * GIB,
    nanoCpus: 1_000_000_000,
    pidsLimit: 256,
    network: networkName,
    mounts: [{ volume: volumeName, target: "/data" }],
    stdin: true,
  };
}

async function chat(token: string, text: string): Promise<Response> {
  return fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "openclaw/default", messages: [{ role: "user", content: text }] }),
    signal: AbortSignal.timeout(90_000),
  });
}

/** Resolves once /healthz answers 200 (polled, with a deadline); returns the seconds it took. */
async function healthy(since: number): Promise<number> {
  await vi.waitFor(
    async () => {
      const res = await fetch(`${gatewayUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
      expect(res.status).toBe(200);
    },
    { timeout: 90_000, interval: 100 },
  );
  return (performance.now() - since) / 1000;
}

async function execOk(cmd: string[]): Promise<string> {
  const result = await engine.exec(containerId, cmd, { timeoutMs: 60_000 });
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

/** The container's memory as `docker stats` counts it (usage minus inactive page cache), and anonymous. */
async function memory(): Promise<string> {
  const text = await execOk([
    "/bin/sh",
    "-c",
    "d=/sys/fs/cgroup/memory; if [ -f $d/memory.usage_in_bytes ]; then cat $d/memory.usage_in_bytes $d/memory.stat; " +
      "else cat /sys/fs/cgroup/memory.current /sys/fs/cgroup/memory.stat; fi",
  ]);
  const [usage, ...stat] = text.trim().split("\n");
  const field = (names: string[]) =>
    Number(stat.find((line) => names.includes(line.split(" ")[0]!))?.split(" ")[1] ?? Number.NaN);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  return `${mib(Number(usage) - field(["total_inactive_file", "inactive_file"]))} (docker stats' way), anonymous ${mib(field(["total_rss", "anon"]))}`;
}

beforeAll(async () => {
  image = await openClawImage(engine);
  network = await engine.createNetwork({ name: networkName, labels: testLabels() });
  await engine.createVolume({ name: volumeName, labels: testLabels() });
  // The host's address on the container's network; never 0.0.0.0.
  expect(network.gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  stub = await startStubLlm({ host: network.gateway, acceptedKeys: [secrets.llmApiKey], models: [MODEL] });
}, 900_000);

afterAll(async () => {
  for (const id of created) await engine.removeContainer(id);
  await engine.removeNetwork(networkName);
  await engine.removeVolume(volumeName);
  await stub?.close();
});

describe("the OpenClaw image", () => {
  it("is built once per recipe: a second ensure finds the tag and builds nothing", async () => {
    const versions = await readVersions();
    expect(image.tag).toMatch(
      new RegExp(`^clawden/openclaw:${versions.openclaw.replaceAll(".", "\\.")}-[0-9a-f]{12}$`),
    );
    const again = await ensureOpenClawImage({ engine });
    expect(again).toMatchObject({ tag: image.tag, built: false });
    expect(again.seconds).toBeLessThan(1);
    measured("ensureOpenClawImage when up to date", `${again.seconds.toFixed(3)} s`);

    const details = await engine.inspectImage(image.tag);
    expect(details).not.toBeNull();
    const recipe = details!.labels[LABEL_RECIPE]!;
    expect(recipe).toMatch(/^[0-9a-f]{64}$/);
    expect(image.tag.endsWith(`-${recipe.slice(0, 12)}`)).toBe(true);
    expect(details!.labels).toMatchObject({
      [LABEL_IMAGE]: "openclaw",
      [LABEL_OPENCLAW_VERSION]: versions.openclaw,
      [LABEL_NODE_VERSION]: versions.node,
    });
    expect(details!.labels).not.toHaveProperty("clawden.test-shared");
    measured("image size", `${(details!.sizeBytes / 1e6).toFixed(0)} MB`);

    const { body } = await dockerApi<{ Config: Record<string, unknown> }>("GET", `/images/${image.tag}/json`);
    expect(body.Config).toMatchObject({
      User: "1000:1000",
      WorkingDir: "/home/node",
      Entrypoint: ["/usr/local/bin/node", "/app/clawden-entrypoint.mjs"],
      ExposedPorts: { "18789/tcp": {} },
      Volumes: { "/data": {} },
    });
    expect(body.Config.Env).toEqual(
      expect.arrayContaining([
        "OPENCLAW_STATE_DIR=/data",
        "OPENCLAW_CONFIG_PATH=/data/openclaw.json",
        "OPENCLAW_HOME=/home/node",
        "HOME=/home/node",
        "XDG_CACHE_HOME=/data/cache",
        "OPENCLAW_DISABLE_BONJOUR=1",
        "OPENCLAW_NO_RESPAWN=1",
        "OPENCLAW_NO_AUTO_UPDATE=1",
        "OPENCLAW_CLAWHUB_URL=http://127.0.0.1:9",
      ]),
    );
  });

  it("refuses a bad start payload with exit code 64 and a reason that shows no value", async () => {
    const leakedValue = `sk-never-shown-${suffix}`;
    const id = await engine.createContainer({ ...hardenedSpec(), mounts: [], network: "none" });
    created.push(id);
    await engine.startContainer(id, {
      stdinPayload: JSON.stringify({
        config: {},
        env: { OPENCLAW_GATEWAY_TOKEN: leakedValue, AWS_SECRET: leakedValue },
      }),
    });
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(64);
    const logs = await engine.readLogs(id);
    expect(logs.stderr).toMatch(/clawden-entrypoint: env may only set OPENCLAW_GATEWAY_TOKEN, LLM_API_KEY/);
    expect(`${logs.stdout}${logs.stderr}`).not.toContain(leakedValue);

    const empty = await engine.createContainer({ ...hardenedSpec(), mounts: [], network: "none" });
    created.push(empty);
    await engine.startContainer(empty, { stdinPayload: "" });
    expect(await engine.waitForExit(empty, { timeoutMs: 60_000 })).toBe(64);
    expect((await engine.readLogs(empty)).stderr).toMatch(/no start payload on stdin/);
  });

  it("starts a hardened gateway from the stdin payload, reachable at its address on its network", async () => {
    const config = buildOpenClawConfig({ upstream: { baseUrl: stub.url, model: MODEL } });
    const start = performance.now();
    containerId = await engine.createContainer(hardenedSpec({ name: `clawden-test-openclaw-${suffix}` }));
    created.push(containerId);
    await engine.startContainer(containerId, { stdinPayload: startPayload(config, secrets) });
    const address = (await engine.inspectContainer(containerId)).networks[networkName]?.ipAddress;
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    gatewayUrl = `http://${address}:18789`;
    measured(
      "create + start to /healthz 200 (fresh volume, 1 CPU)",
      `${(await healthy(start)).toFixed(1)} s`,
    );
    const res = await fetch(`${gatewayUrl}/healthz`);
    expect(await res.json()).toMatchObject({ ok: true });
    // /readyz follows once channels and sidecars have started.
    await vi.waitFor(
      async () => {
        const ready = await fetch(`${gatewayUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
        expect(ready.status).toBe(200);
      },
      { timeout: 60_000, interval: 200 },
    );
    measured("create + start to /readyz 200", `${((performance.now() - start) / 1000).toFixed(1)} s`);
    measured("container memory once ready", await memory());
  });

  it("answers a chat completion through the stub upstream, which sees the key from the payload", async () => {
    const start = performance.now();
    const res = await chat(secrets.gatewayToken, `first message ${suffix}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe(`STUB-REPLY: first message ${suffix}`);
    measured("first chat after /healthz", `${((performance.now() - start) / 1000).toFixed(1)} s`);

    const upstream = stub.requests.filter((r) => r.path === "/v1/chat/completions");
    expect(upstream).toHaveLength(1);
    expect(upstream[0]).toMatchObject({ key: secrets.llmApiKey, model: MODEL, status: 200 });

    const wrong = await chat(`gw-wrong-${randomBytes(8).toString("hex")}`, "never answered");
    expect(wrong.status).toBe(401);
    const missing = await fetch(`${gatewayUrl}/v1/models`);
    expect(missing.status).toBe(401);
  });

  it("shows the secrets nowhere: not in inspect, not in the logs, not in the volume's files or /tmp", async () => {
    const { body } = await dockerApi<{ Config: { Env: string[]; Cmd: unknown }; Args: unknown }>(
      "GET",
      `/containers/${containerId}/json`,
    );
    const inspected = JSON.stringify(body);
    for (const secret of Object.values(secrets)) {
      expect(JSON.stringify(body.Config.Env)).not.toContain(secret);
      expect(JSON.stringify(body.Config.Cmd)).not.toContain(secret);
      expect(JSON.stringify(body.Args)).not.toContain(secret);
      expect(inspected).not.toContain(secret);
    }
    const logs = await engine.readLogs(containerId);
    expect(logs.stdout).toContain("clawden-entrypoint: wrote /data/openclaw.json");
    // Every byte of every file on the volume and in /tmp (the gateway's log file is there).
    const files = await execOk(["/bin/tar", "-cf", "-", "-C", "/", "data", "tmp"]);
    expect(files).toContain("openclaw.json");
    for (const secret of Object.values(secrets)) {
      expect(`${logs.stdout}${logs.stderr}`).not.toContain(secret);
      expect(files).not.toContain(secret);
    }
    const mode = await execOk(["/bin/stat", "-c", "%a %u:%g", "/data/openclaw.json"]);
    expect(mode.trim()).toBe("600 1000:1000");
    const written = JSON.parse(await execOk(["/bin/cat", "/data/openclaw.json"])) as Record<string, any>;
    expect(written.models.providers.byok.apiKey).toBe("${LLM_API_KEY}");
  });

  it("runs every process as uid 1000, the gateway in the entrypoint's own process, compile cache on /data", async () => {
    // pid ppid uid comm of every process but this shell and what it starts (ppid 0 is an exec's).
    const table = await execOk([
      "/bin/sh",
      "-c",
      "for p in /proc/[0-9]*; do s=$p/status; " +
        "echo \"${p#/proc/} $(sed -n 's/^PPid:[[:space:]]*//p' $s 2>/dev/null) " +
        "$(sed -n 's/^Uid:[[:space:]]*\\([0-9]*\\).*/\\1/p' $s 2>/dev/null) $(cat $p/comm 2>/dev/null)\"; done",
    ]);
    const processes = table
      .trim()
      .split("\n")
      .map((line) => {
        const [pid, ppid, uid, ...comm] = line.split(" ");
        return { pid: Number(pid), ppid: Number(ppid), uid, comm: comm.join(" ") };
      })
      .filter(
        (p) =>
          p.uid !== "" && p.comm !== "" && (p.pid === 1 || p.ppid !== 0) && !/^(sh|sed|cat)$/.test(p.comm),
      );
    for (const p of processes) expect(p.uid, p.comm).toBe("1000");
    expect(processes.find((p) => p.pid === 1)?.comm).toBe("docker-init");
    // Under docker-init, one process: the entrypoint's, which OpenClaw renamed openclaw-gateway (comm
    // keeps 15 characters). The compile cache did not make OpenClaw's launcher re-spawn itself.
    expect(processes.filter((p) => p.ppid === 1).map((p) => p.comm)).toEqual(["openclaw-gatewa"]);
    measured("processes in the container", processes.map((p) => p.comm).join(", "));

    const cache = await execOk([
      "/bin/find",
      "/data/cache/node-compile-cache",
      "-maxdepth",
      "3",
      "-type",
      "d",
    ]);
    expect(cache).toContain("/data/cache/node-compile-cache/openclaw/");

    measured("container memory after start and one chat", await memory());
  });

  it("restarts with a new payload: the new token works, the old one is refused", async () => {
    await engine.stopContainer(containerId, { timeoutSeconds: 30 });
    expect(await engine.waitForExit(containerId, { timeoutMs: 60_000 })).toBe(0);
    const next = { ...secrets, gatewayToken: `gw-${randomBytes(24).toString("hex")}` };
    const config = buildOpenClawConfig({ upstream: { baseUrl: stub.url, model: MODEL } });
    const start = performance.now();
    await engine.startContainer(containerId, { stdinPayload: startPayload(config, next) });
    measured(
      "restart to /healthz 200 (compile cache on the volume)",
      `${(await healthy(start)).toFixed(1)} s`,
    );
    const models = (token: string) =>
      fetch(`${gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
      );
    expect(await models(next.gatewayToken)).toBe(200);
    expect(await models(secrets.gatewayToken)).toBe(401);
  });

  it("received no upstream request the test did not cause, and stops cleanly through init", async () => {
    // Only the one chat above reached the stub: no heartbeat, no dreaming, no model discovery.
    // (OpenClaw appends a "Runtime: ..." block to the user's text; the first line is what was sent.)
    expect(
      stub.requests.map((r) => `${r.method} ${r.path} ${(r.lastUserText ?? "").split("\n")[0]}`),
    ).toEqual([`POST /v1/chat/completions first message ${suffix}`]);
    await engine.stopContainer(containerId, { timeoutSeconds: 30 });
    const code = await engine.waitForExit(containerId, { timeoutMs: 60_000 });
    expect([0, 143]).toContain(code);
    const { state } = await engine.inspectContainer(containerId);
    expect(state.oomKilled).toBe(false);
    const logs = await engine.readLogs(containerId, { tail: 50 });
    expect(`${logs.stdout}${logs.stderr}`).toMatch(/shutdown\] completed cleanly/);
  });
});
