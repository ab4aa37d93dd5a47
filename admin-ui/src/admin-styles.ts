// Styles admin-ui's pages share on top of @clawden/kit/ui's sharedStyles: data tables in cards, state
// badges, the page's title row, and form fields (labels above inputs, fieldsets of radios).
import { css } from "lit";

export const adminStyles = css`
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
  .table-card {
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
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
    vertical-align: top;
    padding: 0.6rem 1rem;
    border-top: 1px solid var(--border);
  }
  thead th {
    font-size: 0.875rem;
    color: var(--muted);
    font-weight: 600;
    white-space: nowrap;
  }
  tbody th {
    font-weight: 600;
  }
  td.empty {
    color: var(--muted);
    text-align: center;
    padding: 1.5rem 1rem;
  }
  .nowrap {
    white-space: nowrap;
  }
  .num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .badge {
    display: inline-block;
    font-size: 0.8125rem;
    font-weight: 600;
    padding: 0.05rem 0.55rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    white-space: nowrap;
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
  .error,
  .notice {
    margin-bottom: 1rem;
  }
  .notice {
    color: var(--ok);
    background: var(--ok-bg);
    border: 1px solid currentColor;
    border-radius: var(--radius);
    padding: 0.75rem 1rem;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  label,
  legend {
    font-weight: 600;
    font-size: 0.9375rem;
  }
  .hint {
    font-size: 0.875rem;
    color: var(--muted);
    font-weight: normal;
  }
  input:not([type="radio"]):not([type="checkbox"]),
  select,
  textarea {
    font: inherit;
    color: var(--fg);
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    padding: 0.4rem 0.6rem;
  }
  textarea {
    font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
    font-size: 0.9rem;
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  summary:focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 1px;
  }
  fieldset {
    border: 1px solid var(--border);
    border-radius: var(--radius);
    padding: 0.75rem 1rem 1rem;
    margin: 0 0 1rem;
  }
  .choice {
    display: flex;
    gap: 0.5rem;
    align-items: baseline;
    font-weight: normal;
    margin-top: 0.35rem;
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
  button.small {
    padding: 0.25rem 0.7rem;
    font-size: 0.875rem;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
`;
