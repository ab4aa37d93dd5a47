// <admin-app>: the shell of admin-ui. Finds out who is signed in: nobody → off to sign in; a
// non-admin → says so; an admin → the header and the page for the route: "/" System, "/users" (its
// filters in the query), "/users/{id}", "/audit", "/settings" (<not-found-page>, from @clawden/kit/ui,
// for any other path under /admin/).
import { errorMessage, frameStyles, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, type PropertyValues, type TemplateResult } from "lit";
import { getMe, type User } from "./api.js";
import { currentPath, onRouteChange } from "./router.js";
import { routeFor, type Route } from "./routes.js";
import "./admin-header.js";
import "./audit-page.js";
import "./not-admin-page.js";
import "./settings-page.js";
import "./system-page.js";
import "./user-detail-page.js";
import "./users-page.js";

/** Where anonymous visitors are sent: user-ui's sign-in page, which brings them back here. */
const SIGN_IN = "/login?next=/admin/";

type Access =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "not-admin"; user: User }
  | { status: "admin"; user: User };

const TITLES: Record<Route["page"], string> = {
  system: "System · Clawden admin",
  users: "Users · Clawden admin",
  user: "User · Clawden admin",
  audit: "Audit log · Clawden admin",
  settings: "Sign-up & SSO · Clawden admin",
  "not-found": "Not found · Clawden admin",
};

export class AdminApp extends LitElement {
  static override properties = { path: { state: true }, search: { state: true }, access: { state: true } };
  static override styles = [
    sharedStyles,
    frameStyles,
    css`
      /* Also the width of <admin-header>, which inherits it. */
      :host {
        --page-width: 72rem;
      }
    `,
  ];

  declare path: string;
  /** The query string ("?…"): the users list keeps its filters there. */
  declare search: string;
  declare access: Access;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.path = currentPath();
    this.search = location.search;
    this.access = { status: "loading" };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onRouteChange(() => {
      this.path = currentPath();
      this.search = location.search;
    });
    void this.loadAccess();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async loadAccess(): Promise<void> {
    try {
      const user = await getMe();
      if (!user) {
        location.assign(SIGN_IN);
        return;
      }
      this.access = { status: user.role === "admin" ? "admin" : "not-admin", user };
    } catch (error) {
      this.access = { status: "error", message: errorMessage(error, "Something went wrong.") };
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has("path")) return;
    document.title = TITLES[routeFor(this.path).page];
    if (changed.get("path") !== undefined) this.renderRoot.querySelector("main")?.focus();
  }

  private page(): TemplateResult {
    const route = routeFor(this.path);
    switch (route.page) {
      case "system":
        return html`<system-page></system-page>`;
      case "users":
        return html`<users-page .search=${this.search}></users-page>`;
      case "user":
        return html`<user-detail-page .userId=${route.id}></user-detail-page>`;
      case "audit":
        return html`<audit-page></audit-page>`;
      case "settings":
        return html`<settings-page></settings-page>`;
      case "not-found":
        return html`<not-found-page home="/admin/" home-label="Go to the admin console"></not-found-page>`;
    }
  }

  /** The top bar for whoever is not (yet) known to be an admin: just the name. */
  private brandBar(): TemplateResult {
    return html`<header><div class="bar brand">Clawden admin</div></header>`;
  }

  override render(): TemplateResult {
    switch (this.access.status) {
      case "loading":
        return html`${this.brandBar()}
          <main><p class="muted" aria-busy="true">Loading…</p></main>`;
      case "error":
        return html`
          ${this.brandBar()}
          <main>
            <div class="card">
              <h1>Clawden admin</h1>
              <p class="error" role="alert">${this.access.message}</p>
              <a href="/admin/">Try again</a>
            </div>
          </main>
        `;
      case "not-admin":
        return html`${this.brandBar()}
          <main><not-admin-page .user=${this.access.user}></not-admin-page></main>`;
      case "admin":
        return html`
          <admin-header .user=${this.access.user} .path=${this.path}></admin-header>
          <main tabindex="-1">${this.page()}</main>
        `;
    }
  }
}

customElements.define("admin-app", AdminApp);

declare global {
  interface HTMLElementTagNameMap {
    "admin-app": AdminApp;
  }
}
