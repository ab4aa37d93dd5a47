// `npm run bench`: the cold start of a new user's assistant through agent-server against a bare start of
// the same container through the Docker API, and the first chat reply after each; see bench/README.md.
//   npm run bench -- [--runs N] [--warmup N] [--poll-ms MS] [--settle-ms MS] [--out FILE]
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { StubLlm } from "@clawden/kit/testing";
import { buildOpenClawConfig, startPayload } from "../agent-server/src/runtime/openclaw-config.js";
import {
  labelList,
  newUserId,
  startTestAgentServer,
  type TestAgentServer,
} from "../agent-server/test/support/agent-server.js";
import { followStates, type StateFollower } from "./lib/events.js";
import { firstChat, type ChatResult } from "./lib/gateway.js";
import { machineFacts } from "./lib/machine.js";
import { benchLabels, newBenchRunId, removedCount, removeRunObjects, sweepDeadRuns } from "./lib/objects.js";
import { ourPath, rawPath, type PathRunner } from "./lib/paths.js";
import { formatReport, phaseMedians, summarizeMetric, type Report, type Sample } from "./lib/report.js";

const USAGE = `usage: npm run bench -- [--runs N] [--warmup N] [--poll-ms MS] [--settle-ms MS] [--out FILE]
  --runs N        measured runs per path (default 5)
  --warmup N      unmeasured pairs first (default 1): page cache, JIT, connections
  --poll-ms MS    how often the raw path polls /readyz (default 100; agent-server polls every 250)
  --settle-ms MS  pause after each path's clean-up (default 2000)
  --out FILE      the JSON report (default bench/results/<date>.json)
needs TEST_DATABASE_URL (a PostgreSQL superuser URL; see bench/README.md)`;

/** agent-server's own readiness poll (POLL_MS in src/lifecycle/agent-service.ts), for the header. */
const OUR_POLL_MS = 250;

function positiveInt(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d{1,7}$/.test(text) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min} (got ${JSON.stringify(text)})`);
  }
  return value;
}

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: {
      runs: { type: "string" },
      warmup: { type: "string" },
      "poll-ms": { type: "string" },
      "settle-ms": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  return {
    help: values.help ?? false,
    runs: positiveInt("--runs", values.runs, 5),
    warmup: positiveInt("--warmup", values.warmup, 1, 0),
    pollMs: positiveInt("--poll-ms", values["poll-ms"], 100, 10),
    settleMs: positiveInt("--settle-ms", values["settle-ms"], 2000, 0),
    out: values.out,
  };
}

const began = performance.now();
function progress(line: string): void {
  process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The chat as the stub upstream saw it (see Sample.chatPhases). */
function chatPhases(stub: StubLlm, text: string, chat: ChatResult): NonNullable<Sample["chatPhases"]> {
  const during = stub.requests.filter((e) => {
    const at = Date.parse(e.time);
    return e.path === "/v1/chat/completions" && at >= chat.beganAt && at <= chat.endedAt;
  });
  const mine = during.find((e) => e.lastUserText?.includes(text));
  if (!mine) return { upstreamCalls: during.length };
  const toUpstream = Date.parse(mine.time) - chat.beganAt;
  return { toUpstream, fromUpstream: chat.endedAt - chat.beganAt - toUpstream, upstreamCalls: during.length };
}

async function measure(runner: PathRunner, stub: StubLlm, run: number, label: string): Promise<Sample> {
  const userId = newUserId();
  const sample: Sample = {
    run,
    path: runner.name,
    userId,
    startedAt: new Date().toISOString(),
    load1: os.loadavg()[0]!,
    ok: false,
  };
  try {
    const started = await runner.start(userId);
    sample.coldStartMs = started.coldStartMs;
    sample.phases = started.phases;
    const text = `bench ${runner.name} ${label}`;
    const chat = await firstChat(started.address, started.token, text);
    sample.chatMs = chat.ms;
    sample.chatPhases = chatPhases(stub, text, chat);
    sample.ok = true;
    progress(`${label} ${runner.name}: cold start ${s(started.coldStartMs)}, first chat ${s(chat.ms)}`);
  } catch (error) {
    sample.error = error instanceof Error ? error.message : String(error);
    progress(`${label} ${runner.name}: FAILED: ${sample.error}`);
  }
  try {
    sample.leftAfterRemoval = await runner.remove(userId);
  } catch (error) {
    progress(
      `${label} ${runner.name}: removal failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    sample.leftAfterRemoval = 3;
  }
  return sample;
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = options();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 64;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!process.env.TEST_DATABASE_URL) {
    process.stderr.write(`TEST_DATABASE_URL is not set.\n${USAGE}\n`);
    return 64;
  }

  const runId = newBenchRunId();
  const labels = benchLabels(runId);
  const startedAt = new Date().toISOString();
  let t: TestAgentServer | undefined;
  let follower: StateFollower | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaned ??= (async () => {
      follower?.stop();
      // This run's containers first: an agent-server start in flight then fails at once.
      await removeRunObjects(runId).catch(() => undefined);
      await t?.close().catch((err: unknown) => progress(`closing agent-server: ${String(err)}`));
      await removeRunObjects(runId).catch(() => undefined);
    })());
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    progress(`${signal}: removing this run's containers, networks, volumes and database`);
    void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    const swept = await sweepDeadRuns();
    if (removedCount(swept) > 0 || swept.failed.length > 0) {
      progress(
        `swept leftovers of dead bench runs: ${swept.containers} containers, ${swept.networks} networks, ` +
          `${swept.volumes} volumes${swept.failed.length ? `; could not remove ${swept.failed.join("; ")}` : ""}`,
      );
    }
    progress(`run ${runId}: starting agent-server (own database and instance), stub upstream, image`);
    t = await startTestAgentServer({ DOCKER_LABELS: labelList(labels), LOG_LEVEL: "warn" });
    const config = t.config;
    const image = config.AGENT_IMAGE!;
    const limits = {
      memoryBytes: config.DEFAULT_MEMORY_BYTES,
      nanoCpus: config.DEFAULT_NANO_CPUS,
      pidsLimit: config.DEFAULT_PIDS_LIMIT,
    };
    const machine = await machineFacts(t.server.engine, image);
    follower = await followStates(t.url, config.AGENT_API_TOKEN);
    // The gateway config agent-server gives every user (assemble.ts), with the same upstream and key.
    const gatewayConfig = buildOpenClawConfig({
      upstream: { baseUrl: config.UPSTREAM_BASE_URL, model: config.UPSTREAM_MODEL },
    });
    const runners: PathRunner[] = [
      ourPath(t, follower),
      rawPath({
        instance: `r${randomBytes(5).toString("hex")}`,
        image,
        limits,
        labels,
        payload: (gatewayToken) =>
          startPayload(gatewayConfig, { gatewayToken, llmApiKey: config.UPSTREAM_API_KEY }),
        pollMs: opts.pollMs,
        timeoutMs: config.START_TIMEOUT_MS,
      }),
    ];
    progress(`image ${image}; agent-server at ${t.url}; stub upstream at ${t.stub.url}`);

    const samples: Sample[] = [];
    let strayObjects = 0;
    const pairs = opts.warmup + opts.runs;
    for (let k = 0; k < pairs && !signalled; k++) {
      const run = k < opts.warmup ? 0 : k - opts.warmup + 1;
      const label = run === 0 ? `warm-up ${k + 1}/${opts.warmup}` : `run ${run}/${opts.runs}`;
      for (const runner of runners) {
        if (signalled) break;
        samples.push(await measure(runner, t.stub, run, label));
        const stray = await removeRunObjects(runId);
        strayObjects += removedCount(stray);
        if (opts.settleMs > 0) await sleep(opts.settleMs);
      }
    }
    if (signalled) return 130;

    const report: Report = {
      benchmark: "cold-start",
      runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      options: {
        runs: opts.runs,
        warmup: opts.warmup,
        rawPollMs: opts.pollMs,
        ourPollMs: OUR_POLL_MS,
        settleMs: opts.settleMs,
      },
      machine,
      loadAverageAtEnd: os.loadavg(),
      limits,
      summary: {
        coldStart: summarizeMetric(samples, "coldStartMs"),
        chat: summarizeMetric(samples, "chatMs"),
        phases: { ours: phaseMedians(samples, "ours"), raw: phaseMedians(samples, "raw") },
      },
      samples,
      strayObjects,
      failures: samples.filter((x) => x.run > 0 && !x.ok).length,
    };
    const out =
      opts.out ??
      path.join(
        import.meta.dirname,
        "results",
        `${startedAt.replace(/\.\d+Z$/, "Z").replace(/:/g, "-")}.json`,
      );
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\n${formatReport(report)}\nreport: ${path.relative(process.cwd(), out)}\n`);
    return report.failures > 0 ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
