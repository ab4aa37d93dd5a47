// What the app knows about who is using it, the event pages send when that changes (signed in at the
// end of signing in, signed out from the home page or the list of sessions), and what pages show and do
// while nobody is signed in.
import { html, type ReactiveControllerHost, type TemplateResult } from "lit";
import type { User } from "./api.js";
import { navigate } from "./router.js";

export type Session =
  | { status: "loading" }
  | { status: "anonymous" }
  | { status: "signed-in"; user: User }
  | { status: "error"; message: string };

export class SessionChangeEvent extends Event {
  static readonly type = "session-change";

  constructor(readonly user: User | null) {
    super(SessionChangeEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    "session-change": SessionChangeEvent;
  }
}

/** The sign-in page, coming back to where the browser is now: where pages that need a session send anonymous visitors. */
export function signInPathBack(): string {
  return `/login?${new URLSearchParams({ next: location.pathname + location.search }).toString()}`;
}

/**
 * What a page titled `title`, at `path`, shows until someone is signed in: "Loading…", the error with a
 * Try again link, or (pages that need a session, while requireSignIn() sends the visitor on) a line.
 */
export function notSignedIn(
  session: Exclude<Session, { status: "signed-in" }>,
  title: string,
  path: string,
): TemplateResult {
  switch (session.status) {
    case "loading":
      return html`<p class="muted" aria-busy="true">Loading…</p>`;
    case "anonymous":
      return html`<p class="muted">Sign in to see this page…</p>`;
    case "error":
      return html`
        <div class="card">
          <h1>${title}</h1>
          <p class="error" role="alert">${session.message}</p>
          <a href=${path}>Try again</a>
        </div>
      `;
  }
}

/**
 * Makes `page` (given the app's `session`) one that only signed-in people see: an anonymous visitor is
 * sent to sign in, coming back here after, and `signedIn` runs once, when the session is first known to
 * be signed in (the page loads what it shows). Called once, from the page's constructor.
 */
export function requireSignIn(
  page: ReactiveControllerHost & { session: Session },
  signedIn: () => void,
): void {
  let seen: Session | undefined;
  let started = false;
  page.addController({
    hostUpdate() {
      if (page.session.status !== "signed-in" || started) return;
      started = true;
      signedIn();
    },
    hostUpdated() {
      if (page.session === seen) return;
      seen = page.session;
      if (seen.status === "anonymous") navigate(signInPathBack(), { replace: true });
    },
  });
}
