// Styles user-ui's forms, tables and notices share, adopted after the kit's sharedStyles (shadow roots
// do not see the page's stylesheet). Colours come from the custom properties of the kit's styles.css.
import { css } from "lit";

export const formStyles = css`
  form {
    margin: 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.35rem;
    margin-bottom: 1rem;
  }
  label {
    font-weight: 600;
  }
  .hint {
    font-size: 0.875rem;
    color: var(--muted);
    margin: 0;
  }
  input[type="email"],
  input[type="text"],
  select {
    font: inherit;
    padding: 0.5rem 0.65rem;
    border: 1px solid var(--border);
    border-radius: var(--radius);
    background: var(--surface);
    color: var(--fg);
    max-width: 100%;
  }
  input.code {
    font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
    font-size: 1.25rem;
    letter-spacing: 0.15em;
    width: 12ch;
  }
  input.code.recovery {
    width: 16ch;
    letter-spacing: 0.05em;
  }
  input:focus-visible,
  select:focus-visible,
  .check input:focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 1px;
  }
  input[aria-invalid="true"] {
    border-color: var(--danger);
  }
  fieldset {
    border: 1px solid var(--border);
    border-radius: var(--radius);
    padding: 0.5rem 1rem 0.75rem;
    margin: 0 0 1rem;
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  .check {
    display: flex;
    align-items: baseline;
    gap: 0.5rem;
    font-weight: normal;
    margin-top: 0.35rem;
  }
  button.link {
    background: none;
    border: none;
    color: var(--accent);
    padding: 0;
    font-weight: normal;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  button.link:hover:not(:disabled) {
    background: none;
    color: var(--accent-hover);
  }
  button.danger {
    background: var(--surface);
    border-color: var(--danger);
    color: var(--danger);
  }
  button.danger:hover:not(:disabled) {
    background: var(--danger-bg);
  }
  button.small {
    padding: 0.25rem 0.7rem;
    font-size: 0.875rem;
  }
  .ok {
    color: var(--ok);
    background: var(--ok-bg);
    border: 1px solid currentColor;
    border-radius: var(--radius);
    padding: 0.75rem 1rem;
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
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.55rem 0.5rem;
    border-top: 1px solid var(--border);
  }
  thead th {
    font-size: 0.875rem;
    color: var(--muted);
    font-weight: 600;
    border-top: none;
  }
  .badge {
    display: inline-block;
    font-size: 0.8rem;
    font-weight: 600;
    padding: 0.05rem 0.55rem;
    border-radius: 999px;
    color: var(--ok);
    background: var(--ok-bg);
    white-space: nowrap;
  }
  .badge.off {
    color: var(--muted);
    background: var(--bg);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  h1:focus,
  h2:focus,
  h3:focus,
  p:focus {
    outline: none;
  }
`;
