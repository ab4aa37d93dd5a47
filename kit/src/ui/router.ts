// A tiny router on the History API, one per app: the current path within the app, navigate(), and
// clicks on in-app links turned into history entries. Same-origin paths the app does not own (the
// other app, the API) load normally.

export interface RouterOptions {
  /** Where the app lives, without a trailing slash: "" (the default) for the root, or e.g. "/admin". */
  base?: string;
  /** Whether the app renders this path itself. Default: `base` and every path under it. */
  ownsPath?: (path: string) => boolean;
}

export interface Router {
  /** The path within the app, without a trailing slash: with base "/admin", "/admin/x/" is "/x". */
  currentPath: () => string;
  currentQuery: () => URLSearchParams;
  /** Goes to a same-origin path: in the app when it owns the path, otherwise by loading it. */
  navigate: (to: string, options?: { replace?: boolean }) => void;
  /** Calls `listener` whenever the route changes; returns the unsubscribe function. */
  onRouteChange: (listener: () => void) => () => void;
}

export function createRouter(options: RouterOptions = {}): Router {
  const base = options.base ?? "";
  const ownsPath = options.ownsPath ?? ((path: string) => path === base || path.startsWith(`${base}/`));
  const listeners = new Set<() => void>();
  let started = false;

  const notify = (): void => {
    for (const listener of listeners) listener();
  };

  const currentPath = (): string => {
    const path = location.pathname.slice(base.length) || "/";
    return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  };

  const navigate = (to: string, { replace = false }: { replace?: boolean } = {}): void => {
    const url = new URL(to, location.origin);
    if (url.origin !== location.origin || !ownsPath(url.pathname)) {
      location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    if (replace) history.replaceState(null, "", target);
    else history.pushState(null, "", target);
    notify();
  };

  const onClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.composedPath().find((node) => node instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || !ownsPath(url.pathname)) return;
    event.preventDefault();
    navigate(url.href);
  };

  return {
    currentPath,
    currentQuery: () => new URLSearchParams(location.search),
    navigate,
    onRouteChange(listener) {
      if (!started) {
        started = true;
        window.addEventListener("popstate", notify);
        document.addEventListener("click", onClick);
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
