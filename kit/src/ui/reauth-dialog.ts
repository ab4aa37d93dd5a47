// <reauth-dialog .mfaEnabled=${…} .email=${…} ?code-only>: "confirm it's you" for sensitive actions (a
// modal <dialog>), in both apps. Pages hold one and answer every ReauthRequestEvent from inside them
// with it (answerReauthRequests). With an authenticator app the person enters a code (or a recovery
// code); anyone can instead have a confirmation link mailed, open it, and come back to press Continue.
// A page that does not know the person's MFA state leaves `mfaEnabled` unset: the dialog asks the
// server each time it opens. `code-only`: someone with an authenticator app is not offered the link.
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { codeField, codeFieldStyles } from "./code-field.js";
import { readCode } from "./codes.js";
import { errorMessage, ReauthenticatedEvent, ReauthRequestEvent } from "./reauth.js";
import { getAccount, getMe, reauthenticate, requestReauthEmail } from "./session-api.js";
import { dialogStyles, sharedFormStyles, sharedStyles } from "./shared-styles.js";

/** How the person can confirm it is them: unknown while the dialog asks the server, or as it said. */
type Ways = { status: "checking" } | { status: "failed" } | { status: "known"; mfa: boolean; email: string };

export class ReauthDialog extends LitElement {
  static override properties = {
    mfaEnabled: { attribute: false },
    email: { attribute: false },
    codeOnly: { type: Boolean, attribute: "code-only" },
    checked: { state: true },
    code: { state: true },
    busy: { state: true },
    error: { state: true },
    emailSent: { state: true },
  };
  static override styles = [
    sharedStyles,
    sharedFormStyles,
    dialogStyles,
    codeFieldStyles,
    css`
      dialog {
        width: min(30rem, calc(100% - 2rem));
        box-sizing: border-box;
      }
      .field {
        gap: 0.35rem;
        margin-bottom: 1rem;
      }
      input {
        padding: 0.5rem 0.65rem;
        max-width: 100%;
      }
      .error {
        margin: 0 0 1rem;
      }
      .or {
        color: var(--muted);
        margin: 1rem 0 0.5rem;
      }
      p:focus {
        outline: none;
      }
    `,
  ];

  /** Whether the person has an authenticator app; undefined: ask the server when the dialog opens. */
  declare mfaEnabled: boolean | undefined;
  declare email: string;
  declare codeOnly: boolean;
  /** What the server said when the page did not set `mfaEnabled`. */
  declare checked: Ways;
  declare code: string;
  /** The request on its way: "code", "email", or "link" (pressing Continue); "" when none. */
  declare busy: "" | "code" | "email" | "link";
  declare error: string;
  declare emailSent: boolean;
  private resolve: ((ok: boolean) => void) | undefined;
  private pending: Promise<boolean> | undefined;
  private closing = false;

  constructor() {
    super();
    this.mfaEnabled = undefined;
    this.email = "";
    this.codeOnly = false;
    this.checked = { status: "checking" };
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
    if (this.mfaEnabled === undefined) void this.check();
    void this.updateComplete.then(() => {
      const dialog = this.dialog;
      if (!dialog) return;
      if (!dialog.open) dialog.showModal();
      this.focusFirst();
    });
    return this.pending;
  }

  /** The ways the page told, or else the ones the server told. */
  private get ways(): Ways {
    return this.mfaEnabled === undefined
      ? this.checked
      : { status: "known", mfa: this.mfaEnabled, email: this.email };
  }

  private async check(): Promise<void> {
    this.checked = { status: "checking" };
    const failure = "Could not check how you can confirm it is you.";
    try {
      const account = await getAccount();
      if (account) {
        this.checked = { status: "known", mfa: account.mfa.enabled, email: account.user.email };
        await this.updateComplete;
        this.focusFirst();
        return;
      }
      this.error = failure;
    } catch (error) {
      this.error = errorMessage(error, failure);
    }
    this.checked = { status: "failed" };
  }

  private focusFirst(): void {
    this.renderRoot.querySelector<HTMLElement>("#reauth-code, .first")?.focus();
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

  /**
   * Re-authenticated, here or by the link in another tab: the session got a new id, so take its CSRF
   * token before the action runs again.
   */
  private async done(): Promise<void> {
    await getMe().catch(() => null);
    this.dispatchEvent(new ReauthenticatedEvent());
    this.finish(true);
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
    const code = readCode("any", this.code);
    if (!code) {
      this.error = "Enter a code from your authenticator app, or a recovery code.";
      this.renderRoot.querySelector<HTMLInputElement>("#reauth-code")?.focus();
      return;
    }
    this.busy = "code";
    this.error = "";
    try {
      await reauthenticate(code);
      await this.done();
    } catch (error) {
      this.error = errorMessage(error, "Checking the code failed.");
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
      this.error = errorMessage(error, "Sending the email failed.");
    } finally {
      this.busy = "";
    }
  }

  private readonly onLinkUsed = async (): Promise<void> => {
    this.busy = "link";
    try {
      await this.done();
    } finally {
      this.busy = "";
    }
  };

  private codeForm(): TemplateResult {
    return html`
      <form novalidate @submit=${this.onSubmit}>
        <div class="field">
          <label for="reauth-code">Code from your authenticator app</label>
          <p class="hint" id="reauth-hint">Or one of your recovery codes.</p>
          <div class="row">
            ${codeField({
              id: "reauth-code",
              kind: "any",
              value: this.code,
              describedBy: "reauth-hint",
              onInput: this.onInput,
            })}
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

  private emailPart(mfa: boolean, email: string): TemplateResult {
    if (this.emailSent) {
      return html`
        <p id="reauth-sent" tabindex="-1" role="status">
          We emailed a confirmation link${email ? html` to <strong>${email}</strong>` : nothing}. Open it in
          this browser, then come back here and press Continue.
        </p>
        <div class="actions">
          <button class="link" ?disabled=${this.busy !== ""} @click=${this.onEmail}>Send another link</button>
          <button
            ?disabled=${this.busy !== ""}
            aria-busy=${this.busy === "link" ? "true" : "false"}
            @click=${this.onLinkUsed}
          >
            Continue
          </button>
        </div>
      `;
    }
    return html`
      ${mfa ? html`<p class="or">No code at hand?</p>` : nothing}
      <button
        class=${mfa ? "secondary" : "first"}
        ?disabled=${this.busy !== ""}
        aria-busy=${this.busy === "email" ? "true" : "false"}
        @click=${this.onEmail}
      >
        ${this.busy === "email" ? "Sending…" : "Email me a confirmation link"}
      </button>
    `;
  }

  /** The code form and the mailed link, as far as they are known to work for this person. */
  private choices(ways: Ways): TemplateResult | typeof nothing {
    switch (ways.status) {
      case "checking":
        return html`<p class="muted" aria-busy="true">Checking how you can confirm it is you…</p>`;
      case "failed":
        return nothing;
      case "known":
        return html`${ways.mfa ? this.codeForm() : nothing}
        ${ways.mfa && this.codeOnly ? nothing : this.emailPart(ways.mfa, ways.email)}`;
    }
  }

  override render(): TemplateResult {
    const ways = this.ways;
    const mfa = ways.status === "known" && ways.mfa;
    return html`
      <dialog aria-labelledby="reauth-title" aria-describedby="reauth-why" @close=${this.onClose}>
        <h2 id="reauth-title">Confirm it's you</h2>
        <p id="reauth-why">
          This change needs a recent sign-in, and yours was more than 10 minutes ago.
          ${
            ways.status !== "known"
              ? nothing
              : mfa
                ? "Enter a code to go on."
                : "We can email you a link to confirm it."
          }
        </p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing} ${this.choices(ways)}
        <div class="actions">
          <button class="secondary" ?disabled=${this.busy !== ""} @click=${this.onCancel}>Cancel</button>
        </div>
      </dialog>
    `;
  }
}

customElements.define("reauth-dialog", ReauthDialog);

/**
 * Makes `page` answer the ReauthRequestEvents sent from inside it (withReauth) with the <reauth-dialog>
 * it renders; without one, the answer is no.
 */
export function answerReauthRequests(page: LitElement): void {
  page.addEventListener(ReauthRequestEvent.type, (event) => {
    page.renderRoot.querySelector<ReauthDialog>("reauth-dialog")?.handle(event);
  });
}

declare global {
  interface HTMLElementTagNameMap {
    "reauth-dialog": ReauthDialog;
  }
}
