// The one module that talks to management-server's API. Components call these typed functions and
// never build URLs; every failure is an ApiError whose message can be shown to people as it is.

export type Role = "user" | "admin";

export interface User {
  id: string;
  email: string;
  role: Role;
  state: string;
  createdAt: string;
}

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

async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
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

/** The signed-in user, or null for an anonymous visitor. */
export async function getMe(): Promise<User | null> {
  try {
    const res = await call("GET", "/api/me");
    return ((await res.json()) as { user: User }).user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Uses up a one-time sign-in link's token and starts a session (the server sets the cookie). */
export async function consumeLink(token: string): Promise<User> {
  const res = await call("POST", "/api/auth/magic-link/consume", { token });
  return ((await res.json()) as { user: User }).user;
}

/** Ends the session. */
export async function logout(): Promise<void> {
  await call("POST", "/api/auth/logout");
}
