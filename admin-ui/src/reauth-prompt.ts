// <reauth-prompt .message=${…}>: shown when the server answered 403 `reauth_required`. It repeats the
// server's message and lets the administrator prove it is still them: with a code from their
// authenticator app (or a recovery code) when they have MFA, otherwise with a link mailed to them that
// they open in this browser. Fires "reauthenticated" when the action can be tried again, "cancel" when
// they give up.
import { sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { adminStyles } from "./admin-styles.js";
import { ApiError, getAccountSecurity, reauthenticate, requestReauthEmail } from "./api.js";

type Step =
  | { kind: "loading" }
  | { kind: "code" }
  | { kind: "email" }
  | { kind: "email-sent"; email: string }
  | { kind: "failed" };

export class ReauthPrompt extends LitElement {
  static override properties = {
    message: {},
    working: { type: Boolean },
    step: { state: true },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      .card {
        border-color: var(--focus);
      }
      h2 {
        margin-top: 0;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: flex-end;
      }
      input {
        width: 12rem;
      }
    `,
  ];

  /** The server's explanation, shown as it is. */
  declare message: string;
  /** The page is retrying the action: the buttons wait. */
  declare working: boolean;
  declare step: Step;
  declare busy: boolean;
  declare error: string;
  private email = "";

  constructor() {
    super();
    this.message = "";
    this.working = false;
    this.step = { kind: "loading" };
    this.busy = false;
    this.error = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const account = await getAccountSecurity();
      this.email = account.user.email;
      this.step = { kind: account.mfa.enabled ? "code" : "email" };
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : "Could not check how you can re-authenticate.";
      this.step = { kind: "failed" };
    }
  }

  /**
   * Tells the page to try again. Re-authenticating renews the session (here, or in the tab where the
   * emailed link was opened), and with it the anti-CSRF token: fetch the new one first.
   */
  private async done(): Promise<void> {
    await getAccountSecurity().catch(() => undefined);
    this.dispatchEvent(new Event("reauthenticated"));
  }

  private readonly onCancel = (): void => {
    this.dispatchEvent(new Event("cancel"));
  };

  private readonly onCode = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem("code") as HTMLInputElement;
    const code = input.value.trim();
    if (!code) {
      this.error = "Enter the code from your authenticator app, or a recovery code.";
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      await reauthenticate(code);
      input.value = "";
      await this.done();
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : "Checking the code failed.";
      input.select();
    } finally {
      this.busy = false;
    }
  };

  private readonly onSendEmail = async (): Promise<void> => {
    this.busy = true;
    this.error = "";
    try {
      await requestReauthEmail();
      this.step = { kind: "email-sent", email: this.email };
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : "Sending the link failed.";
    } finally {
      this.busy = false;
    }
  };

  private readonly onRetry = (): void => {
    void this.done();
  };

  private body(): TemplateResult {
    switch (this.step.kind) {
      case "loading":
        return html`<p class="muted" aria-busy="true">Checking how you can confirm it is you…</p>`;
      case "failed":
        return html`<div class="actions">
          <button class="secondary" @click=${this.onCancel}>Cancel</button>
        </div>`;
      case "code":
        return html`
          <form @submit=${this.onCode}>
            <div class="field">
              <label for="reauth-code">Authentication code</label>
              <span class="hint" id="reauth-code-hint">From your authenticator app, or a recovery code</span>
              <input
                id="reauth-code"
                name="code"
                autocomplete="one-time-code"
                spellcheck="false"
                aria-describedby="reauth-code-hint"
                required
                ?disabled=${this.busy}
              />
            </div>
            <button type="submit" ?disabled=${this.busy || this.working}>
              ${this.busy ? "Checking…" : this.working ? "Trying again…" : "Confirm and retry"}
            </button>
            <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.onCancel}>
              Cancel
            </button>
          </form>
        `;
      case "email":
        return html`
          <p>We can email you a link that confirms it is you in this browser.</p>
          <div class="actions">
            <button ?disabled=${this.busy} @click=${this.onSendEmail}>
              ${this.busy ? "Sending…" : "Email me a link"}
            </button>
            <button class="secondary" ?disabled=${this.busy} @click=${this.onCancel}>Cancel</button>
          </div>
        `;
      case "email-sent":
        return html`
          <p role="status">
            Check your email${this.step.email ? html` (<strong>${this.step.email}</strong>)` : nothing}: open
            the link in this browser, then come back here and try again.
          </p>
          <div class="actions">
            <button ?disabled=${this.working} @click=${this.onRetry}>
              ${this.working ? "Trying again…" : "I opened the link: try again"}
            </button>
            <button class="secondary" ?disabled=${this.busy} @click=${this.onSendEmail}>
              Send another link
            </button>
            <button class="secondary" @click=${this.onCancel}>Cancel</button>
          </div>
        `;
    }
  }

  override render(): TemplateResult {
    return html`
      <section class="card" aria-labelledby="reauth-heading">
        <h2 id="reauth-heading">Confirm it is you</h2>
        <p role="alert">${this.message}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing} ${this.body()}
      </section>
    `;
  }
}

customElements.define("reauth-prompt", ReauthPrompt);

declare global {
  interface HTMLElementTagNameMap {
    "reauth-prompt": ReauthPrompt;
  }
}
