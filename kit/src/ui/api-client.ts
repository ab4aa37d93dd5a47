// How Clawden's web apps call management-server's API: same-origin JSON requests, where every failure
// is an ApiError whose message can be shown to people as it is (the server's own, or one about the
// network). Each app's src/api.ts builds its typed functions on apiRequest; components never build URLs.

/**
 * A refused or failed API call. `status` is 0 when the server could not be reached at all; `details`
 * are the error's facts (such as `attemptsLeft`), `retryAfter` the seconds of a Retry-After header.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as ErrorBody;
  const { code, message, requestId, details } = body.error ?? {};
  const retryAfter = Number(res.headers.get("retry-after"));
  return new ApiError(
    res.status,
    typeof code === "string" ? code : "http_error",
    typeof message === "string" ? message : `The server answered with an error (HTTP ${res.status}).`,
    typeof requestId === "string" ? requestId : undefined,
    details && typeof details === "object" && !Array.isArray(details)
      ? (details as Record<string, unknown>)
      : undefined,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * The session's anti-CSRF token, sent as X-CSRF-Token with every state-changing request. Set from
 * GET /api/me (session-api.ts) and from any answer that carries one (sign-in, re-authentication);
 * cleared at sign-out.
 */
let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

async function send(method: HttpMethod, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "Could not reach Clawden. Check your connection and try again.");
  }
}

/** Takes the token of a JSON answer that carries one (it leaves `res` to be read); false when it has none. */
async function adoptCsrfToken(res: Response): Promise<boolean> {
  const body = (await res
    .clone()
    .json()
    .catch(() => ({}))) as { csrfToken?: unknown };
  if (typeof body.csrfToken !== "string") return false;
  csrfToken = body.csrfToken;
  return true;
}

/**
 * Fetches the session's current token: the GET /api/me that session-api.ts getAccount() makes, sent
 * from here because that module is built on this one.
 */
async function refreshCsrfToken(): Promise<boolean> {
  const res = await send("GET", "/api/me", undefined);
  return res.ok && (await adoptCsrfToken(res));
}

/**
 * Calls the API at `path` (same origin, with the session cookie), sending `body` as JSON. Resolves to
 * the successful response, whose JSON the caller reads; throws an ApiError otherwise. A state-changing
 * request refused for its CSRF token (the session changed in another tab, or the token was not known
 * yet) is retried once with a fresh token.
 */
export async function apiRequest(method: HttpMethod, path: string, body?: unknown): Promise<Response> {
  let res = await send(method, path, body);
  if (res.status === 403 && method !== "GET") {
    const error = await toApiError(res.clone());
    if (error.code === "csrf_failed" && (await refreshCsrfToken())) res = await send(method, path, body);
  }
  if (!res.ok) throw await toApiError(res);
  // Sign-in and re-authentication give the session a new id, and with it a new token: adopt it.
  if (method !== "GET" && (res.headers.get("content-type") ?? "").includes("application/json"))
    await adoptCsrfToken(res);
  return res;
}

/** The JSON body of a successful answer (from apiRequest), as the type the API documents for it. */
export async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
