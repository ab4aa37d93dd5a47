// <not-found-page>: any path user-ui does not know.
import { html, LitElement, type TemplateResult } from "lit";
import { sharedStyles } from "./shared-styles.js";

export class NotFoundPage extends LitElement {
  static override styles = sharedStyles;

  override render(): TemplateResult {
    return html`
      <div class="card">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <a href="/">Go to the start page</a>
      </div>
    `;
  }
}

customElements.define("not-found-page", NotFoundPage);

declare global {
  interface HTMLElementTagNameMap {
    "not-found-page": NotFoundPage;
  }
}
