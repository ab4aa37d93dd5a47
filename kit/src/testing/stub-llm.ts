// A deterministic OpenAI-compatible chat upstream for tests, run as a real HTTP server on loopback.
// It answers /v1/models and /v1/chat/completions (streamed or not) with replies derived only from the
// request: `STUB-REPLY: <first line of the last user message>`, a tool call when the message asks for
// one with [[tool:NAME {args}]], `STUB-TOOL-RESULT: ...` after a tool result. Tests that drive a real
// OpenClaw steer it through [[stub:...]] directives in the user's text; tests that hold the handle use
// setBehavior(). Every request is logged (with the bearer key presented) for tests to assert on.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { ConfigError } from "../server/config.js";
import type { Logger } from "../server/logger.js";
import { safeEqual } from "../server/safe-compare.js";
import { problemsOf } from "../server/validate.js";

// ---------------------------------------------------------------------------------------------------
// Tokens

/**
 * The stub's token count: one token per started group of 4 Unicode code points, i.e.
 * `Math.ceil(codePoints / 4)` (so "" is 0, "abcd" is 1, "abcde" is 2, four emoji are 1).
 * prompt_tokens is the sum of countTokens over each message's text (see contentText) plus each
 * assistant tool call's `arguments`; completion_tokens is countTokens of the reply text, or of the tool
 * call's name plus countTokens of its arguments; total_tokens is their sum.
 */
export function countTokens(text: string): number {
  let codePoints = 0;
  for (const _ of text) codePoints += 1;
  return Math.ceil(codePoints / 4);
}

// ---------------------------------------------------------------------------------------------------
// Requests

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const messageContent = z.union([z.string(), z.array(contentPart), z.null()]).optional();
const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
const chatMessage = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: messageContent,
  tool_calls: z.array(toolCall).optional(),
  tool_call_id: z.string().optional(),
  name: z.string().optional(),
});
const toolDefinition = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({ name: z.string().min(1), description: z.string().optional() }),
});

/** The part of an OpenAI chat-completion request the stub reads; other fields are kept as sent. */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessage).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(toolDefinition).optional(),
  tool_choice: z.unknown().optional(),
  max_completion_tokens: z.number().int().positive().nullish(),
  max_tokens: z.number().int().positive().nullish(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = ChatRequest["messages"][number];

export const INTERNAL_CONTEXT_MARKER = "<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>";

/** A message's text: the string itself, or its text parts joined by "\n"; "" for null or none. */
export function contentText(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("\n");
}

// OpenClaw's `[Mon 2026-11-23 10:35 UTC] `: optional weekday, date, time, optional zone, then one space.
const TIMESTAMP_PREFIX =
  /^\[(?:[A-Z][a-z]{2} )?\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?(?: [A-Za-z0-9+/:_-]{1,40})?\] /;

/** Removes one leading timestamp prefix such as `[Mon 2026-11-23 10:35 UTC] `. */
export function stripTimestamp(text: string): string {
  return text.replace(TIMESTAMP_PREFIX, "");
}

export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? "";
}

/**
 * The text of the last user message that is not OpenClaw's internal context, with its timestamp prefix
 * removed; undefined when there is none.
 */
export function lastUserText(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message?.role !== "user") continue;
    const text = stripTimestamp(contentText(message.content));
    if (text.trimStart().startsWith(INTERNAL_CONTEXT_MARKER)) continue;
    return text;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Directives

/** The longest delay a directive or setBehavior may ask for. */
export const MAX_DELAY_MS = 60_000;

export interface StubDirectives {
  /** [[stub:fail STATUS]]: answer this status (400-599) with an OpenAI-style error. */
  failStatus?: number;
  /** [[stub:delay MS]]: wait this long before the first byte. */
  delayMs?: number;
  /** [[stub:slow MS]]: wait this long between streamed events. */
  interChunkDelayMs?: number;
}

export type StubParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const STUB_OPENER = "[[stub:";
const STUB_DIRECTIVE = /\[\[stub:([^\]\n]{0,40})\]\]/g;
const STUB_DIRECTIVE_BODY = /^(fail|delay|slow) (\d{1,6})$/;

/**
 * Reads the [[stub:...]] directives in a user message. Strict: every `[[stub:` must be one of
 * `[[stub:fail STATUS]]` (400-599), `[[stub:delay MS]]` or `[[stub:slow MS]]` (0-60000), each at most once;
 * anything else is an error (answered with 400, so a typo is never silently ignored).
 */
export function parseDirectives(text: string): StubParseResult<StubDirectives> {
  const directives: StubDirectives = {};
  const matches = [...text.matchAll(STUB_DIRECTIVE)];
  if (matches.length !== text.split(STUB_OPENER).length - 1) {
    return { ok: false, message: "stub directive not understood: a [[stub: without a closing ]]" };
  }
  for (const match of matches) {
    const body = STUB_DIRECTIVE_BODY.exec(match[1] ?? "");
    const [, verb, digits] = body ?? [];
    if (!verb || !digits) {
      return {
        ok: false,
        message: `stub directive not understood: ${match[0]} (expected [[stub:fail STATUS]], [[stub:delay MS]] or [[stub:slow MS]])`,
      };
    }
    const value = Number(digits);
    const key = verb === "fail" ? "failStatus" : verb === "delay" ? "delayMs" : "interChunkDelayMs";
    if (directives[key] !== undefined) {
      return { ok: false, message: `stub directive given twice: [[stub:${verb} ...]]` };
    }
    if (verb === "fail" ? value < 400 || value > 599 : value > MAX_DELAY_MS) {
      const range = verb === "fail" ? "400 to 599" : `0 to ${MAX_DELAY_MS}`;
      return { ok: false, message: `stub directive out of range: ${match[0]} (must be ${range})` };
    }
    directives[key] = value;
  }
  return { ok: true, value: directives };
}

export interface ToolDirective {
  name: string;
  /** The arguments as a JSON object text (re-serialized, so always compact). */
  arguments: string;
}

const TOOL_OPENER = "[[tool:";
const TOOL_NAME = /^([A-Za-z0-9_-]{1,64})(\]\]| )/;

/**
 * Reads a `[[tool:NAME]]` or `[[tool:NAME {json-object}]]` directive; at most one per message.
 * The JSON may itself contain `]]`: the first `}]]` after which the text parses as an object ends it.
 */
export function parseToolDirective(text: string): StubParseResult<ToolDirective | undefined> {
  const start = text.indexOf(TOOL_OPENER);
  if (start < 0) return { ok: true, value: undefined };
  const bad = (why: string): StubParseResult<never> => ({
    ok: false,
    message: `tool directive not understood: ${why}`,
  });
  const rest = text.slice(start + TOOL_OPENER.length);
  const head = TOOL_NAME.exec(rest);
  const [matched, name, after] = head ?? [];
  if (!matched || !name) return bad("expected [[tool:NAME]] or [[tool:NAME {json}]] (NAME: A-Z a-z 0-9 _ -)");
  let tail: string;
  let args: string;
  if (after === "]]") {
    args = "{}";
    tail = rest.slice(matched.length);
  } else {
    const json = rest.slice(matched.length);
    if (!json.startsWith("{")) return bad(`the arguments of ${name} must be a JSON object`);
    let end = json.indexOf("}]]");
    let parsed: unknown;
    while (end >= 0 && parsed === undefined) {
      try {
        const value: unknown = JSON.parse(json.slice(0, end + 1));
        if (typeof value === "object" && value !== null && !Array.isArray(value)) parsed = value;
      } catch {
        // not the end of the object yet: try the next `}]]`
      }
      if (parsed === undefined) end = json.indexOf("}]]", end + 1);
    }
    if (parsed === undefined) return bad(`the arguments of ${name} are not a JSON object followed by ]]`);
    args = JSON.stringify(parsed);
    tail = json.slice(end + 3);
  }
  if (tail.includes(TOOL_OPENER)) return bad("only one [[tool:...]] directive per message");
  return { ok: true, value: { name, arguments: args } };
}

// ---------------------------------------------------------------------------------------------------
// Replies

export type StubReply =
  { kind: "text"; text: string } | { kind: "tool_call"; id: string; name: string; arguments: string };

export interface StubPlan extends StubDirectives {
  reply: StubReply;
  /** What lastUserText found (undefined when there is no real user message). */
  userText: string | undefined;
}

/**
 * Decides the answer to a request, from the request alone:
 * - last message is a tool result: `STUB-TOOL-RESULT: <its first line>`;
 * - the user text holds [[tool:NAME ...]] and the request offers a function NAME: a call to it, with id
 *   `call_<n>` where n is one more than the tool calls already in the conversation;
 * - otherwise `STUB-REPLY: <first line of the user text>`.
 * Fails (for a 400) when a directive is malformed.
 */
export function planReply(request: ChatRequest): StubParseResult<StubPlan> {
  const userText = lastUserText(request.messages);
  const text = userText ?? "";
  const directives = parseDirectives(text);
  if (!directives.ok) return directives;
  const tool = parseToolDirective(text);
  if (!tool.ok) return tool;
  const last = request.messages.at(-1);
  let reply: StubReply;
  if (last?.role === "tool") {
    reply = { kind: "text", text: `STUB-TOOL-RESULT: ${firstLine(contentText(last.content))}` };
  } else if (tool.value && request.tools?.some((t) => t.function.name === tool.value?.name)) {
    const earlierCalls = request.messages.reduce((n, m) => n + (m.tool_calls?.length ?? 0), 0);
    reply = { kind: "tool_call", id: `call_${earlierCalls + 1}`, ...tool.value };
  } else {
    reply = { kind: "text", text: `STUB-REPLY: ${firstLine(text)}` };
  }
  return { ok: true, value: { reply, userText, ...directives.value } };
}

// ---------------------------------------------------------------------------------------------------
// Usage and response bodies

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function promptTokens(messages: readonly ChatMessage[]): number {
  let tokens = 0;
  for (const message of messages) {
    tokens += countTokens(contentText(message.content));
    for (const call of message.tool_calls ?? []) tokens += countTokens(call.function.arguments);
  }
  return tokens;
}

export function completionTokens(reply: StubReply): number {
  return reply.kind === "text"
    ? countTokens(reply.text)
    : countTokens(reply.name) + countTokens(reply.arguments);
}

export function usageFor(request: ChatRequest, reply: StubReply): Usage {
  const prompt = promptTokens(request.messages);
  const completion = completionTokens(reply);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export interface CompletionMeta {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

function finishReason(reply: StubReply): "stop" | "tool_calls" {
  return reply.kind === "text" ? "stop" : "tool_calls";
}

/** The non-streaming `chat.completion` object. */
export function buildCompletion(
  meta: CompletionMeta,
  reply: StubReply,
  usage: Usage,
): Record<string, unknown> {
  const message =
    reply.kind === "text"
      ? { role: "assistant", content: reply.text, refusal: null }
      : {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [
            { id: reply.id, type: "function", function: { name: reply.name, arguments: reply.arguments } },
          ],
        };
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(reply) }],
    usage,
  };
}

/** Splits text into pieces of `size` code points (never splitting a surrogate pair); "" gives none. */
export function splitText(text: string, size: number): string[] {
  const codePoints = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < codePoints.length; i += size) pieces.push(codePoints.slice(i, i + size).join(""));
  return pieces;
}

/**
 * The `chat.completion.chunk` objects of a streamed answer, as OpenAI sends them: the role (with the
 * tool call's id and name, for a call), the content or arguments in `chunkSize` pieces, the finish
 * reason, then, when `usage` is given (stream_options.include_usage), a chunk with no choices and the
 * usage; every earlier chunk then carries `usage: null`. `data: [DONE]` follows, outside these.
 */
export function buildStreamChunks(
  meta: CompletionMeta,
  reply: StubReply,
  chunkSize: number,
  usage?: Usage,
): Record<string, unknown>[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(usage ? { usage: null } : {}),
  });
  const chunks: Record<string, unknown>[] = [];
  if (reply.kind === "text") {
    chunks.push(chunk({ role: "assistant", content: "" }));
    for (const piece of splitText(reply.text, chunkSize)) chunks.push(chunk({ content: piece }));
  } else {
    chunks.push(
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [
          { index: 0, id: reply.id, type: "function", function: { name: reply.name, arguments: "" } },
        ],
      }),
    );
    for (const piece of splitText(reply.arguments, chunkSize)) {
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
  }
  chunks.push(chunk({}, finishReason(reply)));
  if (usage) {
    chunks.push({
      id: meta.id,
      object: "chat.completion.chunk",
      created: meta.created,
      model: meta.model,
      choices: [],
      usage,
    });
  }
  return chunks;
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** An OpenAI-style error body; its type follows the status: 5xx server_error, 429 rate_limit_error, else invalid_request_error. */
export function openAiError(
  status: number,
  message: string,
  code: string | null = null,
  param: string | null = null,
): OpenAiErrorBody {
  const type = status >= 500 ? "server_error" : status === 429 ? "rate_limit_error" : "invalid_request_error";
  return { error: { message, type, param, code } };
}

// ---------------------------------------------------------------------------------------------------
// The server

export interface StubLlmOptions {
  /** Default 127.0.0.1; the stub never binds to all interfaces unless asked. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Ids listed by /v1/models; default ["stub-model"]. Any model is answered. */
  models?: string[];
  /** When set, requests must present one of these as `Authorization: Bearer <key>`, or get 401. */
  acceptedKeys?: string[];
  /** Code points per streamed content (or arguments) delta; default 8. */
  chunkSize?: number;
  /** When set, one line per request (never the key or the body). */
  logger?: Logger;
  /** Largest request body accepted; default 16 MiB. */
  bodyLimitBytes?: number;
}

/** Programmatic steering; each setBehavior call replaces the whole behavior (setBehavior({}) resets). */
export interface StubBehavior {
  /** Wait before the first byte of each chat completion (a [[stub:delay]] directive overrides it). */
  delayMs?: number;
  /** Wait between streamed events (a [[stub:slow]] directive overrides it). */
  interChunkDelayMs?: number;
  /** Fail the next `times` (default 1) chat completions with `status` (400-599). */
  failNext?: { status: number; message?: string; times?: number };
}

export interface StubRequestLogEntry {
  /** 1, 2, ... per server; also in the completion id `chatcmpl-stub-<seq>`. */
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  path: string;
  /** The bearer key presented, in full; null when there was no `Authorization: Bearer` header. */
  key: string | null;
  model: string | null;
  stream: boolean;
  messageCount: number;
  /** The real user text the stub reacted to (timestamp prefix removed). */
  lastUserText: string | null;
  toolsCount: number;
  /** The status answered; null until the answer starts (or if the client left first). */
  status: number | null;
  /** The error message answered, for non-2xx answers. */
  error: string | null;
  /** The parsed JSON body (the raw text when it was not JSON; undefined without a body). */
  body: unknown;
}

export interface StubLlm {
  /** Base URL including /v1, e.g. http://127.0.0.1:41234/v1. */
  url: string;
  port: number;
  server: Server;
  /** A snapshot of the request log, oldest first. */
  readonly requests: readonly StubRequestLogEntry[];
  clearRequests: () => void;
  setBehavior: (behavior: StubBehavior) => void;
  /** Resolves with the first logged request (already logged or yet to come) that satisfies `predicate`. */
  waitForRequest: (
    predicate?: (entry: StubRequestLogEntry) => boolean,
    timeoutMs?: number,
  ) => Promise<StubRequestLogEntry>;
  /** Stops listening and cuts every open connection, in-flight streams included. Idempotent. */
  close: () => Promise<void>;
}

interface ActiveBehavior {
  delayMs: number;
  interChunkDelayMs: number;
  failNext: { status: number; message: string; remaining: number } | undefined;
}

function checkDelay(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_DELAY_MS}`);
  }
  return value;
}

function activeBehavior(behavior: StubBehavior): ActiveBehavior {
  const { failNext } = behavior;
  if (failNext) {
    if (!Number.isInteger(failNext.status) || failNext.status < 400 || failNext.status > 599) {
      throw new RangeError("failNext.status must be an integer from 400 to 599");
    }
    if (failNext.times !== undefined && (!Number.isInteger(failNext.times) || failNext.times < 1)) {
      throw new RangeError("failNext.times must be a positive integer");
    }
  }
  return {
    delayMs: checkDelay("delayMs", behavior.delayMs),
    interChunkDelayMs: checkDelay("interChunkDelayMs", behavior.interChunkDelayMs),
    failNext: failNext && {
      status: failNext.status,
      message: failNext.message ?? `stub: failure requested (status ${failNext.status})`,
      remaining: failNext.times ?? 1,
    },
  };
}

function bearerKey(req: IncomingMessage): string | null {
  const match = /^Bearer +(\S.*)$/i.exec(req.headers.authorization ?? "");
  return match?.[1]?.trim() ?? null;
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Reads to the end even past the limit (without keeping it), so the 413 can still be sent.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString("utf8");
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await sleep(ms, undefined, { signal });
}

export async function startStubLlm(options: StubLlmOptions = {}): Promise<StubLlm> {
  const host = options.host ?? "127.0.0.1";
  const models = options.models ?? ["stub-model"];
  const acceptedKeys = options.acceptedKeys;
  const chunkSize = options.chunkSize ?? 8;
  const bodyLimit = options.bodyLimitBytes ?? 16 * 1024 * 1024;
  const logger = options.logger;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError("chunkSize must be a positive integer");
  }

  let behavior = activeBehavior({});
  let log: StubRequestLogEntry[] = [];
  let seq = 0;
  const watchers = new Set<() => void>();
  const inFlight = new Set<AbortController>();
  const changed = () => {
    for (const watcher of [...watchers]) watcher();
  };

  function answerJson(res: ServerResponse, entry: StubRequestLogEntry, status: number, body: unknown): void {
    entry.status = status;
    if (status >= 300) entry.error = (body as Partial<OpenAiErrorBody>).error?.message ?? null;
    changed();
    sendJson(res, status, body);
  }

  function answerError(
    res: ServerResponse,
    entry: StubRequestLogEntry,
    status: number,
    message: string,
    code: string | null = null,
    param: string | null = null,
  ): void {
    answerJson(res, entry, status, openAiError(status, message, code, param));
  }

  function authorized(res: ServerResponse, entry: StubRequestLogEntry): boolean {
    if (!acceptedKeys) return true;
    const key = entry.key;
    if (key !== null && acceptedKeys.some((accepted) => safeEqual(accepted, key))) return true;
    const message =
      key === null
        ? "You didn't provide an API key. Send it as `Authorization: Bearer <key>`."
        : `Incorrect API key provided: ${key.length > 8 ? `${key.slice(0, 4)}...${key.slice(-4)}` : "****"}.`;
    answerError(res, entry, 401, message, "invalid_api_key");
    return false;
  }

  async function chatCompletion(
    req: IncomingMessage,
    res: ServerResponse,
    entry: StubRequestLogEntry,
    signal: AbortSignal,
  ) {
    const raw = await readBody(req, bodyLimit);
    if (raw === undefined) {
      res.setHeader("connection", "close");
      log.push(entry);
      return answerError(res, entry, 413, `The request body is larger than ${bodyLimit} bytes.`);
    }
    let json: unknown = raw;
    let jsonOk = true;
    try {
      json = JSON.parse(raw);
    } catch {
      jsonOk = false;
    }
    entry.body = raw === "" ? undefined : json;
    const parsed = chatRequestSchema.safeParse(json);
    if (parsed.success) {
      const request = parsed.data;
      entry.model = request.model;
      entry.stream = request.stream === true;
      entry.messageCount = request.messages.length;
      entry.lastUserText = lastUserText(request.messages) ?? null;
      entry.toolsCount = request.tools?.length ?? 0;
    }
    log.push(entry);
    changed();

    if (!authorized(res, entry)) return;
    if (!jsonOk) {
      return answerError(
        res,
        entry,
        400,
        "We could not parse the JSON body of your request: send valid JSON.",
      );
    }
    if (!parsed.success) {
      const problems = problemsOf(parsed.error);
      const summary = problems
        .slice(0, 3)
        .map((p) => `${p.path}: ${p.message}`)
        .join("; ");
      return answerError(
        res,
        entry,
        400,
        `Invalid request body: ${summary}`,
        null,
        problems[0]?.path ?? null,
      );
    }
    const request = parsed.data;
    const plan = planReply(request);
    if (!plan.ok) return answerError(res, entry, 400, plan.message);

    const { reply } = plan.value;
    await pause(plan.value.delayMs ?? behavior.delayMs, signal);

    const failNext = behavior.failNext;
    if (plan.value.failStatus !== undefined) {
      const status = plan.value.failStatus;
      return answerError(res, entry, status, `stub: failure requested by [[stub:fail ${status}]]`);
    }
    if (failNext) {
      failNext.remaining -= 1;
      if (failNext.remaining <= 0) behavior.failNext = undefined;
      return answerError(res, entry, failNext.status, failNext.message);
    }

    const meta: CompletionMeta = {
      id: `chatcmpl-stub-${entry.seq}`,
      created: Math.floor(Date.now() / 1000),
      model: request.model,
    };
    const usage = usageFor(request, reply);
    if (request.stream !== true) return answerJson(res, entry, 200, buildCompletion(meta, reply, usage));

    const includeUsage = request.stream_options?.include_usage === true;
    const events = buildStreamChunks(meta, reply, chunkSize, includeUsage ? usage : undefined).map(
      (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
    );
    events.push("data: [DONE]\n\n");
    const gap = plan.value.interChunkDelayMs ?? behavior.interChunkDelayMs;
    entry.status = 200;
    changed();
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    for (const [i, event] of events.entries()) {
      if (i > 0) await pause(gap, signal);
      if (!res.write(event)) await once(res, "drain", { signal });
    }
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://stub.invalid").pathname;
    if (path === "/_stub/requests") {
      if (method === "GET") return sendJson(res, 200, log);
      if (method === "DELETE") {
        log = [];
        res.writeHead(204).end();
        return;
      }
      return sendJson(res, 405, openAiError(405, `Method ${method} not allowed on ${path}.`), {
        allow: "GET, DELETE",
      });
    }
    seq += 1;
    const entry: StubRequestLogEntry = {
      seq,
      time: new Date().toISOString(),
      method,
      path,
      key: bearerKey(req),
      model: null,
      stream: false,
      messageCount: 0,
      lastUserText: null,
      toolsCount: 0,
      status: null,
      error: null,
      body: undefined,
    };
    if (path === "/v1/chat/completions" && method === "POST") return chatCompletion(req, res, entry, signal);
    log.push(entry);
    changed();
    if (path === "/v1/models" && method === "GET") {
      if (!authorized(res, entry)) return;
      const data = models.map((id) => ({ id, object: "model", created: 0, owned_by: "clawden-stub" }));
      return answerJson(res, entry, 200, { object: "list", data });
    }
    if (path === "/v1/models" || path === "/v1/chat/completions") {
      res.setHeader("allow", path === "/v1/models" ? "GET" : "POST");
      return answerError(res, entry, 405, `Method ${method} not allowed on ${path}.`);
    }
    return answerError(res, entry, 404, `Invalid URL (${method} ${path})`, "unknown_url");
  }

  const server = createServer((req, res) => {
    const controller = new AbortController();
    inFlight.add(controller);
    const started = Date.now();
    res.on("close", () => {
      controller.abort();
      inFlight.delete(controller);
      logger?.info(
        {
          method: req.method,
          url: req.url,
          status: res.headersSent ? res.statusCode : null,
          ms: Date.now() - started,
        },
        "stub-llm request",
      );
    });
    route(req, res, controller.signal).catch((err: unknown) => {
      if (controller.signal.aborted) return;
      logger?.error({ err }, "stub-llm: error while answering");
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, openAiError(500, "stub: internal error"));
    });
  });
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(":") ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}/v1`,
    port,
    server,
    get requests() {
      return [...log];
    },
    clearRequests: () => {
      log = [];
    },
    setBehavior: (next) => {
      behavior = activeBehavior(next);
    },
    waitForRequest: (predicate = () => true, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          let found: StubRequestLogEntry | undefined;
          try {
            found = log.find(predicate);
          } catch (error) {
            stop();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (!found) return;
          stop();
          resolve(found);
        };
        const timer = setTimeout(() => {
          stop();
          const seen = log.map((e) => `${e.method} ${e.path} -> ${e.status ?? "pending"}`).join(", ");
          reject(new Error(`stub-llm: no matching request within ${timeoutMs} ms (seen: ${seen || "none"})`));
        }, timeoutMs);
        const stop = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      }),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const controller of inFlight) controller.abort();
        server.closeAllConnections();
      })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Command line

/**
 * Options for the CLI (stub-llm-main.ts) from its arguments, falling back to STUB_LLM_* variables:
 * --host / STUB_LLM_HOST, --port / STUB_LLM_PORT, --model (repeatable) / STUB_LLM_MODELS (comma-separated),
 * --key (repeatable) / STUB_LLM_KEYS (comma-separated), --chunk-size / STUB_LLM_CHUNK_SIZE.
 * Throws ConfigError naming what is wrong.
 */
export function parseStubLlmArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): StubLlmOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        model: { type: "string", multiple: true },
        key: { type: "string", multiple: true },
        "chunk-size": { type: "string" },
      },
    }));
  } catch (error) {
    throw new ConfigError(`invalid arguments: ${error instanceof Error ? error.message : String(error)}`);
  }
  const integer = (name: string, text: string | undefined, min: number, max: number): number | undefined => {
    if (text === undefined || text === "") return undefined;
    const value = Number(text);
    if (!/^\d{1,6}$/.test(text) || value < min || value > max) {
      throw new ConfigError(
        `invalid arguments: ${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(text)})`,
      );
    }
    return value;
  };
  const list = (flag: string[] | undefined, text: string | undefined): string[] | undefined => {
    const items = flag ?? text?.split(",").map((s) => s.trim());
    const kept = items?.filter((s) => s !== "");
    return kept && kept.length > 0 ? kept : undefined;
  };
  const host = values.host ?? (env.STUB_LLM_HOST || undefined);
  if (host !== undefined && !/^[A-Za-z0-9.:-]+$/.test(host)) {
    throw new ConfigError(
      `invalid arguments: --host must be a host name or IP address (got ${JSON.stringify(host)})`,
    );
  }
  return {
    host: host ?? "127.0.0.1",
    port: integer("--port", values.port ?? env.STUB_LLM_PORT, 0, 65535) ?? 0,
    models: list(values.model, env.STUB_LLM_MODELS),
    acceptedKeys: list(values.key, env.STUB_LLM_KEYS),
    chunkSize: integer("--chunk-size", values["chunk-size"] ?? env.STUB_LLM_CHUNK_SIZE, 1, 100_000),
  };
}
