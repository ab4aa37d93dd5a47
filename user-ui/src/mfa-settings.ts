// <mfa-settings .account=${…}>: the Security page's two-step verification section: whether it is on,
// setting up an authenticator app (<totp-setup>, then <recovery-codes-view>), new recovery codes, and
// turning it off. Every change needs a recent sign-in (withReauth). Sends `account-changed` after a
// change, so the page reloads the account.
import { errorMessage, sharedStyles, withReauth } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import {
  confirmTotpSetup,
  disableTotp,
  regenerateRecoveryCodes,
  startTotpSetup,
  type Account,
  type TotpEnrolment,
} from "./api.js";
import { formStyles } from "./form-styles.js";
import { outcome, outcomeStyles } from "./outcome.js";
import "./recovery-codes-view.js";
import "./totp-setup.js";

type Mode =
  | { kind: "idle" }
  | { kind: "setup"; enrolment: TotpEnrolment }
  | { kind: "confirm-off" }
  | { kind: "codes"; codes: string[]; replacing: boolean };

type Busy = "" | "setup" | "off" | "codes";

export class MfaSettings extends LitElement {
  static override properties = {
    account: { attribute: false },
    mode: { state: true },
    busy: { state: true },
    error: { state: true },
    notice: { state: true },
  };
  static override styles = [
    sharedStyles,
    formStyles,
    outcomeStyles,
    css`
      h2 {
        margin-top: 0;
        display: flex;
        align-items: center;
        gap: 0.75rem;
      }
      .confirm {
        border: 1px solid var(--danger);
        border-radius: var(--radius);
        padding: 1rem;
        margin-top: 1rem;
      }
      .confirm p {
        margin: 0;
      }
    `,
  ];

  declare account: Account | null;
  declare mode: Mode;
  declare busy: Busy;
  declare error: string;
  declare notice: string;

  constructor() {
    super();
    this.account = null;
    this.mode = { kind: "idle" };
    this.busy = "";
    this.error = "";
    this.notice = "";
  }

  private changed(): void {
    this.dispatchEvent(new Event("account-changed", { bubbles: true, composed: true }));
  }

  private async run(busy: Busy, fallback: string, action: () => Promise<void>): Promise<void> {
    this.busy = busy;
    this.error = "";
    this.notice = "";
    try {
      await action();
    } catch (error) {
      this.error = errorMessage(error, fallback);
    } finally {
      this.busy = "";
    }
  }

  private readonly onSetUp = (): void => {
    void this.run("setup", "Starting the set-up failed.", async () => {
      const enrolment = await withReauth(this, startTotpSetup);
      this.mode = { kind: "setup", enrolment };
    });
  };

  /** <totp-setup> calls this with the first code from the app. */
  private readonly confirmSetup = async (code: string): Promise<void> => {
    const codes = await withReauth(this, () => confirmTotpSetup(code));
    this.mode = { kind: "codes", codes, replacing: false };
    this.notice = "Two-step verification is on.";
    this.changed();
  };

  private readonly onCancelSetup = (): void => {
    this.mode = { kind: "idle" };
    void this.focusHeading();
  };

  private readonly onNewCodes = (): void => {
    void this.run("codes", "Making new recovery codes failed.", async () => {
      const codes = await withReauth(this, regenerateRecoveryCodes);
      this.mode = { kind: "codes", codes, replacing: true };
      this.changed();
    });
  };

  private readonly onCodesSaved = (): void => {
    this.mode = { kind: "idle" };
    void this.focusHeading();
  };

  private readonly onAskOff = (): void => {
    this.error = "";
    this.notice = "";
    this.mode = { kind: "confirm-off" };
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(".confirm .danger")?.focus(),
    );
  };

  private readonly onKeepOn = (): void => {
    this.mode = { kind: "idle" };
  };

  private readonly onTurnOff = (): void => {
    void this.run("off", "Turning two-step verification off failed.", async () => {
      try {
        await withReauth(this, disableTotp);
      } finally {
        this.mode = { kind: "idle" };
      }
      this.notice = "Two-step verification is off.";
      this.changed();
    });
  };

  private async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("h2")?.focus();
  }

  private body(account: Account): TemplateResult {
    const { mfa } = account;
    switch (this.mode.kind) {
      case "setup":
        return html`
          <totp-setup .enrolment=${this.mode.enrolment} .confirm=${this.confirmSetup}></totp-setup>
          <div class="actions">
            <button class="secondary" @click=${this.onCancelSetup}>Cancel</button>
          </div>
        `;
      case "codes":
        return html`<recovery-codes-view
          .codes=${this.mode.codes}
          ?replacing=${this.mode.replacing}
          @codes-saved=${this.onCodesSaved}
        ></recovery-codes-view>`;
      case "idle":
      case "confirm-off":
        break;
    }
    if (!mfa.enabled) {
      return html`
        <p>
          Add a second step to signing in: after opening the email link, you enter a code from an
          authenticator app on your phone. Someone who gets into your mailbox still cannot sign in as you.
        </p>
        ${
          mfa.required
            ? html`<p class="warning">Your Clawden requires two-step verification: set it up now.</p>`
            : nothing
        }
        <div class="actions">
          <button
            ?disabled=${this.busy !== ""}
            aria-busy=${this.busy === "setup" ? "true" : "false"}
            @click=${this.onSetUp}
          >
            ${this.busy === "setup" ? "Starting…" : "Set up authenticator app"}
          </button>
        </div>
      `;
    }
    const left = mfa.recoveryCodesLeft;
    return html`
      <p>Signing in asks for a code from your authenticator app after the email link.</p>
      <p data-testid="recovery-codes-left" class=${left <= 3 ? "warning" : ""}>
        ${left === 1 ? "1 recovery code left." : `${left} recovery codes left.`}
        ${left <= 3 ? "Make new ones before you run out." : nothing}
      </p>
      ${
        mfa.required
          ? html`<p class="muted">
              Your Clawden requires two-step verification, so it cannot be turned off.
            </p>`
          : nothing
      }
      <div class="actions">
        <button
          class="secondary"
          ?disabled=${this.busy !== ""}
          aria-busy=${this.busy === "codes" ? "true" : "false"}
          @click=${this.onNewCodes}
        >
          ${this.busy === "codes" ? "Making codes…" : "New recovery codes"}
        </button>
        ${
          mfa.required
            ? nothing
            : html`<button
                class="danger"
                ?disabled=${this.busy !== "" || this.mode.kind === "confirm-off"}
                @click=${this.onAskOff}
              >
                Turn off
              </button>`
        }
      </div>
      ${
        this.mode.kind === "confirm-off"
          ? html`
              <div class="confirm" role="group" aria-labelledby="off-question">
                <p id="off-question">
                  Turn off two-step verification? Signing in will need only the email link, and your recovery
                  codes stop working.
                </p>
                <div class="actions">
                  <button
                    class="danger"
                    ?disabled=${this.busy !== ""}
                    aria-busy=${this.busy === "off" ? "true" : "false"}
                    @click=${this.onTurnOff}
                  >
                    ${this.busy === "off" ? "Turning off…" : "Turn off two-step verification"}
                  </button>
                  <button class="secondary" ?disabled=${this.busy !== ""} @click=${this.onKeepOn}>
                    Keep it on
                  </button>
                </div>
              </div>
            `
          : nothing
      }
    `;
  }

  override render(): TemplateResult {
    const account = this.account;
    if (!account) return html`<p class="muted" aria-busy="true">Loading…</p>`;
    const on = account.mfa.enabled;
    return html`
      <section class="card" aria-labelledby="mfa-title">
        <h2 id="mfa-title" tabindex="-1">
          Two-step verification
          <span class="badge ${on ? "" : "off"}" data-testid="mfa-status">${on ? "On" : "Off"}</span>
        </h2>
        ${this.body(account)} ${outcome(this.error, this.notice)}
      </section>
    `;
  }
}

customElements.define("mfa-settings", MfaSettings);

declare global {
  interface HTMLElementTagNameMap {
    "mfa-settings": MfaSettings;
  }
}
