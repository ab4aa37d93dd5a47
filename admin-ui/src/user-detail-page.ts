// <user-detail-page user-id="…">: "/admin/users/{id}": one account (state, role, MFA), its sessions and
// API keys, and what an administrator can do to it: approve, suspend (after a confirmation that says
// what suspending does), reactivate, reset MFA, sign it out everywhere, and make it an administrator or
// not. A role change needs a recent sign-in: when the server answers `reauth_required`, the kit's
// <reauth-dialog> asks the administrator to confirm it is them (withReauth) and the change runs again.
import { answerReauthRequests, errorMessage, sharedStyles, withReauth } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { adminStyles } from "./admin-styles.js";
import {
  ApiError,
  getUser,
  setUserRole,
  userAction,
  type ApiKeySummary,
  type Role,
  type SessionSummary,
  type User,
  type UserAction,
  type UserDetail,
} from "./api.js";
import { orDash, stateLabel, timeText } from "./format.js";
import { dataTable, errorAlert, noticeStatus } from "./templates.js";
import "./confirm-dialog.js";

type Load =
  | { status: "loading" }
  | { status: "not-found" }
  | { status: "error"; message: string }
  | { status: "loaded"; detail: UserDetail };

/** Anything the page does to the account: the server's user actions, and role changes. */
type Change = { kind: "action"; action: UserAction } | { kind: "role"; role: Role };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DONE: Record<UserAction, string> = {
  approve: "Approved: the account is active and can sign in.",
  suspend: "Suspended: every session and API key was revoked.",
  reactivate: "Reactivated: the account can sign in again.",
  "reset-mfa":
    "MFA reset: the account signs in without its old authenticator and sets up a new one if required.",
  "revoke-sessions": "Signed out everywhere: every session of the account was ended.",
};

interface Confirmation {
  heading: string;
  body: (email: string) => TemplateResult;
  label: string;
  danger: boolean;
}

/** Changes that ask first (approve and reactivate do not). */
function confirmationFor(change: Change): Confirmation | null {
  if (change.kind === "role") {
    return change.role === "admin"
      ? {
          heading: "Make this user an administrator?",
          body: (email) =>
            html`<p>
              <strong>${email}</strong> will be able to manage every account, the sign-up settings and single
              sign-on, and read the audit log. Their current sessions end; they sign in again.
            </p>`,
          label: "Make admin",
          danger: false,
        }
      : {
          heading: "Remove administrator rights?",
          body: (email) =>
            html`<p>
              <strong>${email}</strong> will no longer be able to use the admin console. Their current
              sessions end; they sign in again.
            </p>`,
          label: "Remove admin",
          danger: true,
        };
  }
  switch (change.action) {
    case "suspend":
      return {
        heading: "Suspend this account?",
        body: (email) =>
          html`<p>
              <strong>${email}</strong> is signed out at once: all of their sessions and API keys are revoked,
              and their container is stopped.
            </p>
            <p>They cannot sign in until an administrator reactivates the account.</p>`,
        label: "Suspend",
        danger: true,
      };
    case "reset-mfa":
      return {
        heading: "Reset this account's MFA?",
        body: (email) =>
          html`<p>
            <strong>${email}</strong>'s authenticator app and recovery codes stop working. Do this only after
            making sure the request really comes from them.
          </p>`,
        label: "Reset MFA",
        danger: true,
      };
    case "revoke-sessions":
      return {
        heading: "Sign this account out everywhere?",
        body: (email) =>
          html`<p>
            Every session of <strong>${email}</strong> ends; they have to sign in again. API keys keep
            working.
          </p>`,
        label: "Revoke all sessions",
        danger: true,
      };
    case "approve":
    case "reactivate":
      return null;
  }
}

export class UserDetailPage extends LitElement {
  static override properties = {
    userId: { attribute: "user-id" },
    load: { state: true },
    busy: { state: true },
    error: { state: true },
    notice: { state: true },
    confirming: { state: true },
  };
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      .back {
        display: inline-block;
        margin-bottom: 1rem;
      }
      h1 {
        word-break: break-all;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.5rem 1.5rem;
        margin: 0;
      }
      dt {
        color: var(--muted);
        font-weight: 600;
      }
      dd {
        margin: 0;
        word-break: break-all;
      }
      section + section,
      .card + section {
        margin-top: 1.5rem;
      }
      code {
        white-space: nowrap;
      }
    `,
  ];

  declare userId: string;
  declare load: Load;
  declare busy: boolean;
  declare error: string;
  declare notice: string;
  /** The change waiting for the administrator's yes in <confirm-dialog>. */
  declare confirming: Change | null;

  constructor() {
    super();
    this.userId = "";
    this.load = { status: "loading" };
    this.busy = false;
    this.error = "";
    this.notice = "";
    this.confirming = null;
    answerReauthRequests(this);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("userId")) {
      this.load = { status: "loading" };
      this.error = "";
      this.notice = "";
      this.confirming = null;
      void this.fetch();
    }
  }

  private async fetch(): Promise<void> {
    const id = this.userId;
    if (!UUID.test(id)) {
      this.load = { status: "not-found" };
      return;
    }
    try {
      const detail = await getUser(id);
      if (id === this.userId) this.load = { status: "loaded", detail };
    } catch (error) {
      if (id !== this.userId) return;
      const message = errorMessage(error, "Loading the user failed.");
      if (error instanceof ApiError && error.status === 404) this.load = { status: "not-found" };
      else if (this.load.status === "loaded") this.error = message;
      else this.load = { status: "error", message };
    }
  }

  /** Asks first when the change calls for it, then runs it. */
  private request(change: Change): void {
    this.error = "";
    this.notice = "";
    if (confirmationFor(change)) this.confirming = change;
    else void this.run(change);
  }

  private async run(change: Change): Promise<void> {
    const id = this.userId;
    this.busy = true;
    this.error = "";
    this.notice = "";
    try {
      let user: User;
      if (change.kind === "action") {
        const result = await userAction(id, change.action);
        user = result.user;
        this.notice =
          result.containerStopped === false
            ? `${DONE[change.action]} The container could not be stopped yet: it will be as soon as possible.`
            : DONE[change.action];
      } else {
        user = await withReauth(this, () => setUserRole(id, change.role));
        this.notice =
          change.role === "admin"
            ? `${user.email} is now an administrator. Their sessions ended; they sign in again.`
            : `${user.email} is no longer an administrator. Their sessions ended.`;
      }
      if (this.load.status === "loaded")
        this.load = { status: "loaded", detail: { ...this.load.detail, user } };
      await this.fetch();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && error.code === "not_found") {
        this.load = { status: "not-found" };
      } else {
        this.error = errorMessage(error, "That did not work. Try again.");
      }
    } finally {
      this.busy = false;
    }
  }

  private readonly onConfirm = (): void => {
    const change = this.confirming;
    this.confirming = null;
    if (change) void this.run(change);
  };

  private readonly onCancelConfirm = (): void => {
    this.confirming = null;
  };

  private actionButton(label: string, change: Change, className = "secondary"): TemplateResult {
    return html`<button class=${className} ?disabled=${this.busy} @click=${() => this.request(change)}>
      ${label}
    </button>`;
  }

  private actions(detail: UserDetail): TemplateResult {
    const { user } = detail;
    return html`
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">Actions</h2>
        <div class="actions">
          ${user.state === "pending" ? this.actionButton("Approve", { kind: "action", action: "approve" }, "") : nothing}
          ${
            user.state === "suspended"
              ? this.actionButton("Reactivate", { kind: "action", action: "reactivate" }, "")
              : this.actionButton("Suspend", { kind: "action", action: "suspend" }, "danger")
          }
          ${
            user.role === "admin"
              ? this.actionButton("Remove admin", { kind: "role", role: "user" })
              : this.actionButton("Make admin", { kind: "role", role: "admin" })
          }
          ${detail.mfaEnabled ? this.actionButton("Reset MFA", { kind: "action", action: "reset-mfa" }) : nothing}
          ${this.actionButton("Revoke all sessions", { kind: "action", action: "revoke-sessions" })}
        </div>
      </section>
    `;
  }

  private sessions(sessions: SessionSummary[]): TemplateResult {
    return html`
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        ${dataTable({
          caption: "Signed-in sessions",
          columns: ["Device", "IP address", "Signed in", "Last seen"],
          rows: sessions.map(
            (session) => html`
              <tr>
                <td>${orDash(session.device, "unknown device")}</td>
                <td>${orDash(session.ip, "unknown")}</td>
                <td class="nowrap">${timeText(session.createdAt, "not known")}</td>
                <td class="nowrap">${timeText(session.lastSeenAt, "not known")}</td>
              </tr>
            `,
          ),
          empty: "No active sessions.",
        })}
      </section>
    `;
  }

  private apiKeys(keys: ApiKeySummary[]): TemplateResult {
    return html`
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">API keys</h2>
        ${dataTable({
          caption: "Platform API keys",
          columns: ["Name", "Prefix", "Scopes", "Last used", "Expires"],
          rows: keys.map(
            (key) => html`
              <tr>
                <td>${key.name}</td>
                <td><code>${key.prefix}</code></td>
                <td>${key.scopes.join(", ")}</td>
                <td class="nowrap">${timeText(key.lastUsedAt, "never")}</td>
                <td class="nowrap">${timeText(key.expiresAt, "never")}</td>
              </tr>
            `,
          ),
          empty: "No API keys.",
        })}
      </section>
    `;
  }

  private loaded(detail: UserDetail): TemplateResult {
    const { user } = detail;
    const confirmation = this.confirming ? confirmationFor(this.confirming) : null;
    return html`
      <a class="back" href="/admin/users">← All users</a>
      <h1>${user.email}</h1>
      ${noticeStatus(this.notice)} ${errorAlert(this.error)}
      <div class="card">
        <dl>
          <dt>State</dt>
          <dd>
            <span class="badge ${user.state}" data-testid="user-state">${stateLabel(user.state)}</span>
          </dd>
          <dt>Role</dt>
          <dd data-testid="user-role">${user.role === "admin" ? "Administrator" : "User"}</dd>
          <dt>MFA</dt>
          <dd>${detail.mfaEnabled ? "On (authenticator app)" : "Off"}</dd>
          <dt>Created</dt>
          <dd>${timeText(user.createdAt, "not known")}</dd>
          <dt>User id</dt>
          <dd><code>${user.id}</code></dd>
        </dl>
        ${this.actions(detail)}
      </div>
      ${this.sessions(detail.sessions)} ${this.apiKeys(detail.apiKeys)}
      <confirm-dialog
        .open=${confirmation !== null}
        .heading=${confirmation?.heading ?? ""}
        .confirmLabel=${confirmation?.label ?? "Confirm"}
        ?danger=${confirmation?.danger ?? false}
        @confirm=${this.onConfirm}
        @cancel=${this.onCancelConfirm}
      >
        ${confirmation ? confirmation.body(user.email) : nothing}
      </confirm-dialog>
      <reauth-dialog code-only></reauth-dialog>
    `;
  }

  override render(): TemplateResult {
    switch (this.load.status) {
      case "loading":
        return html`<p class="muted" aria-busy="true">Loading…</p>`;
      case "not-found":
        return html`
          <div class="card">
            <h1>User not found</h1>
            <p>There is no account with this id. It may have been deleted, or the address is wrong.</p>
            <a href="/admin/users">Go to all users</a>
          </div>
        `;
      case "error":
        return html`
          <a class="back" href="/admin/users">← All users</a>
          ${errorAlert(this.load.message)}
        `;
      case "loaded":
        return this.loaded(this.load.detail);
    }
  }
}

customElements.define("user-detail-page", UserDetailPage);

declare global {
  interface HTMLElementTagNameMap {
    "user-detail-page": UserDetailPage;
  }
}
