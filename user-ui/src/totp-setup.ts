// <totp-setup .enrolment=${…} .confirm=${fn}>: setting up an authenticator app: the QR code to scan,
// the key to type in instead, and the first code from the app, which `confirm` sends (it throws an
// ApiError, shown here, when the code is refused). Used at sign-in (/login/mfa/enrol) and on the
// Security page.
import { codeField, errorMessage, groupSecret, readCode, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import type { TotpEnrolment } from "./api.js";
import { formStyles } from "./form-styles.js";

export class TotpSetup extends LitElement {
  static override properties = {
    enrolment: { attribute: false },
    confirm: { attribute: false },
    submitLabel: { attribute: "submit-label" },
    code: { state: true },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = [
    sharedStyles,
    formStyles,
    css`
      ol.steps {
        padding-left: 1.25rem;
      }
      ol.steps > li + li {
        margin-top: 1rem;
      }
      .qr {
        display: block;
        width: 12rem;
        height: 12rem;
        margin: 0.75rem 0;
        background: #fff;
        padding: 0.5rem;
        border: 1px solid var(--border);
        border-radius: var(--radius);
      }
      .secret {
        margin: 0.5rem 0;
        font-size: 1.05rem;
        letter-spacing: 0.05em;
      }
      .error {
        margin: 1rem 0 0;
      }
    `,
  ];

  declare enrolment: TotpEnrolment | null;
  /** Sends the code; resolves when the app is set up, throws (an ApiError) when the code is refused. */
  declare confirm: (code: string) => Promise<void>;
  declare submitLabel: string;
  declare code: string;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.enrolment = null;
    this.confirm = async () => {};
    this.submitLabel = "Turn on";
    this.code = "";
    this.busy = false;
    this.error = "";
  }

  private readonly onInput = (event: Event): void => {
    this.code = (event.target as HTMLInputElement).value;
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.submit();
  };

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>("#totp-code");
  }

  private async submit(): Promise<void> {
    const code = readCode("totp", this.code);
    if (!code) {
      this.error = "Enter the 6-digit code your authenticator app shows.";
      this.input?.focus();
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      await this.confirm(code);
    } catch (error) {
      this.error = errorMessage(error, "Checking the code failed.");
      this.code = "";
      await this.updateComplete;
      this.input?.focus();
    } finally {
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    const enrolment = this.enrolment;
    if (!enrolment) return html`<p class="muted" aria-busy="true">Preparing…</p>`;
    return html`
      <ol class="steps">
        <li>
          Open an authenticator app on your phone (such as Aegis, Google Authenticator, Microsoft
          Authenticator or 1Password) and add an account by scanning this QR code:
          <img class="qr" src=${enrolment.qrCode} alt="QR code to add Clawden to an authenticator app" />
        </li>
        <li>
          Cannot scan it? Add the account by hand with this key (time-based, 6 digits):
          <code class="secret" data-testid="totp-secret">${groupSecret(enrolment.secret)}</code>
        </li>
        <li>
          <form novalidate @submit=${this.onSubmit}>
            <div class="field">
              <label for="totp-code">Enter the 6-digit code the app shows</label>
              <div class="row">
                ${codeField({
                  id: "totp-code",
                  kind: "totp",
                  value: this.code,
                  invalid: this.error !== "",
                  describedBy: this.error ? "totp-error" : undefined,
                  onInput: this.onInput,
                })}
                <button type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
                  ${this.busy ? "Checking…" : this.submitLabel}
                </button>
              </div>
            </div>
            ${this.error ? html`<p class="error" id="totp-error" role="alert">${this.error}</p>` : nothing}
          </form>
        </li>
      </ol>
    `;
  }
}

customElements.define("totp-setup", TotpSetup);

declare global {
  interface HTMLElementTagNameMap {
    "totp-setup": TotpSetup;
  }
}
