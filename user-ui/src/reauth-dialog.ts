// <reauth-dialog .mfaEnabled=${…} .email=${…}>: "confirm it's you" for sensitive actions (a modal
// <dialog>). Pages hold one and answer every ReauthRequestEvent from inside them with open(). With an
// authenticator app the person enters a code (or a recovery code); anyone can instead have a
// confirmation link mailed, open it, and come back to press Continue.
import { sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { ApiError, getAccount, reauthenticate, requestReauthEmail } from "./api.js";
import { normaliseAnyCode } from "./codes.js";
import { formStyles } from "./form-styles.js";
import { ReauthenticatedEvent, type ReauthRequestEvent } from "./reauth.js";

export class ReauthDialog extends LitElement {
  static override properties = {
    mfaEnabled: { attribute: false },
    email: { attribute: false },
    code: { state: true },
    busy: { state: true },
    error: { state: true },
    emailSent: { state: true },
  };
  static override styles = [
    sharedStyles,
    formStyles,
    css`
      dialog {
        border: 1px solid var(--border);
        border-radius: var(--radius);
        padding: 1.5rem;
        width: min(30rem, calc(100% - 2rem));
        box-sizing: border-box;
        background: var(--surface);
        color: var(--fg);
      }
      dialog::backdrop {
        background: rgb(15 20 30 / 0.45);
      }
      h2 {
        margin-top: 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
      .error {
        margin: 0 0 1rem;
      }
      .or {
        color: var(--muted);
        margin: 1rem 0 0.5rem;
      }
      .actions {
        justify-content: flex-end;
      }
    `,
  ];

  declare mfaEnabled: boolean;
  declare email: string;
  declare code: string;
  /** The request on its way: "code" or "email"; "" when none. */
  declare busy: "" | "code" | "email";
  declare error: string;
  declare emailSent: boolean;
  private resolve: ((ok: boolean) => void) | undefined;
  private pending: Promise<boolean> | undefined;
  private closing = false;

  constructor() {
    super();
    this.mfaEnabled = false;
    this.email = "";
    this.code = "";
    this.busy = "";
    this.error = "";
    this.emailSent = false;
  }

  /** Answers a ReauthRequestEvent with this dialog. */
  handle(event: ReauthRequestEvent): void {
    event.respond(this.open(event.again));
  }

  /**
   * Shows the dialog; resolves to whether the session was re-authenticated (false: closed). `again`:
   * the action was refused once more after the last re-authentication.
   */
  open(again = false): Promise<boolean> {
    if (this.pending) return this.pending;
    this.pending = new Promise<boolean>((resolve) => (this.resolve = resolve));
    this.code = "";
    this.busy = "";
    this.error =
      again && this.emailSent
        ? "Your sign-in is not confirmed yet. Open the link in the email we sent, in this browser, then press Continue."
        : "";
    void this.updateComplete.then(() => {
      const dialog = this.dialog;
      if (!dialog) return;
      if (!dialog.open) dialog.showModal();
      this.renderRoot.querySelector<HTMLElement>("#reauth-code, .first")?.focus();
    });
    return this.pending;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector("dialog");
  }

  private finish(ok: boolean): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    this.pending = undefined;
    if (this.dialog?.open) {
      // Its close event comes later, maybe after the dialog opened again: that one is ours, not a cancel.
      this.closing = true;
      this.dialog.close();
    }
    resolve?.(ok);
  }

  /** Escape, or the dialog closed by any other means: not re-authenticated. */
  private readonly onClose = (): void => {
    if (this.closing) {
      this.closing = false;
      return;
    }
    this.finish(false);
  };

  private readonly onCancel = (): void => {
    this.finish(false);
  };

  private readonly onInput = (event: Event): void => {
    this.code = (event.target as HTMLInputElement).value;
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.submitCode();
  };

  private async submitCode(): Promise<void> {
    const code = normaliseAnyCode(this.code);
    if (!code) {
      this.error = "Enter a code from your authenticator app, or a recovery code.";
      this.renderRoot.querySelector<HTMLInputElement>("#reauth-code")?.focus();
      return;
    }
    this.busy = "code";
    this.error = "";
    try {
      await reauthenticate(code);
      // The session got a new id: take its CSRF token before the action runs again.
      await getAccount().catch(() => null);
      this.dispatchEvent(new ReauthenticatedEvent());
      this.finish(true);
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : "Checking the code failed.";
      this.code = "";
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>("#reauth-code")?.focus();
    } finally {
      this.busy = "";
    }
  }

  private readonly onEmail = (): void => {
    void this.sendEmail();
  };

  private async sendEmail(): Promise<void> {
    this.busy = "email";
    this.error = "";
    try {
      await requestReauthEmail();
      this.emailSent = true;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#reauth-sent")?.focus();
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : "Sending the email failed.";
    } finally {
      this.busy = "";
    }
  }

  private readonly onLinkUsed = (): void => {
    this.dispatchEvent(new ReauthenticatedEvent());
    this.finish(true);
  };

  private codeForm(): TemplateResult {
    return html`
      <form novalidate @submit=${this.onSubmit}>
        <div class="field">
          <label for="reauth-code">Code from your authenticator app</label>
          <p class="hint" id="reauth-hint">Or one of your recovery codes.</p>
          <div class="row">
            <input
              id="reauth-code"
              class="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              spellcheck="false"
              maxlength="24"
              .value=${this.code}
              aria-describedby="reauth-hint"
              @input=${this.onInput}
            />
            <button
              type="submit"
              ?disabled=${this.busy !== ""}
              aria-busy=${this.busy === "code" ? "true" : "false"}
            >
              ${this.busy === "code" ? "Checking…" : "Confirm"}
            </button>
          </div>
        </div>
      </form>
    `;
  }

  private emailPart(): TemplateResult {
    if (this.emailSent) {
      return html`
        <p id="reauth-sent" tabindex="-1" role="status">
          We emailed a confirmation link${this.email ? html` to <strong>${this.email}</strong>` : nothing}.
          Open it in this browser, then come back here and press Continue.
        </p>
        <div class="actions">
          <button class="link" ?disabled=${this.busy !== ""} @click=${this.onEmail}>Send another link</button>
          <button @click=${this.onLinkUsed}>Continue</button>
        </div>
      `;
    }
    return html`
      ${this.mfaEnabled ? html`<p class="or">No code at hand?</p>` : nothing}
      <button
        class=${this.mfaEnabled ? "secondary" : "first"}
        ?disabled=${this.busy !== ""}
        aria-busy=${this.busy === "email" ? "true" : "false"}
        @click=${this.onEmail}
      >
        ${this.busy === "email" ? "Sending…" : "Email me a confirmation link"}
      </button>
    `;
  }

  override render(): TemplateResult {
    return html`
      <dialog aria-labelledby="reauth-title" aria-describedby="reauth-why" @close=${this.onClose}>
        <h2 id="reauth-title">Confirm it's you</h2>
        <p id="reauth-why">
          This change needs a recent sign-in, and yours was more than 10 minutes ago.
          ${this.mfaEnabled ? "Enter a code to go on." : "We can email you a link to confirm it."}
        </p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${this.mfaEnabled ? this.codeForm() : nothing} ${this.emailPart()}
        <div class="actions">
          <button class="secondary" ?disabled=${this.busy !== ""} @click=${this.onCancel}>Cancel</button>
        </div>
      </dialog>
    `;
  }
}

customElements.define("reauth-dialog", ReauthDialog);

declare global {
  interface HTMLElementTagNameMap {
    "reauth-dialog": ReauthDialog;
  }
}
