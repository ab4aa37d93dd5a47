// Talking to a started gateway, the same for both paths: readiness polling at the container's address
// (agent-server's own probe, gatewayReady) and the first chat completion with the gateway token.
import { setTimeout as sleep } from "node:timers/promises";
import { GATEWAY_PORT } from "../../agent-server/src/runtime/container-spec.js";
import { gatewayReady } from "../../agent-server/src/runtime/gateway.js";

/**
 * Polls /readyz every `pollMs` until it answers 200; `stillRunning` is asked about once a second so a
 * gateway that died is reported at once rather than at the deadline.
 */
export async function waitGatewayReady(
  address: string,
  options: { pollMs: number; timeoutMs: number; stillRunning: () => Promise<string | null> },
): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  let nextLiveCheck = performance.now() + 1000;
  for (;;) {
    if (await gatewayReady(address)) return;
    const now = performance.now();
    if (now > deadline) throw new Error(`the gateway was not ready within ${options.timeoutMs / 1000} s`);
    if (now > nextLiveCheck) {
      const dead = await options.stillRunning();
      if (dead) throw new Error(dead);
      nextLiveCheck = now + 1000;
    }
    await sleep(options.pollMs);
  }
}

export interface ChatResult {
  ms: number;
  reply: string;
  /** Wall-clock bounds of the request (Date.now()), to match the stub upstream's request log. */
  beganAt: number;
  endedAt: number;
}

/**
 * One chat completion (non-streaming) at the gateway, timed from the request to the end of the reply's
 * body. The stub upstream answers `STUB-REPLY: <text>`; anything else is an error, so a figure is only
 * ever reported for a real round trip through OpenClaw to the upstream and back.
 */
export async function firstChat(
  address: string,
  token: string,
  text: string,
  timeoutMs = 180_000,
): Promise<ChatResult> {
  const beganAt = Date.now();
  const began = performance.now();
  const res = await fetch(`http://${address}:${GATEWAY_PORT}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "openclaw/default", messages: [{ role: "user", content: text }] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.text();
  const ms = performance.now() - began;
  if (res.status !== 200) throw new Error(`chat completion answered ${res.status}: ${body.slice(0, 300)}`);
  const reply = (JSON.parse(body) as { choices?: { message?: { content?: string } }[] }).choices?.[0]?.message
    ?.content;
  if (reply !== `STUB-REPLY: ${text}`) {
    throw new Error(`unexpected chat reply ${JSON.stringify(reply ?? body.slice(0, 300))}`);
  }
  return { ms, reply, beganAt, endedAt: Date.now() };
}
