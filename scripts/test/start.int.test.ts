// `npm start` as a person runs it (the script itself, on other ports and a fresh state directory):
// every server comes up, the printed one-time link signs the first administrator in, the admin API
// sees all four servers ready, and Ctrl-C (SIGINT) stops every server gracefully.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { freeConsecutivePorts } from "@clawden/kit/testing";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

describe("npm start", () => {
  let stateDir = "";
  afterAll(async () => {
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it("starts the platform, prints a working admin link, and stops on Ctrl-C", async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), "clawden-start-"));
    const base = await freeConsecutivePorts(4);
    const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
      cwd: root,
      env: {
        ...process.env,
        CLAWDEN_STATE_DIR: stateDir,
        CLAWDEN_BASE_PORT: String(base),
        CLAWDEN_ADMIN_EMAIL: "operator@example.com",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    let linkFound: (link: string) => void = () => undefined;
    const link = new Promise<string>((resolve) => (linkFound = resolve));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        const match = /(http:\/\/\S+\/login\/confirm#\S+)/.exec(line);
        if (match) linkFound(match[1]!);
      });
    }
    const exited = once(child, "exit");
    const url = await Promise.race([
      link,
      exited.then(() => {
        throw new Error(`npm start ended early:\n${output.join("\n")}`);
      }),
    ]);
    const origin = `http://127.0.0.1:${base}`;
    expect(url.startsWith(`${origin}/login/confirm#token=`)).toBe(true);
    expect(output.join("\n")).toContain(`Admin app         ${origin}/admin/`);

    const token = new URLSearchParams(new URL(url).hash.slice(1)).get("token");
    const signIn = await fetch(`${origin}/api/auth/magic-link/consume`, {
      method: "POST",
      headers: { origin, "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const system = await fetch(`${origin}/api/admin/system`, { headers: { cookie } });
    const { services } = (await system.json()) as { services: { name: string; ready: boolean }[] };
    expect(services.map((s) => [s.name, s.ready])).toEqual([
      ["management-server", true],
      ["agent-server", true],
      ["group-vault", true],
      ["relay-server", true],
    ]);
    const page = await fetch(`${origin}/admin/`, { headers: { accept: "text/html" } });
    expect(await page.text()).toContain("<admin-app");

    child.kill("SIGINT");
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    const completed = output.filter((l) => l.includes("shutdown complete"));
    expect(completed).toHaveLength(4);
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
  });
});
