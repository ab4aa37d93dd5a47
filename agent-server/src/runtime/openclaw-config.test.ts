// Unit tests of the per-user OpenClaw config and the start payload (no engine needed; the image's
// integration test starts a real gateway with this config).
import { describe, expect, it } from "vitest";
import {
  buildOpenClawConfig,
  OpenClawConfigError,
  startPayload,
  type OpenClawConfigInput,
} from "./openclaw-config.js";

const input: OpenClawConfigInput = {
  upstream: { baseUrl: "https://llm.example.com/v1", model: "gpt-5.1-mini" },
};

/** Every string in a JSON value, keys included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

describe("buildOpenClawConfig", () => {
  it("builds the validated headless shape with the upstream's literal URL and a key placeholder", () => {
    expect(buildOpenClawConfig(input)).toEqual({
      gateway: {
        mode: "local",
        bind: "lan",
        port: 18789,
        auth: { mode: "token" },
        http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } },
        terminal: { enabled: false },
        controlUi: { automaticallyFetchFavicons: false },
      },
      update: { checkOnStart: false },
      skills: { load: { watch: false } },
      agents: { defaults: { model: { primary: "byok/gpt-5.1-mini" }, heartbeat: { every: "0m" } } },
      plugins: { entries: { "memory-core": { config: { dreaming: { enabled: false } } } } },
      models: {
        mode: "merge",
        catalogRefresh: { enabled: false },
        providers: {
          byok: {
            baseUrl: "https://llm.example.com/v1",
            apiKey: "${LLM_API_KEY}",
            api: "openai-completions",
            timeoutSeconds: 120,
            models: [
              {
                id: "gpt-5.1-mini",
                name: "gpt-5.1-mini",
                reasoning: false,
                input: ["text"],
                cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
                contextWindow: 128000,
                maxTokens: 4096,
              },
            ],
          },
        },
      },
    });
  });

  it("takes the provider kind, limits and control UI origins from the inputs", () => {
    const config = buildOpenClawConfig({
      upstream: {
        baseUrl: "http://10.1.2.3:8099/v1/",
        model: "meta-llama/Llama-3.3-70B",
        api: "openai-responses",
        contextWindow: 32000,
        maxTokens: 2000,
      },
      controlUiOrigins: ["https://claw.example.com", "http://localhost:5173", "https://claw.example.com"],
    }) as any;
    expect(config.gateway.controlUi).toEqual({
      allowedOrigins: ["https://claw.example.com", "http://localhost:5173"],
      automaticallyFetchFavicons: false,
    });
    expect(config.agents.defaults.model.primary).toBe("byok/meta-llama/Llama-3.3-70B");
    const provider = config.models.providers.byok;
    expect(provider.baseUrl).toBe("http://10.1.2.3:8099/v1");
    expect(provider.api).toBe("openai-responses");
    expect(provider.models[0]).toMatchObject({
      id: "meta-llama/Llama-3.3-70B",
      contextWindow: 32000,
      maxTokens: 2000,
    });
  });

  it("has no secret anywhere: the only placeholder is ${LLM_API_KEY}, and it takes no secret input", () => {
    const all = strings(buildOpenClawConfig({ ...input, controlUiOrigins: ["https://a.example"] }));
    expect(all.filter((s) => s.includes("${"))).toEqual(["${LLM_API_KEY}"]);
    // Every other string is a constant of the shape or one of the (checked, non-secret) inputs.
    const fromInputs = new Set([
      "https://llm.example.com/v1",
      "gpt-5.1-mini",
      "byok/gpt-5.1-mini",
      "https://a.example",
    ]);
    const constants = strings(
      buildOpenClawConfig({
        upstream: { baseUrl: "http://x.invalid/v1", model: "m" },
        controlUiOrigins: ["http://o.invalid"],
      }),
    );
    expect(all.filter((s) => !fromInputs.has(s) && !constants.includes(s))).toEqual([]);
  });

  it("refuses inputs that could carry a secret or name another variable", () => {
    const bad: [OpenClawConfigInput, RegExp][] = [
      [
        { upstream: { ...input.upstream, baseUrl: "https://user:sk-live-1@llm.example.com/v1" } },
        /credentials/,
      ],
      [{ upstream: { ...input.upstream, baseUrl: "https://llm.example.com/v1?key=sk-live-1" } }, /query/],
      [
        { upstream: { ...input.upstream, baseUrl: "https://llm.example.com/${OPENCLAW_GATEWAY_TOKEN}" } },
        /\$\{/,
      ],
      [{ upstream: { ...input.upstream, model: "${OPENCLAW_GATEWAY_TOKEN}" } }, /\$\{/],
      [{ upstream: { ...input.upstream, model: "a model" } }, /upstream.model/],
      [{ upstream: { ...input.upstream, baseUrl: "ftp://llm.example.com/v1" } }, /http or https/],
      [{ upstream: { ...input.upstream, baseUrl: "not a url" } }, /not a URL/],
      [{ upstream: { ...input.upstream, maxTokens: 0 } }, /maxTokens/],
      [{ upstream: { ...input.upstream, contextWindow: 1000, maxTokens: 4096 } }, /maxTokens/],
      [{ ...input, controlUiOrigins: ["https://claw.example.com/app"] }, /scheme:\/\/host/],
      [{ ...input, controlUiOrigins: ["https://${OPENCLAW_GATEWAY_TOKEN}.example"] }, /\$\{/],
      [{ upstream: { ...input.upstream, api: "anthropic" as never } }, /upstream.api/],
    ];
    for (const [value, message] of bad) {
      expect(() => buildOpenClawConfig(value), JSON.stringify(value)).toThrow(OpenClawConfigError);
      expect(() => buildOpenClawConfig(value)).toThrow(message);
    }
  });
});

describe("startPayload", () => {
  const secrets = { gatewayToken: "gw-0123456789abcdef0123", llmApiKey: "sk-test-key" };

  it("puts the config and the two secrets in one JSON document", () => {
    const config = buildOpenClawConfig(input);
    expect(JSON.parse(startPayload(config, secrets))).toEqual({
      config,
      env: { OPENCLAW_GATEWAY_TOKEN: secrets.gatewayToken, LLM_API_KEY: secrets.llmApiKey },
    });
  });

  it("refuses a config that contains a secret's value, and weak secrets", () => {
    const leaky = { ...buildOpenClawConfig(input), note: `key ${secrets.llmApiKey}` };
    expect(() => startPayload(leaky, secrets)).toThrow(/value of LLM_API_KEY/);
    const quoted = { gatewayToken: 'gw-"quoted"-0123456789', llmApiKey: "k" };
    expect(() => startPayload({ a: quoted.gatewayToken }, quoted)).toThrow(/OPENCLAW_GATEWAY_TOKEN/);
    expect(() => startPayload({}, { ...secrets, gatewayToken: "short" })).toThrow(/at least 16/);
    expect(() => startPayload({}, { ...secrets, llmApiKey: "" })).toThrow(/empty/);
  });
});
