// The image's entrypoint (agent-server/image/entrypoint.mjs) run as a real process under the host's
// node, fed through its real stdin: every way a start payload can be wrong ends with exit code 64 and
// a reason that never shows a value; a good one is written as the config (mode 0600) before the
// entrypoint hands over to OpenClaw, which is not on the host (so that step fails with 70). The
// integration test runs it in the image with the real gateway.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRYPOINT_SOURCE } from "./recipe.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "clawden-entrypoint-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the entrypoint with `stdin` (undefined: stdin stays open and silent). */
function runEntrypoint(stdin: string | undefined, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRYPOINT_SOURCE], {
      env: {
        PATH: process.env.PATH ?? "",
        OPENCLAW_CONFIG_PATH: path.join(dir, "state", "openclaw.json"),
        XDG_CACHE_HOME: path.join(dir, "cache"),
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    // The entrypoint may stop reading early (a payload over the limit): that is not the test's error.
    child.stdin.on("error", () => undefined);
    if (stdin !== undefined) child.stdin.end(stdin);
  });
}

const token = "gw-0123456789abcdef-token";
const key = "sk-live-abcdef0123456789";
const config = { gateway: { mode: "local" }, models: { providers: { byok: { apiKey: "${LLM_API_KEY}" } } } };
const payload = (value: unknown) => JSON.stringify(value);

describe("the image's entrypoint", () => {
  it("refuses every bad payload with 64 and a one-line reason that shows no value", async () => {
    const cases: [string, RegExp][] = [
      ["", /no start payload on stdin \(stdin was empty or closed\)/],
      [`{"config": {"a": "${key}"`, /is not valid JSON/],
      ["[]", /must be a JSON object/],
      [payload({ config, env: { OPENCLAW_GATEWAY_TOKEN: token }, extra: key }), /unknown keys: extra/],
      [payload({ config: [key], env: {} }), /config must be an object/],
      [payload({ config, env: [key] }), /env must be an object/],
      [
        payload({ config, env: { OPENCLAW_GATEWAY_TOKEN: token, AWS_SECRET_ACCESS_KEY: key } }),
        /env may only set OPENCLAW_GATEWAY_TOKEN, LLM_API_KEY/,
      ],
      [payload({ config, env: { LLM_API_KEY: key } }), /env must set OPENCLAW_GATEWAY_TOKEN/],
      [
        payload({ config, env: { OPENCLAW_GATEWAY_TOKEN: "short", LLM_API_KEY: key } }),
        /OPENCLAW_GATEWAY_TOKEN must be a string of 16/,
      ],
      [
        payload({ config, env: { OPENCLAW_GATEWAY_TOKEN: token, LLM_API_KEY: 42 } }),
        /LLM_API_KEY must be a string/,
      ],
      [
        payload({ config, env: { OPENCLAW_GATEWAY_TOKEN: `${token}\n`, LLM_API_KEY: key } }),
        /control characters/,
      ],
      [
        payload({ config: { note: key }, env: { OPENCLAW_GATEWAY_TOKEN: token, LLM_API_KEY: key } }),
        /contains the value of LLM_API_KEY; write \$\{LLM_API_KEY\}/,
      ],
      [
        payload({ config, env: { OPENCLAW_GATEWAY_TOKEN: token } }),
        /refers to \$\{LLM_API_KEY\}, which neither env nor the image provides/,
      ],
      [payload({ config: { pad: "x".repeat(1024 * 1024) }, env: {} }), /larger than 1048576 bytes/],
    ];
    for (const [stdin, reason] of cases) {
      const run = await runEntrypoint(stdin);
      expect(run.code, stdin.slice(0, 80)).toBe(64);
      expect(run.stderr).toMatch(reason);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(`${run.stdout}${run.stderr}`).not.toContain(key);
      expect(run.stderr).not.toContain(token);
    }
  });

  it("gives up with 64 when nothing arrives on stdin in time", async () => {
    const run = await runEntrypoint(undefined, { CLAWDEN_PAYLOAD_TIMEOUT_MS: "300" });
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/no start payload on stdin within 300 ms/);
  });

  it("writes the config with mode 0600 and only then hands over to OpenClaw", async () => {
    const run = await runEntrypoint(
      payload({ config, env: { OPENCLAW_GATEWAY_TOKEN: token, LLM_API_KEY: key } }),
    );
    const file = path.join(dir, "state", "openclaw.json");
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(config);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(run.stdout).toMatch(
      /wrote .*openclaw\.json .*mode 0600.*secrets set: OPENCLAW_GATEWAY_TOKEN, LLM_API_KEY/,
    );
    // OpenClaw is only in the image.
    expect(run.code).toBe(70);
    expect(run.stderr).toMatch(/cannot start OpenClaw from \/app\/node_modules\/openclaw\/openclaw\.mjs/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(key);
    expect(`${run.stdout}${run.stderr}`).not.toContain(token);
  });
});
