// <admin-header>: the admin console's top bar: its name, its pages (System, Users, Audit log, Sign-up &
// SSO), the admin's email and Sign out.
import { frameStyles, sharedStyles, SignOutController } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import type { User } from "./api.js";

const PAGES = [
  { path: "/", href: "/admin/", label: "System" },
  { path: "/users", href: "/admin/users", label: "Users" },
  { path: "/audit", href: "/admin/audit", label: "Audit log" },
  { path: "/settings", href: "/admin/settings", label: "Sign-up & SSO" },
];

/** aria-current of `page`'s link at `path` (within the app): "/users/x" is part of Users. */
function current(page: string, path: string): "page" | "true" | "false" {
  if (page === path) return "page";
  return page !== "/" && path.startsWith(`${page}/`) ? "true" : "false";
}

export class AdminHeader extends LitElement {
  static override properties = { user: { attribute: false }, path: { attribute: false } };
  static override styles = [
    sharedStyles,
    frameStyles,
    css`
      /* The bar is as wide as admin-app's --page-width. */
      .bar {
        padding: 0.6rem 1.25rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1.5rem;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        text-decoration: none;
        padding: 0.25rem 0;
      }
      nav li + li {
        margin-top: 0;
      }
      nav a[aria-current="page"],
      nav a[aria-current="true"] {
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
        max-width: var(--page-width);
        margin: 0.75rem auto 0;
      }
    `,
  ];

  declare user: User | null;
  declare path: string;
  private readonly signOut = new SignOutController(this, () => location.assign("/"));

  constructor() {
    super();
    this.user = null;
    this.path = "/";
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
                    <a href=${page.href} aria-current=${current(page.path, this.path)}>${page.label}</a>
                  </li>`,
              )}
            </ul>
          </nav>
          <div class="account">
            <span data-testid="admin-email">${this.user?.email ?? ""}</span>
            ${this.signOut.button()}
          </div>
        </div>
      </header>
      ${this.signOut.error ? html`<p class="error" role="alert">${this.signOut.error}</p>` : nothing}
    `;
  }
}

customElements.define("admin-header", AdminHeader);

declare global {
  interface HTMLElementTagNameMap {
    "admin-header": AdminHeader;
  }
}
