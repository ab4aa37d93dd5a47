// The raw baseline's Docker calls: the Engine API over its unix socket, as bare as dockerode makes them
// (a JSON body per call; attach hijacked with `Connection: Upgrade`, `Upgrade: tcp`), with nothing of
// agent-server's in between (no database, no state machine, no adapter checks). Only the timed raw
// path uses these; clean-up and diagnostics go through agent-server's adapter or kit's dockerApi.
import { request } from "node:http";
import type { Socket } from "node:net";
import { dockerSocketPath } from "@clawden/kit/testing";

export class DockerCallError extends Error {
  override readonly name = "DockerCallError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One Engine API call with an optional JSON body; resolves with the parsed answer, throws on >= 400. */
export function dockerCall<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<T> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: dockerSocketPath(),
        method,
        path,
        timeout: timeoutMs,
        headers: payload
          ? { "content-type": "application/json", "content-length": String(payload.length) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // plain text answers stay text
          }
          if (status >= 400) {
            const message = (parsed as { message?: string } | undefined)?.message ?? text;
            reject(
              new DockerCallError(status, `docker ${method} ${path.split("?")[0]}: ${status} ${message}`),
            );
            return;
          }
          resolve(parsed as T);
        });
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`docker ${method} ${path}: no answer within ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Attaches to a created container's stdin (hijacked connection), as `docker run -i` and dockerode do. */
export function attachStdin(id: string, timeoutMs = 30_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: dockerSocketPath(),
      method: "POST",
      path: `/containers/${id}/attach?stream=1&stdin=1&stdout=0&stderr=0`,
      timeout: timeoutMs,
      headers: { Connection: "Upgrade", Upgrade: "tcp", "content-length": "0" },
    });
    req.on("upgrade", (_res, socket, head) => {
      socket.setTimeout(0);
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.on("response", (res) => {
      res.resume();
      reject(
        new DockerCallError(res.statusCode ?? 0, `docker attach ${id}: not upgraded (${res.statusCode})`),
      );
    });
    req.on("timeout", () => req.destroy(new Error(`docker attach ${id}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/** Writes the payload, half-closes (the engine then closes the container's stdin) and waits for the hang-up. */
export function writeAndClose(socket: Socket, payload: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error("the engine did not take the stdin payload in time")),
      timeoutMs,
    );
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.off("end", done);
      socket.off("close", done);
      socket.off("error", finish);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const done = () => finish();
    socket.once("end", done);
    socket.once("close", done);
    socket.once("error", finish);
    socket.resume();
    socket.end(payload);
  });
}
