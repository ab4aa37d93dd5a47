// Re-authentication for sensitive actions, in both apps. An action the server refuses with 403
// `reauth_required` asks the page for a fresh sign-in (a ReauthRequestEvent, answered by the page's
// <reauth-dialog>) and runs again once the person has confirmed it is them. Components call
// withReauth() around such calls. Pure: no elements, unit-tested.
import { ApiError } from "./api-client.js";

/** Someone closed the re-authentication dialog: the action did not happen, and there is nothing to show. */
export class ReauthCancelledError extends Error {
  constructor() {
    super("Re-authentication was cancelled.");
    this.name = "ReauthCancelledError";
  }
}

/**
 * Sent (bubbling, composed) by a component whose action needs a fresh sign-in. The page that holds the
 * <reauth-dialog> answers it with `respond(promise)`, the promise resolving to whether the person
 * re-authenticated; when nobody answers, the answer is no.
 */
export class ReauthRequestEvent extends Event {
  static readonly type = "reauth-request";
  private answer: Promise<boolean> | undefined;

  /** `again`: the action was refused again right after a re-authentication (a mailed link not used yet?). */
  constructor(readonly again = false) {
    super(ReauthRequestEvent.type, { bubbles: true, composed: true });
  }

  respond(answer: Promise<boolean>): void {
    this.answer ??= answer;
  }

  get result(): Promise<boolean> {
    return this.answer ?? Promise.resolve(false);
  }
}

/** Sent by <reauth-dialog> when the session was re-authenticated (its id, and so the list of sessions, changed). */
export class ReauthenticatedEvent extends Event {
  static readonly type = "reauthenticated";

  constructor() {
    super(ReauthenticatedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    "reauth-request": ReauthRequestEvent;
    reauthenticated: ReauthenticatedEvent;
  }
}

function isReauthRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code === "reauth_required";
}

/** Asks the page around `from` for a fresh sign-in; resolves to whether it happened. */
function requestReauth(from: EventTarget, again = false): Promise<boolean> {
  const event = new ReauthRequestEvent(again);
  from.dispatchEvent(event);
  return event.result;
}

/**
 * Runs `action`; when the server wants a fresh sign-in first, asks for one and runs it again (a few
 * times at most: a confirmation link opened elsewhere may not have been used yet). Throws
 * ReauthCancelledError when the person gives up.
 */
export async function withReauth<T>(from: EventTarget, action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (!isReauthRequired(error) || attempt >= 3) throw error;
      if (!(await requestReauth(from, attempt > 0))) throw new ReauthCancelledError();
    }
  }
}

/** What to tell people about a failed action: the server's message, or `fallback`; "" when they cancelled. */
export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ReauthCancelledError) return "";
  return error instanceof ApiError ? error.message : fallback;
}
