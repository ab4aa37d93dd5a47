// <login-page>: "/login" (admin-ui sends anonymous visitors here with ?next=/admin/). Says how to
// sign in; someone already signed in gets a link onwards instead.
import { sharedStyles } from "@clawden/kit/ui";
import { html, LitElement, type TemplateResult } from "lit";
import { safeNextPath } from "./safe-next.js";
import type { Session } from "./session.js";
import "./sign-in-help.js";

export class LoginPage extends LitElement {
  static override properties = { session: { attribute: false }, next: { attribute: false } };
  static override styles = sharedStyles;

  declare session: Session;
  declare next: string | null;

  constructor() {
    super();
    this.session = { status: "loading" };
    this.next = null;
  }

  override render(): TemplateResult {
    if (this.session.status === "signed-in") {
      return html`
        <div class="card">
          <h1>Sign in</h1>
          <p>You are already signed in as <strong>${this.session.user.email}</strong>.</p>
          <a href=${safeNextPath(this.next, location.origin)}>Continue</a>
        </div>
      `;
    }
    return html`
      <div class="card">
        <h1>Sign in</h1>
        <sign-in-help></sign-in-help>
      </div>
    `;
  }
}

customElements.define("login-page", LoginPage);

declare global {
  interface HTMLElementTagNameMap {
    "login-page": LoginPage;
  }
}
