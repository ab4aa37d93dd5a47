// <recovery-codes-view .codes=${[…]}>: new recovery codes, shown this once, with Copy and "I have saved
// them" (which sends a `codes-saved` event). Used after setting up an authenticator app (at sign-in
// and on the Security page) and after asking for new codes.
import { sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { formStyles } from "./form-styles.js";

export class RecoveryCodesView extends LitElement {
  static override properties = {
    codes: { attribute: false },
    replacing: { type: Boolean },
    copied: { state: true },
    copyError: { state: true },
  };
  static override styles = [
    sharedStyles,
    formStyles,
    css`
      .codes {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
        gap: 0.4rem 1rem;
        list-style: none;
        padding: 0.75rem 1rem;
        margin: 0 0 1rem;
        background: var(--bg);
        border: 1px solid var(--border);
        border-radius: var(--radius);
      }
      .codes li {
        margin: 0;
        font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
        font-size: 1.05rem;
        letter-spacing: 0.03em;
      }
      [role="status"] {
        margin: 0.75rem 0 0;
        min-height: 1.5em;
      }
    `,
  ];

  declare codes: string[];
  /** They replace older codes (which stopped working): say so. */
  declare replacing: boolean;
  declare copied: boolean;
  declare copyError: string;

  constructor() {
    super();
    this.codes = [];
    this.replacing = false;
    this.copied = false;
    this.copyError = "";
  }

  protected override firstUpdated(): void {
    // It replaces the form the person was using: start reading here.
    this.renderRoot.querySelector<HTMLElement>("h2")?.focus();
  }

  private readonly onCopy = (): void => {
    void this.copy();
  };

  private async copy(): Promise<void> {
    this.copyError = "";
    try {
      await navigator.clipboard.writeText(this.codes.join("\n") + "\n");
      this.copied = true;
    } catch {
      this.copied = false;
      this.copyError = "Copying did not work in this browser: select the codes and copy them yourself.";
    }
  }

  private readonly onSaved = (): void => {
    this.dispatchEvent(new Event("codes-saved", { bubbles: true, composed: true }));
  };

  override render(): TemplateResult {
    return html`
      <h2 tabindex="-1">Save your recovery codes</h2>
      <p>
        If you lose your authenticator app, each of these codes signs you in once instead of a code from the
        app. Keep them somewhere safe, such as a password manager. They are shown only now.
      </p>
      <ol class="codes" data-testid="recovery-codes" aria-label="Recovery codes">
        ${this.codes.map((code) => html`<li>${code}</li>`)}
      </ol>
      ${this.replacing ? html`<p class="warning">The recovery codes you had before no longer work.</p>` : nothing}
      <div class="actions">
        <button class="secondary" @click=${this.onCopy}>${this.copied ? "Copied" : "Copy"}</button>
        <button @click=${this.onSaved}>I have saved them</button>
      </div>
      <p role="status">
        ${this.copied ? "The codes are on your clipboard." : nothing}
        ${this.copyError ? html`<span class="error">${this.copyError}</span>` : nothing}
      </p>
    `;
  }
}

customElements.define("recovery-codes-view", RecoveryCodesView);

declare global {
  interface HTMLElementTagNameMap {
    "recovery-codes-view": RecoveryCodesView;
  }
}
