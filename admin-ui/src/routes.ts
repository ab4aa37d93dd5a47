// admin-ui's pages by path within the app ("/admin/users/x" is "/users/x" here, see router.ts).

export type Route =
  | { page: "system" }
  | { page: "users" }
  | { page: "user"; id: string }
  | { page: "audit" }
  | { page: "settings" }
  | { page: "not-found" };

/** The page for a path within the app ("/users/{id}" carries the id). */
export function routeFor(path: string): Route {
  switch (path) {
    case "/":
      return { page: "system" };
    case "/users":
      return { page: "users" };
    case "/audit":
      return { page: "audit" };
    case "/settings":
      return { page: "settings" };
  }
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user?.[1]) {
    try {
      return { page: "user", id: decodeURIComponent(user[1]) };
    } catch {
      return { page: "not-found" };
    }
  }
  return { page: "not-found" };
}
