// <sessions-list>: the Security page's list of the browsers signed in to this account (device, IP
// address, last activity, "This device"), with Sign out per session and "Sign out everywhere else".
// Signing out this device's own session leaves the page for the start page, signed out.
import { errorMessage, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { listSessions, revokeOtherSessions, revokeSession, type SessionInfo } from "./api.js";
import { describeDevice, describeSignInMethod, formatDateTime, formatRelative } from "./format.js";
import { formStyles } from "./form-styles.js";
import { outcome, outcomeStyles } from "./outcome.js";
import { navigate } from "./router.js";
import { SessionChangeEvent } from "./session.js";

export class SessionsList extends LitElement {
  static override properties = {
    sessions: { state: true },
    loading: { state: true },
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
      }
      .device {
        font-weight: 600;
      }
      .sub {
        display: block;
        font-size: 0.875rem;
        color: var(--muted);
      }
      td.action {
        text-align: right;
        white-space: nowrap;
      }
    `,
  ];

  declare sessions: SessionInfo[];
  declare loading: boolean;
  /** The session being signed out, "others" for everywhere else, "" when nothing is on its way. */
  declare busy: string;
  declare error: string;
  declare notice: string;

  constructor() {
    super();
    this.sessions = [];
    this.loading = true;
    this.busy = "";
    this.error = "";
    this.notice = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  /** Loads the list again (the page calls it after a re-authentication changed this session's id). */
  async reload(): Promise<void> {
    this.loading = true;
    try {
      this.sessions = await listSessions();
      this.error = "";
    } catch (error) {
      this.error = errorMessage(error, "Loading your sessions failed.");
    } finally {
      this.loading = false;
    }
  }

  private async revoke(session: SessionInfo): Promise<void> {
    this.busy = session.id;
    this.error = "";
    this.notice = "";
    try {
      await revokeSession(session.id, session.current);
      if (session.current) {
        navigate("/", { replace: true });
        this.dispatchEvent(new SessionChangeEvent(null));
        return;
      }
      this.notice = `Signed out the session on ${describeDevice(session.device)}.`;
      await this.reload();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("h2")?.focus();
    } catch (error) {
      this.error = errorMessage(error, "Signing that session out failed.");
    } finally {
      this.busy = "";
    }
  }

  private readonly onRevokeOthers = (): void => {
    void this.revokeOthers();
  };

  private async revokeOthers(): Promise<void> {
    this.busy = "others";
    this.error = "";
    this.notice = "";
    try {
      const revoked = await revokeOtherSessions();
      this.notice =
        revoked === 0
          ? "No other sessions were signed in."
          : revoked === 1
            ? "Signed out 1 other session."
            : `Signed out ${revoked} other sessions.`;
      await this.reload();
    } catch (error) {
      this.error = errorMessage(error, "Signing the other sessions out failed.");
    } finally {
      this.busy = "";
    }
  }

  private row(session: SessionInfo, now: Date): TemplateResult {
    const device = describeDevice(session.device);
    const lastSeen = session.lastSeenAt ?? session.createdAt;
    return html`
      <tr data-testid="session-row" data-current=${session.current ? "true" : "false"}>
        <td>
          <span class="device" title=${session.device ?? ""}>${device}</span>
          ${session.current ? html` <span class="badge">This device</span>` : nothing}
          <span class="sub"
            >Signed in
            <time datetime=${session.createdAt} title=${formatDateTime(session.createdAt)}
              >${formatRelative(session.createdAt, now)}</time
            >
            with ${describeSignInMethod(session.method)}</span
          >
        </td>
        <td>${session.ip ?? "unknown"}</td>
        <td>
          <time datetime=${lastSeen} title=${formatDateTime(lastSeen)}>${formatRelative(lastSeen, now)}</time>
        </td>
        <td class="action">
          <button
            class="secondary small"
            ?disabled=${this.busy !== ""}
            aria-busy=${this.busy === session.id ? "true" : "false"}
            aria-label=${session.current ? "Sign out this device" : `Sign out ${device}, ${session.ip ?? "unknown address"}`}
            @click=${() => void this.revoke(session)}
          >
            ${this.busy === session.id ? "Signing out…" : "Sign out"}
          </button>
        </td>
      </tr>
    `;
  }

  override render(): TemplateResult {
    const now = new Date();
    const others = this.sessions.filter((session) => !session.current).length;
    return html`
      <section class="card" aria-labelledby="sessions-title" aria-busy=${this.loading ? "true" : "false"}>
        <h2 id="sessions-title" tabindex="-1">Where you are signed in</h2>
        ${
          this.loading && this.sessions.length === 0
            ? html`<p class="muted">Loading…</p>`
            : html`
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Device</th>
                        <th scope="col">IP address</th>
                        <th scope="col">Last active</th>
                        <th scope="col"><span class="visually-hidden">Actions</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${this.sessions.map((session) => this.row(session, now))}
                    </tbody>
                  </table>
                </div>
                <div class="actions">
                  <button
                    class="secondary"
                    ?disabled=${this.busy !== "" || others === 0}
                    aria-busy=${this.busy === "others" ? "true" : "false"}
                    @click=${this.onRevokeOthers}
                  >
                    ${this.busy === "others" ? "Signing out…" : "Sign out everywhere else"}
                  </button>
                </div>
              `
        }
        ${outcome(this.error, this.notice)}
      </section>
    `;
  }
}

customElements.define("sessions-list", SessionsList);

declare global {
  interface HTMLElementTagNameMap {
    "sessions-list": SessionsList;
  }
}
