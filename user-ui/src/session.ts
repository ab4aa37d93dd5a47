// What the app knows about who is using it, and the event pages send when that changes
// (signed in on the confirmation page, signed out on the home page).
import type { User } from "./api.js";

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
