// <sign-in-help [here]>: how signing in works, for people who are not signed in (home page, and /login,
// which sets `here`: the email field is right above it).
import { sharedStyles } from "@clawden/kit/ui";
import { html, LitElement, type TemplateResult } from "lit";

export class SignInHelp extends LitElement {
  static override properties = { here: { type: Boolean } };
  static override styles = sharedStyles;

  declare here: boolean;

  constructor() {
    super();
    this.here = false;
  }

  override render(): TemplateResult {
    return html`
      <h2>How to sign in</h2>
      <p>Clawden signs you in with a one-time link instead of a password.</p>
      <ol>
        <li>
          ${
            this.here
              ? "Enter your email above"
              : html`Enter your email on the <a href="/login">sign-in page</a>`
          };
          we email you a link.
        </li>
        <li>Open the link in <strong>this browser</strong> and press <strong>Continue</strong>.</li>
        <li>If you set up an authenticator app, enter the code it shows.</li>
      </ol>
      <p class="muted">
        Each link works once, for a short time, and only in the browser that asked for it. If no mail arrives,
        ask the person who runs your Clawden: they can make a link with
        <code>clawden-admin login-link &lt;your email&gt;</code>.
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
