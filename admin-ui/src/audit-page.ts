// <audit-page>: "/admin/audit": the audit log, newest first, filtered by actor (a user id or an email),
// action and time span; "Load older" pages back with the server's `nextBefore`. The Export links
// download the events matching the applied filters (JSON Lines or CSV) straight from the server.
import { errorMessage, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { adminStyles } from "./admin-styles.js";
import { auditExportUrl, listAuditActions, listAuditEvents, type AuditEvent } from "./api.js";
import {
  auditFilterFromForm,
  EMPTY_AUDIT_FORM,
  actionSuggestions,
  type AuditFilter,
  type AuditFilterForm,
} from "./audit-query.js";
import { dash, orDash, timeText } from "./format.js";
import { dataTable, errorAlert } from "./templates.js";

const PAGE_SIZE = 50;

export class AuditPage extends LitElement {
  static override properties = {
    form: { state: true },
    applied: { state: true },
    events: { state: true },
    nextBefore: { state: true },
    loading: { state: true },
    loadingOlder: { state: true },
    loaded: { state: true },
    error: { state: true },
    actions: { state: true },
  };
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      form.filters {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.75rem 1rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      .filters .actions {
        margin: 0;
      }
      .exports {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
      a.button {
        display: inline-block;
        font-weight: 600;
        padding: 0.3rem 0.8rem;
        border: 1px solid var(--accent);
        border-radius: var(--radius);
        text-decoration: none;
        background: var(--surface);
      }
      a.button:hover {
        background: var(--bg);
      }
      td,
      th {
        font-size: 0.9375rem;
      }
      td.action code {
        white-space: nowrap;
      }
      details[open] {
        min-width: 16rem;
      }
      details pre {
        margin: 0.5rem 0 0;
        max-width: 28rem;
        overflow-x: auto;
        font-size: 0.8125rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      summary {
        cursor: pointer;
        color: var(--accent);
      }
    `,
  ];

  /** What the filter form holds. */
  declare form: AuditFilterForm;
  /** The filters of the events shown (and of the Export links). */
  declare applied: AuditFilter;
  declare events: AuditEvent[];
  declare nextBefore: number | string | null;
  declare loading: boolean;
  declare loadingOlder: boolean;
  declare loaded: boolean;
  declare error: string;
  /** The actions the log records, as filter suggestions (empty until loaded, or if that fails). */
  declare actions: string[];
  private requestSeq = 0;

  constructor() {
    super();
    this.form = { ...EMPTY_AUDIT_FORM };
    this.applied = {};
    this.events = [];
    this.nextBefore = null;
    this.loading = false;
    this.loadingOlder = false;
    this.loaded = false;
    this.error = "";
    this.actions = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.search({});
    // Suggestions only: without them the filter still takes any action typed.
    listAuditActions().then(
      (actions) => (this.actions = actionSuggestions(actions)),
      () => undefined,
    );
  }

  private async search(filter: AuditFilter): Promise<void> {
    const seq = ++this.requestSeq;
    this.loading = true;
    this.error = "";
    try {
      const page = await listAuditEvents(filter, null, PAGE_SIZE);
      if (seq !== this.requestSeq) return;
      this.applied = filter;
      this.events = page.events;
      this.nextBefore = page.nextBefore;
      this.loaded = true;
    } catch (error) {
      if (seq !== this.requestSeq) return;
      this.error = errorMessage(error, "Loading the audit log failed.");
    } finally {
      if (seq === this.requestSeq) this.loading = false;
    }
  }

  private async loadOlder(): Promise<void> {
    if (this.nextBefore === null) return;
    const seq = this.requestSeq;
    this.loadingOlder = true;
    this.error = "";
    try {
      const page = await listAuditEvents(this.applied, this.nextBefore, PAGE_SIZE);
      if (seq !== this.requestSeq) return;
      const seen = new Set(this.events.map((event) => String(event.seq)));
      this.events = [...this.events, ...page.events.filter((event) => !seen.has(String(event.seq)))];
      this.nextBefore = page.nextBefore;
    } catch (error) {
      if (seq !== this.requestSeq) return;
      this.error = errorMessage(error, "Loading older events failed.");
    } finally {
      this.loadingOlder = false;
    }
  }

  private readonly onInput = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const key = input.name as keyof AuditFilterForm;
    this.form = { ...this.form, [key]: input.value };
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const result = auditFilterFromForm(this.form);
    if (!result.ok) {
      this.error = result.message;
      return;
    }
    void this.search(result.filter);
  };

  private readonly onClear = (): void => {
    this.form = { ...EMPTY_AUDIT_FORM };
    void this.search({});
  };

  private readonly onOlder = (): void => {
    void this.loadOlder();
  };

  private filters(): TemplateResult {
    const busy = this.loading;
    return html`
      <form class="filters" role="search" aria-label="Filter the audit log" @submit=${this.onSubmit}>
        <div class="field">
          <label for="actor">Actor</label>
          <span class="hint" id="actor-hint">Who did it: an email or a user id</span>
          <input
            aria-describedby="actor-hint"
            id="actor"
            name="actor"
            autocomplete="off"
            spellcheck="false"
            placeholder="Email or user id"
            .value=${this.form.actor}
            @input=${this.onInput}
          />
        </div>
        <div class="field">
          <label for="action">Action</label>
          <span class="hint" id="action-hint"
            >Exact (<code>user.suspended</code>) or a family (<code>user.*</code>)</span
          >
          <input
            id="action"
            name="action"
            list="known-actions"
            autocomplete="off"
            spellcheck="false"
            placeholder="Any action"
            aria-describedby="action-hint"
            .value=${this.form.action}
            @input=${this.onInput}
          />
          <datalist id="known-actions">
            ${this.actions.map((action) => html`<option value=${action}></option>`)}
          </datalist>
        </div>
        <div class="field">
          <label for="from">From</label>
          <span class="hint" id="from-hint">At or after, your local time</span>
          <input
            aria-describedby="from-hint"
            id="from"
            name="from"
            type="datetime-local"
            .value=${this.form.from}
            @input=${this.onInput}
          />
        </div>
        <div class="field">
          <label for="to">To</label>
          <span class="hint" id="to-hint">Before, your local time</span>
          <input
            aria-describedby="to-hint"
            id="to"
            name="to"
            type="datetime-local"
            .value=${this.form.to}
            @input=${this.onInput}
          />
        </div>
        <div class="actions">
          <button type="submit" ?disabled=${busy}>${busy ? "Searching…" : "Apply filters"}</button>
          <button type="button" class="secondary" ?disabled=${busy} @click=${this.onClear}>Clear</button>
        </div>
      </form>
    `;
  }

  private target(event: AuditEvent): TemplateResult {
    if (!event.targetType && !event.targetId) return dash("none");
    if (event.targetType === "user" && event.targetId) {
      return html`user <a href="/admin/users/${encodeURIComponent(event.targetId)}">${event.targetId}</a>`;
    }
    return html`${event.targetType ?? ""}${event.targetType && event.targetId ? " " : ""}${event.targetId ?? ""}`;
  }

  private actor(event: AuditEvent): TemplateResult {
    const label = event.actorEmail ?? event.actorId;
    if (!label) return html`<span class="muted">system</span>`;
    if (event.actorId) return html`<a href="/admin/users/${encodeURIComponent(event.actorId)}">${label}</a>`;
    return html`${label}`;
  }

  private details(event: AuditEvent): TemplateResult {
    const details = event.details ?? {};
    if (Object.keys(details).length === 0) return dash("none");
    return html`<details>
      <summary>Show<span class="visually-hidden"> details of event ${String(event.seq)}</span></summary>
      <pre>${JSON.stringify(details, null, 2)}</pre>
    </details>`;
  }

  private row(event: AuditEvent): TemplateResult {
    return html`
      <tr data-seq=${String(event.seq)}>
        <td class="nowrap">${timeText(event.at, "not known", true)}</td>
        <td>${this.actor(event)}</td>
        <td class="action"><code>${event.action}</code></td>
        <td><span class="badge ${event.outcome}">${event.outcome}</span></td>
        <td>${this.target(event)}</td>
        <td class="nowrap">${orDash(event.ip, "not known")}</td>
        <td>${this.details(event)}</td>
      </tr>
    `;
  }

  private status(): string {
    if (this.loading) return "Loading events…";
    if (!this.loaded) return "";
    if (this.events.length === 0) return "No events match these filters.";
    const more = this.nextBefore !== null ? " (older events can be loaded)" : "";
    return `${this.events.length} ${this.events.length === 1 ? "event" : "events"} shown${more}`;
  }

  override render(): TemplateResult {
    return html`
      <div class="top">
        <h1>Audit log</h1>
        <div class="exports" role="group" aria-label="Export the matching events">
          <span class="muted">Export:</span>
          <a class="button" href=${auditExportUrl("jsonl", this.applied)} download>JSON Lines</a>
          <a class="button" href=${auditExportUrl("csv", this.applied)} download>CSV</a>
        </div>
      </div>
      ${this.filters()} ${errorAlert(this.error)}
      ${dataTable({
        caption: "Audit events, newest first",
        columns: ["Time", "Actor", "Action", "Outcome", "Target", "IP address", "Details"],
        rows: this.events.map((event) => this.row(event)),
        empty: this.loaded ? "No events match these filters." : "Loading…",
        busy: this.loading,
      })}
      <div class="pager">
        <p role="status" aria-live="polite">${this.status()}</p>
        ${
          this.nextBefore !== null
            ? html`<button
                class="secondary"
                ?disabled=${this.loading || this.loadingOlder}
                @click=${this.onOlder}
              >
                ${this.loadingOlder ? "Loading…" : "Load older"}
              </button>`
            : nothing
        }
      </div>
    `;
  }
}

customElements.define("audit-page", AuditPage);

declare global {
  interface HTMLElementTagNameMap {
    "audit-page": AuditPage;
  }
}
