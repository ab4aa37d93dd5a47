// The per-user OpenClaw config and the start payload that carries it into the container.
//
// buildOpenClawConfig is pure: inputs in, the config object out (the shape validated by real gateway
// starts, see /work/shared/openclaw/openclaw.json5 and agent-server/README.md). It takes no secret, and
// refuses inputs that could smuggle one in: the gateway token comes from OPENCLAW_GATEWAY_TOKEN (read
// by the gateway itself), the upstream key is the placeholder ${LLM_API_KEY}, which OpenClaw fills in
// from its environment; a caller's string holding `${` could name another variable (say the gateway
// token) and have OpenClaw send it upstream, so no input may contain one.
// OpenClaw's validation is strict (an unknown key stops the gateway), so every key here is one a real
// gateway accepted; the image's integration test starts one with this config.

export const GATEWAY_TOKEN_ENV = "OPENCLAW_GATEWAY_TOKEN";
export const LLM_API_KEY_ENV = "LLM_API_KEY";
/** The provider id in the config; models are addressed as `byok/<model id>`. */
export const PROVIDER_ID = "byok";
const GATEWAY_PORT = 18789;

/** OpenClaw's provider API kinds for an OpenAI-compatible upstream. */
export type ProviderApi = "openai-completions" | "openai-responses";

export interface OpenClawConfigInput {
  upstream: {
    /** OpenAI-compatible base URL including /v1, e.g. `https://api.example.com/v1`. Not secret. */
    baseUrl: string;
    /** Sent upstream verbatim as `model`. */
    model: string;
    /** Default `openai-completions` (the upstream must stream SSE and support tool calls). */
    api?: ProviderApi;
    /** Default 128000. */
    contextWindow?: number;
    /** Default 4096 (sent as max_completion_tokens). */
    maxTokens?: number;
  };
  /** Browser origins allowed to open the Control UI's WebSocket; OpenClaw's loopback defaults if none. */
  controlUiOrigins?: string[];
}

export class OpenClawConfigError extends Error {
  override readonly name = "OpenClawConfigError";
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;

function noPlaceholder(value: string, what: string): string {
  if (value.includes("${")) throw new OpenClawConfigError(`${what} must not contain "\${"`);
  return value;
}

function checkBaseUrl(raw: string): string {
  noPlaceholder(raw, "upstream.baseUrl");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OpenClawConfigError("upstream.baseUrl is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OpenClawConfigError("upstream.baseUrl must be http or https");
  }
  // Credentials belong in LLM_API_KEY, never in the config file.
  if (url.username !== "" || url.password !== "") {
    throw new OpenClawConfigError(
      "upstream.baseUrl must not carry credentials (the key goes in LLM_API_KEY)",
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new OpenClawConfigError("upstream.baseUrl must not have a query or fragment");
  }
  return raw.replace(/\/+$/, "");
}

function checkOrigin(raw: string): string {
  noPlaceholder(raw, "controlUiOrigins");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OpenClawConfigError(`control UI origin ${JSON.stringify(raw)} is not a URL`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== raw) {
    throw new OpenClawConfigError(
      `control UI origin ${JSON.stringify(raw)} must be exactly scheme://host[:port], e.g. https://claw.example.com`,
    );
  }
  return raw;
}

function positiveInt(value: number | undefined, fallback: number, what: string, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > max)
    throw new OpenClawConfigError(`${what} must be an integer from 1 to ${max}`);
  return v;
}

/** The OpenClaw config object for one user's gateway. */
export function buildOpenClawConfig(input: OpenClawConfigInput): Record<string, unknown> {
  const { upstream } = input;
  const baseUrl = checkBaseUrl(upstream.baseUrl);
  const model = noPlaceholder(upstream.model, "upstream.model");
  if (!MODEL_ID.test(model)) {
    throw new OpenClawConfigError("upstream.model must be 1-200 characters of letters, digits and ._:/@+-");
  }
  const api = upstream.api ?? "openai-completions";
  if (api !== "openai-completions" && api !== "openai-responses") {
    throw new OpenClawConfigError('upstream.api must be "openai-completions" or "openai-responses"');
  }
  const contextWindow = positiveInt(upstream.contextWindow, 128_000, "upstream.contextWindow", 10_000_000);
  const maxTokens = positiveInt(upstream.maxTokens, 4096, "upstream.maxTokens", contextWindow);
  const origins = [...new Set((input.controlUiOrigins ?? []).map(checkOrigin))];

  return {
    gateway: {
      // Required for `gateway run` to start without --allow-unconfigured.
      mode: "local",
      // 0.0.0.0 inside the container: agent-server reaches it at the container's address.
      bind: "lan",
      port: GATEWAY_PORT,
      // The token is read from OPENCLAW_GATEWAY_TOKEN; a lan bind without auth is refused.
      auth: { mode: "token" },
      http: {
        endpoints: {
          chatCompletions: { enabled: true },
          responses: { enabled: true },
        },
      },
      // The operator terminal (a PTY in the container) is on by default.
      terminal: { enabled: false },
      controlUi: {
        ...(origins.length > 0 ? { allowedOrigins: origins } : {}),
        automaticallyFetchFavicons: false,
      },
    },
    // No telemetry.openclaw.ai update check.
    update: { checkOnStart: false },
    // The bundled skills live in the read-only image and never change: watching them only spends the
    // inotify watches every container of uid 1000 shares on the host (and blocks CRIU dumps).
    skills: { load: { watch: false } },
    agents: {
      defaults: {
        model: { primary: `${PROVIDER_ID}/${model}` },
        // The default 30-minute heartbeat is an LLM turn nobody asked for (BYOK cost, no idling).
        heartbeat: { every: "0m" },
      },
    },
    plugins: {
      entries: {
        // memory-core's nightly "dreaming" job is also an unrequested LLM turn.
        "memory-core": { config: { dreaming: { enabled: false } } },
      },
    },
    models: {
      mode: "merge",
      // No catalog.openclaw.ai fetch.
      catalogRefresh: { enabled: false },
      providers: {
        [PROVIDER_ID]: {
          baseUrl,
          apiKey: `\${${LLM_API_KEY_ENV}}`,
          api,
          timeoutSeconds: 120,
          models: [
            {
              id: model,
              name: model,
              reasoning: false,
              input: ["text"],
              cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
              contextWindow,
              maxTokens,
            },
          ],
        },
      },
    },
  };
}

export interface GatewaySecrets {
  /** The gateway's bearer token (full operator access to the gateway). */
  gatewayToken: string;
  /** The upstream's API key. */
  llmApiKey: string;
}

/**
 * The one JSON document the image's entrypoint reads from stdin at start (see
 * agent-server/image/entrypoint.mjs). Refuses a config that contains either secret's value.
 */
export function startPayload(config: Record<string, unknown>, secrets: GatewaySecrets): string {
  if (secrets.gatewayToken.length < 16)
    throw new OpenClawConfigError("the gateway token must be at least 16 characters");
  if (secrets.llmApiKey.length < 1) throw new OpenClawConfigError("the LLM API key must not be empty");
  const configText = JSON.stringify(config);
  for (const [name, value] of [
    [GATEWAY_TOKEN_ENV, secrets.gatewayToken],
    [LLM_API_KEY_ENV, secrets.llmApiKey],
  ] as const) {
    if (configText.includes(value) || configText.includes(JSON.stringify(value).slice(1, -1))) {
      throw new OpenClawConfigError(`the config contains the value of ${name}`);
    }
  }
  return JSON.stringify({
    config,
    env: { [GATEWAY_TOKEN_ENV]: secrets.gatewayToken, [LLM_API_KEY_ENV]: secrets.llmApiKey },
  });
}
