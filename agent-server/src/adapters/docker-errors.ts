// The one error type the Docker adapter throws: a small code callers can branch on and a message that
// names the operation and Docker's own reason. Raw client errors (with their stacks and HTTP details)
// stop here.

export type EngineErrorCode =
  /** The container or image does not exist. */
  | "not_found"
  /** Docker refused because of the object's state (a name in use, a removal already under way). */
  | "conflict"
  /** Docker rejected the request as malformed (a bad option, an unknown instruction). */
  | "invalid"
  /** The engine did not answer on its socket, or we may not use the socket. */
  | "unavailable"
  /** No answer within the time this call allows. */
  | "timeout"
  /** Anything else the engine reported (a 500, an error inside a streamed answer). */
  | "engine";

export class EngineError extends Error {
  override readonly name = "EngineError";

  constructor(
    readonly code: EngineErrorCode,
    /** What was being done, e.g. `inspect container 3f2a…`. */
    readonly operation: string,
    /** Docker's own reason, or the socket error, without HTTP framing. */
    readonly reason: string,
    /** The HTTP status Docker answered with, when it answered. */
    readonly status?: number,
  ) {
    super(`docker ${operation}: ${reason}`);
  }
}

interface ClientErrorShape {
  statusCode?: unknown;
  json?: unknown;
  message?: unknown;
  code?: unknown;
  name?: unknown;
}

const SOCKET_CODES: Record<string, string> = {
  ENOENT: "no Docker socket at this path",
  ECONNREFUSED: "the Docker socket refuses connections (is dockerd running?)",
  EACCES: "no permission to use the Docker socket",
  EPERM: "no permission to use the Docker socket",
  ECONNRESET: "the engine closed the connection",
  EPIPE: "the engine closed the connection",
};

/** Docker's message without docker-modem's `(HTTP code 404) no such container - ` framing. */
export function dockerReason(error: ClientErrorShape): string {
  const json = error.json;
  if (json !== null && typeof json === "object" && "message" in json && typeof json.message === "string") {
    return json.message.trim();
  }
  const message = typeof error.message === "string" ? error.message : "unknown error";
  const framed = /^\(HTTP code \d+\) [^-]*- (.*)$/s.exec(message.trim());
  return (framed?.[1] ?? message).trim();
}

function codeForStatus(status: number): EngineErrorCode {
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 400) return "invalid";
  return "engine";
}

/** Maps whatever dockerode or the socket threw to an EngineError. */
export function toEngineError(operation: string, error: unknown, socketPath: string): EngineError {
  if (error instanceof EngineError) return error;
  const shape: ClientErrorShape =
    error !== null && typeof error === "object" ? error : { message: String(error) };
  if (typeof shape.statusCode === "number") {
    return new EngineError(codeForStatus(shape.statusCode), operation, dockerReason(shape), shape.statusCode);
  }
  if (shape.name === "AbortError" || shape.name === "TimeoutError" || shape.code === "ABORT_ERR") {
    return new EngineError("timeout", operation, "the engine did not answer in time");
  }
  if (typeof shape.code === "string" && shape.code in SOCKET_CODES) {
    return new EngineError("unavailable", operation, `${SOCKET_CODES[shape.code]} (${socketPath})`);
  }
  return new EngineError("engine", operation, dockerReason(shape));
}

/**
 * True when a failed removal means the container is gone or going: 404 (already removed) or 409 with
 * Docker's "removal of container … is already in progress". Other 409s are real conflicts.
 */
export function isAlreadyRemoved(error: EngineError): boolean {
  if (error.status === 404) return true;
  return error.status === 409 && /removal of container .* is already in progress/i.test(error.reason);
}
