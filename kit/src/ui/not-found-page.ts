// <not-found-page home="…" home-label="…">: what an app shows at a path it does not know, with a link
// back to the app's start ("/" and "Go to the start page" unless told otherwise).
import { html, LitElement, type TemplateResult } from "lit";
import { sharedStyles } from "./shared-styles.js";

export class NotFoundPage extends LitElement {
  static override properties = { home: {}, homeLabel: { attribute: "home-label" } };
  static override styles = sharedStyles;

  declare home: string;
  declare homeLabel: string;

  constructor() {
    super();
    this.home = "/";
    this.homeLabel = "Go to the start page";
  }

  override render(): TemplateResult {
    return html`
      <div class="card">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <a href=${this.home}>${this.homeLabel}</a>
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
