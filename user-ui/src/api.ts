// The one module user-ui's components call for management-server's API: typed functions that never
// let components build URLs, built on @clawden/kit/ui's request helper; every failure is an ApiError
// whose message can be shown to people as it is. The session calls every app shares come from the kit too.
import { apiRequest, type User } from "@clawden/kit/ui";

export { ApiError, getMe, type Role, type User } from "@clawden/kit/ui";

/** Uses up a one-time sign-in link's token and starts a session (the server sets the cookie). */
export async function consumeLink(token: string): Promise<User> {
  const res = await apiRequest("POST", "/api/auth/magic-link/consume", { token });
  return ((await res.json()) as { user: User }).user;
}
