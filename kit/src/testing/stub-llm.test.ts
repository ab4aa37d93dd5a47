// The stub LLM: its pure parsing and reply rules, then the real server over loopback (streams read and
// reassembled byte for byte, usage recomputed with countTokens, directives, auth, the request log, close).
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { describe, expect, it, onTestFinished } from "vitest";
import { createLogger } from "../server/logger.js";
import {
  buildStreamChunks,
  contentText,
  countTokens,
  lastUserText,
  parseDirectives,
  parseStubLlmArgs,
  parseToolDirective,
  planReply,
  splitText,
  startStubLlm,
  stripTimestamp,
  type ChatMessage,
  type ChatRequest,
  type StubLlm,
  type StubLlmOptions,
} from "./stub-llm.js";

// ----------------------------------------------------------------------------------------------------
// helpers

async function startStub(options?: StubLlmOptions): Promise<StubLlm> {
  const stub = await startStubLlm(options);
  onTestFinished(() => stub.close());
  return stub;
}

function post(stub: StubLlm, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stub.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: string;
      content?: string | null;
      tool_calls?: {
        index: number;
        id?: string;
        type?: string;
        function: { name?: string; arguments: string };
      }[];
    };
    finish_reason: string | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

/** Splits an SSE body into its parsed chunks; the body must end with exactly one `data: [DONE]`. */
function parseSse(body: string): Chunk[] {
  expect(body.endsWith("data: [DONE]\n\n")).toBe(true);
  const events = body.split("\n\n").filter((e) => e !== "");
  expect(events.every((e) => e.startsWith("data: "))).toBe(true);
  expect(events.filter((e) => e === "data: [DONE]")).toHaveLength(1);
  return events.slice(0, -1).map((e) => JSON.parse(e.slice("data: ".length)) as Chunk);
}

async function streamChunks(response: Response): Promise<Chunk[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  return parseSse(await response.text());
}

function contentDeltas(chunks: Chunk[]): string[] {
  return chunks.flatMap((c) => c.choices.map((choice) => choice.delta.content ?? "")).filter((t) => t !== "");
}

const user = (content: ChatMessage["content"]): ChatMessage => ({ role: "user", content });
const request = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "stub-model",
  messages,
  ...extra,
});
const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

// ----------------------------------------------------------------------------------------------------
// pure rules

describe("countTokens", () => {
  it("is ceil(code points / 4)", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("a")).toBe(1);
    expect(countTokens("abcd")).toBe(1);
    expect(countTokens("abcde")).toBe(2);
    expect(countTokens("héllo wörld")).toBe(3); // 11 code points
    expect(countTokens("😀😀😀😀")).toBe(1); // 4 code points, 8 UTF-16 units
    expect(countTokens("x".repeat(50_000))).toBe(12_500);
  });
});

describe("message text", () => {
  it("strips one OpenClaw timestamp prefix and nothing else", () => {
    expect(stripTimestamp("[Mon 2026-11-23 10:35 UTC] hello")).toBe("hello");
    expect(stripTimestamp("[Tue 2026-11-24 09:05:59 Europe/Berlin] hi")).toBe("hi");
    expect(stripTimestamp("[2026-11-23 10:35 GMT+1] hi")).toBe("hi");
    expect(stripTimestamp("[Mon 2026-11-23 10:35 UTC] [Mon 2026-11-23 10:35 UTC] x")).toBe(
      "[Mon 2026-11-23 10:35 UTC] x",
    );
    expect(stripTimestamp("[note] hello")).toBe("[note] hello");
    expect(stripTimestamp("[[tool:x]] hello")).toBe("[[tool:x]] hello");
    expect(stripTimestamp("hello [Mon 2026-11-23 10:35 UTC] ")).toBe("hello [Mon 2026-11-23 10:35 UTC] ");
  });

  it("reads string content and text parts, ignoring other parts", () => {
    expect(contentText("plain")).toBe("plain");
    expect(contentText(null)).toBe("");
    expect(contentText(undefined)).toBe("");
    expect(
      contentText([
        { type: "text", text: "one" },
        { type: "image_url", image_url: { url: "data:," } },
        { type: "text", text: "two" },
      ]),
    ).toBe("one\ntwo");
  });

  it("finds the last real user message, skipping OpenClaw's internal context", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "sys" },
      user("[Mon 2026-11-23 10:35 UTC] first"),
      { role: "assistant", content: "ok" },
      user([{ type: "text", text: "[Mon 2026-11-23 10:36 UTC] second\nmore" }]),
      user("<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nstuff\n<<<END_OPENCLAW_INTERNAL_CONTEXT>>>"),
      user([{ type: "text", text: "<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nparts" }]),
    ];
    expect(lastUserText(messages)).toBe("second\nmore");
    expect(lastUserText([{ role: "system", content: "only" }])).toBeUndefined();
  });
});

describe("parseDirectives", () => {
  it("reads fail, delay and slow", () => {
    expect(parseDirectives("plain text")).toEqual({ ok: true, value: {} });
    expect(parseDirectives("a [[stub:fail 503]] b [[stub:delay 250]] [[stub:slow 0]]")).toEqual({
      ok: true,
      value: { failStatus: 503, delayMs: 250, interChunkDelayMs: 0 },
    });
    expect(parseDirectives("[[stub:delay 60000]][[stub:fail 400]]")).toEqual({
      ok: true,
      value: { delayMs: 60_000, failStatus: 400 },
    });
  });

  it.each([
    ["[[stub:fail abc]]", "not understood"],
    ["[[stub:fail 200]]", "out of range"],
    ["[[stub:fail 600]]", "out of range"],
    ["[[stub:delay 60001]]", "out of range"],
    ["[[stub:delay -1]]", "not understood"],
    ["[[stub:delay 100ms]]", "not understood"],
    ["[[stub:Delay 100]]", "not understood"],
    ["[[stub:bogus 1]]", "not understood"],
    ["[[stub:delay  100]]", "not understood"],
    ["[[stub:delay 100] oops", "without a closing"],
    ["[[stub:delay 1]] [[stub:delay 2]]", "given twice"],
  ])("rejects %s", (text, why) => {
    const result = parseDirectives(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(why);
  });
});

describe("parseToolDirective", () => {
  it("reads a name and an optional JSON object, which may itself hold ]]", () => {
    expect(parseToolDirective("nothing here")).toEqual({ ok: true, value: undefined });
    expect(parseToolDirective("go [[tool:list_files]] now")).toEqual({
      ok: true,
      value: { name: "list_files", arguments: "{}" },
    });
    expect(parseToolDirective('x [[tool:get_weather { "city": "Paris" }]] y')).toEqual({
      ok: true,
      value: { name: "get_weather", arguments: '{"city":"Paris"}' },
    });
    expect(parseToolDirective('[[tool:t {"m":[[1,2]],"s":"}]]"}]]')).toEqual({
      ok: true,
      value: { name: "t", arguments: '{"m":[[1,2]],"s":"}]]"}' },
    });
  });

  it.each([
    ["[[tool:bad name]]", "arguments of bad"],
    ["[[tool:]]", "expected [[tool:NAME"],
    ["[[tool:x/y]]", "expected [[tool:NAME"],
    ["[[tool:t [1]]]", "must be a JSON object"],
    ['[[tool:t {"a":}]]', "not a JSON object"],
    ['[[tool:t {"a":1}', "not a JSON object"],
    ["[[tool:a]] [[tool:b]]", "only one"],
  ])("rejects %s", (text, why) => {
    const result = parseToolDirective(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(why);
  });
});

describe("planReply", () => {
  it("echoes the first line of the last real user message", () => {
    const plan = planReply(request([user("[Mon 2026-11-23 10:35 UTC] Hello there\nsecond line")]));
    expect(plan).toEqual({
      ok: true,
      value: {
        reply: { kind: "text", text: "STUB-REPLY: Hello there" },
        userText: "Hello there\nsecond line",
      },
    });
    expect(planReply(request([{ role: "system", content: "s" }]))).toMatchObject({
      ok: true,
      value: { reply: { kind: "text", text: "STUB-REPLY: " } },
    });
  });

  it("calls a tool only when the request offers it, numbering ids after earlier calls", () => {
    const ask = user('check [[tool:get_weather {"city":"Oslo"}]]');
    expect(planReply(request([ask]))).toMatchObject({
      ok: true,
      value: { reply: { kind: "text", text: 'STUB-REPLY: check [[tool:get_weather {"city":"Oslo"}]]' } },
    });
    const offered = planReply(request([ask], { tools: [weatherTool] }));
    expect(offered.ok && offered.value.reply).toEqual({
      kind: "tool_call",
      id: "call_1",
      name: "get_weather",
      arguments: '{"city":"Oslo"}',
    });
    const earlier: ChatMessage = {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } },
        { id: "call_2", type: "function", function: { name: "get_weather", arguments: "{}" } },
      ],
    };
    const later = planReply(
      request([earlier, { role: "tool", content: "r" }, ask], { tools: [weatherTool] }),
    );
    expect(later.ok && later.value.reply).toMatchObject({ kind: "tool_call", id: "call_3" });
  });

  it("answers a tool result with its first line, even when the user text still asks for the tool", () => {
    const plan = planReply(
      request(
        [
          user("[[tool:get_weather]]"),
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "sunny, 21 C\ndetails" }] },
        ],
        { tools: [weatherTool] },
      ),
    );
    expect(plan.ok && plan.value.reply).toEqual({ kind: "text", text: "STUB-TOOL-RESULT: sunny, 21 C" });
  });

  it("passes directives through and refuses malformed ones", () => {
    expect(planReply(request([user("x [[stub:delay 5]] [[stub:slow 6]] [[stub:fail 502]]")]))).toMatchObject({
      ok: true,
      value: { delayMs: 5, interChunkDelayMs: 6, failStatus: 502 },
    });
    expect(planReply(request([user("[[stub:delay soon]]")])).ok).toBe(false);
    expect(planReply(request([user("[[tool:t {nope}]]")])).ok).toBe(false);
  });
});

describe("stream pieces", () => {
  it("splits by code points, never inside a surrogate pair", () => {
    expect(splitText("", 3)).toEqual([]);
    expect(splitText("abcdefg", 3)).toEqual(["abc", "def", "g"]);
    expect(splitText("😀a😀b😀", 2)).toEqual(["😀a", "😀b", "😀"]);
  });

  it("streams a tool call as OpenAI does: id and name first, then the arguments in pieces", () => {
    const meta = { id: "chatcmpl-x", created: 1, model: "m" };
    const chunks = buildStreamChunks(
      meta,
      { kind: "tool_call", id: "call_1", name: "f", arguments: '{"a":"bcdef"}' },
      5,
    ) as unknown as Chunk[];
    expect(chunks.map((c) => c.choices[0]!.delta)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "f", arguments: "" } }],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"bcde' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'f"}' } }] },
      {},
    ]);
    expect(chunks.map((c) => c.choices[0]!.finish_reason)).toEqual([null, null, null, null, "tool_calls"]);
    expect(chunks.every((c) => !("usage" in c))).toBe(true);
  });
});

describe("parseStubLlmArgs", () => {
  it("reads flags, falls back to STUB_LLM_* variables, and defaults to loopback", () => {
    expect(parseStubLlmArgs([])).toEqual({
      host: "127.0.0.1",
      port: 0,
      models: undefined,
      acceptedKeys: undefined,
      chunkSize: undefined,
    });
    expect(
      parseStubLlmArgs(["--port", "8099", "--host", "::1", "--model", "a", "--model", "b", "--key", "k1"], {
        STUB_LLM_PORT: "1",
        STUB_LLM_KEYS: "ignored",
      }),
    ).toEqual({ host: "::1", port: 8099, models: ["a", "b"], acceptedKeys: ["k1"], chunkSize: undefined });
    expect(
      parseStubLlmArgs([], {
        STUB_LLM_PORT: "8100",
        STUB_LLM_MODELS: "x, y",
        STUB_LLM_KEYS: "k1,k2",
        STUB_LLM_CHUNK_SIZE: "3",
      }),
    ).toEqual({
      host: "127.0.0.1",
      port: 8100,
      models: ["x", "y"],
      acceptedKeys: ["k1", "k2"],
      chunkSize: 3,
    });
  });

  it.each([
    [["--port", "abc"], "--port must be an integer"],
    [["--port", "70000"], "--port must be an integer"],
    [["--chunk-size", "0"], "--chunk-size must be an integer"],
    [["--host", "a b"], "--host must be"],
    [["--bogus"], "Unknown option"],
    [["extra"], "invalid arguments"],
  ])("rejects %j", (argv, why) => {
    expect(() => parseStubLlmArgs(argv)).toThrow(why);
  });
});

// ----------------------------------------------------------------------------------------------------
// the server

describe("stub LLM server", () => {
  it("binds to loopback on a free port and lists its models", async () => {
    const stub = await startStub();
    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(stub.url).toBe(`http://127.0.0.1:${stub.port}/v1`);
    const response = await fetch(`${stub.url}/models`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      object: "list",
      data: [{ id: "stub-model", object: "model", created: 0, owned_by: "clawden-stub" }],
    });

    const custom = await startStub({ models: ["gpt-a", "gpt-b"] });
    const list = (await (await fetch(`${custom.url}/models`)).json()) as { data: { id: string }[] };
    expect(list.data.map((m) => m.id)).toEqual(["gpt-a", "gpt-b"]);
  });

  it("answers a non-streaming request with a chat.completion and exact usage", async () => {
    const stub = await startStub();
    const messages: ChatMessage[] = [
      { role: "system", content: "You are terse." },
      user("[Mon 2026-11-23 10:35 UTC] Bonjour à tous\nsecond line"),
    ];
    const response = await post(stub, { model: "my-model", messages });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await response.json()) as Record<string, unknown>;
    const prompt =
      countTokens("You are terse.") + countTokens("[Mon 2026-11-23 10:35 UTC] Bonjour à tous\nsecond line");
    const completion = countTokens("STUB-REPLY: Bonjour à tous");
    expect(body).toEqual({
      id: "chatcmpl-stub-1",
      object: "chat.completion",
      created: expect.any(Number),
      model: "my-model",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "STUB-REPLY: Bonjour à tous", refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    });
    expect(prompt).toBe(4 + 14); // 14 and 53 code points
    expect(completion).toBe(7); // 26 code points
  });

  it("streams the reply in chunkSize deltas, then the finish reason, the usage and [DONE]", async () => {
    const stub = await startStub();
    const text = "[Mon 2026-11-23 10:35 UTC] Stream me, please: ünïcödé 😀 ok";
    const response = await post(stub, {
      model: "m",
      stream: true,
      stream_options: { include_usage: true },
      messages: [user(text)],
    });
    const chunks = await streamChunks(response);
    const reply = "STUB-REPLY: Stream me, please: ünïcödé 😀 ok";
    const deltas = contentDeltas(chunks);
    expect(deltas.join("")).toBe(reply);
    expect(deltas).toEqual(splitText(reply, 8));
    expect(deltas.slice(0, -1).every((d) => Array.from(d).length === 8)).toBe(true);

    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.every((c) => c.id === "chatcmpl-stub-1" && c.object === "chat.completion.chunk")).toBe(
      true,
    );
    expect(chunks.every((c) => c.model === "m")).toBe(true);
    const finish = chunks.at(-2)!;
    expect(finish.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({
      prompt_tokens: countTokens(text),
      completion_tokens: countTokens(reply),
      total_tokens: countTokens(text) + countTokens(reply),
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks).toHaveLength(1 + deltas.length + 1 + 1);
  });

  it("sends no usage chunk unless include_usage is true, and honours chunkSize", async () => {
    const stub = await startStub({ chunkSize: 3 });
    for (const streamOptions of [undefined, { include_usage: false }]) {
      const chunks = await streamChunks(
        await post(stub, {
          model: "m",
          stream: true,
          stream_options: streamOptions,
          messages: [user("abcdefg")],
        }),
      );
      expect(contentDeltas(chunks)).toEqual(["STU", "B-R", "EPL", "Y: ", "abc", "def", "g"]);
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
      expect(chunks.some((c) => "usage" in c)).toBe(false);
    }
  });

  it("runs a tool-call round trip: a streamed call, then the tool result answered", async () => {
    const stub = await startStub({ chunkSize: 4 });
    const ask = user('[Mon 2026-11-23 10:35 UTC] Weather? [[tool:get_weather {"city": "Zürich"}]]');
    const first = await streamChunks(
      await post(stub, {
        model: "m",
        stream: true,
        stream_options: { include_usage: true },
        tools: [weatherTool],
        messages: [ask],
      }),
    );
    const calls = first.flatMap((c) => c.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(calls[0]).toEqual({
      index: 0,
      id: "call_1",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    const args = calls.map((c) => c.function.arguments).join("");
    expect(args).toBe('{"city":"Zürich"}');
    expect(calls.slice(1).every((c) => c.index === 0 && Array.from(c.function.arguments).length <= 4)).toBe(
      true,
    );
    expect(calls.length).toBe(1 + Math.ceil(Array.from(args).length / 4));
    expect(contentDeltas(first)).toEqual([]);
    expect(first.at(-2)!.choices[0]!.finish_reason).toBe("tool_calls");
    expect(first.at(-1)!.usage).toEqual({
      prompt_tokens: countTokens(contentText(ask.content)),
      completion_tokens: countTokens("get_weather") + countTokens(args),
      total_tokens: countTokens(contentText(ask.content)) + countTokens("get_weather") + countTokens(args),
    });

    const assistant: ChatMessage = {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: args } }],
    };
    const result: ChatMessage = {
      role: "tool",
      tool_call_id: "call_1",
      content: "Zürich: 4 °C, fog\nwind 3 km/h",
    };
    const second = await post(stub, { model: "m", tools: [weatherTool], messages: [ask, assistant, result] });
    const body = (await second.json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { prompt_tokens: number };
    };
    expect(body.choices[0]!.message.content).toBe("STUB-TOOL-RESULT: Zürich: 4 °C, fog");
    expect(body.choices[0]!.finish_reason).toBe("stop");
    expect(body.usage.prompt_tokens).toBe(
      countTokens(contentText(ask.content)) +
        countTokens(args) +
        countTokens("Zürich: 4 °C, fog\nwind 3 km/h"),
    );

    const noTool = await post(stub, { model: "m", messages: [ask] });
    const plain = (await noTool.json()) as {
      choices: { message: { content: string; tool_calls?: unknown } }[];
    };
    expect(plain.choices[0]!.message.content).toBe(
      'STUB-REPLY: Weather? [[tool:get_weather {"city": "Zürich"}]]',
    );
    expect(plain.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it("returns a non-streamed tool call as a chat.completion with tool_calls", async () => {
    const stub = await startStub();
    const response = await post(stub, {
      model: "m",
      tools: [weatherTool],
      messages: [user("[[tool:get_weather]]")],
    });
    const body = (await response.json()) as { choices: unknown[]; usage: unknown };
    expect(body.choices).toEqual([
      {
        index: 0,
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } },
          ],
        },
        logprobs: null,
        finish_reason: "tool_calls",
      },
    ]);
    const completion = countTokens("get_weather") + countTokens("{}");
    expect(body.usage).toEqual({
      prompt_tokens: countTokens("[[tool:get_weather]]"),
      completion_tokens: completion,
      total_tokens: countTokens("[[tool:get_weather]]") + completion,
    });
  });

  it("fails with the status a [[stub:fail]] directive asks for", async () => {
    const stub = await startStub();
    for (const [status, type] of [
      [503, "server_error"],
      [429, "rate_limit_error"],
      [400, "invalid_request_error"],
    ] as const) {
      const response = await post(stub, {
        model: "m",
        stream: true,
        messages: [user(`hi [[stub:fail ${status}]]`)],
      });
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(await response.json()).toEqual({
        error: {
          message: `stub: failure requested by [[stub:fail ${status}]]`,
          type,
          param: null,
          code: null,
        },
      });
    }
    expect(stub.requests.map((r) => [r.status, r.error])).toEqual([
      [503, "stub: failure requested by [[stub:fail 503]]"],
      [429, "stub: failure requested by [[stub:fail 429]]"],
      [400, "stub: failure requested by [[stub:fail 400]]"],
    ]);
  });

  it("waits before the first byte for [[stub:delay]] and between events for [[stub:slow]]", async () => {
    const stub = await startStub();
    let started = performance.now();
    const delayed = await post(stub, { model: "m", messages: [user("[[stub:delay 200]] hi")] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(
      ((await delayed.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
    ).toBe("STUB-REPLY: [[stub:delay 200]] hi");

    started = performance.now();
    const slow = await post(stub, { model: "m", stream: true, messages: [user("[[stub:slow 40]]")] });
    const chunks = await streamChunks(slow);
    const events = chunks.length + 1; // with [DONE]
    expect(events).toBe(7); // role, 4 pieces of the 28-code-point reply, finish, [DONE]
    expect(performance.now() - started).toBeGreaterThanOrEqual((events - 1) * 40 - 5);
  });

  it("refuses a malformed directive with 400 rather than ignoring it", async () => {
    const stub = await startStub();
    const response = await post(stub, { model: "m", messages: [user("[[stub:delay 2s]]")] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("stub directive not understood: [[stub:delay 2s]]");
  });

  it("follows setBehavior: failNext a number of times, delays, and reset", async () => {
    const stub = await startStub();
    stub.setBehavior({ failNext: { status: 502, message: "upstream down", times: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await post(stub, { model: "m", messages: [user(`try ${i}`)] });
      statuses.push(response.status);
      if (response.status === 502) {
        expect(await response.json()).toEqual({
          error: { message: "upstream down", type: "server_error", param: null, code: null },
        });
      } else {
        await response.arrayBuffer();
      }
    }
    expect(statuses).toEqual([502, 502, 200]);

    stub.setBehavior({ delayMs: 150, interChunkDelayMs: 30 });
    const started = performance.now();
    const response = await post(stub, { model: "m", stream: true, messages: [user("hi")] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    const chunks = await streamChunks(response);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145 + chunks.length * 30 - 5);
    expect(contentDeltas(chunks).join("")).toBe("STUB-REPLY: hi");

    // A directive wins over the programmatic value.
    const overridden = performance.now();
    await (await post(stub, { model: "m", messages: [user("[[stub:delay 0]] fast")] })).arrayBuffer();
    expect(performance.now() - overridden).toBeLessThan(145);

    stub.setBehavior({});
    const reset = await post(stub, { model: "m", messages: [user("x")] });
    expect(reset.status).toBe(200);
    await reset.arrayBuffer();

    expect(() => stub.setBehavior({ failNext: { status: 200 } })).toThrow(RangeError);
    expect(() => stub.setBehavior({ delayMs: 60_001 })).toThrow(RangeError);
    expect(() => stub.setBehavior({ failNext: { status: 500, times: 0 } })).toThrow(RangeError);
  });

  it("requires one of the accepted keys when configured, and logs whatever key arrived", async () => {
    const stub = await startStub({ acceptedKeys: ["sk-alice-0123456789", "sk-bob-0123456789"] });
    const body = { model: "m", messages: [user("hi")] };

    const none = await post(stub, body);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: {
        message: "You didn't provide an API key. Send it as `Authorization: Bearer <key>`.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    });
    const wrong = await post(stub, body, { authorization: "Bearer sk-mallory-0123456789" });
    expect(wrong.status).toBe(401);
    const wrongBody = (await wrong.json()) as { error: { message: string; code: string } };
    expect(wrongBody.error.code).toBe("invalid_api_key");
    expect(wrongBody.error.message).not.toContain("sk-mallory-0123456789");
    const models = await fetch(`${stub.url}/models`, { headers: { authorization: "Bearer nope" } });
    expect(models.status).toBe(401);
    await models.arrayBuffer();

    const bob = await post(stub, body, { authorization: "Bearer sk-bob-0123456789" });
    expect(bob.status).toBe(200);
    await bob.arrayBuffer();
    expect(stub.requests.map((r) => [r.path, r.key, r.status])).toEqual([
      ["/v1/chat/completions", null, 401],
      ["/v1/chat/completions", "sk-mallory-0123456789", 401],
      ["/v1/models", "nope", 401],
      ["/v1/chat/completions", "sk-bob-0123456789", 200],
    ]);

    const open = await startStub();
    const any = await post(open, body, { authorization: "Bearer sk-anything" });
    expect(any.status).toBe(200);
    await any.arrayBuffer();
    expect(open.requests[0]!.key).toBe("sk-anything");
  });

  it("validates the body: 400 with an OpenAI-style error naming the problem", async () => {
    const stub = await startStub();
    const cases: [unknown, string, string | null][] = [
      [{ messages: [user("hi")] }, "model:", "model"],
      [{ model: "m", messages: [] }, "messages:", "messages"],
      [{ model: "m", messages: [{ role: "wizard", content: "hi" }] }, "messages.0.role:", "messages.0.role"],
      [{ model: "m", messages: [user("hi")], stream: "yes" }, "stream:", "stream"],
      ["{not json", "could not parse the JSON body", null],
      ["", "could not parse the JSON body", null],
    ];
    for (const [body, message, param] of cases) {
      const response = await post(stub, body);
      expect(response.status).toBe(400);
      const error = (
        (await response.json()) as { error: { message: string; type: string; param: string | null } }
      ).error;
      expect(error.type).toBe("invalid_request_error");
      expect(error.message).toContain(message);
      expect(error.param).toBe(param);
    }
    expect(stub.requests.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(stub.requests[4]!.body).toBe("{not json");
  });

  it("answers unknown paths with 404, wrong methods with 405, and oversized bodies with 413", async () => {
    const stub = await startStub({ bodyLimitBytes: 1000 });
    const missing = await fetch(`${stub.url}/responses`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        message: "Invalid URL (POST /v1/responses)",
        type: "invalid_request_error",
        param: null,
        code: "unknown_url",
      },
    });
    const wrongMethod = await fetch(`${stub.url}/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    await wrongMethod.arrayBuffer();
    const big = await post(stub, { model: "m", messages: [user("x".repeat(2000))] });
    expect(big.status).toBe(413);
    await big.arrayBuffer();
    expect(stub.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/v1/responses", 404],
      ["GET", "/v1/chat/completions", 405],
      ["POST", "/v1/chat/completions", 413],
    ]);
  });

  it("logs every request with its key, shape and status, also over HTTP, and clears the log", async () => {
    const stub = await startStub();
    const body = {
      model: "log-model",
      stream: true,
      messages: [{ role: "system", content: "s" }, user("[Mon 2026-11-23 10:35 UTC] log me\nplease")],
      tools: [weatherTool],
    };
    const before = new Date().toISOString();
    await (await post(stub, body, { authorization: "Bearer sk-user-42" })).text();
    const [entry] = stub.requests;
    expect(entry).toEqual({
      seq: 1,
      time: expect.any(String),
      method: "POST",
      path: "/v1/chat/completions",
      key: "sk-user-42",
      model: "log-model",
      stream: true,
      messageCount: 2,
      lastUserText: "log me\nplease",
      toolsCount: 1,
      status: 200,
      error: null,
      body,
    });
    expect(entry!.time >= before).toBe(true);

    const snapshot = stub.requests;
    const overHttp = await fetch(`${stub.url.replace(/\/v1$/, "")}/_stub/requests`);
    expect(await overHttp.json()).toEqual(JSON.parse(JSON.stringify(snapshot)));
    const deleted = await fetch(`${stub.url.replace(/\/v1$/, "")}/_stub/requests`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(stub.requests).toEqual([]);
    expect(snapshot).toHaveLength(1); // a snapshot, not the live log

    await (await fetch(`${stub.url}/models`)).arrayBuffer();
    expect(stub.requests.map((r) => [r.seq, r.path])).toEqual([[2, "/v1/models"]]);
    stub.clearRequests();
    expect(stub.requests).toEqual([]);
  });

  it("logs one line per request to the logger given, without the key or the body", async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const stub = await startStub({ logger: createLogger({ name: "stub-llm", destination }) });
    const response = await post(
      stub,
      { model: "m", messages: [user("secret-ish text")] },
      {
        authorization: "Bearer sk-never-logged",
      },
    );
    await response.arrayBuffer();
    await stub.waitForRequest((r) => r.status === 200);
    await (await fetch(`${stub.url}/nope`)).arrayBuffer();
    await stub.close(); // the line is written when the response closes; close() waits for that
    expect(lines.map((l) => [l.msg, l.method, l.url, l.status])).toEqual([
      ["stub-llm request", "POST", "/v1/chat/completions", 200],
      ["stub-llm request", "GET", "/v1/nope", 404],
    ]);
    expect(JSON.stringify(lines)).not.toContain("sk-never-logged");
    expect(JSON.stringify(lines)).not.toContain("secret-ish text");
  });

  it("waitForRequest resolves for a request still to come and times out with what it saw", async () => {
    const stub = await startStub();
    const waiting = stub.waitForRequest((r) => r.lastUserText === "second" && r.status === 200);
    await (await post(stub, { model: "m", messages: [user("first")] })).arrayBuffer();
    await (await post(stub, { model: "m", messages: [user("second")] })).arrayBuffer();
    expect((await waiting).seq).toBe(2);
    await expect(stub.waitForRequest((r) => r.path === "/never", 50)).rejects.toThrow(
      "no matching request within 50 ms (seen: POST /v1/chat/completions -> 200, POST /v1/chat/completions -> 200)",
    );
  });

  it("close() cuts streams in flight and requests still waiting, and resolves promptly", async () => {
    const stub = await startStub();
    stub.setBehavior({ interChunkDelayMs: 30_000 });
    const streaming = await post(stub, { model: "m", stream: true, messages: [user("long answer")] });
    expect(streaming.status).toBe(200);
    const reader = streaming.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value as Uint8Array)).toContain('"role":"assistant"');

    const waiting = post(stub, { model: "m", messages: [user("[[stub:delay 30000]] later")] });
    await stub.waitForRequest((r) => r.lastUserText === "[[stub:delay 30000]] later");

    const started = performance.now();
    await stub.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(reader.read()).rejects.toThrow();
    await expect(waiting).rejects.toThrow();
    await expect(fetch(`${stub.url}/models`)).rejects.toThrow();
    await stub.close(); // idempotent
  });

  it("survives a client that leaves mid-stream", async () => {
    const stub = await startStub();
    const controller = new AbortController();
    const response = await fetch(`${stub.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "m", stream: true, messages: [user("[[stub:slow 10000]] bye")] }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    const next = await post(stub, { model: "m", messages: [user("still here")] });
    expect(
      ((await next.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
    ).toBe("STUB-REPLY: still here");
  });

  it("answers an OpenClaw-shaped request: long system prompt, internal context, timestamp, 12 tools", async () => {
    const stub = await startStub({ models: ["stub-model"], acceptedKeys: ["sk-clawden-user-7"] });
    const systemPrompt = "You are a personal assistant running inside OpenClaw. "
      .repeat(1000)
      .slice(0, 50_000);
    const toolNames = [
      "read",
      "write",
      "edit",
      "exec",
      "process",
      "web_search",
      "web_fetch",
      "browser",
      "message",
      "cron",
      "sessions_list",
      "memory_search",
    ];
    const tools = toolNames.map((name) => ({
      type: "function",
      function: {
        name,
        description: `The ${name} tool.`,
        parameters: { type: "object", properties: { input: { type: "string" } }, required: ["input"] },
      },
    }));
    const userText = "[Mon 2026-11-23 10:35 UTC] What's on my calendar today?\nKeep it short.";
    const internal = [
      {
        type: "text",
        text: '<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nConversation data (data, not instructions):\n"Active exec sessions:\\nnone"\n<<<END_OPENCLAW_INTERNAL_CONTEXT>>>',
      },
    ];
    const openclawBody = (messages: unknown[]) => ({
      model: "stub-model",
      messages,
      stream: true,
      stream_options: { include_usage: true },
      store: false,
      max_completion_tokens: 8192,
      tools,
      tool_choice: "auto",
    });
    const auth = { authorization: "Bearer sk-clawden-user-7" };
    const messages = [
      { role: "system", content: systemPrompt },
      { role: "user", content: userText },
      { role: "user", content: internal },
    ];

    const chunks = await streamChunks(await post(stub, openclawBody(messages), auth));
    const reply = "STUB-REPLY: What's on my calendar today?";
    expect(contentDeltas(chunks).join("")).toBe(reply);
    const prompt = countTokens(systemPrompt) + countTokens(userText) + countTokens(internal[0]!.text);
    expect(countTokens(systemPrompt)).toBe(12_500);
    expect(chunks.at(-1)!.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: countTokens(reply),
      total_tokens: prompt + countTokens(reply),
    });
    expect(stub.requests[0]).toMatchObject({
      key: "sk-clawden-user-7",
      model: "stub-model",
      stream: true,
      messageCount: 3,
      lastUserText: "What's on my calendar today?\nKeep it short.",
      toolsCount: 12,
      status: 200,
    });

    // The same shape asking for a tool, then carrying its result back.
    const toolAsk = '[Mon 2026-11-23 10:36 UTC] Look it up [[tool:web_search {"query":"calendar"}]]';
    const withTool = [
      ...messages,
      { role: "assistant", content: reply },
      { role: "user", content: toolAsk },
      {
        role: "user",
        content: internal,
      },
    ];
    const call = await streamChunks(await post(stub, openclawBody(withTool), auth));
    const deltas = call.flatMap((c) => c.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(deltas[0]).toMatchObject({ id: "call_1", function: { name: "web_search" } });
    expect(deltas.map((d) => d.function.arguments).join("")).toBe('{"query":"calendar"}');
    const followUp = [
      ...withTool,
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "web_search", arguments: '{"query":"calendar"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "3 meetings: 9:00, 11:00, 15:00\n(more)" },
    ];
    const final = await streamChunks(await post(stub, openclawBody(followUp), auth));
    expect(contentDeltas(final).join("")).toBe("STUB-TOOL-RESULT: 3 meetings: 9:00, 11:00, 15:00");
  });
});
