// Styles of user-ui's forms, tables and notices, adopted after the kit's sharedStyles (shadow roots do
// not see the page's stylesheet): the kit's sharedFormStyles, which admin-ui shares, this app's sizes
// and outlined danger buttons on top, and the kit's code field. Colours come from the custom
// properties of the kit's styles.css.
import { codeFieldStyles, sharedFormStyles } from "@clawden/kit/ui";
import { css } from "lit";

export const formStyles = [
  sharedFormStyles,
  css`
    form {
      margin: 0;
    }
    .field {
      gap: 0.35rem;
      margin-bottom: 1rem;
    }
    input[type="email"],
    input[type="text"],
    select {
      padding: 0.5rem 0.65rem;
      max-width: 100%;
    }
    input[aria-invalid="true"] {
      border-color: var(--danger);
    }
    fieldset {
      padding: 0.5rem 1rem 0.75rem;
    }
    legend {
      padding: 0 0.25rem;
    }
    button.danger {
      background: var(--surface);
      border-color: var(--danger);
      color: var(--danger);
    }
    button.danger:hover:not(:disabled) {
      background: var(--danger-bg);
    }
    .warning {
      border-left: 4px solid var(--focus);
      background: var(--bg);
      padding: 0.75rem 1rem;
      border-radius: var(--radius);
    }
    .secret {
      font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
      word-break: break-all;
      user-select: all;
      background: var(--bg);
      border: 1px solid var(--border);
      border-radius: var(--radius);
      padding: 0.5rem 0.75rem;
      display: block;
    }
    .table-wrap {
      overflow-x: auto;
      margin: 0 -0.25rem 1rem;
    }
    th,
    td {
      padding: 0.55rem 0.5rem;
    }
    thead th {
      border-top: none;
    }
    .badge {
      font-size: 0.8rem;
      color: var(--ok);
      background: var(--ok-bg);
    }
    .badge.off {
      color: var(--muted);
      background: var(--bg);
    }
    h1:focus,
    h2:focus,
    h3:focus,
    p:focus {
      outline: none;
    }
  `,
  codeFieldStyles,
];
