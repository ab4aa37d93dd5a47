// <home-page>: "/". Signed in: who you are, sign out, and the admin console for admins.
// Anonymous: that you are not signed in, and how to sign in.
import { html, LitElement, nothing, type TemplateResult } from "lit";
import { ApiError, logout, type User } from "./api.js";
import { SessionChangeEvent, type Session } from "./session.js";
import { sharedStyles } from "./shared-styles.js";
import "./sign-in-help.js";

export class HomePage extends LitElement {
  static override properties = {
    session: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = sharedStyles;

  declare session: Session;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.session = { status: "loading" };
    this.busy = false;
    this.error = "";
  }

  private readonly onSignOut = (): void => {
    void this.signOut();
  };

  private async signOut(): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      await logout();
      this.dispatchEvent(new SessionChangeEvent(null));
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : "Signing out failed.";
    } finally {
      this.busy = false;
    }
  }

  private signedIn(user: User): TemplateResult {
    return html`
      <div class="card">
        <h1>Welcome to Clawden</h1>
        <p>Signed in as <strong data-testid="email">${user.email}</strong>.</p>
        ${
          user.role === "admin"
            ? html`<p>You are an administrator: <a href="/admin/">open the admin console</a>.</p>`
            : nothing
        }
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button class="secondary" ?disabled=${this.busy} @click=${this.onSignOut}>
            ${this.busy ? "Signing out…" : "Sign out"}
          </button>
        </div>
      </div>
    `;
  }

  override render(): TemplateResult {
    switch (this.session.status) {
      case "loading":
        return html`<p class="muted" aria-busy="true">Loading…</p>`;
      case "error":
        return html`
          <div class="card">
            <h1>Clawden</h1>
            <p class="error" role="alert">${this.session.message}</p>
            <a href="/">Try again</a>
          </div>
        `;
      case "signed-in":
        return this.signedIn(this.session.user);
      case "anonymous":
        return html`
          <div class="card">
            <h1>Welcome to Clawden</h1>
            <p>You are not signed in.</p>
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
