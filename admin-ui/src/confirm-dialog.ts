// <confirm-dialog heading="…" confirm-label="…" ?danger .open=${…}>: a modal question (the native
// <dialog>, so focus stays inside and Escape cancels) whose slotted content says what will happen.
// Fires "confirm" or "cancel"; the page that opened it closes it by setting `open` to false. It looks
// like the kit's <reauth-dialog> (dialogStyles); user-ui asks its few questions inline instead.
import { dialogStyles, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, type PropertyValues, type TemplateResult } from "lit";
import { adminStyles } from "./admin-styles.js";

export class ConfirmDialog extends LitElement {
  static override properties = {
    open: { type: Boolean },
    heading: {},
    confirmLabel: { attribute: "confirm-label" },
    danger: { type: Boolean },
  };
  static override styles = [
    sharedStyles,
    adminStyles,
    dialogStyles,
    css`
      :host {
        display: contents;
      }
      dialog {
        max-width: min(32rem, calc(100vw - 2rem));
      }
    `,
  ];

  declare open: boolean;
  declare heading: string;
  declare confirmLabel: string;
  declare danger: boolean;

  constructor() {
    super();
    this.open = false;
    this.heading = "Are you sure?";
    this.confirmLabel = "Confirm";
    this.danger = false;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector("dialog");
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has("open")) return;
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) dialog.showModal();
    else if (!this.open && dialog.open) dialog.close();
  }

  private readonly onCancel = (event: Event): void => {
    // Escape: the page decides (it sets `open` to false).
    event.preventDefault();
    this.dispatchEvent(new Event("cancel"));
  };

  private readonly onCancelClick = (): void => {
    this.dispatchEvent(new Event("cancel"));
  };

  private readonly onConfirmClick = (): void => {
    this.dispatchEvent(new Event("confirm"));
  };

  override render(): TemplateResult {
    return html`
      <dialog aria-labelledby="heading" @cancel=${this.onCancel}>
        <h2 id="heading">${this.heading}</h2>
        <slot></slot>
        <div class="actions">
          <button class="secondary" autofocus @click=${this.onCancelClick}>Cancel</button>
          <button class=${this.danger ? "danger" : ""} @click=${this.onConfirmClick}>
            ${this.confirmLabel}
          </button>
        </div>
      </dialog>
    `;
  }
}

customElements.define("confirm-dialog", ConfirmDialog);

declare global {
  interface HTMLElementTagNameMap {
    "confirm-dialog": ConfirmDialog;
  }
}
