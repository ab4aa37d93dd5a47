// Markup admin-ui's pages share (styled by adminStyles): a data table in a card, and the messages that
// say how an action went.
import { html, nothing, type TemplateResult } from "lit";

export interface DataTable {
  /** What the table holds, for screen readers. */
  caption: string;
  /** The column headings. */
  columns: readonly (string | TemplateResult)[];
  rows: readonly TemplateResult[];
  /** Said across the table while there are no rows ("Loading…", "No users match these filters."). */
  empty: string;
  /** aria-busy, for a table that reloads in place. */
  busy?: boolean;
  /** The id of the element that describes the table (aria-describedby). */
  describedBy?: string;
}

/** A table in a card: a hidden caption, a heading row, then the rows or one cell saying why there are none. */
export function dataTable(table: DataTable): TemplateResult {
  return html`
    <div class="table-card">
      <table
        aria-busy=${table.busy === undefined ? nothing : String(table.busy)}
        aria-describedby=${table.describedBy ?? nothing}
      >
        <caption class="visually-hidden">
          ${table.caption}
        </caption>
        <thead>
          <tr>
            ${table.columns.map((column) => html`<th scope="col">${column}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${
            table.rows.length > 0
              ? table.rows
              : html`<tr>
                  <td class="empty" colspan=${table.columns.length}>${table.empty}</td>
                </tr>`
          }
        </tbody>
      </table>
    </div>
  `;
}

/** An error, read out at once (role="alert"); nothing when there is none. */
export function errorAlert(message: string): TemplateResult | typeof nothing {
  return message ? html`<p class="error" role="alert">${message}</p>` : nothing;
}

/** What an action did, in a polite live region that is always there so screen readers hear it appear. */
export function noticeStatus(message: string): TemplateResult {
  return html`<div aria-live="polite">
    ${message ? html`<p class="notice" role="status">${message}</p>` : nothing}
  </div>`;
}
