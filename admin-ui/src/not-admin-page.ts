// <not-admin-page>: what a signed-in user who is not an administrator sees in the admin console.
import { sharedStyles, SignOutController } from "@clawden/kit/ui";
import { html, LitElement, nothing, type TemplateResult } from "lit";
import type { User } from "./api.js";

export class NotAdminPage extends LitElement {
  static override properties = { user: { attribute: false } };
  static override styles = sharedStyles;

  declare user: User | null;
  private readonly signOut = new SignOutController(this, () => location.assign("/"));

  constructor() {
    super();
    this.user = null;
  }

  override render(): TemplateResult {
    return html`
      <div class="card">
        <h1>This account is not an administrator</h1>
        <p>
          You are signed in as <strong>${this.user?.email ?? ""}</strong>. The admin console is for Clawden's
          administrators only.
        </p>
        ${this.signOut.error ? html`<p class="error" role="alert">${this.signOut.error}</p>` : nothing}
        <div class="actions">
          <a href="/">Go to Clawden</a>
          ${this.signOut.button()}
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
