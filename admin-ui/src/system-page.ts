// <system-page>: "/admin/": whether every server of the platform is ready, as management-server sees
// it, with a Refresh button and the time of the last check.
import { errorMessage, sharedStyles } from "@clawden/kit/ui";
import { css, html, LitElement, type TemplateResult } from "lit";
import { pageStyles } from "./admin-styles.js";
import { getSystem, type ServiceStatus } from "./api.js";
import { errorAlert } from "./templates.js";

export class SystemPage extends LitElement {
  static override properties = {
    services: { state: true },
    checkedAt: { state: true },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = [
    sharedStyles,
    pageStyles,
    css`
      .checked {
        margin: 0;
      }
      .card {
        padding: 0;
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      caption {
        text-align: left;
        padding: 1rem 1.25rem 0.5rem;
        color: var(--muted);
      }
      th,
      td {
        text-align: left;
        padding: 0.65rem 1.25rem;
        border-top: 1px solid var(--border);
      }
      thead th {
        font-size: 0.875rem;
        color: var(--muted);
        font-weight: 600;
      }
      tbody th {
        font-weight: 600;
      }
      .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .badge {
        display: inline-block;
        font-size: 0.875rem;
        font-weight: 600;
        padding: 0.1rem 0.6rem;
        border-radius: 999px;
      }
      .ready {
        color: var(--ok);
        background: var(--ok-bg);
      }
      .not-ready {
        color: var(--danger);
        background: var(--danger-bg);
      }
    `,
  ];

  declare services: ServiceStatus[];
  declare checkedAt: Date | null;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.services = [];
    this.checkedAt = null;
    this.busy = false;
    this.error = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  private readonly onRefresh = (): void => {
    void this.refresh();
  };

  private async refresh(): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      this.services = await getSystem();
      this.checkedAt = new Date();
    } catch (error) {
      this.error = errorMessage(error, "Checking the servers failed.");
    } finally {
      this.busy = false;
    }
  }

  private row(service: ServiceStatus): TemplateResult {
    return html`
      <tr>
        <th scope="row">${service.name}</th>
        <td>
          <span class="badge ${service.ready ? "ready" : "not-ready"}"
            >${service.ready ? "Ready" : "Not ready"}</span
          >
        </td>
        <td>${service.detail}</td>
        <td class="num">${service.latencyMs} ms</td>
      </tr>
    `;
  }

  override render(): TemplateResult {
    const checked = this.checkedAt;
    return html`
      <div class="top">
        <h1>System</h1>
        <div class="actions">
          <p class="checked muted" role="status">
            ${
              checked
                ? html`Last checked at
                    <time datetime=${checked.toISOString()}>${checked.toLocaleTimeString()}</time>`
                : "Checking…"
            }
          </p>
          <button ?disabled=${this.busy} aria-busy=${this.busy} @click=${this.onRefresh}>
            ${this.busy ? "Refreshing…" : "Refresh"}
          </button>
        </div>
      </div>
      ${errorAlert(this.error)}
      <div class="card">
        <table>
          <caption>
            Readiness of every Clawden server, as management-server sees it
          </caption>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Status</th>
              <th scope="col">Detail</th>
              <th scope="col" class="num">Latency</th>
            </tr>
          </thead>
          <tbody>
            ${this.services.map((service) => this.row(service))}
          </tbody>
        </table>
      </div>
    `;
  }
}

customElements.define("system-page", SystemPage);

declare global {
  interface HTMLElementTagNameMap {
    "system-page": SystemPage;
  }
}
