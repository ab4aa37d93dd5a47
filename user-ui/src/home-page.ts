// <home-page>: "/". Signed in: who you are, the account pages (Security, API keys), sign out, and the
// admin console for admins. Anonymous: that you are not signed in, and how to sign in.
import { sharedStyles, SignOutController } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import type { User } from "./api.js";
import { notSignedIn, SessionChangeEvent, type Session } from "./session.js";
import "./sign-in-help.js";

export class HomePage extends LitElement {
  static override properties = { session: { attribute: false } };
  static override styles = [
    sharedStyles,
    css`
      nav ul {
        list-style: none;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
      }
      nav li + li {
        margin-top: 0;
      }
      .muted {
        display: block;
        font-size: 0.875rem;
      }
    `,
  ];

  declare session: Session;
  /** Signed out, user-app shows the visitor as anonymous. */
  private readonly signOut = new SignOutController(this, () =>
    this.dispatchEvent(new SessionChangeEvent(null)),
  );

  constructor() {
    super();
    this.session = { status: "loading" };
  }

  private signedIn(user: User): TemplateResult {
    return html`
      <div class="card">
        <h1>Welcome to Clawden</h1>
        <p>Signed in as <strong data-testid="email">${user.email}</strong>.</p>
        <nav aria-label="Your account">
          <ul>
            <li>
              <a href="/account/security">Security</a>
              <span class="muted">Two-step verification and where you are signed in</span>
            </li>
            <li>
              <a href="/account/api-keys">API keys</a>
              <span class="muted">Keys for programs that use Clawden's API</span>
            </li>
          </ul>
        </nav>
        ${
          user.role === "admin"
            ? html`<p>You are an administrator: <a href="/admin/">open the admin console</a>.</p>`
            : nothing
        }
        ${this.signOut.error ? html`<p class="error" role="alert">${this.signOut.error}</p>` : nothing}
        <div class="actions">${this.signOut.button()}</div>
      </div>
    `;
  }

  override render(): TemplateResult {
    switch (this.session.status) {
      case "loading":
      case "error":
        return notSignedIn(this.session, "Clawden", "/");
      case "signed-in":
        return this.signedIn(this.session.user);
      case "anonymous":
        return html`
          <div class="card">
            <h1>Welcome to Clawden</h1>
            <p>You are not signed in.</p>
            <div class="actions"><a href="/login">Sign in</a></div>
            <sign-in-help></sign-in-help>
          </div>
        `;
    }
  }
}

customElements.define("home-page", HomePage);

declare global {
  interface HTMLElementTagNameMap {
    "home-page": HomePage;
  }
}
