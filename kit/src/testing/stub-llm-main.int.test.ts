// The stub upstream as a standalone server (how a developer or a container test runs it): it
// announces its URL, checks keys from STUB_LLM_KEYS, answers a chat, and exits 0 on SIGTERM.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runMainToExit, startMain } from "./child-server.js";

const MAIN = path.resolve(import.meta.dirname, "stub-llm-main.ts");

describe("stub-llm-main", () => {
  it("serves chat completions with the configured key and stops on SIGTERM", async () => {
    const stub = await startMain(MAIN, { STUB_LLM_PORT: "0", STUB_LLM_KEYS: "sk-test-key" });
    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const ask = (key: string) =>
      fetch(`${stub.url}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "m",
          messages: [{ role: "user", content: "hello there\nsecond line" }],
        }),
      });
    expect((await ask("sk-wrong")).status).toBe(401);
    const ok = await ask("sk-test-key");
    const body = (await ok.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).toBe("STUB-REPLY: hello there");
    expect(await stub.stop("SIGTERM")).toBe(0);
    expect(stub.output.join("\n")).not.toContain("sk-test-key");
  });

  it("refuses bad arguments with exit code 78", async () => {
    const result = await runMainToExit(MAIN, { STUB_LLM_PORT: "not-a-port" });
    expect(result.code).toBe(78);
  });
});
