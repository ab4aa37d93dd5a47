// <user-app>: the shell of user-ui. Knows the session (from /api/me) and the route, and shows the page
// for the route (<not-found-page>, from @clawden/kit/ui, for any other); pages report sign-in and
// sign-out with a SessionChangeEvent.
import { errorMessage, frameStyles, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, type PropertyValues, type TemplateResult } from "lit";
import { getMe } from "./api.js";
import { currentPath, currentQuery, onRouteChange } from "./router.js";
import { SessionChangeEvent, type Session } from "./session.js";
import "./home-page.js";
import "./login-page.js";
import "./login-confirm-page.js";
import "./mfa-challenge-page.js";
import "./mfa-enrol-page.js";
import "./account-security-page.js";
import "./api-keys-page.js";

const TITLES: Record<string, string> = {
  "/": "Clawden",
  "/login": "Sign in · Clawden",
  "/login/confirm": "Confirm sign-in · Clawden",
  "/login/mfa": "Two-step verification · Clawden",
  "/login/mfa/enrol": "Set up two-step verification · Clawden",
  "/account/security": "Security · Clawden",
  "/account/api-keys": "API keys · Clawden",
};

export class UserApp extends LitElement {
  static override properties = { path: { state: true }, session: { state: true } };
  static override styles = [
    sharedStyles,
    frameStyles,
    css`
      :host {
        --page-width: 42rem;
      }
    `,
  ];

  declare path: string;
  declare session: Session;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.path = currentPath();
    this.session = { status: "loading" };
    this.addEventListener(SessionChangeEvent.type, (event) => {
      this.session = event.user ? { status: "signed-in", user: event.user } : { status: "anonymous" };
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onRouteChange(() => {
      this.path = currentPath();
    });
    void this.loadSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async loadSession(): Promise<void> {
    try {
      const user = await getMe();
      // A sign-in that finished while /api/me was on its way wins.
      if (this.session.status !== "loading") return;
      this.session = user ? { status: "signed-in", user } : { status: "anonymous" };
    } catch (error) {
      this.session = { status: "error", message: errorMessage(error, "Something went wrong.") };
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has("path")) return;
    document.title = TITLES[this.path] ?? "Not found · Clawden";
    // After an in-app navigation, start reading (and tabbing) at the new page.
    if (changed.get("path") !== undefined) this.renderRoot.querySelector("main")?.focus();
  }

  private page(): TemplateResult {
    switch (this.path) {
      case "/":
        return html`<home-page .session=${this.session}></home-page>`;
      case "/login":
        return html`<login-page
          .session=${this.session}
          .next=${currentQuery().get("next")}
          .errorCode=${currentQuery().get("error")}
        ></login-page>`;
      case "/login/confirm":
        return html`<login-confirm-page></login-confirm-page>`;
      case "/login/mfa":
        return html`<mfa-challenge-page></mfa-challenge-page>`;
      case "/login/mfa/enrol":
        return html`<mfa-enrol-page></mfa-enrol-page>`;
      case "/account/security":
        return html`<account-security-page .session=${this.session}></account-security-page>`;
      case "/account/api-keys":
        return html`<api-keys-page .session=${this.session}></api-keys-page>`;
      default:
        return html`<not-found-page home="/" home-label="Go to the start page"></not-found-page>`;
    }
  }

  override render(): TemplateResult {
    return html`
      <header>
        <div class="bar"><a class="brand" href="/">Clawden</a></div>
      </header>
      <main tabindex="-1">${this.page()}</main>
    `;
  }
}

customElements.define("user-app", UserApp);

declare global {
  interface HTMLElementTagNameMap {
    "user-app": UserApp;
  }
}
