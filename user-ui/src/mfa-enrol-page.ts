// <mfa-enrol-page>: "/login/mfa/enrol", the second step of signing in when two-step verification is
// required and the person has no authenticator app yet: set one up (<totp-setup>), which signs them
// in, then save the recovery codes (<recovery-codes-view>) and go on to `next`.
import { sharedStyles } from "@clawden/kit/ui";
import { html, LitElement, type PropertyValues, type TemplateResult } from "lit";
import { confirmEnrolment, startEnrolment, type TotpEnrolment } from "./api.js";
import { formStyles } from "./form-styles.js";
import { navigate } from "./router.js";
import { safeNextPath } from "./safe-next.js";
import {
  challengeExpired,
  challengeFailure,
  challengeFailureCard,
  loadChallenge,
  type ChallengeFailure,
} from "./second-step.js";
import { SessionChangeEvent } from "./session.js";
import "./recovery-codes-view.js";
import "./totp-setup.js";

type State =
  | { status: "loading" }
  | ChallengeFailure
  | { status: "enrolling"; email: string; enrolment: TotpEnrolment }
  | { status: "codes"; codes: string[]; next: string };

export class MfaEnrolPage extends LitElement {
  static override properties = { state: { state: true } };
  static override styles = [sharedStyles, formStyles];

  declare state: State;

  constructor() {
    super();
    this.state = { status: "loading" };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const challenge = await loadChallenge("enrol");
      if (!challenge) return;
      const enrolment = await startEnrolment();
      this.state = { status: "enrolling", email: challenge.email, enrolment };
    } catch (error) {
      this.state = challengeFailure(error);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("state") && (this.state.status === "expired" || this.state.status === "failed")) {
      this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
    }
  }

  /** <totp-setup> calls this with the first code; refused codes throw and are shown there. */
  private readonly confirm = async (code: string): Promise<void> => {
    try {
      const result = await confirmEnrolment(code);
      this.dispatchEvent(new SessionChangeEvent(result.user));
      this.state = {
        status: "codes",
        codes: result.recoveryCodes,
        next: safeNextPath(result.next, location.origin),
      };
    } catch (error) {
      const expired = challengeExpired(error);
      if (!expired) throw error;
      this.state = expired;
    }
  };

  private readonly onSaved = (): void => {
    if (this.state.status === "codes") navigate(this.state.next, { replace: true });
  };

  override render(): TemplateResult {
    switch (this.state.status) {
      case "loading":
        return html`<p class="muted" aria-busy="true">Loading…</p>`;
      case "expired":
      case "failed":
        return challengeFailureCard(this.state, {
          kind: "enrol",
          title: "Set up two-step verification",
          startAgain: "Start again with a new sign-in link.",
        });
      case "enrolling":
        return html`
          <div class="card">
            <h1>Set up two-step verification</h1>
            <p>
              Your Clawden asks <strong>${this.state.email}</strong> for a code from an authenticator app each
              time you sign in. Set one up now to finish signing in.
            </p>
            <totp-setup
              .enrolment=${this.state.enrolment}
              .confirm=${this.confirm}
              submit-label="Turn on and sign in"
            ></totp-setup>
          </div>
        `;
      case "codes":
        return html`
          <div class="card">
            <h1>Two-step verification is on</h1>
            <recovery-codes-view
              .codes=${this.state.codes}
              @codes-saved=${this.onSaved}
            ></recovery-codes-view>
          </div>
        `;
    }
  }
}

customElements.define("mfa-enrol-page", MfaEnrolPage);

declare global {
  interface HTMLElementTagNameMap {
    "mfa-enrol-page": MfaEnrolPage;
  }
}
