// <login-page>: "/login" (admin-ui sends anonymous visitors here with ?next=/admin/). Asks for an
// email and mails a one-time sign-in link to it, offers the single sign-on providers, and shows why an
// SSO round trip failed (?error=<code>). Someone already signed in gets a link onwards instead.
import { errorMessage, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { listSsoProviders, requestSignInLink, ssoStartUrl, type SsoProvider } from "./api.js";
import { formStyles } from "./form-styles.js";
import { safeNextPath } from "./safe-next.js";
import { ssoErrorMessage } from "./sso-errors.js";
import type { Session } from "./session.js";
import "./sign-in-help.js";

export class LoginPage extends LitElement {
  static override properties = {
    session: { attribute: false },
    next: { attribute: false },
    errorCode: { attribute: false },
    email: { state: true },
    busy: { state: true },
    error: { state: true },
    invalid: { state: true },
    sentTo: { state: true },
    providers: { state: true },
    leaving: { state: true },
  };
  static override styles = [
    sharedStyles,
    formStyles,
    css`
      input[type="email"] {
        width: 100%;
        box-sizing: border-box;
      }
      .or {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        color: var(--muted);
        margin: 1.5rem 0 1rem;
      }
      .or::before,
      .or::after {
        content: "";
        flex: 1;
        border-top: 1px solid var(--border);
      }
      .sso {
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
        align-items: stretch;
      }
      .error {
        margin-bottom: 1rem;
      }
    `,
  ];

  declare session: Session;
  declare next: string | null;
  /** `?error=` of the address: why single sign-on failed. */
  declare errorCode: string | null;
  declare email: string;
  declare busy: boolean;
  declare error: string;
  declare invalid: boolean;
  /** The address a link was just asked for: the page shows "Check your email". */
  declare sentTo: string;
  declare providers: SsoProvider[];
  /** The provider whose sign-in page is loading. */
  declare leaving: string;

  constructor() {
    super();
    this.session = { status: "loading" };
    this.next = null;
    this.errorCode = null;
    this.email = "";
    this.busy = false;
    this.error = "";
    this.invalid = false;
    this.sentTo = "";
    this.providers = [];
    this.leaving = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadProviders();
  }

  private async loadProviders(): Promise<void> {
    try {
      this.providers = await listSsoProviders();
    } catch {
      // Without the list the email form still works; nothing to tell.
      this.providers = [];
    }
  }

  /** Where to go once signed in, if the address named a same-origin path. */
  private get nextPath(): string | undefined {
    return this.next ? safeNextPath(this.next, location.origin, "") || undefined : undefined;
  }

  private readonly onInput = (event: Event): void => {
    this.email = (event.target as HTMLInputElement).value;
    if (this.invalid) this.invalid = false;
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.send();
  };

  private async send(): Promise<void> {
    const input = this.renderRoot.querySelector<HTMLInputElement>("#email");
    const email = this.email.trim();
    if (!email || (input && !input.checkValidity())) {
      this.invalid = true;
      this.error = "Enter your email address, like name@example.com.";
      input?.focus();
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      await requestSignInLink(email, this.nextPath);
      this.sentTo = email;
    } catch (error) {
      this.error = errorMessage(error, "Sending the link failed.");
      input?.focus();
    } finally {
      this.busy = false;
    }
  }

  private readonly onAgain = (): void => {
    this.sentTo = "";
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>("#email")?.focus());
  };

  private startSso(provider: SsoProvider): void {
    this.leaving = provider.id;
    location.assign(ssoStartUrl(provider.id, this.nextPath));
  }

  protected override updated(changed: PropertyValues<this>): void {
    // "Check your email" replaces the form: start reading there.
    if (changed.has("sentTo") && this.sentTo) this.renderRoot.querySelector<HTMLElement>("#sent")?.focus();
  }

  private sent(): TemplateResult {
    return html`
      <div class="card">
        <h1 id="sent" tabindex="-1">Check your email</h1>
        <p role="status">
          If <strong>${this.sentTo}</strong> may sign in to Clawden, a sign-in link is on its way to it.
        </p>
        <p>
          Open the link in <strong>this browser</strong>: it works once, only here, and for a short time. You
          can close this page.
        </p>
        <p class="muted">No mail after a few minutes? Check your spam folder, or ask for a new link.</p>
        <div class="actions">
          <button class="secondary" @click=${this.onAgain}>Use another email or send again</button>
        </div>
      </div>
    `;
  }

  private form(): TemplateResult {
    return html`
      <div class="card">
        <h1>Sign in</h1>
        ${
          this.errorCode
            ? html`<p class="error" role="alert" data-testid="sso-error">
                ${ssoErrorMessage(this.errorCode)}
              </p>`
            : nothing
        }
        <form novalidate @submit=${this.onSubmit}>
          <div class="field">
            <label for="email">Email</label>
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="email"
              spellcheck="false"
              required
              .value=${this.email}
              aria-invalid=${this.invalid ? "true" : "false"}
              aria-describedby=${this.error ? "email-error" : nothing}
              @input=${this.onInput}
            />
          </div>
          ${this.error ? html`<p class="error" id="email-error" role="alert">${this.error}</p>` : nothing}
          <button type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
            ${this.busy ? "Sending…" : "Email me a sign-in link"}
          </button>
        </form>
        ${
          this.providers.length > 0
            ? html`
                <p class="or">or</p>
                <div class="sso">
                  ${this.providers.map(
                    (provider) => html`
                      <button
                        class="secondary"
                        ?disabled=${this.leaving !== ""}
                        @click=${() => this.startSso(provider)}
                      >
                        ${this.leaving === provider.id ? "Opening…" : `Sign in with ${provider.name}`}
                      </button>
                    `,
                  )}
                </div>
              `
            : nothing
        }
        <sign-in-help here></sign-in-help>
      </div>
    `;
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
    return this.sentTo ? this.sent() : this.form();
  }
}

customElements.define("login-page", LoginPage);

declare global {
  interface HTMLElementTagNameMap {
    "login-page": LoginPage;
  }
}
