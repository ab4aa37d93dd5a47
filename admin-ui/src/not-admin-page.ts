// <not-admin-page>: what a signed-in user who is not an administrator sees in the admin console.
import { html, LitElement, nothing, type TemplateResult } from "lit";
import { ApiError, logout, type User } from "./api.js";
import { sharedStyles } from "./shared-styles.js";

export class NotAdminPage extends LitElement {
  static override properties = {
    user: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = sharedStyles;

  declare user: User | null;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.user = null;
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
      location.assign("/");
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : "Signing out failed.";
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    return html`
      <div class="card">
        <h1>This account is not an administrator</h1>
        <p>
          You are signed in as <strong>${this.user?.email ?? ""}</strong>. The admin console is for Clawden's
          administrators only.
        </p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <a href="/">Go to Clawden</a>
          <button class="secondary" ?disabled=${this.busy} @click=${this.onSignOut}>
            ${this.busy ? "Signing out…" : "Sign out"}
          </button>
        </div>
      </div>
    `;
  }
}

customElements.define("not-admin-page", NotAdminPage);

declare global {
  interface HTMLElementTagNameMap {
    "not-admin-page": NotAdminPage;
  }
}
