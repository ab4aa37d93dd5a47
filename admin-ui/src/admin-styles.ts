// Styles admin-ui's pages share on top of @clawden/kit/ui's sharedStyles. pageStyles, which every page
// has (<system-page> just these): the title row and the space under messages. adminStyles, for the
// pages with forms and data tables: the kit's sharedFormStyles (which user-ui shares) and pageStyles,
// then this app's data tables in cards, state badges, its sizes of form fields (labels above inputs,
// fieldsets of radios) and solid danger buttons.
import { sharedFormStyles } from "@clawden/kit/ui";
import { css } from "lit";

/** The page's title row (`.top`: the <h1>, and across from it the page's actions) and messages under it. */
export const pageStyles = css`
  .top {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem 1rem;
    margin-bottom: 1rem;
  }
  .top h1 {
    margin: 0;
  }
  .top .actions {
    margin: 0;
  }
  .error,
  .notice {
    margin-bottom: 1rem;
  }
`;

export const adminStyles = [
  sharedFormStyles,
  pageStyles,
  css`
    .table-card {
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: var(--radius);
      overflow-x: auto;
    }
    th,
    td {
      padding: 0.6rem 1rem;
    }
    thead th {
      white-space: nowrap;
    }
    td.empty {
      color: var(--muted);
      text-align: center;
      padding: 1.5rem 1rem;
    }
    /* Under a table: what it shows (a status line), and buttons for other pages or older rows. */
    .pager {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.75rem;
      margin-top: 1rem;
    }
    .pager p,
    .pager .actions {
      margin: 0;
    }
    .nowrap {
      white-space: nowrap;
    }
    .badge {
      font-size: 0.8125rem;
      border: 1px solid currentColor;
    }
    .badge.active,
    .badge.success,
    .badge.on {
      color: var(--ok);
      background: var(--ok-bg);
    }
    .badge.suspended,
    .badge.failure,
    .badge.denied {
      color: var(--danger);
      background: var(--danger-bg);
    }
    .badge.pending,
    .badge.off,
    .badge.admin,
    .badge.user {
      color: var(--muted);
      background: var(--bg);
    }
    .badge.admin {
      color: var(--accent);
    }
    .field {
      gap: 0.25rem;
    }
    label,
    legend {
      font-size: 0.9375rem;
    }
    input:not([type="radio"]):not([type="checkbox"]),
    select,
    textarea {
      padding: 0.4rem 0.6rem;
    }
    textarea {
      font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
      font-size: 0.9rem;
    }
    fieldset {
      padding: 0.75rem 1rem 1rem;
    }
    .choice input {
      margin: 0;
    }
    button.danger {
      background: var(--danger);
      border-color: var(--danger);
    }
    button.danger:hover:not(:disabled) {
      background: var(--danger);
      filter: brightness(0.9);
    }
  `,
];
