// Statistics over the samples, the printed table and the JSON report.
import type { MachineFacts } from "./machine.js";
import type { PathName } from "./paths.js";

export interface Sample {
  /** 1..runs; 0 for a warm-up, which is not counted. */
  run: number;
  path: PathName;
  userId: string;
  startedAt: string;
  /** The host's 1-minute load average when the sample began (other work on the machine). */
  load1: number;
  ok: boolean;
  error?: string;
  /** Request to readiness (ours: to the 200; raw: to the first /readyz 200). */
  coldStartMs?: number;
  phases?: Record<string, number>;
  /** First chat completion after readiness, request to the end of the reply. */
  chatMs?: number;
  /**
   * The chat seen from the stub upstream's request log: `toUpstream` (the request until the gateway's
   * call for this message reached the upstream), `fromUpstream` (that call until the end of the reply),
   * and how many upstream calls the gateway made meanwhile.
   */
  chatPhases?: { toUpstream?: number; fromUpstream?: number; upstreamCalls: number };
  /** The path's container, network and volume still present after its own removal (should be 0). */
  leftAfterRemoval?: number;
}

export interface Summary {
  n: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  return {
    n: values.length,
    medianMs: median(values),
    p95Ms: percentile(values, 95),
    minMs: Math.min(...values),
    maxMs: Math.max(...values),
  };
}

type Metric = "coldStartMs" | "chatMs";

export interface MetricSummary {
  ours: Summary | null;
  raw: Summary | null;
  /** median(ours) / median(raw). */
  ratioOfMedians: number | null;
  /** The median of ours/raw over the runs where both paths succeeded (each run's pair ran back to back). */
  pairedRatioMedian: number | null;
}

function measured(samples: readonly Sample[], path: PathName, metric: Metric): number[] {
  return samples.filter((s) => s.run > 0 && s.path === path && s.ok).map((s) => s[metric]!);
}

export function summarizeMetric(samples: readonly Sample[], metric: Metric): MetricSummary {
  const ours = summarize(measured(samples, "ours", metric));
  const raw = summarize(measured(samples, "raw", metric));
  const pairs: number[] = [];
  for (const run of new Set(samples.filter((s) => s.run > 0).map((s) => s.run))) {
    const a = samples.find((s) => s.run === run && s.path === "ours" && s.ok);
    const b = samples.find((s) => s.run === run && s.path === "raw" && s.ok);
    if (a && b) pairs.push(a[metric]! / b[metric]!);
  }
  return {
    ours,
    raw,
    ratioOfMedians: ours && raw ? ours.medianMs / raw.medianMs : null,
    pairedRatioMedian: pairs.length > 0 ? median(pairs) : null,
  };
}

export function phaseMedians(samples: readonly Sample[], path: PathName): Record<string, number> {
  const byPhase = new Map<string, number[]>();
  for (const s of samples) {
    if (s.run === 0 || s.path !== path || !s.ok) continue;
    const chat = s.chatPhases ?? { upstreamCalls: 0 };
    const all = {
      ...s.phases,
      ...(chat.toUpstream === undefined ? {} : { chatToUpstream: chat.toUpstream }),
      ...(chat.fromUpstream === undefined ? {} : { chatFromUpstream: chat.fromUpstream }),
      chatUpstreamCalls: chat.upstreamCalls,
    };
    for (const [phase, ms] of Object.entries(all)) {
      byPhase.set(phase, [...(byPhase.get(phase) ?? []), ms]);
    }
  }
  return Object.fromEntries([...byPhase].map(([phase, values]) => [phase, median(values)]));
}

// ---- printing ---------------------------------------------------------------------------------------

export const TARGET_RATIO = 1.1;

const seconds = (ms: number | undefined | null) =>
  ms === undefined || ms === null ? "-" : `${(ms / 1000).toFixed(2)} s`;
const ratio = (r: number | null) => (r === null ? "-" : r.toFixed(2));
const GiB = 1024 ** 3;
const MB = 1000 ** 2;

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
}

export interface Report {
  benchmark: "cold-start";
  runId: string;
  startedAt: string;
  finishedAt: string;
  options: { runs: number; warmup: number; rawPollMs: number; ourPollMs: number; settleMs: number };
  machine: MachineFacts;
  loadAverageAtEnd: number[];
  limits: { memoryBytes: number; nanoCpus: number; pidsLimit: number };
  summary: {
    coldStart: MetricSummary;
    chat: MetricSummary;
    phases: Record<PathName, Record<string, number>>;
  };
  samples: Sample[];
  /** Objects found by the run's label sweep after a pair (each path had removed its own already). */
  strayObjects: number;
  failures: number;
}

export function formatReport(r: Report): string {
  const m = r.machine;
  const lines: string[] = [];
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  lines.push(
    `Clawden cold-start bench  ${r.startedAt}  run ${r.runId}` +
      (m.git ? `  commit ${m.git.commit}${m.git.dirty ? " (dirty)" : ""}` : ""),
    `host    ${m.host.cores} cores (${m.host.cpuModel}), ${(m.host.memoryBytes / GiB).toFixed(1)} GiB, ` +
      `kernel ${m.host.kernel}, node ${m.host.node}`,
    `load    ${load(m.host.loadAverageAtStart)} at start, ${load(r.loadAverageAtEnd)} at end (1/5/15 min)`,
    `docker  ${m.docker.version} (API ${m.docker.apiVersion}), ${m.docker.os}, cgroup v${m.docker.cgroupVersion} ` +
      `(${m.docker.cgroupDriver}), ${m.docker.storageDriver}`,
    `image   ${m.image.tag}, ${(m.image.sizeBytes / MB).toFixed(0)} MB (openclaw ${m.image.openclawVersion}, ` +
      `node ${m.image.nodeVersion})`,
    `limits  ${(r.limits.memoryBytes / 1024 ** 2).toFixed(0)} MiB, ${(r.limits.nanoCpus / 1e9).toFixed(2)} CPU, ` +
      `${r.limits.pidsLimit} pids; fresh volume each run`,
    `runs    ${r.options.runs} per path, alternating ours/raw, after ${r.options.warmup} warm-up pair(s); ` +
      `/readyz polled every ${r.options.ourPollMs} ms by agent-server, every ${r.options.rawPollMs} ms by the raw path`,
    "",
  );
  const w = [30, 10, 10, 10, 10, 9];
  const metricRow = (label: string, s: MetricSummary, target: boolean) => {
    const verdict =
      target && s.ratioOfMedians !== null
        ? `  target <= ${TARGET_RATIO.toFixed(2)}: ${s.ratioOfMedians <= TARGET_RATIO ? "met" : "NOT met"}`
        : "";
    return (
      row(
        [
          label,
          seconds(s.ours?.medianMs),
          seconds(s.ours?.p95Ms),
          seconds(s.raw?.medianMs),
          seconds(s.raw?.p95Ms),
          ratio(s.ratioOfMedians),
        ],
        w,
      ) + verdict
    );
  };
  lines.push(
    row(["", "ours", "", "raw", "", "ours/raw"], w),
    row(["", "median", "p95", "median", "p95", ""], w),
    metricRow("cold start (request -> ready)", r.summary.coldStart, true),
    metricRow("first chat reply after ready", r.summary.chat, false),
    `(paired ratio, median of per-run ours/raw: cold start ${ratio(r.summary.coldStart.pairedRatioMedian)}, ` +
      `chat ${ratio(r.summary.chat.pairedRatioMedian)}; p95 is nearest-rank, with few runs it is the maximum)`,
    "",
  );
  const po = r.summary.phases.ours;
  const pr = r.summary.phases.raw;
  const pw = [46, 10, 10];
  lines.push(
    row(["phases of the cold start (medians)", "ours", "raw"], pw),
    row(["prepare: network, volume, container created", seconds(po.prepare), seconds(pr.prepare)], pw),
    row(["start -> gateway ready", seconds(po.startToReady), seconds(pr.startToReady)], pw),
    row(["  of which attach, start, stdin payload", "-", seconds(pr.startCalls)], pw),
    row(["ready -> answered (agent-server's 200)", seconds(po.readyToAnswer), "-"], pw),
    row(
      ["first chat: request -> upstream called", seconds(po.chatToUpstream), seconds(pr.chatToUpstream)],
      pw,
    ),
    row(
      ["first chat: upstream called -> reply", seconds(po.chatFromUpstream), seconds(pr.chatFromUpstream)],
      pw,
    ),
    row(
      [
        "first chat: upstream calls",
        String(po.chatUpstreamCalls ?? "-"),
        String(pr.chatUpstreamCalls ?? "-"),
      ],
      pw,
    ),
    "",
  );
  const rw = [5, 12, 12, 12, 12, 13];
  lines.push(row(["run", "ours cold", "raw cold", "ours chat", "raw chat", "load ours/raw"], rw));
  for (const run of [...new Set(r.samples.filter((s) => s.run > 0).map((s) => s.run))]) {
    const cell = (path: PathName, metric: Metric) => {
      const s = r.samples.find((x) => x.run === run && x.path === path);
      return !s ? "-" : s.ok ? seconds(s[metric]) : "FAILED";
    };
    const load = (path: PathName) =>
      r.samples.find((x) => x.run === run && x.path === path)?.load1.toFixed(1) ?? "-";
    lines.push(
      row(
        [
          String(run),
          cell("ours", "coldStartMs"),
          cell("raw", "coldStartMs"),
          cell("ours", "chatMs"),
          cell("raw", "chatMs"),
          `${load("ours")}/${load("raw")}`,
        ],
        rw,
      ),
    );
  }
  const failed = r.samples.filter((s) => !s.ok);
  if (failed.length > 0) {
    lines.push("", `${failed.length} sample(s) failed:`);
    for (const s of failed) lines.push(`  run ${s.run || "warm-up"} ${s.path}: ${s.error}`);
  }
  const left = r.samples.filter((s) => (s.leftAfterRemoval ?? 0) > 0);
  for (const s of left) {
    lines.push(
      `  run ${s.run || "warm-up"} ${s.path}: ${s.leftAfterRemoval} object(s) left after its removal`,
    );
  }
  if (r.strayObjects > 0)
    lines.push(`  ${r.strayObjects} stray object(s) of this run removed by the label sweep`);
  return `${lines.join("\n")}\n`;
}
