// agent-server's event stream (server-sent events), each state change stamped with the moment it
// arrived here: the phases of our path (creating, starting, running) on the same clock as the request.
export interface Arrival {
  userId: string;
  state: string;
  reason: string;
  /** performance.now() when the event arrived. */
  at: number;
}

export interface StateFollower {
  arrivals: Arrival[];
  /** When `userId` reached `state` (first arrival), waiting up to `timeoutMs`; undefined if it did not. */
  arrival(userId: string, state: string, timeoutMs?: number): Promise<number | undefined>;
  stop(): void;
}

export async function followStates(url: string, token: string): Promise<StateFollower> {
  const controller = new AbortController();
  const res = await fetch(`${url}/internal/v1/events`, {
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`agent-server's event stream answered ${res.status}`);
  const arrivals: Arrival[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const at = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
          const data = buffer
            .slice(0, end)
            .split("\n")
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n");
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          const event = JSON.parse(data) as { userId: string; state: string; reason: string };
          arrivals.push({ userId: event.userId, state: event.state, reason: event.reason, at });
        }
      }
    } catch {
      // stopped
    }
  })();
  return {
    arrivals,
    async arrival(userId, state, timeoutMs = 5000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const found = arrivals.find((a) => a.userId === userId && a.state === state);
        if (found) return found.at;
        if (performance.now() > deadline) return undefined;
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stop: () => controller.abort(),
  };
}
