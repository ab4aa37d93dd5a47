// <admin-header>: the admin console's top bar: its name, its pages, the admin's email and Sign out.
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { ApiError, logout, type User } from "./api.js";
import { sharedStyles } from "./shared-styles.js";

const PAGES = [{ path: "/", href: "/admin/", label: "System" }];

export class AdminHeader extends LitElement {
  static override properties = {
    user: { attribute: false },
    path: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      header {
        background: var(--surface);
        border-bottom: 1px solid var(--border);
      }
      .bar {
        max-width: 60rem;
        margin: 0 auto;
        padding: 0.6rem 1.25rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1.5rem;
      }
      .brand {
        font-weight: 700;
        font-size: 1.125rem;
        color: var(--fg);
        text-decoration: none;
      }
      nav ul {
        display: flex;
        gap: 1rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        text-decoration: none;
        padding: 0.25rem 0;
      }
      nav a[aria-current="page"] {
        color: var(--fg);
        font-weight: 600;
        border-bottom: 2px solid var(--accent);
      }
      .account {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: 0.75rem;
      }
      button {
        padding: 0.3rem 0.8rem;
      }
      .error {
        max-width: 60rem;
        margin: 0.75rem auto 0;
      }
    `,
  ];

  declare user: User | null;
  declare path: string;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.user = null;
    this.path = "/";
    this.busy = false;
    this.error = "";
  }

  private readonly onSignOut = (): void => {
    void this.signOut();
  };

  private async signOut(): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      await logout();
      location.assign("/");
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : "Signing out failed.";
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    return html`
      <header>
        <div class="bar">
          <a class="brand" href="/admin/">Clawden admin</a>
          <nav aria-label="Admin pages">
            <ul>
              ${PAGES.map(
                (page) =>
                  html`<li>
                    <a href=${page.href} aria-current=${page.path === this.path ? "page" : "false"}
                      >${page.label}</a
                    >
                  </li>`,
              )}
            </ul>
          </nav>
          <div class="account">
            <span data-testid="admin-email">${this.user?.email ?? ""}</span>
            <button class="secondary" ?disabled=${this.busy} @click=${this.onSignOut}>
              ${this.busy ? "Signing out…" : "Sign out"}
            </button>
          </div>
        </div>
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }
}

customElements.define("admin-header", AdminHeader);

declare global {
  interface HTMLElementTagNameMap {
    "admin-header": AdminHeader;
  }
}
