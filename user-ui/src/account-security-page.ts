// <account-security-page .session=${…}>: "/account/security": two-step verification (<mfa-settings>)
// and the sessions signed in to the account (<sessions-list>). Holds the <reauth-dialog> that answers
// the sections' requests for a fresh sign-in. Anonymous visitors are sent to sign in first.
import { answerReauthRequests, errorMessage, ReauthenticatedEvent, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { getAccount, type Account } from "./api.js";
import { navigate } from "./router.js";
import { signInPathBack, type Session } from "./session.js";
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
    answerReauthRequests(this);
    this.addEventListener(ReauthenticatedEvent.type, () => {
      void this.renderRoot.querySelector<SessionsList>("sessions-list")?.reload();
      void this.loadAccount();
    });
    this.addEventListener("account-changed", () => void this.loadAccount());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("session") && this.session.status === "signed-in" && !this.account)
      void this.loadAccount();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("session") && this.session.status === "anonymous")
      navigate(signInPathBack(), { replace: true });
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
    switch (this.session.status) {
      case "loading":
        return html`<p class="muted" aria-busy="true">Loading…</p>`;
      case "anonymous":
        return html`<p class="muted">Sign in to see this page…</p>`;
      case "error":
        return html`
          <div class="card">
            <h1>Security</h1>
            <p class="error" role="alert">${this.session.message}</p>
            <a href="/account/security">Try again</a>
          </div>
        `;
      case "signed-in":
        break;
    }
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
