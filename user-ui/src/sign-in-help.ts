// <sign-in-help>: how to sign in, for people who are not signed in (home page and /login).
import { sharedStyles } from "@clawden/kit/ui";
import { html, LitElement, type TemplateResult } from "lit";

export class SignInHelp extends LitElement {
  static override styles = sharedStyles;

  override render(): TemplateResult {
    return html`
      <h2>How to sign in</h2>
      <p>Clawden signs you in with a one-time link instead of a password.</p>
      <ol>
        <li>Get a sign-in link from the person who runs your Clawden.</li>
        <li>Open the link in this browser and press <strong>Continue</strong>.</li>
      </ol>
      <p class="muted">
        Each link works once and only for a short time. If yours has been used or has expired, ask for a new
        one: an operator makes one with <code>clawden-admin login-link &lt;your email&gt;</code>.
      </p>
    `;
  }
}

customElements.define("sign-in-help", SignInHelp);

declare global {
  interface HTMLElementTagNameMap {
    "sign-in-help": SignInHelp;
  }
}
