// <account-security-page .session=${…}>: "/account/security": two-step verification (<mfa-settings>)
// and the sessions signed in to the account (<sessions-list>). Holds the <reauth-dialog> that answers
// the sections' requests for a fresh sign-in. Anonymous visitors are sent to sign in first.
import { answerReauthRequests, errorMessage, ReauthenticatedEvent, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { getAccount, type Account } from "./api.js";
import { navigate } from "./router.js";
import { notSignedIn, requireSignIn, signInPathBack, type Session } from "./session.js";
import type { SessionsList } from "./sessions-list.js";
import "./mfa-settings.js";
import "./sessions-list.js";

export class AccountSecurityPage extends LitElement {
  static override properties = {
    session: { attribute: false },
    account: { state: true },
    error: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      .sections {
        display: flex;
        flex-direction: column;
        gap: 1.5rem;
      }
      .lead {
        color: var(--muted);
      }
    `,
  ];

  declare session: Session;
  declare account: Account | null;
  declare error: string;

  constructor() {
    super();
    this.session = { status: "loading" };
    this.account = null;
    this.error = "";
    requireSignIn(this, () => void this.loadAccount());
    answerReauthRequests(this);
    this.addEventListener(ReauthenticatedEvent.type, () => {
      void this.renderRoot.querySelector<SessionsList>("sessions-list")?.reload();
      void this.loadAccount();
    });
    this.addEventListener("account-changed", () => void this.loadAccount());
  }

  private async loadAccount(): Promise<void> {
    try {
      const account = await getAccount();
      if (!account) {
        navigate(signInPathBack(), { replace: true });
        return;
      }
      this.account = account;
      this.error = "";
    } catch (error) {
      this.error = errorMessage(error, "Loading your account failed.");
    }
  }

  override render(): TemplateResult {
    if (this.session.status !== "signed-in")
      return notSignedIn(this.session, "Security", "/account/security");
    return html`
      <h1>Security</h1>
      <p class="lead">
        How <strong>${this.session.user.email}</strong> signs in, and where it is signed in now.
      </p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="sections">
        <mfa-settings .account=${this.account}></mfa-settings>
        <sessions-list></sessions-list>
      </div>
      <reauth-dialog
        .mfaEnabled=${this.account?.mfa.enabled ?? false}
        .email=${this.session.user.email}
      ></reauth-dialog>
    `;
  }
}

customElements.define("account-security-page", AccountSecurityPage);

declare global {
  interface HTMLElementTagNameMap {
    "account-security-page": AccountSecurityPage;
  }
}
