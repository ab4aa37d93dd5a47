// Proof that the real engine is wired into tests: the Docker adapter against dockerd itself, with the
// tiny busybox image. Limits and hardening are read back from inside the container, exit codes and
// logs come from real processes, and removal is checked by the engine's own not-found.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError, type ContainerSpec } from "../src/adapters/docker.js";
import { engine } from "./support/engine.js";
import { packRootfs, RootfsError } from "../src/adapters/rootfs.js";
import { testLabels } from "@clawden/kit/testing";
import { tinyImage } from "./support/tiny-image.js";

const created = new Set<string>();
let image: string;

/** Runs a container of the tiny image with this run's labels, remembering it for clean-up. */
async function run(spec: Omit<ContainerSpec, "image">): Promise<string> {
  const id = await engine.runContainer({ image, ...spec, labels: { ...testLabels(), ...spec.labels } });
  created.add(id);
  return id;
}

async function expectGone(id: string): Promise<void> {
  const failure = await engine.inspectContainer(id).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(EngineError);
  expect((failure as EngineError).code).toBe("not_found");
}

beforeAll(async () => {
  image = await tinyImage(engine);
});

afterAll(async () => {
  await Promise.all([...created].map((id) => engine.removeContainer(id)));
});

describe("DockerEngine against the real engine", () => {
  it("answers ping and reports its version", async () => {
    await engine.ping();
    const version = await engine.version();
    expect(version.version).toMatch(/^\d+\.\d+/);
    expect(version.apiVersion).toMatch(/^1\.\d+$/);
    expect(await engine.imageExists(image)).toBe(true);
    expect(await engine.imageExists("clawden-test/never-imported:none")).toBe(false);
  });

  it("runs a container whose 64 MiB limit reads back exactly from its cgroup, then removes it", async () => {
    const id = await run({
      memoryBytes: 64 * 1024 * 1024,
      cmd: [
        "/bin/sh",
        "-c",
        "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; exit 7",
      ],
    });
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(7);
    const logs = await engine.readLogs(id);
    expect(logs.stdout.trim()).toBe("67108864");
    expect(logs.stderr).toBe("");
    const details = await engine.inspectContainer(id);
    expect(details.state).toMatchObject({ status: "exited", running: false, exitCode: 7, oomKilled: false });
    expect(details.limits.memoryBytes).toBe(67108864);
    expect(details.image).toBe(image);

    await engine.removeContainer(id);
    await expectGone(id);
  });

  it("treats removing a container that is gone or going as done", async () => {
    const caseLabel = { "clawden.test-case": randomBytes(6).toString("hex") };
    const id = await run({ cmd: ["/bin/sleep", "600"], labels: caseLabel, init: true });
    const listed = await engine.listContainers({ ...testLabels(), ...caseLabel });
    expect(listed.map((c) => c.id)).toEqual([id]);
    expect(listed[0]?.state).toBe("running");

    // Two removals at once (the second may meet "removal already in progress"), then one after.
    await Promise.all([engine.removeContainer(id), engine.removeContainer(id)]);
    await engine.removeContainer(id);
    await engine.removeContainer(`clawden-never-created-${randomBytes(4).toString("hex")}`);
    await expectGone(id);
    expect(await engine.listContainers({ ...testLabels(), ...caseLabel })).toEqual([]);
  });

  it("reads logs with stdout and stderr apart, including output spread over many frames", async () => {
    const id = await run({
      cmd: ["/bin/sh", "-c", "echo out-one; echo err-one >&2; echo out-two; seq 1 20000; echo err-two >&2"],
    });
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(0);
    const logs = await engine.readLogs(id);
    const numbers = Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join("");
    expect(logs.stdout).toBe(`out-one\nout-two\n${numbers}`);
    expect(logs.stderr).toBe("err-one\nerr-two\n");
    // Docker's tail counts lines of both streams together, in the order they were logged.
    const tail = await engine.readLogs(id, { tail: 2 });
    expect(`${tail.stdout}${tail.stderr}`.split("\n").filter(Boolean)).toHaveLength(2);
    expect(tail.stdout.endsWith("20000\n")).toBe(true);
  });

  it("applies the hardening of the spec, as seen from inside the container", async () => {
    const id = await run({
      user: "1000:1000",
      readOnlyRootfs: true,
      tmpfs: { "/tmp": "rw,nosuid,nodev,size=1m" },
      capDrop: ["ALL"],
      securityOpt: ["no-new-privileges"],
      pidsLimit: 64,
      nanoCpus: 500_000_000,
      init: true,
      network: "none",
      env: { GREETING: "hello there" },
      cmd: [
        "/bin/sh",
        "-c",
        [
          'echo "user=$(id -u):$(id -g)"',
          "touch /x 2>/dev/null && echo root=rw || echo root=ro",
          "touch /tmp/x && echo tmp=rw",
          "grep -E '^(CapEff|NoNewPrivs):' /proc/self/status",
          'echo "pid1=$(cat /proc/1/comm)"',
          'echo "pids=$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)"',
          'echo "net=$(ls /sys/class/net | tr "\\n" " ")"',
          'echo "greeting=$GREETING"',
          'echo "from-image=$TINY_IMAGE"',
        ].join("; "),
      ],
    });
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(0);
    const { stdout, stderr } = await engine.readLogs(id);
    expect(stderr).toBe("");
    const lines = stdout.trim().split("\n");
    expect(lines).toEqual([
      "user=1000:1000",
      "root=ro",
      "tmp=rw",
      "CapEff:\t0000000000000000",
      "NoNewPrivs:\t1",
      "pid1=docker-init",
      "pids=64",
      "net=lo ",
      "greeting=hello there",
      "from-image=clawden-test",
    ]);
    const details = await engine.inspectContainer(id);
    expect(details.limits).toEqual({ memoryBytes: 0, nanoCpus: 500_000_000, pidsLimit: 64 });
    // The image's LABEL change reaches its containers beside the spec's own labels.
    expect(details.labels).toMatchObject({ ...testLabels(), "clawden.test-shared": "1" });
  });

  it("stops a running container through its init, and stopping it again is no error", async () => {
    const id = await run({ cmd: ["/bin/sleep", "600"], init: true });
    expect((await engine.inspectContainer(id)).state.running).toBe(true);
    await engine.stopContainer(id, { timeoutSeconds: 5 });
    // SIGTERM reached sleep through docker-init, which exits 128 + 15.
    expect(await engine.waitForExit(id, { timeoutMs: 60_000 })).toBe(143);
    await engine.stopContainer(id);
  });

  it("refuses an unknown image change, and reports a tar that fails to build as the tar's error", async () => {
    const tar = () => packRootfs([{ type: "file", path: "/x", content: "x" }]);
    const options = { repository: "clawden-test/refused", tag: randomBytes(4).toString("hex") };
    const refused = await engine
      .importImage(tar(), { ...options, changes: ["RUN echo hi"] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).code).toBe("invalid");
    expect((refused as EngineError).message).toMatch(/run is not a valid change command/);

    const broken = packRootfs([{ type: "host", path: "/x", source: "/nonexistent/clawden-test" }]);
    const failed = await engine.importImage(broken, options).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RootfsError);
    expect(await engine.imageExists(`${options.repository}:${options.tag}`)).toBe(false);
  });

  it("reports engine refusals as EngineErrors with a code and Docker's reason", async () => {
    const missing = await engine
      .runContainer({ image: "clawden-test/no-such-image:1" })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EngineError);
    expect((missing as EngineError).code).toBe("not_found");
    expect((missing as EngineError).message).toMatch(/No such image: clawden-test\/no-such-image:1/i);

    const stopMissing = await engine.stopContainer("clawden-never-created").catch((e: unknown) => e);
    expect((stopMissing as EngineError).code).toBe("not_found");

    await expect(engine.listContainers({})).rejects.toMatchObject({ code: "invalid" });
    await expect(engine.inspectContainer("../../images/json")).rejects.toMatchObject({ code: "invalid" });
  });
});
