// How Clawden's web apps call management-server's API: same-origin JSON requests, where every failure
// is an ApiError whose message can be shown to people as it is (the server's own, or one about the
// network). Each app's src/api.ts builds its typed functions on apiRequest; components never build URLs.

/** A refused or failed API call. `status` is 0 when the server could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; requestId?: unknown };
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as ErrorBody;
  const { code, message, requestId } = body.error ?? {};
  return new ApiError(
    res.status,
    typeof code === "string" ? code : "http_error",
    typeof message === "string" ? message : `The server answered with an error (HTTP ${res.status}).`,
    typeof requestId === "string" ? requestId : undefined,
  );
}

/**
 * Calls the API at `path` (same origin, with the session cookie), sending `body` as JSON. Resolves to
 * the successful response, whose JSON the caller reads; throws an ApiError otherwise.
 */
export async function apiRequest(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method === "POST") headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "Could not reach Clawden. Check your connection and try again.");
  }
  if (!res.ok) throw await toApiError(res);
  return res;
}
