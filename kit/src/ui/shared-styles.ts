// Rules the components of Clawden's web apps adopt (shadow roots do not see the global stylesheet):
// sharedStyles, which every component starts from (type, links, buttons, cards, messages, a visible
// focus ring); sharedFormStyles for forms and tables; dialogStyles for modal <dialog>s; frameStyles for
// an app's shell. They draw with the custom properties that styles.css sets on the page.
import { css } from "lit";

export const sharedStyles = css`
  :host {
    display: block;
  }
  h1 {
    font-size: 1.5rem;
    line-height: 1.25;
    margin: 0 0 1rem;
  }
  h2 {
    font-size: 1.125rem;
    margin: 1.5rem 0 0.5rem;
  }
  p,
  ol,
  ul {
    margin: 0 0 1rem;
  }
  li + li {
    margin-top: 0.25rem;
  }
  a {
    color: var(--accent);
    text-underline-offset: 0.15em;
  }
  a:hover {
    color: var(--accent-hover);
  }
  code {
    font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
    font-size: 0.9em;
    background: var(--bg);
    border: 1px solid var(--border);
    border-radius: 4px;
    padding: 0.05em 0.3em;
  }
  button {
    font: inherit;
    font-weight: 600;
    padding: 0.5rem 1.1rem;
    border-radius: var(--radius);
    border: 1px solid var(--accent);
    background: var(--accent);
    color: var(--accent-fg);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--accent-hover);
  }
  button.secondary {
    background: var(--surface);
    color: var(--accent);
  }
  button.secondary:hover:not(:disabled) {
    background: var(--bg);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  a:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  .card {
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    padding: 1.5rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    margin-top: 1.25rem;
  }
  .muted {
    color: var(--muted);
  }
  .error {
    color: var(--danger);
    background: var(--danger-bg);
    border: 1px solid currentColor;
    border-radius: var(--radius);
    padding: 0.75rem 1rem;
  }
`;

/**
 * The frame of an app's shell: the top bar (`<header><div class="bar">` holding a `.brand`) and the
 * `<main>` column under it, both as wide as `--page-width`, which each app's shell sets on its :host.
 */
export const frameStyles = css`
  header {
    background: var(--surface);
    border-bottom: 1px solid var(--border);
  }
  .bar {
    max-width: var(--page-width);
    margin: 0 auto;
    padding: 0.75rem 1.25rem;
  }
  .brand {
    font-weight: 700;
    font-size: 1.125rem;
    color: var(--fg);
    text-decoration: none;
  }
  main {
    max-width: var(--page-width);
    margin: 2rem auto;
    padding: 0 1.25rem;
  }
  main:focus {
    outline: none;
  }
`;

/**
 * What the forms, tables and badges of both apps have in common. Each app adds its own sizes (field
 * spacing, paddings, badge colours) after it: user-ui's form-styles.ts, admin-ui's admin-styles.ts.
 */
export const sharedFormStyles = css`
  .field {
    display: flex;
    flex-direction: column;
  }
  label,
  legend {
    font-weight: 600;
  }
  .hint {
    font-size: 0.875rem;
    color: var(--muted);
    font-weight: normal;
    margin: 0;
  }
  /* Without specificity (:where), so that an app's sizes and a code field's font win over it. */
  :where(input:not([type="radio"]):not([type="checkbox"]), select, textarea) {
    font: inherit;
    color: var(--fg);
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
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
    margin: 0 0 1rem;
  }
  /* A checkbox or radio button with its label text beside it. */
  .choice {
    display: flex;
    gap: 0.5rem;
    align-items: baseline;
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
  button.small {
    padding: 0.25rem 0.7rem;
    font-size: 0.875rem;
  }
  .notice {
    color: var(--ok);
    background: var(--ok-bg);
    border: 1px solid currentColor;
    border-radius: var(--radius);
    padding: 0.75rem 1rem;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
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
  .badge {
    display: inline-block;
    font-weight: 600;
    padding: 0.05rem 0.55rem;
    border-radius: 999px;
    white-space: nowrap;
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

/**
 * A modal question or form in the native <dialog> (focus stays inside, Escape cancels): its frame, the
 * page dimmed behind it, and its buttons at the end. Each dialog sets its own width.
 */
export const dialogStyles = css`
  dialog {
    border: 1px solid var(--border);
    border-radius: var(--radius);
    padding: 1.5rem;
    color: var(--fg);
    background: var(--surface);
  }
  dialog::backdrop {
    background: rgb(15 20 30 / 0.45);
  }
  h2 {
    margin-top: 0;
  }
  .actions {
    justify-content: flex-end;
  }
`;
