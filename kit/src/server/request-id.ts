// Every request gets an id: the caller's X-Request-Id when it looks like one (so an id follows a request
// from management-server into agent-server), otherwise a fresh UUID. It is echoed in the response.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export const REQUEST_ID_HEADER = "x-request-id";

export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const existing = (req as { id?: unknown }).id;
  if (typeof existing === "string") return existing;
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === "string" && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
