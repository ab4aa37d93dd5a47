// <mfa-challenge-page>: "/login/mfa", the second step of signing in for people with an authenticator
// app: a code from the app, or one of their recovery codes. The pending challenge lives in a cookie
// (GET /api/auth/challenge); when it has ended the page says so and leads back to /login.
import { codeField, errorMessage, isRecoveryCode, readCode, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { ApiError, getChallenge, verifyMfa, type Challenge, type User } from "./api.js";
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

type State =
  | { status: "loading" }
  | ChallengeFailure
  | { status: "ready"; challenge: Challenge }
  /** Signed in with a recovery code: say how many are left before going on. */
  | { status: "recovered"; user: User; next: string; codesLeft: number | null };

export class MfaChallengePage extends LitElement {
  static override properties = {
    state: { state: true },
    recovery: { state: true },
    code: { state: true },
    busy: { state: true },
    error: { state: true },
    attemptsLeft: { state: true },
  };
  static override styles = [
    sharedStyles,
    formStyles,
    css`
      .error {
        margin: 0 0 1rem;
      }
      .switch {
        margin-top: 1.25rem;
      }
    `,
  ];

  declare state: State;
  /** Whether the person types a recovery code instead of one from the app. */
  declare recovery: boolean;
  declare code: string;
  declare busy: boolean;
  declare error: string;
  declare attemptsLeft: number | null;

  constructor() {
    super();
    this.state = { status: "loading" };
    this.recovery = false;
    this.code = "";
    this.busy = false;
    this.error = "";
    this.attemptsLeft = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const challenge = await loadChallenge("verify");
      if (challenge) this.state = { status: "ready", challenge };
    } catch (error) {
      this.state = challengeFailure(error);
    }
  }

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>("#code");
  }

  protected override updated(changed: PropertyValues<this>): void {
    const was = changed.get("state");
    if (changed.has("state") && this.state.status === "ready" && was?.status !== "ready") this.input?.focus();
    if (changed.has("state") && this.state.status !== "ready" && this.state.status !== "loading") {
      this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
    }
  }

  private readonly onInput = (event: Event): void => {
    this.code = (event.target as HTMLInputElement).value;
  };

  private readonly onToggle = (): void => {
    this.recovery = !this.recovery;
    this.code = "";
    this.error = "";
    void this.updateComplete.then(() => this.input?.focus());
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.submit();
  };

  private async submit(): Promise<void> {
    const code = readCode(this.recovery ? "recovery" : "totp", this.code);
    if (!code) {
      this.error = this.recovery
        ? "Enter one of your recovery codes."
        : "Enter the 6-digit code your authenticator app shows.";
      this.input?.focus();
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      const result = await verifyMfa(code);
      this.dispatchEvent(new SessionChangeEvent(result.user));
      const next = safeNextPath(result.next, location.origin);
      if (this.recovery || isRecoveryCode(code)) {
        this.state = { status: "recovered", user: result.user, next, codesLeft: result.recoveryCodesLeft };
        this.busy = false;
        return;
      }
      navigate(next, { replace: true });
    } catch (error) {
      this.busy = false;
      const expired = challengeExpired(error);
      if (expired) {
        this.state = expired;
        return;
      }
      this.error = errorMessage(error, "Checking the code failed.");
      this.attemptsLeft = null;
      if (error instanceof ApiError && error.code === "mfa_invalid") await this.readAttemptsLeft(error);
      this.code = "";
      await this.updateComplete;
      this.input?.focus();
    }
  }

  /** How many tries the challenge has left: in the error's details, or else from the challenge itself. */
  private async readAttemptsLeft(error: ApiError): Promise<void> {
    const fromDetails = error.details?.attemptsLeft;
    if (typeof fromDetails === "number") {
      this.attemptsLeft = fromDetails;
      return;
    }
    try {
      this.attemptsLeft = (await getChallenge()).attemptsLeft;
    } catch (again) {
      const expired = challengeExpired(again);
      if (expired) this.state = expired;
    }
  }

  private readonly onContinue = (): void => {
    if (this.state.status === "recovered") navigate(this.state.next, { replace: true });
  };

  private form(challenge: Challenge): TemplateResult {
    const recovery = this.recovery;
    return html`
      <div class="card">
        <h1 tabindex="-1">Two-step verification</h1>
        <p>Signing in as <strong>${challenge.email}</strong>.</p>
        <form novalidate @submit=${this.onSubmit}>
          <div class="field">
            <label for="code">${recovery ? "Recovery code" : "Code from your authenticator app"}</label>
            <p class="hint" id="code-hint">
              ${
                recovery
                  ? "One of the codes you saved when you set up the app, like abcde-12345. Each works once."
                  : "Open the app and enter the 6 digits it shows for Clawden."
              }
            </p>
            <div class="row">
              ${codeField({
                id: "code",
                kind: recovery ? "recovery" : "totp",
                value: this.code,
                invalid: this.error !== "",
                describedBy: "code-hint",
                onInput: this.onInput,
              })}
              <button type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
                ${this.busy ? "Checking…" : "Verify"}
              </button>
            </div>
          </div>
          <div aria-live="polite">
            ${
              this.error
                ? html`<p class="error" role="alert">
                    ${this.error}
                    ${
                      this.attemptsLeft !== null
                        ? html`<span data-testid="attempts-left"
                            >${this.attemptsLeft === 1 ? "1 attempt left." : `${this.attemptsLeft} attempts left.`}</span
                          >`
                        : nothing
                    }
                  </p>`
                : nothing
            }
          </div>
        </form>
        <p class="switch">
          <button class="link" type="button" @click=${this.onToggle}>
            ${recovery ? "Use a code from your authenticator app" : "Use a recovery code"}
          </button>
        </p>
        <p class="muted">
          Lost your phone and your recovery codes? Ask the person who runs your Clawden to reset your two-step
          verification.
        </p>
      </div>
    `;
  }

  override render(): TemplateResult {
    switch (this.state.status) {
      case "loading":
        return html`<p class="muted" aria-busy="true">Loading…</p>`;
      case "expired":
      case "failed":
        return challengeFailureCard(this.state, {
          kind: "verify",
          title: "Two-step verification",
          startAgain: "Signing in takes a few minutes at most; start again with a new link.",
        });
      case "recovered":
        return html`
          <div class="card">
            <h1 tabindex="-1">You are signed in</h1>
            <p role="status" data-testid="codes-left">
              You used a recovery code; it will not work again.
              ${
                this.state.codesLeft === null
                  ? nothing
                  : this.state.codesLeft === 1
                    ? "You have 1 recovery code left."
                    : `You have ${this.state.codesLeft} recovery codes left.`
              }
            </p>
            <p>
              If you lost your authenticator app, set it up again and make new recovery codes on the
              <a href="/account/security">Security</a> page.
            </p>
            <div class="actions"><button @click=${this.onContinue}>Continue</button></div>
          </div>
        `;
      case "ready":
        return this.form(this.state.challenge);
    }
  }
}

customElements.define("mfa-challenge-page", MfaChallengePage);

declare global {
  interface HTMLElementTagNameMap {
    "mfa-challenge-page": MfaChallengePage;
  }
}
