// Reads agent-server's event stream (server-sent events) into an array while a test runs.
export interface StateEvent {
  id: number;
  userId: string;
  state: string;
  reason: string;
  actor: string;
}

export interface EventCollector {
  events: StateEvent[];
  /** Resolves when an event matching `predicate` has arrived (or rejects after `timeoutMs`). */
  waitFor(predicate: (event: StateEvent) => boolean, timeoutMs?: number): Promise<StateEvent>;
  stop(): void;
}

export async function collectEvents(url: string, token: string, userId?: string): Promise<EventCollector> {
  const controller = new AbortController();
  const query = userId ? `?userId=${userId}` : "";
  const res = await fetch(`${url}/internal/v1/events${query}`, {
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`event stream answered ${res.status}`);
  const events: StateEvent[] = [];
  const waiters: { predicate: (e: StateEvent) => boolean; resolve: (e: StateEvent) => void }[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split("\n")
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n");
          if (!data) continue;
          const event = JSON.parse(data) as StateEvent;
          events.push(event);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(event)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(event);
            }
          }
        }
      }
    } catch {
      // aborted by stop()
    }
  })();
  return {
    events,
    waitFor(predicate, timeoutMs = 60_000) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    stop: () => controller.abort(),
  };
}
