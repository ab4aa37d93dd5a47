// <login-confirm-page>: "/login/confirm#token=…&next=…", where one-time sign-in (and re-authentication)
// links land. It takes the token out of the address bar at once and uses it only when the person
// presses Continue (a POST): mail scanners that open the link must not use it up. Then, by the
// server's answer: signed in (or re-authenticated), it goes to `next` if that is one of our own paths;
// a second factor due, it goes to /login/mfa or /login/mfa/enrol.
import { errorMessage, sharedStyles } from "@clawden/kit/ui";
import { html, LitElement, nothing, type TemplateResult } from "lit";
import { ApiError, consumeLink } from "./api.js";
import { navigate } from "./router.js";
import { safeNextPath } from "./safe-next.js";
import { SessionChangeEvent } from "./session.js";

/** Refusals of the account rather than of the link: a new link would not help. */
const ACCOUNT_REFUSALS = new Set(["account_pending", "account_suspended", "sign_up_closed"]);

export class LoginConfirmPage extends LitElement {
  static override properties = {
    busy: { state: true },
    error: { state: true },
    spent: { state: true },
    accountRefused: { state: true },
  };
  static override styles = sharedStyles;

  declare busy: boolean;
  declare error: string;
  /** The server refused the link for good (used, expired, account inactive): no point retrying. */
  declare spent: boolean;
  /** The link was good but the account may not sign in (pending, suspended, sign-up closed). */
  declare accountRefused: boolean;
  private token = "";
  private next: string | null = null;
  private fragmentRead = false;

  constructor() {
    super();
    this.busy = false;
    this.error = "";
    this.spent = false;
    this.accountRefused = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.fragmentRead) return;
    this.fragmentRead = true;
    const fragment = new URLSearchParams(location.hash.slice(1));
    this.token = fragment.get("token") ?? "";
    this.next = fragment.get("next");
    // Keep the token out of the address bar, history, bookmarks and screen shares.
    if (location.hash) history.replaceState(history.state, "", location.pathname + location.search);
  }

  private readonly onContinue = (): void => {
    void this.confirm();
  };

  private async confirm(): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      const result = await consumeLink(this.token);
      // The link's own `next` first (the server mails the one it keeps), then the server's answer.
      const next = this.next ?? result.next;
      switch (result.status) {
        case "signed-in":
          this.dispatchEvent(new SessionChangeEvent(result.user));
          navigate(safeNextPath(next, location.origin), { replace: true });
          break;
        case "reauthenticated":
          navigate(safeNextPath(next, location.origin, "/account/security"), { replace: true });
          break;
        case "mfa-required":
          navigate("/login/mfa", { replace: true });
          break;
        case "mfa-enrolment-required":
          navigate("/login/mfa/enrol", { replace: true });
          break;
      }
    } catch (error) {
      this.error = errorMessage(error, "Signing in failed.");
      this.spent = error instanceof ApiError && error.status >= 400 && error.status < 500;
      this.accountRefused = error instanceof ApiError && ACCOUNT_REFUSALS.has(error.code);
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    if (!this.token) {
      return html`
        <div class="card">
          <h1>Sign in</h1>
          <p>
            This page opens from a one-time sign-in link, and the link's code is missing. Open the whole link
            you were given again.
          </p>
          <a href="/login">How to sign in</a>
        </div>
      `;
    }
    return html`
      <div class="card">
        <h1>Sign in to Clawden</h1>
        <p>You opened a one-time sign-in link. Press Continue to sign in on this browser.</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          ${
            this.spent
              ? html`<a href="/login">${this.accountRefused ? "Back to sign in" : "How to get a new link"}</a
                  ><a href="/">Back to the start page</a>`
              : html`<button
                  ?disabled=${this.busy}
                  aria-busy=${this.busy ? "true" : "false"}
                  @click=${this.onContinue}
                >
                  ${this.busy ? "Signing in…" : "Continue"}
                </button>`
          }
        </div>
      </div>
    `;
  }
}

customElements.define("login-confirm-page", LoginConfirmPage);

declare global {
  interface HTMLElementTagNameMap {
    "login-confirm-page": LoginConfirmPage;
  }
}
