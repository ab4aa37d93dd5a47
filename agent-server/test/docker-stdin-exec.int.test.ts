// The adapter calls the OpenClaw image relies on, against the real engine with the tiny busybox image:
// a payload written to a container's stdin at start (and kept out of its configuration), exec,
// image inspection, labelled bridge networks and named volumes.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError, type ContainerSpec } from "../src/adapters/docker.js";
import { engine } from "./support/engine.js";
import { dockerApi, testLabels } from "@clawden/kit/testing";
import { tinyImage } from "./support/tiny-image.js";

const suffix = randomBytes(4).toString("hex");
const containers: string[] = [];
const networks: string[] = [];
const volumes: string[] = [];
let image: string;

async function create(spec: Omit<ContainerSpec, "image">): Promise<string> {
  const id = await engine.createContainer({ image, ...spec, labels: { ...testLabels(), ...spec.labels } });
  containers.push(id);
  return id;
}

beforeAll(async () => {
  image = await tinyImage(engine);
});

afterAll(async () => {
  for (const id of containers) await engine.removeContainer(id);
  for (const name of networks) await engine.removeNetwork(name);
  for (const name of volumes) await engine.removeVolume(name);
});

describe("stdin payload at start", () => {
  it("delivers the payload byte for byte, then end of file, and it shows nowhere in the container's config", async () => {
    const secret = `secret-${randomBytes(8).toString("hex")}`;
    const payload = `${JSON.stringify({ secret })}\n${"x".repeat(300_000)}\n`;
    const id = await create({
      cmd: ["/bin/sh", "-c", "cat > /tmp/in; wc -c < /tmp/in; head -c 60 /tmp/in"],
      stdin: true,
    });
    await engine.startContainer(id, { stdinPayload: payload });
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(0);
    const { stdout } = await engine.readLogs(id);
    expect(stdout).toBe(`${Buffer.byteLength(payload)}\n${payload.slice(0, 60)}`);
    const { body } = await dockerApi("GET", `/containers/${id}/json`);
    expect(JSON.stringify(body)).not.toContain(secret);
    expect(body).toMatchObject({ Config: { OpenStdin: true, StdinOnce: true } });
  });

  it("opens stdin again for each start, so a restart takes a new payload", async () => {
    const id = await create({ cmd: ["/bin/cat"], stdin: true });
    await engine.startContainer(id, { stdinPayload: "first\n" });
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(0);
    await engine.startContainer(id, { stdinPayload: "second\n" });
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(0);
    expect((await engine.readLogs(id)).stdout).toBe("first\nsecond\n");
  });

  it("starts without a payload as before, and refuses a payload for a container without stdin", async () => {
    const id = await create({ cmd: ["/bin/sh", "-c", "cat; echo done"] });
    await expect(engine.startContainer(id, { stdinPayload: "lost" })).rejects.toMatchObject({
      code: "invalid",
      message: expect.stringMatching(/not created with stdin open/),
    });
    await engine.startContainer(id);
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(0);
    expect((await engine.readLogs(id)).stdout).toBe("done\n");
    // Starting it again while it runs is not an error; with a payload it is a conflict (nothing written).
    const running = await create({ cmd: ["/bin/sleep", "600"], stdin: true, init: true });
    await engine.startContainer(running);
    await engine.startContainer(running);
    await expect(engine.startContainer(running, { stdinPayload: "x" })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("runContainer takes the payload too", async () => {
    const id = await engine.runContainer(
      { image, cmd: ["/bin/sh", "-c", "tr a-z A-Z"], stdin: true, labels: testLabels() },
      { stdinPayload: "shout\n" },
    );
    containers.push(id);
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(0);
    expect((await engine.readLogs(id)).stdout).toBe("SHOUT\n");
  });
});

describe("exec", () => {
  it("runs a command in a running container and returns its exit code and both outputs", async () => {
    const id = await create({ cmd: ["/bin/sleep", "600"], init: true, user: "1000:1000" });
    await engine.startContainer(id);
    expect(await engine.exec(id, ["/bin/sh", "-c", "id -u; echo oops >&2; exit 3"])).toEqual({
      exitCode: 3,
      stdout: "1000\n",
      stderr: "oops\n",
    });
    expect((await engine.exec(id, ["/bin/id", "-u"], { user: "0" })).stdout).toBe("0\n");
    const big = await engine.exec(id, ["/bin/seq", "1", "50000"]);
    expect(big.stdout.split("\n")).toHaveLength(50001);
    await expect(engine.exec(id, [])).rejects.toBeInstanceOf(EngineError);
    const stopped = await create({ cmd: ["/bin/true"] });
    await expect(engine.exec(stopped, ["/bin/true"])).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("images, networks and volumes", () => {
  it("inspects an image: its size and labels, or null when there is none", async () => {
    const details = await engine.inspectImage(image);
    expect(details?.sizeBytes).toBeGreaterThan(1_000_000);
    expect(details?.labels).toMatchObject({ "clawden.test-shared": "1" });
    expect(await engine.inspectImage("clawden-test/never-imported:none")).toBeNull();
  });

  it("creates a labelled bridge network with a gateway, puts a container on it, and removes it", async () => {
    const name = `clawden-test-net-${suffix}`;
    networks.push(name);
    const network = await engine.createNetwork({ name, labels: testLabels() });
    expect(network).toMatchObject({ name, internal: false, labels: testLabels() });
    expect(network.subnet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(network.gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await engine.inspectNetwork(network.id)).toEqual(network);

    const id = await create({ cmd: ["/bin/sleep", "600"], init: true, network: name });
    await engine.startContainer(id);
    const attached = (await engine.inspectContainer(id)).networks[name];
    expect(attached?.gateway).toBe(network.gateway);
    expect(attached?.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await expect(engine.removeNetwork(name)).rejects.toBeInstanceOf(EngineError);
    await engine.removeContainer(id);
    await engine.removeNetwork(name);
    await engine.removeNetwork(name);
    await expect(engine.inspectNetwork(name)).rejects.toMatchObject({ code: "not_found" });
  });

  it("creates a labelled volume, mounts it (read-only too), keeps data across containers, removes it", async () => {
    const name = `clawden-test-vol-${suffix}`;
    volumes.push(name);
    await engine.createVolume({ name, labels: testLabels() });
    const { body } = await dockerApi<{ Labels: Record<string, string> }>("GET", `/volumes/${name}`);
    expect(body.Labels).toMatchObject(testLabels());
    const writer = await create({
      cmd: ["/bin/sh", "-c", "echo kept > /v/file"],
      mounts: [{ volume: name, target: "/v" }],
    });
    await engine.startContainer(writer);
    expect(await engine.waitForExit(writer, { timeoutMs: 60_000 })).toBe(0);
    const reader = await create({
      cmd: ["/bin/cat", "/v/file"],
      mounts: [{ volume: name, target: "/v", readOnly: true }],
    });
    await engine.startContainer(reader);
    expect(await engine.waitForExit(reader, { timeoutMs: 60_000 })).toBe(0);
    expect((await engine.readLogs(reader)).stdout).toBe("kept\n");
    await expect(engine.removeVolume(name)).rejects.toBeInstanceOf(EngineError);
    await engine.removeContainer(writer);
    await engine.removeContainer(reader);
    await engine.removeVolume(name);
    await engine.removeVolume(name);
  });
});
