// <users-page .search=${location.search}>: "/admin/users": every account, searchable by email and
// filtered by state and role, a page at a time. The filters live in the address bar
// (`?q=&state=&role=&page=&pageSize=`, see users-query.ts), so back and forward walk through them and a
// filtered list can be bookmarked; the page loads whatever the address says.
import { errorMessage, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, type PropertyValues, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { adminStyles } from "./admin-styles.js";
import { listUsers, type AdminUserSummary, type UserPage } from "./api.js";
import { stateLabel, timeText } from "./format.js";
import { navigate } from "./router.js";
import { dataTable, errorAlert } from "./templates.js";
import {
  DEFAULT_PAGE_SIZE,
  DEFAULT_USERS_QUERY,
  PAGE_SIZES,
  pageCount,
  parseUsersQuery,
  ROLES,
  showingText,
  USER_STATES,
  usersQueryString,
  withFilters,
  type UsersQuery,
} from "./users-query.js";

/** How long typing pauses before the list is searched. */
const SEARCH_DELAY_MS = 300;

const ROLE_LABELS: Record<string, string> = { user: "User", admin: "Admin" };

export class UsersPage extends LitElement {
  static override properties = {
    search: {},
    query: { state: true },
    searchText: { state: true },
    result: { state: true },
    loading: { state: true },
    error: { state: true },
  };
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      form.filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem 1rem;
        align-items: flex-end;
        margin-bottom: 1rem;
      }
      .filters .search {
        flex: 1 1 16rem;
      }
      td a {
        word-break: break-all;
      }
    `,
  ];

  /** The address bar's query string ("?q=…"), from admin-app. */
  declare search: string;
  declare query: UsersQuery;
  /** What the search box holds (ahead of the address bar while typing). */
  declare searchText: string;
  declare result: UserPage | null;
  declare loading: boolean;
  declare error: string;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private requestSeq = 0;

  constructor() {
    super();
    this.search = "";
    this.query = DEFAULT_USERS_QUERY;
    this.searchText = "";
    this.result = null;
    this.loading = false;
    this.error = "";
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has("search")) return;
    const query = parseUsersQuery(new URLSearchParams(this.search));
    this.query = query;
    // Back/forward or a link changed the search: the box follows, unless typing is still pending.
    if (this.searchTimer === undefined && query.q !== this.searchText.trim()) this.searchText = query.q;
    void this.load(query);
  }

  private async load(query: UsersQuery): Promise<void> {
    const seq = ++this.requestSeq;
    this.loading = true;
    this.error = "";
    try {
      const result = await listUsers(query);
      if (seq !== this.requestSeq) return;
      this.result = result;
      // Past the last page (users went away, or an old bookmark): show the last page instead.
      const last = pageCount(result.total, query.pageSize);
      if (query.page > last && result.total > 0) this.go({ ...query, page: last }, true);
    } catch (error) {
      if (seq !== this.requestSeq) return;
      this.error = errorMessage(error, "Loading the users failed.");
    } finally {
      if (seq === this.requestSeq) this.loading = false;
    }
  }

  private go(query: UsersQuery, replace = false): void {
    navigate(`/admin/users${usersQueryString(query)}`, { replace });
  }

  private applySearch(): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = undefined;
    const q = this.searchText.trim();
    if (q !== this.query.q) this.go(withFilters(this.query, { q }));
  }

  private readonly onSearchInput = (event: InputEvent): void => {
    this.searchText = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.applySearch(), SEARCH_DELAY_MS);
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.applySearch();
  };

  private readonly onState = (event: Event): void => {
    const value = (event.target as HTMLSelectElement).value;
    this.go(withFilters(this.query, { state: USER_STATES.find((s) => s === value) ?? "" }));
  };

  private readonly onRole = (event: Event): void => {
    const value = (event.target as HTMLSelectElement).value;
    this.go(withFilters(this.query, { role: ROLES.find((r) => r === value) ?? "" }));
  };

  private readonly onPageSize = (event: Event): void => {
    const value = Number((event.target as HTMLSelectElement).value);
    this.go(withFilters(this.query, { pageSize: PAGE_SIZES.find((s) => s === value) ?? DEFAULT_PAGE_SIZE }));
  };

  private readonly onPrevious = (): void => {
    this.go({ ...this.query, page: Math.max(1, this.query.page - 1) });
  };

  private readonly onNext = (): void => {
    this.go({ ...this.query, page: this.query.page + 1 });
  };

  private filters(): TemplateResult {
    const { query } = this;
    return html`
      <form class="filters" role="search" aria-label="Find users" @submit=${this.onSubmit}>
        <div class="field search">
          <label for="q">Search by email</label>
          <input
            id="q"
            type="search"
            name="q"
            autocomplete="off"
            spellcheck="false"
            placeholder="name@example.com"
            .value=${live(this.searchText)}
            @input=${this.onSearchInput}
          />
        </div>
        <div class="field">
          <label for="state">State</label>
          <select id="state" @change=${this.onState}>
            <option value="" ?selected=${query.state === ""}>All states</option>
            ${USER_STATES.map(
              (state) =>
                html`<option value=${state} ?selected=${query.state === state}>${stateLabel(state)}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="role">Role</label>
          <select id="role" @change=${this.onRole}>
            <option value="" ?selected=${query.role === ""}>All roles</option>
            ${ROLES.map(
              (role) =>
                html`<option value=${role} ?selected=${query.role === role}>${ROLE_LABELS[role]}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="page-size">Per page</label>
          <select id="page-size" @change=${this.onPageSize}>
            ${PAGE_SIZES.map(
              (size) => html`<option value=${size} ?selected=${query.pageSize === size}>${size}</option>`,
            )}
          </select>
        </div>
      </form>
    `;
  }

  private row(user: AdminUserSummary): TemplateResult {
    return html`
      <tr>
        <th scope="row"><a href="/admin/users/${encodeURIComponent(user.id)}">${user.email}</a></th>
        <td><span class="badge ${user.role}">${ROLE_LABELS[user.role] ?? user.role}</span></td>
        <td><span class="badge ${user.state}">${stateLabel(user.state)}</span></td>
        <td>
          ${user.mfaEnabled ? html`<span class="badge on">On</span>` : html`<span class="muted">Off</span>`}
        </td>
        <td class="nowrap">${timeText(user.lastSeenAt, "never")}</td>
        <td class="nowrap">${timeText(user.createdAt, "not known")}</td>
      </tr>
    `;
  }

  private table(): TemplateResult {
    return dataTable({
      caption: "Users",
      columns: ["Email", "Role", "State", "MFA", "Last seen", "Created"],
      rows: (this.result?.users ?? []).map((user) => this.row(user)),
      empty: this.result ? "No users match these filters." : "Loading…",
      busy: this.loading,
      describedBy: "showing",
    });
  }

  private pager(): TemplateResult {
    const result = this.result;
    const page = result?.page ?? this.query.page;
    const pageSize = result?.pageSize ?? this.query.pageSize;
    const total = result?.total ?? 0;
    const last = pageCount(total, pageSize);
    const status = this.loading
      ? "Loading users…"
      : result
        ? showingText(page, pageSize, total, result.users.length)
        : "";
    return html`
      <nav class="pager" aria-label="Pages of users">
        <p id="showing" role="status" aria-live="polite">${status}</p>
        <div class="actions">
          <span class="muted">Page ${page} of ${last}</span>
          <button class="secondary" ?disabled=${this.loading || page <= 1} @click=${this.onPrevious}>
            Previous
          </button>
          <button class="secondary" ?disabled=${this.loading || page >= last} @click=${this.onNext}>
            Next
          </button>
        </div>
      </nav>
    `;
  }

  override render(): TemplateResult {
    return html`
      <div class="top"><h1>Users</h1></div>
      ${this.filters()} ${errorAlert(this.error)} ${this.table()} ${this.pager()}
    `;
  }
}

customElements.define("users-page", UsersPage);

declare global {
  interface HTMLElementTagNameMap {
    "users-page": UsersPage;
  }
}
