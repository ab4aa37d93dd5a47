// A tiny router on the History API: the current path, navigate(), and clicks on in-app links turned
// into history entries. Paths this app does not own (such as /admin/) load normally.

type Listener = () => void;

const listeners = new Set<Listener>();
let started = false;

/** Paths this app renders itself: everything except the admin app and the API. */
export function ownsPath(path: string): boolean {
  return !/^\/(admin|api)(\/|$)/.test(path);
}

/** The current path without a trailing slash (except the root itself). */
export function currentPath(): string {
  const path = location.pathname;
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

export function currentQuery(): URLSearchParams {
  return new URLSearchParams(location.search);
}

function notify(): void {
  for (const listener of listeners) listener();
}

/** Goes to a same-origin path: in the app when it owns the path, otherwise by loading it. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, location.origin);
  if (url.origin !== location.origin || !ownsPath(url.pathname)) {
    location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (options.replace) history.replaceState(null, "", target);
  else history.pushState(null, "", target);
  notify();
}

function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.composedPath().find((node) => node instanceof HTMLAnchorElement);
  if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
  const url = new URL(anchor.href);
  if (url.origin !== location.origin || !ownsPath(url.pathname)) return;
  event.preventDefault();
  navigate(url.href);
}

/** Calls `listener` whenever the route changes; returns the unsubscribe function. */
export function onRouteChange(listener: Listener): () => void {
  if (!started) {
    started = true;
    window.addEventListener("popstate", notify);
    document.addEventListener("click", onClick);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}
