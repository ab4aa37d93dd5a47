// Free TCP ports on 127.0.0.1, for servers whose own URL must be known before they start.
import { createServer } from "node:net";

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(address && typeof address === "object" ? address.port : null));
    });
  });
}

/** A port free right now. */
export async function freePort(): Promise<number> {
  const port = await tryListen(0);
  if (port === null) throw new Error("no free port on 127.0.0.1");
  return port;
}

/** The first of `count` consecutive ports that are all free right now. */
export async function freeConsecutivePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + count > 65_535) continue;
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => tryListen(base + i + 1)));
    if (rest.every((p) => p !== null)) return base;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}
